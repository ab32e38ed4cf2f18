"""Benchmark of the statistics screens and exports against their floors (`make bench`).

    .venv/bin/python scripts/bench.py [--points 300] [--years 2] [--runs 5] [--database-url URL]
    DATABASE_URL=postgres://… make bench BENCH_ARGS="--points 1000 --years 5"

Builds a database (a temporary SQLite file unless --database-url or
DATABASE_URL is given — then seed_bench fills it once and later runs reuse
its data), then, logged in
as the provincial contact, times each screen and export and prints it next to
its floor and the ratio (docs/performance.md):

- statistics screens (admin home, 统计分析, 条数详情, 分数详情) against one
  hand-written SQL statement returning the same per-point counts (GROUP BY
  point): what the database must do at the least;
- exports (导出信息清单, 导出分数详情) against that statement plus openpyxl's
  write-only mode writing the same cells with no styling;
- the xlsx writer alone at 500 … 4,000 rows against write-only writing, to
  show that it grows linearly;
- full-text search: median and p95 (scripts/bench_search.py);
- anonymous pages: requests/s, p50 and p99 under wrk against a bare floor view of
  the same size on the same gunicorn (scripts/bench_pages.py).

Each figure is the median of --runs, the floor measured alternately with it
so both see the same machine load. Speed is measured here, never asserted by
the test suite (the tests assert query counts).
"""

import argparse
import io
import os
import platform
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description="统计与导出的性能基准（与下限对比）")
    parser.add_argument("--points", type=int, default=300, help="预警点数量（默认 300）")
    parser.add_argument("--years", type=int, default=2, help="年数（默认 2）")
    parser.add_argument("--runs", type=int, default=5, help="每项重复次数，取中位数（默认 5）")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="使用该数据库（默认取环境变量 DATABASE_URL；首次运行时由 seed_bench 填充，之后复用）",
    )
    parser.add_argument("--page-seconds", type=int, default=3, help="页面吞吐量：wrk 每项运行秒数（默认 3）")
    parser.add_argument("--connections", type=int, default=16, help="页面吞吐量：wrk 并发连接数（默认 16）")
    parser.add_argument("--port", type=int, default=8311, help="页面吞吐量：gunicorn 端口（默认 8311）")
    parser.add_argument("--redis-port", type=int, default=6392, help="页面吞吐量：Redis 端口（默认 6392）")
    parser.add_argument("--skip-pages", action="store_true", help="不测页面吞吐量")
    parser.add_argument("--pages-only", action="store_true", help="只测页面吞吐量")
    parser.add_argument("--skip-search", action="store_true", help="不测全文检索（它先重建索引，十倍数据时较慢）")
    parser.add_argument(
        "--search-reuse",
        action="store_true",
        help="全文检索：沿用数据库中已由前一次基准充实并建好的索引，不再重建（十倍数据时重建需数十分钟）",
    )
    return parser.parse_args()


