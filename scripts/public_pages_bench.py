"""Uncached render time and query count of every anonymous page kind (docs/performance.md).

    .venv/bin/python scripts/public_pages_bench.py --database-url postgres://…/yujing_bench_copy --runs 15

Runs in one process through Django's test client, with no page cache (any
page cache middleware, pagecache/, is left out), against a database
filled by ``seed_bench``. ``seed_bench`` writes its articles under one
page outside the portal and makes no subsites, so ``--prepare`` (once, on a
COPY of the bench database: it writes) gives every bench point a live
subsite home (bulk rows, as seed_bench writes pages) and provisions the first
bench point's subsite fully, moving that point's articles into its three
columns: the subsite home, the columns and an article are then measured with
a point's real share of the data, and the portal lists every point.

Prints one row per page: the queries it ran and the median of ``--runs``
timed requests (milliseconds), after one warm-up request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare():
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Locale, Page

    from subsites.models import ArticlePage, ColumnIndexPage, SubsiteHomePage
    from subsites.provisioning import get_portal, provision_point
    from warning.models import WarningPoint

    with transaction.atomic():
        points = list(WarningPoint.objects.order_by("pk"))
        first = points[0]
        if first.subsite_id is None:
            provision_point(first)
            first.refresh_from_db()
        portal = get_portal()
        portal.refresh_from_db()
        missing = [point for point in points[1:] if point.subsite_id is None]
        if missing:
            content_type = ContentType.objects.get_for_model(SubsiteHomePage)
            start = portal.numchild + 1
            homes = Page.objects.bulk_create(
                [
                    Page(
                        title=point.name,
                        draft_title=point.name,
                        slug=f"bench-point-{point.pk}",
                        content_type=content_type,
                        path=Page._get_path(portal.path, portal.depth + 1, start + i),
                        depth=portal.depth + 1,
                        numchild=0,
                        url_path=f"{portal.url_path}bench-point-{point.pk}/",
                        live=True,
                        locale=Locale.get_default(),
                    )
                    for i, point in enumerate(missing)
                ],
                batch_size=1000,
            )
            table = connection.ops.quote_name(SubsiteHomePage._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} (page_ptr_id, intro) VALUES (%s, %s)",  # noqa: S608 - fixed identifiers
                    [(home.pk, "") for home in homes],
                )
            for point, home in zip(missing, homes, strict=True):
                point.subsite_id = home.pk
            WarningPoint.objects.bulk_update(missing, ["subsite"], batch_size=1000)
            Page.objects.filter(pk=portal.pk).update(numchild=start - 1 + len(missing))
        # seed_bench's holding page (with every article) moves under the portal, so the site's
        # lists, counts and search see all of them, as they would under the points' subsites.
        holding = Page.objects.get(slug="bench-data", depth__lte=3)
        portal.refresh_from_db()
        if holding.depth == 2:
            new_path = Page._get_path(portal.path, portal.depth + 1, portal.numchild + 1)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE wagtailcore_page SET path = %s || substr(path, %s), depth = depth + 1,"
                    " url_path = %s || substr(url_path, 2) WHERE path LIKE %s",
                    [new_path, len(holding.path) + 1, portal.url_path, holding.path + "%"],
                )
            Page.objects.filter(pk=portal.pk).update(numchild=portal.numchild + 1)
            holding.refresh_from_db()
        # The first point's articles move from the holding page into its columns.
        columns = {column.kind: column for column in ColumnIndexPage.objects.child_of(first.subsite)}
        moved = []
        for kind, column in columns.items():
            pages = list(
                Page.objects.filter(
                    pk__in=ArticlePage.objects.filter(point=first, column_kind=kind).values("pk"),
                    path__startswith=holding.path,
                ).order_by("pk")
            )
            for i, page in enumerate(pages, start=column.numchild + 1):
                page.path = Page._get_path(column.path, column.depth + 1, i)
                page.depth = column.depth + 1
                page.url_path = f"{column.url_path}{page.slug}/"
            moved += pages
            Page.objects.filter(pk=column.pk).update(numchild=column.numchild + len(pages))
        Page.objects.bulk_update(moved, ["path", "depth", "url_path"], batch_size=1000)
    return first


def pages(point):
    from wagtail.models import Page

    from subsites.exchange import exchange_reports
    from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind, ExchangeIndexPage, HelpIndexPage, ManualPage

    home = Page.objects.get(pk=point.subsite_id)
    columns = {column.kind: column for column in ColumnIndexPage.objects.child_of(home)}
    article = ArticlePage.objects.child_of(columns[ColumnKind.WARNING]).live().order_by("-date").first()
    exchange = ExchangeIndexPage.objects.get()
    report = exchange_reports().first()
    manual = ManualPage.objects.order_by("path").first()
    warning = columns[ColumnKind.WARNING].url
    return [
        ("门户首页 /", "/"),
        ("子网站首页", home.url),
        ("栏目：预警信息", warning),
        ("栏目：预警信息 第 5 页", f"{warning}?page=5"),
        ("栏目：工作动态", columns[ColumnKind.NEWS].url),
        ("栏目：通知公告", columns[ColumnKind.NOTICE].url),
        ("文章", article.url),
        ("预警工作交流", exchange.url),
        ("预警工作交流 第 300 页", f"{exchange.url}?page=300"),
        ("预警工作交流 详情", f"{exchange.url}{report.pk}/"),
        ("帮助中心", HelpIndexPage.objects.get().url),
        ("用户手册", manual.url),
        ("栏目订阅 (Atom)", f"{warning}feed/"),
        ("预警工作交流订阅 (Atom)", f"{exchange.url}feed/"),
        ("站内搜索", "/search/?q=基准测试内容"),
        ("站点地图索引", "/sitemap.xml"),
        ("站点地图：页面 第 1 节", "/sitemap-pages.xml?p=1"),
        ("站点地图：页面 第 150 节", "/sitemap-pages.xml?p=150"),
        ("站点地图：预警工作交流 第 1 节", "/sitemap-exchange.xml?p=1"),
        ("API v2 页面列表", "/api/v2/pages/"),
        ("API v2 文章列表 fields=*", "/api/v2/pages/?type=subsites.ArticlePage&fields=*"),
        ("API v2 子网站首页列表 fields=*", "/api/v2/pages/?type=subsites.SubsiteHomePage&fields=*"),
        ("API v2 预警工作交流 fields=*", "/api/v2/pages/?type=subsites.ExchangeIndexPage&fields=*"),
        ("API v2 文章详情", f"/api/v2/pages/{article.pk}/"),
        ("API v2 图片列表", "/api/v2/images/"),
        ("API v2 文档列表", "/api/v2/documents/"),
        ("API v3 页面列表", "/api/v3/pages/"),
        ("API v3 文章列表", "/api/v3/pages/?type=subsites.ArticlePage"),
        ("API v3 文章详情", f"/api/v3/pages/{article.pk}/"),
        ("API v3 图片列表", "/api/v3/images/"),
        ("API v3 文档列表", "/api/v3/documents/"),
    ]


def measure(url, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the log is emptied at the start of every later request
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--prepare", action="store_true", help="give the bench points subsites (writes: a copy only)")
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    from warning.models import WarningPoint

    point = prepare() if options.prepare else WarningPoint.objects.filter(subsite__isnull=False).order_by("pk").first()
    if point is None:
        raise SystemExit("no point has a subsite: run once with --prepare on a copy of the bench database")
    without_cache = [name for name in settings.MIDDLEWARE if not name.startswith("pagecache.")]
    print(f"| page | queries | ms (median of {options.runs}) |")
    print("| --- | ---: | ---: |")
    with override_settings(MIDDLEWARE=without_cache):
        for label, url in pages(point):
            count, median = measure(url, options.runs)
            print(f"| {label} | {count} | {median:.1f} |", flush=True)


if __name__ == "__main__":
    main()
