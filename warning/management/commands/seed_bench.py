"""seed_bench: large synthetic data for benchmarks (docs/rules.md §6), not a demo.

    python manage.py seed_bench --points 1000 --years 3

Makes N 正式 points spread over every district, and for each of the last K
years (ending with the current one) every point's finished items: reports
with their review outcomes, quarterly analyses, an annual summary, and live
subsite pages in the three columns. The rows are written in bulk (pages
straight into the tree under one 基准测试数据 page), so a large province
takes seconds rather than hours; the data go through no workflow, which is
why this command is for benchmarks only and never part of seed_demo.

Deterministic (random.Random with a fixed seed). Running it again when bench
points exist changes nothing. Progress (each step, and the share of pages
written) goes to stderr, so a large run is never silent and stdout keeps its
one summary line.
"""

import random
import time
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from wagtail.models import Locale, Page

from subsites.models import ArticlePage, ColumnKind
from warning import statistics
from warning.models import (
    AnnualSummary,
    ContactEnterprise,
    District,
    Industry,
    QuarterlyAnalysis,
    ResponsiblePerson,
    WarningPoint,
    WarningReport,
)

from ._statistics_options import one_line_errors

SEED = 20260601
PREFIX = "基准测试"
BATCH = 2000
SHANGHAI = statistics.SHANGHAI


def positive(value, label, maximum):
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        raise CommandError(f"{label}应为正整数，收到“{value}”") from None
    if not 1 <= n <= maximum:
        raise CommandError(f"{label}应在 1 至 {maximum} 之间，收到 {n}")
    return n


def random_moment(rng, year, until):
    """A moment in `year` (Shanghai), not later than `until`."""
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = min(datetime(year + 1, 1, 1, tzinfo=SHANGHAI), until)
    seconds = max(int((end - start).total_seconds()) - 1, 1)
    return start + timedelta(seconds=rng.randrange(seconds))


