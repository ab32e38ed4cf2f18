"""configure_site: point the default Site (API and sitemap links) at the platform's address.

Run once per deploy, after migrate. The address comes from --url or, in
production, from the environment variable WAGTAILADMIN_BASE_URL — the same
value the e-mail links use (warning/site_url.py).
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from warning.site_url import configure_site


class Command(BaseCommand):
    help = "按网站地址设置默认站点的主机名和端口（API、站点地图中的链接）"

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="网站地址，默认读取环境变量 WAGTAILADMIN_BASE_URL")

    def handle(self, *args, url=None, **options):
        url = url or os.environ.get("WAGTAILADMIN_BASE_URL", "")
        if not url:
            raise CommandError("请用 --url 指定网站地址，或设置环境变量 WAGTAILADMIN_BASE_URL")
        try:
            site = configure_site(url)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        self.stdout.write(f"默认站点：{site.root_url}")
