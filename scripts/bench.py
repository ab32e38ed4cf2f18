"""Benchmark of the statistics screens and exports on seed_bench data (`make bench`).

    .venv/bin/python scripts/bench.py [--points 300] [--years 2] [--runs 3] [--database-url URL]

Builds a fresh database (a temporary SQLite file unless --database-url is
given — point it at an empty database), fills it with `seed_bench`, then
times, as the provincial contact, the admin home (the statistics page),
条数详情, 分数详情 and both exports, and the counting function alone. Prints
the median time and the number of queries of each. Speed is measured here,
never asserted by the test suite.
"""

import argparse
import os
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description="统计与导出的性能基准")
    parser.add_argument("--points", type=int, default=300, help="预警点数量（默认 300）")
    parser.add_argument("--years", type=int, default=2, help="年数（默认 2）")
    parser.add_argument("--runs", type=int, default=3, help="每项重复次数，取中位数（默认 3）")
    parser.add_argument("--database-url", help="使用该（空）数据库，而不是临时 SQLite 文件")
    return parser.parse_args()


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

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from warning import statistics

    print(f"数据库：{connection.vendor}  预警点：{args.points}  年数：{args.years}")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"迁移 {time.monotonic() - started:.1f} 秒")
    call_command("seed_bench", points=str(args.points), years=str(args.years))

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench12345!")
    client = Client()
    client.force_login(user)
    year = statistics.default_year() - 1 if args.years > 1 else statistics.default_year()

    def timed(label, action):
        action()  # warm up
        times, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                action()
                times.append(time.perf_counter() - t0)
            queries = len(ctx.captured_queries)
        print(f"{label:<28}{stats.median(times) * 1000:>10.0f} ms{queries:>8} 次查询")

    def get(name, **params):
        def action():
            response = client.get(reverse(name), {"year": year, **params})
            assert response.status_code == 200, (name, response.status_code)

        return action

    print(f"\n统计年度 {year}，每项 {args.runs} 次取中位数：")
    timed("point_rows()（计数与评分）", lambda: statistics.point_rows(year))
    timed("首页（统计信息）", get("wagtailadmin_home"))
    timed("统计分析页", get("warning_statistics:index"))
    timed("条数详情", get("warning_statistics:counts"))
    timed("分数详情", get("warning_statistics:scores"))
    timed("导出信息清单 (xlsx)", get("warning_statistics:export_info_list"))
    timed("导出分数详情 (xlsx)", get("warning_statistics:export_scores"))
    timed("导出分数详情 (json)", get("warning_statistics:export_scores", format="json"))

    # Full-text search (scripts/bench_search.py): public and admin page search, p95.
    from bench_search import run_search_bench

    run_search_bench(client, runs=max(args.runs, 5))
    if tmpdir:
        tmpdir.cleanup()


if __name__ == "__main__":
    main()