class Command(BaseCommand):
    help = "生成大量合成数据用于性能基准测试（--points 预警点数 --years 年数）"

    def create_parser(self, prog_name, subcommand, **kwargs):
        return one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser):
        parser.add_argument("--points", default="300", help="预警点数量（默认 300）")
        parser.add_argument("--years", default="2", help="年数，截至今年（默认 2）")

    def handle(self, *args, **options):
        n_points = positive(options["points"], "预警点数量", 20_000)
        n_years = positive(options["years"], "年数", 20)
        existing = WarningPoint.objects.filter(name__startswith=PREFIX).count()
        if existing:
            self.stdout.write(f"基准数据已存在（{existing} 个预警点），未做改动。请在新数据库中重新生成。")
            return
        started = self.started = time.monotonic()
        now = datetime.now(tz=SHANGHAI)
        years = list(range(now.year - n_years + 1, now.year + 1))
        rng = random.Random(SEED)
        with transaction.atomic():
            self.progress(f"生成 {n_points} 个预警点……")
            points = self.make_points(n_points, rng)
            counts = {"reports": 0, "periodic": 0, "pages": 0}
            for year in years:
                self.progress(f"生成 {year} 年的预警信息与季度分析、年度总结……")
                counts["reports"] += self.make_reports(points, year, now, rng)
                counts["periodic"] += self.make_periodic(points, year, now, rng)
            counts["pages"] = self.make_pages(points, years, now, rng)
            self.progress("提交事务……")
        self.stdout.write(
            f"已生成 {len(points)} 个预警点、{len(years)} 年（{years[0]}–{years[-1]}）的数据："
            f"预警信息 {counts['reports']} 条，季度分析与年度总结 {counts['periodic']} 份，"
            f"子网站文章 {counts['pages']} 篇，用时 {time.monotonic() - started:.1f} 秒"
        )

    def progress(self, message):
        self.stderr.write(f"[{time.monotonic() - self.started:6.1f} 秒] {message}")
        self.stderr.flush()

    def make_points(self, n, rng):
        districts = list(District.objects.all())
        industries = list(Industry.objects.all())
        width = len(str(n))
        points = WarningPoint.objects.bulk_create(
            [
                WarningPoint(
                    name=f"{PREFIX}{i:0{width}d}号对外贸易预警点",
                    host_organisation=f"{PREFIX}{i}号行业协会",
                    batch=rng.randint(1, 9),
                    established_year=rng.randint(2005, 2024),
                    address="浙江省杭州市基准路1号",
                    phone="0571-87654321",
                    email=f"bench{i}@example.com",
                    district=districts[i % len(districts)],
                    industry=rng.choice(industries),
                    has_party_organisation=rng.random() < 0.5,
                )
                for i in range(1, n + 1)
            ],
            batch_size=BATCH,
        )
        ResponsiblePerson.objects.bulk_create(
            [ResponsiblePerson(point=p, name="负责人", mobile="13800000000") for p in points if rng.random() < 0.9],
            batch_size=BATCH,
        )
        ContactEnterprise.objects.bulk_create(
            [
                ContactEnterprise(point=p, name=f"{p.name}联系企业{k}", sort_order=k)
                for p in points
                for k in range(rng.randint(0, 6))
            ],
            batch_size=BATCH,
        )
        return points

    def make_reports(self, points, year, now, rng):
        industries = list(Industry.objects.all())
        reports = []
        for p in points:
            for _ in range(rng.randint(0, 18)):
                submitted = random_moment(rng, year, now)
                stage = rng.choices(
                    [WarningReport.Stage.APPROVED, WarningReport.Stage.REJECTED, WarningReport.Stage.CITY],
                    [8, 1, 1],
                )[0]
                report = WarningReport(
                    point=p,
                    title=f"{p.name}{year}年预警信息",
                    industry=rng.choice(industries),
                    country="US",
                    author="作者",
                    phone="0571-87654321",
                    body="<p>基准测试正文</p>",
                    stage=stage,
                    submitted_at=submitted,
                )
                if stage == WarningReport.Stage.APPROVED:
                    decided = min(submitted + timedelta(days=rng.randint(1, 20)), now)
                    report.approved_at = decided
                    option = rng.random()
                    if option < 0.25:
                        report.to_internal = True
                        report.internal_status = rng.choice(["adopted", "declined", "pending"])
                        report.internal_decided_at = decided if report.internal_status != "pending" else None
                        report.leader_instruction = report.internal_status == "adopted" and rng.random() < 0.3
                    elif option < 0.75:
                        report.to_exchange = True
                        report.exchange_published_at = decided
                        if rng.random() < 0.4:
                            report.to_magazine = True
                            report.magazine_status = rng.choice(["adopted", "declined"])
                            report.magazine_decided_at = decided
                reports.append(report)
        WarningReport.objects.bulk_create(reports, batch_size=BATCH)
        return len(reports)

    def make_periodic(self, points, year, now, rng):
        quarterlies, summaries = [], []
        for p in points:
            for quarter in range(1, 5):
                submitted = datetime(year, 3 * quarter, 1, tzinfo=SHANGHAI) + timedelta(days=rng.randint(20, 60))
                if submitted > now or rng.random() < 0.2:
                    continue
                status = rng.choices(["pending", "adopted", "declined"], [5, 2, 3])[0]
                quarterlies.append(
                    QuarterlyAnalysis(
                        point=p,
                        year=year,
                        quarter=quarter,
                        title=f"{year}年第{quarter}季度形势分析",
                        content="分析",
                        submitted_at=submitted,
                        magazine_status=status,
                        magazine_decided_at=submitted + timedelta(days=5) if status != "pending" else None,
                    )
                )
            submitted = datetime(year + 1, 1, 1, tzinfo=SHANGHAI) + timedelta(days=rng.randint(0, 40))
            if submitted <= now and rng.random() < 0.85:
                summaries.append(
                    AnnualSummary(
                        point=p, year=year, title=f"{year}年度工作总结", content="总结", submitted_at=submitted
                    )
                )
        QuarterlyAnalysis.objects.bulk_create(quarterlies, batch_size=BATCH)
        AnnualSummary.objects.bulk_create(summaries, batch_size=BATCH)
        return len(quarterlies) + len(summaries)

    def make_pages(self, points, years, now, rng):
        """Live ArticlePages under one parent page, written in bulk (Page rows, then ArticlePage rows)."""
        root = Page.get_first_root_node()
        parent = root.add_child(instance=Page(title="基准测试数据", slug="bench-data", live=False))
        locale = Locale.get_default()
        content_type = ContentType.objects.get_for_model(ArticlePage)
        plan = []
        for p in points:
            for year in years:
                for kind, most in ((ColumnKind.WARNING, 100), (ColumnKind.NEWS, 45), (ColumnKind.NOTICE, 6)):
                    for _ in range(rng.randint(0, most)):
                        plan.append((p, kind, random_moment(rng, year, now)))
        if len(plan) >= 36**Page.steplen:
            raise CommandError(f"子网站文章过多（{len(plan)} 篇），请减少预警点数量或年数")
        self.progress(f"写入子网站文章 {len(plan)} 篇……")
        pages = []
        for i, (p, _kind, published) in enumerate(plan, start=1):
            pages.append(
                Page(
                    title=f"{p.name}文章{i}",
                    draft_title=f"{p.name}文章{i}",
                    slug=f"bench-{i}",
                    content_type=content_type,
                    path=Page._get_path(parent.path, parent.depth + 1, i),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}bench-{i}/",
                    live=True,
                    first_published_at=published,
                    last_published_at=published,
                    locale=locale,
                )
            )
        step = max(BATCH, len(pages) // 10 // BATCH * BATCH)  # about ten progress lines
        for start in range(0, len(pages), step):
            Page.objects.bulk_create(pages[start : start + step], batch_size=BATCH)
            self.progress(f"页面 {min(start + step, len(pages))}/{len(pages)}")
        Page.objects.filter(pk=parent.pk).update(numchild=len(pages))
        # Django cannot bulk_create a multi-table child, so the ArticlePage rows are inserted directly.
        table = connection.ops.quote_name(ArticlePage._meta.db_table)
        columns = ("page_ptr_id", "date", "industry_id", "country", "summary", "body", "point_id", "column_kind")
        sql = f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - fixed identifiers
        rows = [
            (page.pk, published.date(), None, "", "", "<p>基准测试内容</p>", p.pk, kind)
            for page, (p, kind, published) in zip(pages, plan, strict=True)
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
                done = min(start + BATCH, len(rows))
                if done == len(rows) or done % step < BATCH:
                    self.progress(f"文章 {done}/{len(rows)}")
        return len(rows)
