"""`manage.py clear_page_cache`: retire every cached page on every server at once (a new generation)."""

from django.core.management.base import BaseCommand

from pagecache.store import GENERATION_KEY, bump_generation, page_cache


class Command(BaseCommand):
    help = "清除页面缓存：所有应用服务器上缓存的匿名页面立即失效"

    def handle(self, *args, **options):
        before = page_cache().get(GENERATION_KEY)
        bump_generation()
        if page_cache().get(GENERATION_KEY) == before:
            self.stderr.write("页面缓存无法访问，未能清除")
            raise SystemExit(1)
        self.stdout.write("页面缓存已清除")