# The floor: the year's per-point counts of every kind in one statement. The
# conditions are those of warning/statistics.py (KINDS), written by hand.
FLOOR_SQL = """
SELECT point_id, SUM(reports), SUM(exchange), SUM(report_magazine), SUM(internal), SUM(leader),
       SUM(quarterlies), SUM(quarterly_magazine), SUM(summaries), SUM(summaries_on_time),
       SUM(warning_pages), SUM(news_pages), SUM(notice_pages)
FROM (
    SELECT r.point_id,
           COUNT(*) AS reports,
           COUNT(*) FILTER (WHERE r.to_exchange AND r.exchange_published_at IS NOT NULL) AS exchange,
           COUNT(*) FILTER (WHERE r.magazine_status = 'adopted') AS report_magazine,
           COUNT(*) FILTER (WHERE r.internal_status = 'adopted') AS internal,
           COUNT(*) FILTER (WHERE r.internal_status = 'adopted' AND r.leader_instruction) AS leader,
           0 AS quarterlies, 0 AS quarterly_magazine, 0 AS summaries, 0 AS summaries_on_time,
           0 AS warning_pages, 0 AS news_pages, 0 AS notice_pages
    FROM warning_warningreport r JOIN warning_warningpoint p ON p.id = r.point_id
    WHERE p.status = 'official' AND r.stage = 'approved' AND r.submitted_at >= %(start)s AND r.submitted_at < %(end)s
    GROUP BY r.point_id
    UNION ALL
    SELECT q.point_id, 0, 0, 0, 0, 0,
           COUNT(*) FILTER (WHERE q.submitted_at >= %(start)s AND q.submitted_at < %(deadline)s),
           COUNT(*) FILTER (WHERE q.magazine_status = 'adopted'), 0, 0, 0, 0, 0
    FROM warning_quarterlyanalysis q JOIN warning_warningpoint p ON p.id = q.point_id
    WHERE p.status = 'official' AND q.year = %(year)s
    GROUP BY q.point_id
    UNION ALL
    SELECT s.point_id, 0, 0, 0, 0, 0, 0, 0,
           COUNT(*), COUNT(*) FILTER (WHERE s.submitted_at < %(deadline)s), 0, 0, 0
    FROM warning_annualsummary s JOIN warning_warningpoint p ON p.id = s.point_id
    WHERE p.status = 'official' AND s.year = %(year)s
    GROUP BY s.point_id
    UNION ALL
    SELECT a.point_id, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           COUNT(*) FILTER (WHERE a.column_kind = 'warning'),
           COUNT(*) FILTER (WHERE a.column_kind = 'news'),
           COUNT(*) FILTER (WHERE a.column_kind = 'notice')
    FROM subsites_articlepage a
    JOIN wagtailcore_page g ON g.id = a.page_ptr_id
    JOIN warning_warningpoint p ON p.id = a.point_id
    WHERE p.status = 'official' AND g.live AND g.first_published_at >= %(start)s AND g.first_published_at < %(end)s
    GROUP BY a.point_id
) counts
GROUP BY point_id
"""


def main():
    args = parse_args()
    tmpdir = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="yujing-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir.name}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from warning import statistics

    print(f"机器：{platform.node()}，{os.cpu_count()} 核，Python {platform.python_version()}")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"迁移 {time.monotonic() - started:.1f} 秒")
    call_command("seed_bench", points=str(args.points), years=str(args.years))
    n_points = statistics.filtered_points().count()
    print(f"数据库：{connection.vendor}  正式预警点：{n_points}")

    if not args.pages_only:
        measure_statistics(args, connection)
    # Anonymous pages against the floor view on the same gunicorn (scripts/bench_pages.py).
    if not args.skip_pages:
        from bench_pages import run_page_bench

        connection.close()  # the app server's workers use the database from here on
        run_page_bench(
            os.environ["DATABASE_URL"],
            seconds=args.page_seconds,
            connections=args.connections,
            port=args.port,
            redis_port=args.redis_port,
        )
    if tmpdir:
        tmpdir.cleanup()


