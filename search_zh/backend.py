"""Wagtail's database search backend with Chinese segmentation on both sides.

`SearchBackend` picks, like Wagtail's own `wagtail.search.backends.database`,
the SQLite FTS5 or the PostgreSQL tsvector backend for the default database
and subclasses it in three places only:

- the object indexer stores each text as its segmented words separated by
  spaces (search_zh.segment.index_text), so FTS5's unicode61 tokenizer and
  PostgreSQL's parser see one token per Chinese word;
- the query compilers turn a plain-text query into the same words, all
  required (AND), single characters and the last autocomplete word as
  prefixes;
- stale rows (objects deleted behind the index's back) are found with
  `NOT EXISTS` rather than Wagtail's `NOT IN (subquery)`: PostgreSQL cannot
  hash a subquery of 400,000 keys in its default work memory and re-reads it
  for every index row, which made `update_index` quadratic at ten times the
  province (docs/search.md);
- the index writes normalise the title length of the rows they write only.
  Wagtail's index recomputes `title_norm` for every row still at its default
  after each write, a full scan per save that made bulk imports quadratic;
  here the average title length is read once per process (and refreshed
  every ten minutes), and `update_index` still recomputes every row at the
  end of a rebuild.

The vendor halves are search_zh.sqlite and search_zh.postgres. Settings:
WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search_zh.backend"
(docs/search.md).
"""

import time

from django.db import connection
from django.db.models import Avg, Exists, F, OuterRef, TextField
from django.db.models.functions import Cast, Length
from modelsearch.backends.base import EmptySearchResults
from modelsearch.utils import get_descendants_content_types_pks

from .segment import query_terms

TITLE_AVERAGE_TTL = 600
_title_averages = {}


def forget_title_average():
    _title_averages.clear()


class TitleNormMixin:
    """Set `title_norm` (average title length / this title's length) on the rows just written."""

    def _title_average(self):
        key = self.write_connection.alias
        cached = _title_averages.get(key)
        if cached is None or time.monotonic() - cached[1] > TITLE_AVERAGE_TTL:
            average = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            cached = (average or 1.0, time.monotonic())
            _title_averages[key] = cached
        return cached[0]

    def _normalise_written(self, content_type_pk, object_ids):
        self.entries.filter(content_type_id=content_type_pk, object_id__in=list(object_ids)).annotate(
            title_length=Length("title")
        ).filter(title_length__gt=0).update(title_norm=self._title_average() / F("title_length"))

    def _refresh_title_norms(self, full=False):
        forget_title_average()
        super()._refresh_title_norms(full=full)


class StaleEntriesMixin:
    """Delete the index rows of objects that no longer exist, with an anti-join."""

    def delete_stale_model_entries(self, model):
        existing = model._default_manager.annotate(object_id=Cast("pk", TextField())).filter(
            object_id=OuterRef("object_id")
        )
        self.entries.filter(content_type_id__in=get_descendants_content_types_pks(model)).exclude(
            Exists(existing)
        ).delete()


class SegmentedQueryMixin:
    """Plain-text queries become the segmented words, all required."""

    def segmented_terms(self, query):
        return query_terms(query.query_string, last_is_prefix=self.LAST_TERM_IS_PREFIX)


class SegmentedBackendMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        # A query of punctuation or stop words only has nothing to look for.
        if isinstance(query, str) and not query_terms(query):
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


SUPPORTED_VENDORS = ("sqlite", "postgresql")


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The Chinese backend for the default database (SQLite FTS5 or PostgreSQL).

    The vendor modules are imported here, not at the top: each imports
    Wagtail's backend for its database, which only loads on that database.
    """
    if connection.vendor == "postgresql":
        from .postgres import ChinesePostgresSearchBackend

        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        from .sqlite import ChineseSQLiteSearchBackend

        return ChineseSQLiteSearchBackend(params)
    raise NotImplementedError(f"search_zh supports {', '.join(SUPPORTED_VENDORS)}, not {connection.vendor}")
