"""`manage.py update_index` with a progress line per model and keyset paging.

Wagtail's command prints a dot per chunk and reads the chunks with
OFFSET, which rereads every earlier row for each chunk (quadratic at ten
times the province). This one reads the next chunk after the last primary
key and prints how far each model is: rows done of total, percent, elapsed
seconds — at most one line per percent.
"""

import time

from modelsearch.management.commands.rebuild_modelsearch_index import Command as WagtailUpdateIndex


class Command(WagtailUpdateIndex):
    help = "重建全文检索索引（中文分词），逐个模型显示进度"

    def queryset_chunks(self, qs, chunk_size=1000):
        self._total = qs.count()
        self._done = 0
        last_pk = None
        while True:
            page = qs if last_pk is None else qs.filter(pk__gt=last_pk)
            items = list(page[:chunk_size])
            if not items:
                break
            last_pk = items[-1].pk
            self._done += len(items)
            yield items

    def print_iter_progress(self, iterable):
        started = time.monotonic()
        shown = -1
        for value in iterable:
            yield value
            percent = self._done * 100 // max(self._total, 1)
            if percent != shown:
                shown = percent
                self.write(
                    f"\n  已索引 {self._done}/{self._total}（{percent}%），用时 {time.monotonic() - started:.1f} 秒",
                    ending="",
                )
                self.stdout.flush()