def measure_statistics(args, connection):
    """The statistics screens, exports and the xlsx writer against their floors, then the search."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from openpyxl import Workbook

    from warning import statistics
    from warning.exports import info_list, scores, sheets
    from warning.models.profiles import GROUP_PROVINCIAL

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first() or user_model.objects.create_superuser(
        "bench", "bench@example.com", "bench12345!"
    )
    client = Client()  # the administrator: the admin page search looks through every page
    client.force_login(user)
    # The statistics screens are the provincial contact's (预警工作联系人): measured logged in as
    # the province, whose home is the statistics page (the administrator's adds Wagtail's panels).
    province = user_model.objects.filter(username="bench-province").first()
    if province is None:
        province = user_model.objects.create_user("bench-province", "province@example.com", "bench12345!")
        province.groups.add(Group.objects.get(name=GROUP_PROVINCIAL))
    province_client = Client()
    province_client.force_login(province)
    year = statistics.default_year() - 1 if args.years > 1 else statistics.default_year()
    moment = connection.ops.adapt_datetimefield_value  # as the ORM writes them (UTC text on SQLite)
    params = {
        "year": year,
        "start": moment(statistics.year_start(year)),
        "end": moment(statistics.year_start(year + 1)),
        "deadline": moment(statistics.periodic_deadline(year)),
    }

    def floor_sql():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, params)
            return cursor.fetchall()

    # The floor returns the very numbers the screens show: checked before anything is timed.
    order = ("reports", "exchange", "report_magazine", "internal", "leader", "quarterlies", "quarterly_magazine")
    order += ("summaries", "summaries_on_time", "warning_pages", "news_pages", "notice_pages")
    by_floor = {row[0]: tuple(int(n) for n in row[1:]) for row in floor_sql()}
    by_screens = {r.point_id: tuple(r.counts[k] for k in order) for r in statistics.point_rows(year)}
    assert by_floor == {k: v for k, v in by_screens.items() if any(v)}, "下限 SQL 与统计结果不一致"

    def write_only(rows):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("下限")
        for row in rows:
            sheet.append(row)
        workbook.save(io.BytesIO())

    info_cells = [[r.label, *r.values] for r in info_list.info_list_rows(year)]
    score_cells = [
        [r.rank, r.name, r.city_name, *(getattr(r.score, i) for i in scores.ITEMS), r.total, "\n".join(r.lacks)]
        for r in scores.score_rows(year)
    ]

    def get(name, **extra):
        def action():
            response = province_client.get(reverse(name), {"year": year, **extra})
            assert response.status_code == 200, (name, response.status_code)
            return response

        return action

    def median_pair(action, floor):
        action()
        floor()  # warm up both
        times, floors, queries = [], [], 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            floor()
            floors.append(time.perf_counter() - t0)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                action()
                times.append(time.perf_counter() - t0)
            queries = len(ctx.captured_queries)
        return stats.median(times) * 1000, stats.median(floors) * 1000, queries

    rows = []

    def measure(label, action, floor):
        figure, floor_ms, queries = median_pair(action, floor)
        rows.append((label, figure, floor_ms, queries))
        print(f"{label:<24}{figure:>9.0f} ms{floor_ms:>9.0f} ms{figure / floor_ms:>8.1f}×{queries:>6}")

    print(f"\n统计年度 {year}，每项 {args.runs} 次取中位数")
    print(f"{'项目':<22}{'本项目':>10}{'下限':>10}{'倍数':>8}{'查询':>6}")
    measure("SQL 计数（下限本身）", floor_sql, floor_sql)
    measure("首页（统计信息）", get("wagtailadmin_home"), floor_sql)
    measure("统计分析", get("warning_statistics:index"), floor_sql)
    measure("条数详情", get("warning_statistics:counts"), floor_sql)
    measure("分数详情", get("warning_statistics:scores"), floor_sql)
    measure(
        "导出信息清单 (xlsx)",
        get("warning_statistics:export_info_list"),
        lambda: (floor_sql(), write_only(info_cells)),
    )
    measure(
        "导出分数详情 (xlsx)", get("warning_statistics:export_scores"), lambda: (floor_sql(), write_only(score_cells))
    )
    measure("导出分数详情 (json)", get("warning_statistics:export_scores", format="json"), floor_sql)

    print("\nxlsx 写入（不含数据库）：本项目的可打印表格 对 write-only 直接写入")
    template = ["基准测试0001号对外贸易预警点", *range(9)]
    for n in (500, 1000, 2000, 4000):
        cells = [template] * n

        def printable(cells=cells):
            sheet = sheets.PrintableSheet(
                sheet_title="基准",
                title="基准",
                filters="全部",
                header_rows=[["单位", *("数" for _ in range(9))]],
                widths=[30] + [10] * 9,
            )
            styles = ["缩进", *["正文"] * 9]
            for row in cells:
                sheet.append(row, styles)
            sheet.save(io.BytesIO())

        figure, floor_ms, _queries = median_pair(printable, lambda cells=cells: write_only(cells))
        print(f"{n:>6} 行{figure:>9.0f} ms{floor_ms:>9.0f} ms{figure / floor_ms:>8.1f}×")

    # Full-text search (scripts/bench_search.py): public and admin page search, p95.
    from bench_search import run_search_bench

    if not args.skip_search:
        run_search_bench(client, runs=max(args.runs, 5), prepare=not args.search_reuse)


if __name__ == "__main__":
    main()
