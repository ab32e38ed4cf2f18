"""Search benchmark on seed_bench data, run by scripts/bench.py after the statistics benchmark.

seed_bench writes uniform titles and bodies; this gives the articles and
exchange reports real sentences from the domain (one of SENTENCES each, by
primary key), rebuilds the index with `update_index` (timed), then requests
the public search (/search/) and the admin page search
(/admin/pages/search/) for each of QUERIES, `runs` times, and prints the
median, the p95 and the maximum (docs/search.md records the figures).

Standalone: .venv/bin/python scripts/bench_search.py [--points 300] [--years 2] [--runs 5] [--database-url URL]
[--reuse]; --reuse times the searches on a database that already holds the
seeded, enriched and indexed data (a copy of the `make bench` database).
"""

import io
import statistics as stats
import time

SENTENCES = [
    "美国对华柠檬酸作出反倾销终裁，倾销幅度为53.86%。",
    "印度对原产于中国的化纤面料发起反倾销调查，请纺织企业做好应诉准备。",
    "欧盟对华电动汽车反补贴调查终裁，税率最高35.3%。",
    "土耳其对铅笔启动保障措施调查，拟提高进口关税。",
    "印度对玩具实施特别保障措施，为期三年。",
    "美国国际贸易委员会对光伏组件发起337调查，涉及专利侵权。",
    "欧盟碳边境调节机制进入正式征收阶段，覆盖钢铁、铝、化肥等产品。",
    "欧盟REACH法规新增高关注物质，涉及化工出口企业。",
    "美国向WTO提交TBT通报，修订儿童玩具安全标准。",
    "日本向WTO提交SPS通报，修订茶叶农药残留限量。",
    "澳大利亚发布儿童玩具召回通报，涉及中国产磁力玩具。",
    "巴西对华轮胎发起反倾销调查，涉及乘用车轮胎。",
    "加拿大对铝型材作出反倾销初裁。",
    "美国将多家中国企业列入出口管制实体清单。",
    "预警点组织企业学习RCEP原产地规则和原产地证书申领。",
    "欧亚经济联盟对不锈钢餐具发起反倾销调查。",
]

SEARCHES = (("公开搜索 /search/", "/search/"), ("后台页面搜索", "/admin/pages/search/"))

QUERIES = [
    "反倾销",
    "美国 反倾销",
    "印度 化纤面料",
    "特别保障措施",
    "337调查",
    "碳边境调节机制",
    "REACH",
    "WTO 通报",
    "召回通报",
    "轮胎",
    "经济联",
    "基准测试",
]


def enrich():
    """Give every bench article and report one domain sentence as its body."""
    from django.db import transaction
    from django.db.models import IntegerField, Value
    from django.db.models.functions import Mod
    from wagtail.models import Page

    from subsites.models import ArticlePage
    from warning.models import WarningReport

    with transaction.atomic():
        for model, pk in ((ArticlePage, "page_ptr_id"), (WarningReport, "id")):
            rows = model.objects.annotate(bucket=Mod(pk, Value(len(SENTENCES)), output_field=IntegerField()))
            for i, sentence in enumerate(SENTENCES):
                keys = rows.filter(bucket=i).values("pk")
                model.objects.filter(pk__in=keys).update(body=f"<p>{sentence}</p>")
                # The admin's page search matches titles: give them the sentence's first clause.
                title = sentence.split("，")[0].rstrip("。")
                target = Page.objects if model is ArticlePage else model.objects
                target.filter(pk__in=keys).update(
                    title=title, **({"draft_title": title} if model is ArticlePage else {})
                )


def index():
    """Rebuild the search index; seconds taken and the number of rows."""
    from django.core.management import call_command
    from django.db import connection
    from wagtail.search.models import IndexEntry

    started = time.monotonic()
    call_command("update_index", stdout=io.StringIO())
    seconds = time.monotonic() - started
    if connection.vendor == "postgresql":
        # Fresh bulk data has no planner statistics yet (autovacuum analyses later);
        # without them PostgreSQL misjudges how many rows a word matches.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return seconds, IndexEntry.objects.count()


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


