"""Cross-check: the dashboard, 条数详情, 分数详情, both exports and the drill-down lists agree.

Each screen is read the way a user reads it (HTML tables, xlsx cells, JSON),
then the numbers are compared with each other and with counts written
independently here with Django's own __year lookups. Run on the demo
province (seed_demo) and on a varied province made with the ORM, for the
last finished year and the current year.
"""

import io
import json
import random
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from subsites.models import ArticlePage, ColumnKind
from tests.factories import make_point
from tests.statistics_factories import (
    make_article,
    make_enterprises,
    make_notice,
    make_quarterly,
    make_report,
    make_summary,
    sh,
)
from warning import scoring, statistics
from warning.demo.indexing import indexing_deferred
from warning.exports.sheets import TITLE_ROWS
from warning.models import AnnualSummary, Notice, QuarterlyAnalysis, WarningPoint, WarningReport
from warning.models.profiles import GROUP_PROVINCIAL

THIS_YEAR = statistics.default_year()
YEARS = (THIS_YEAR - 1, THIS_YEAR)
COUNT_COLUMNS = statistics.COUNT_DETAIL_KINDS  # the order of 条数详情's number columns


class TableReader(HTMLParser):
    """Rows of <table data-table=...>: each row's data-point and its cells as (text, href)."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], [])
        elif self._table is not None and tag == "tr" and "data-point" in attrs:
            self._row = (attrs["data-point"], [])
        elif self._row is not None and tag == "td":
            self._cell = ["", None]
        elif self._cell is not None and tag == "a":
            self._cell[1] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row[1].append((self._cell[0].strip(), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data


def read_tables(html):
    reader = TableReader()
    reader.feed(html)
    return reader.tables


def read_tiles(html):
    return {k: int(v) for k, v in re.findall(r'data-tile="(\w+)">(\d+)<', html)}


def sheet_rows(content):
    """The rows below the title and the filter/time rows (warning/exports/sheets.py)."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()][TITLE_ROWS:]


def check_everything_agrees(client, year):
    """Read every statistics screen for `year` and check that they all tell the same story."""
    official = WarningPoint.objects.official()
    names = dict(official.values_list("pk", "name"))
    q = {"year": year}

    # 条数详情 (HTML) ------------------------------------------------------------
    counts_html = client.get(reverse("warning_statistics:counts"), q).content.decode()
    count_rows = {}
    links = []
    for point_id, cells in read_tables(counts_html)["counts"]:
        if point_id == "total":
            continue
        assert cells[1][0] == str(year)
        numbers = [int(text) for text, _href in cells[2:]]
        count_rows[int(point_id)] = dict(zip(COUNT_COLUMNS, numbers, strict=True))
        for (text, href), kind in zip(cells[2:], COUNT_COLUMNS, strict=True):
            # every non-zero number links to its records, and only those
            assert (href is not None) == (text != "0"), (point_id, kind, text, href)
            if href:
                assert href == f"{reverse('warning_statistics:records', args=[point_id, kind])}?year={year}"
                links.append((int(point_id), kind, int(text), href))
    assert set(count_rows) == set(names)

    # drill-down lists: every link's number is the length of its list; open a sample of the pages
    for point_id, kind, number, _href in links:
        assert len(statistics.records(kind, year, point_id)) == number, (point_id, kind)
    sample = {}
    for link in links:
        sample.setdefault(link[1], link)  # the first link of every column
    for point_id, kind, number, href in list(sample.values()) + links[:: max(len(links) // 10, 1)]:
        records_html = client.get(href).content.decode()
        rows = re.findall(r"<tr>\s*<td>(\d+)</td>", records_html)
        assert rows == [str(i) for i in range(1, number + 1)], (point_id, kind)

    # independent counts written with Django's own lookups (current time zone: Asia/Shanghai)
    approved = WarningReport.objects.filter(
        stage="approved", submitted_at__year=year, point__status=WarningPoint.Status.OFFICIAL
    )
    totals = {k: sum(r[k] for r in count_rows.values()) for k in COUNT_COLUMNS}
    assert totals["reports"] == approved.count()
    assert totals["internal"] == approved.filter(internal_status="adopted").count()
    assert totals["exchange"] == approved.filter(to_exchange=True, exchange_published_at__isnull=False).count()
    assert totals["leader"] == approved.filter(internal_status="adopted", leader_instruction=True).count()
    assert totals["report_magazine"] == approved.filter(magazine_status="adopted").count()
    assert totals["summaries"] == AnnualSummary.objects.filter(year=year, point__in=official).count()
    assert totals["quarterly_magazine"] == (
        QuarterlyAnalysis.objects.filter(year=year, magazine_status="adopted", point__in=official).count()
    )
    window = [q_ for q_ in QuarterlyAnalysis.objects.filter(year=year, point__in=official)]
    assert totals["quarterlies"] == sum(
        1 for q_ in window if sh(year, 1, 1, 0) <= q_.submitted_at < sh(year + 1, 1, 20, 0) + timedelta(days=1)
    )
    pages = ArticlePage.objects.filter(live=True, first_published_at__year=year, point__in=official)
    assert totals["warning_pages"] == pages.filter(column_kind=ColumnKind.WARNING).count()
    assert totals["news_pages"] == pages.filter(column_kind=ColumnKind.NEWS).count()

    # the dashboard tiles (admin home and 统计分析 page) ---------------------------
    home_tiles = read_tiles(client.get(reverse("wagtailadmin_home"), q).content.decode())
    page_tiles = read_tiles(client.get(reverse("warning_statistics:index"), q).content.decode())
    assert home_tiles == page_tiles
    assert home_tiles["reports"] == totals["reports"]
    assert home_tiles["quarterlies"] == totals["quarterlies"]
    assert home_tiles["summaries"] == totals["summaries"]
    assert home_tiles["magazine"] == totals["report_magazine"] + totals["quarterly_magazine"]
    assert home_tiles["points"] == len(names)
    assert home_tiles["notices"] == Notice.objects.filter(issued_at__year=year).count()

    # 导出信息清单 ----------------------------------------------------------------
    info = sheet_rows(client.get(reverse("warning_statistics:export_info_list"), q).content)
    body = info[2:]
    assert body[0][0] == "合计"
    by_name = {row[0]: row[1:] for row in body[1:] if row[0] in names.values()}
    assert len(by_name) == len(names)
    for point_id, name in names.items():
        c = count_rows[point_id]
        total, exchange, magazine, internal, warning, news, quarterly, summary, _ent = by_name[name]
        assert (total, magazine, internal, warning, news, quarterly, summary) == (
            c["reports"],
            c["report_magazine"],
            c["internal"],
            c["warning_pages"],
            c["news_pages"],
            c["quarterlies"],
            c["summaries"],
        ), name
    city_rows = [row for row in body[1:] if row[0] not in names.values()]
    assert body[0][1:] == [sum(col) for col in zip(*[r[1:] for r in city_rows], strict=True)]
    total_row = body[0][1:]
    assert total_row[0] == home_tiles["reports"]
    assert total_row[6] == home_tiles["quarterlies"]
    assert total_row[7] == home_tiles["summaries"]
    assert total_row[8] == home_tiles["enterprises"]

    # 分数详情 (HTML), the JSON and xlsx exports, the command -------------------
    scores_html = client.get(reverse("warning_statistics:scores"), q).content.decode()
    score_rows = []
    for point_id, cells in read_tables(scores_html)["scores"]:
        rank, name, city = int(cells[0][0]), cells[1][0], cells[2][0]
        items = [int(text) for text, _ in cells[3:11]]
        score_rows.append(
            {
                "point": name,
                "city": city,
                **dict(zip(["a1", "a2", "a3", "b1", "b2", "b3", "c", "total"], items, strict=True)),
                "rank": rank,
                "id": int(point_id),
            }
        )
    as_json = json.loads(client.get(reverse("warning_statistics:export_scores"), {**q, "format": "json"}).content)
    assert [{k: v for k, v in r.items() if k != "id"} for r in score_rows] == as_json
    out = io.StringIO()
    call_command("export_scores", "--year", str(year), "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == as_json
    xlsx = sheet_rows(client.get(reverse("warning_statistics:export_scores"), q).content)[1:]
    assert [row[:11] for row in xlsx] == [
        [r["rank"], r["point"], r["city"], r["a1"], r["a2"], r["a3"], r["b1"], r["b2"], r["b3"], r["c"], r["total"]]
        for r in as_json
    ]

    # scores follow from the counts, ranks from the totals, best first
    months = statistics.months_counted(year)
    totals_list = [r["total"] for r in as_json]
    assert totals_list == sorted(totals_list, reverse=True)
    assert [r["rank"] for r in as_json] == scoring.rank(totals_list)
    for r in score_rows:
        c = count_rows[r["id"]]
        exchange = by_name[r["point"]][1]
        assert r["a2"] == scoring.step_points(c["warning_pages"], months, scoring.A2_STEPS)
        assert r["a3"] == scoring.step_points(c["news_pages"], months, scoring.A3_STEPS)
        assert r["b1"] == min(exchange, 12)
        assert r["b2"] == min(2 * c["quarterlies"], 8)
        assert r["b3"] in (0, 5) and (r["b3"] == 0 or c["summaries"] == 1)
        assert (
            min(2 * c["quarterly_magazine"] + c["internal"], 10)
            <= r["c"]
            <= min(2 * c["quarterly_magazine"] + 3 * c["internal"], 10)
        )
        assert r["total"] == sum(r[k] for k in ("a1", "a2", "a3", "b1", "b2", "b3", "c"))
    return count_rows, as_json


@pytest.fixture
def provincial_client(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("crosscheck", "x@example.com", "pass12345!")
    user.groups.add(Group.objects.get(name=GROUP_PROVINCIAL))
    client.force_login(user)
    return client


def build_varied_province():
    """About twenty points over several cities with a deterministic mix of finished and unfinished items."""
    # Every row and page is indexed once, at the end, instead of on each of its saves.
    with indexing_deferred():
        _build_varied_province()


def _build_varied_province():
    rng = random.Random(6)
    districts = ["建德市", "桐庐县", "鹿城区", "庆元县", "上城区"]
    points = [make_point(district_name=districts[i % len(districts)], responsible=i % 7 != 0) for i in range(20)]
    points.append(make_point(status=WarningPoint.Status.PREPARING))
    points.append(make_point(status=WarningPoint.Status.REVOKED))
    months_now = statistics.months_counted(THIS_YEAR)
    for p in points:
        make_enterprises(p, rng.randint(0, 4))
        for year in YEARS:
            last_month = 12 if year < THIS_YEAR else months_now
            for _ in range(rng.randint(0, 8)):
                moment = sh(
                    year, rng.randint(1, last_month), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
                )
                stage = rng.choice(["approved", "approved", "approved", "rejected", "city", "returned"])
                fields = {}
                if stage == "approved":
                    option = rng.random()
                    if option < 0.3:
                        fields = dict(to_exchange=True, exchange_published_at=moment if rng.random() < 0.9 else None)
                        if rng.random() < 0.5:
                            fields.update(
                                to_magazine=True,
                                magazine_status=rng.choice(["adopted", "declined", "pending"]),
                                magazine_decided_at=moment,
                            )
                    elif option < 0.55:
                        status = rng.choice(["adopted", "declined", "pending"])
                        fields = dict(
                            to_internal=True,
                            internal_status=status,
                            internal_decided_at=moment,
                            leader_instruction=status == "adopted" and rng.random() < 0.4,
                        )
                make_report(p, moment, stage=stage, **fields)
            for quarter in range(1, 5):
                if rng.random() < 0.3:
                    continue
                late = rng.random() < 0.15
                moment = (
                    sh(year + 1, 1, 21, 0, 0) + timedelta(hours=rng.randint(0, 200))
                    if late
                    else sh(year, 3 * quarter, 25)
                )
                if moment > timezone.now():
                    continue
                make_quarterly(p, year, quarter, moment, magazine_status=rng.choice(["pending", "adopted", "declined"]))
            if year < THIS_YEAR and rng.random() < 0.8:
                make_summary(p, year, sh(year + 1, 1, 20, 23, 59, 59) + timedelta(seconds=rng.choice([0, 1, -86400])))
            for kind in (ColumnKind.WARNING, ColumnKind.NEWS, ColumnKind.NOTICE):
                for _ in range(rng.randint(0, 3)):
                    moment = sh(year, rng.randint(1, last_month), rng.randint(1, 28))
                    make_article(p, kind, moment, live=rng.random() < 0.85)
    for year in YEARS:
        for month in (2, 6):
            make_notice(sh(year, month, 3), points[: rng.randint(1, len(points))])


def test_statistics_agree_on_a_varied_orm_province(db, provincial_client):
    build_varied_province()
    for year in YEARS:
        count_rows, as_json = check_everything_agrees(provincial_client, year)
        assert any(any(c.values()) for c in count_rows.values())  # the data set is not empty
        assert len({r["total"] for r in as_json}) > 3


def test_dashboard_count_detail_score_detail_exports_and_drill_down_agree_on_seed_demo_data(db, provincial_client):
    # Three points per city keep the run short on PostgreSQL too; every step of the
    # demo (pages, reviewed reports, periodic reports, notices) still runs.
    call_command("seed_demo", points_per_city=3, stdout=io.StringIO())
    assert WarningPoint.objects.official().count() >= 30
    for year in YEARS:
        check_everything_agrees(provincial_client, year)