TARGET_MS = 150  # the target: p95 under 150 ms at ten times the province on PostgreSQL


def figures(samples):
    """(median, p95, max) of `samples` (seconds) in milliseconds."""
    return stats.median(samples) * 1000, p95(samples) * 1000, max(samples) * 1000


EMPTY = set()  # (search, query) pairs whose answer listed no hit


def found_something(url, body):
    """Whether a search answer lists a hit: the public page marks each hit, the admin's says 没有符合 when none."""
    return "没有符合" not in body if url.startswith("/admin/") else "<mark" in body


def time_searches(client, runs):
    """{label: {query: [seconds, …]}} for both searches, each query warmed up once, then `runs` rounds."""
    timings = {}
    for label, url in SEARCHES:
        for query in QUERIES:  # warm up, and note the queries that find nothing (a fast empty answer proves little)
            response = client.get(url, {"q": query})
            assert response.status_code == 200, (url, query, response.status_code)
            if not found_something(url, response.content.decode()):
                EMPTY.add((label, query))
        per_query = {query: [] for query in QUERIES}
        for _ in range(runs):
            for query in QUERIES:
                t0 = time.perf_counter()
                response = client.get(url, {"q": query})
                per_query[query].append(time.perf_counter() - t0)
                assert response.status_code == 200, (url, query, response.status_code)
        timings[label] = per_query
    return timings


def report(timings, runs):
    """Print median / p95 / max per query and overall, the overall p95 next to the target."""
    print(f"{'搜索':<16}{'中位数':>10}{'p95':>10}{'最大':>10}  （{len(QUERIES)} 个查询 × {runs} 次）")
    for label, per_query in timings.items():
        for query, samples in per_query.items():
            median, high, top = figures(samples)
            empty = "  （无结果）" if (label, query) in EMPTY else ""
            print(f"  {query:<14}{median:>8.0f} ms{high:>8.0f} ms{top:>8.0f} ms{empty}")
        everything = [sample for samples in per_query.values() for sample in samples]
        median, high, top = figures(everything)
        verdict = "达标" if high < TARGET_MS else "未达标"
        print(f"{label:<16}{median:>8.0f} ms{high:>8.0f} ms{top:>8.0f} ms  p95 目标 < {TARGET_MS} ms：{verdict}")


def run_search_bench(client, runs=5, prepare=True):
    """Print the indexing time and the median / p95 / max of both searches (client: a logged-in superuser).

    `prepare=False` times the searches on the sentences and index already in the database.
    """
    if prepare:
        enrich()
        seconds, rows = index()
        print(f"\n全文检索：update_index {seconds:.1f} 秒，索引 {rows} 行")
    report(time_searches(client, runs), runs)


def main():
    import argparse
    import os
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    parser = argparse.ArgumentParser(description="全文检索的性能基准")
    parser.add_argument("--points", type=int, default=300)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--reuse", action="store_true", help="不生成数据、不重建索引：在数据库中已有的基准数据与索引上计时"
    )
    args = parser.parse_args()
    tmpdir = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="yujing-bench-search-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir.name}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    if args.reuse:
        print(f"数据库：{connection.vendor}（沿用已有的基准数据与索引）")
    else:
        print(f"数据库：{connection.vendor}  预警点：{args.points}  年数：{args.years}")
    call_command("migrate", verbosity=0)
    if not args.reuse:
        call_command("seed_bench", points=str(args.points), years=str(args.years))
    user, _created = get_user_model().objects.get_or_create(
        username="bench-search", defaults={"email": "bench@example.com", "is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    run_search_bench(client, runs=args.runs, prepare=not args.reuse)
    if tmpdir:
        tmpdir.cleanup()


if __name__ == "__main__":
    main()
