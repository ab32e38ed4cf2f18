"""统计 (docs/rules.md §4): what counts, in which year, for which points; tiles, drill-down lists, ranks and advice."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from subsites.models import ColumnKind
from tests.factories import city, make_point
from tests.shared_points import SharedPoints
from tests.statistics_factories import (
    make_article,
    make_enterprises,
    make_exchange_report,
    make_internal_report,
    make_magazine_report,
    make_notice,
    make_quarterly,
    make_report,
    make_summary,
    sh,
)
from warning import charts, statistics
from warning.models import ResponsiblePerson, WarningPoint, WarningReport

TODAY = date(2026, 11, 26)


def row_of(point, year=2025, **kwargs):
    kwargs.setdefault("today", TODAY)
    (row,) = [r for r in statistics.point_rows(year, **kwargs) if r.point_id == point.pk]
    return row


# ---------------------------------------------------------------- what counts


class TestWhatCounts(SharedPoints):
    """What counts, for one point."""

    @pytest.mark.parametrize(
        "stage",
        [
            WarningReport.Stage.DRAFT,
            WarningReport.Stage.CITY,
            WarningReport.Stage.PROVINCIAL,
            WarningReport.Stage.RETURNED,
            WarningReport.Stage.REJECTED,
        ],
    )
    def test_reports_that_did_not_finish_with_provincial_approval_do_not_count(self, point, stage):
        make_report(point, sh(2025, 3, 1), stage=stage)
        assert row_of(point).counts["reports"] == 0

    def test_approved_reports_count_as_reported(self, point):
        make_report(point, sh(2025, 3, 1))
        make_report(point, sh(2025, 9, 1))
        assert row_of(point).counts["reports"] == 2

    def test_a_report_belongs_to_the_year_of_its_submission_on_a_shanghai_clock(self, point):
        make_report(point, sh(2025, 12, 31, 23, 59, 59))  # 15:59:59 UTC, still 2025 in Shanghai
        make_report(point, sh(2026, 1, 1, 0, 0, 0))  # 2025-12-31 16:00 UTC, already 2026 in Shanghai
        assert row_of(point, 2025).counts["reports"] == 1
        assert row_of(point, 2026).counts["reports"] == 1

    def test_exchange_counts_only_reports_actually_published_to_the_exchange_column(self, point):
        make_exchange_report(point, sh(2025, 4, 1))
        make_report(point, sh(2025, 4, 2), to_exchange=True, exchange_published_at=None)
        row = row_of(point)
        assert row.counts["exchange"] == 1
        assert row.score.b1 == 1

    def test_magazine_adoption_counts_adopted_reports_and_quarterlies_only(self, point):
        make_magazine_report(point, sh(2025, 5, 1))
        make_magazine_report(point, sh(2025, 5, 2), status="declined")
        make_report(point, sh(2025, 5, 3), to_magazine=True, magazine_status="pending")
        make_quarterly(point, 2025, 1, sh(2025, 4, 10), magazine_status="adopted")
        make_quarterly(point, 2025, 2, sh(2025, 7, 10), magazine_status="declined")
        row = row_of(point)
        assert row.counts["report_magazine"] == 1
        assert row.counts["quarterly_magazine"] == 1
        assert statistics.tiles(2025, [row]).magazine == 2
        assert row.score.c == 2

    def test_internal_exchange_counts_adopted_items_and_leader_instructions(self, point):
        make_internal_report(point, sh(2025, 6, 1))
        make_internal_report(point, sh(2025, 6, 2), leader=True)
        make_internal_report(point, sh(2025, 6, 3), status="declined")
        make_internal_report(point, sh(2025, 6, 4), status="pending")
        row = row_of(point)
        assert row.counts["internal"] == 2
        assert row.counts["leader"] == 1
        assert row.score.c == 1 + 1 + 2

    def test_quarterly_analyses_count_in_the_window_up_to_20_january_235959(self, point):
        make_quarterly(point, 2025, 1, sh(2025, 1, 1, 0, 0, 0))
        make_quarterly(point, 2025, 4, sh(2026, 1, 20, 23, 59, 59))
        row = row_of(point)
        assert row.counts["quarterlies"] == 2
        assert row.score.b2 == 4

    def test_a_quarterly_analysis_filed_after_20_january_or_before_its_year_does_not_count(self, point):
        make_quarterly(point, 2025, 4, sh(2026, 1, 21, 0, 0, 0))
        make_quarterly(point, 2025, 1, sh(2024, 12, 31, 23, 59, 59))
        row = row_of(point)
        assert row.counts["quarterlies"] == 0
        assert row.score.b2 == 0

    def test_a_q4_analysis_filed_in_january_belongs_to_the_year_before(self, point):
        make_quarterly(point, 2025, 4, sh(2026, 1, 10))
        assert row_of(point, 2025).counts["quarterlies"] == 1
        assert row_of(point, 2026).counts["quarterlies"] == 0

    def test_subsite_pages_count_by_first_publication_year_while_live(self, point):
        make_article(point, ColumnKind.WARNING, sh(2025, 2, 1))
        make_article(point, ColumnKind.WARNING, sh(2025, 2, 2), live=False)
        make_article(point, ColumnKind.WARNING, sh(2024, 12, 31, 23, 0))
        make_article(point, ColumnKind.NEWS, sh(2025, 3, 1))
        make_article(point, ColumnKind.NEWS, sh(2025, 3, 2))
        make_article(point, ColumnKind.NOTICE, sh(2025, 3, 3))
        row = row_of(point)
        assert (row.counts["warning_pages"], row.counts["news_pages"], row.counts["notice_pages"]) == (1, 2, 1)

    def test_a1_needs_complete_basic_information_and_one_updated_column(self, point):
        assert row_of(point).score.a1 == 0  # nothing published
        make_article(point, ColumnKind.NOTICE, sh(2025, 3, 3))  # any of the three columns will do
        assert row_of(point).score.a1 == 5
        ResponsiblePerson.objects.filter(point=point).delete()
        row = row_of(point)
        assert row.score.a1 == 0
        assert row.basic_missing == ["预警负责人"]

    def test_a1_names_the_missing_basic_fields(self, point):
        WarningPoint.objects.filter(pk=point.pk).update(address="", phone="")
        make_article(point, ColumnKind.NEWS, sh(2025, 3, 3))
        row = row_of(point)
        assert row.score.a1 == 0
        assert row.basic_missing == ["联系地址", "办公电话"]
        assert "A1: 需补全基础信息（缺：联系地址、办公电话）" in row.lacks[0]

    def test_only_official_points_appear_and_their_items_alone_count(self, point):
        preparing = make_point(status=WarningPoint.Status.PREPARING)
        revoked = make_point(status=WarningPoint.Status.REVOKED)
        for p in (point, preparing, revoked):
            make_report(p, sh(2025, 3, 1))
            make_enterprises(p, 2)
        rows = statistics.point_rows(2025, today=TODAY)
        assert [r.point_id for r in rows] == [point.pk]
        tiles = statistics.tiles(2025, rows)
        assert (tiles.points, tiles.reports, tiles.enterprises) == (1, 1, 2)


class TestWhatCountsForTwoPoints(SharedPoints):
    """What counts, for two points."""

    shared_points = ("point", "other_point")

    def test_annual_summary_on_time_until_20_january_235959(self, point, other_point):
        make_summary(point, 2025, sh(2026, 1, 20, 23, 59, 59))
        make_summary(other_point, 2025, sh(2026, 1, 21, 0, 0, 0))
        on_time, late = row_of(point), row_of(other_point)
        assert (on_time.counts["summaries"], on_time.score.b3) == (1, 5)
        assert (late.counts["summaries"], late.score.b3) == (1, 0)

    def test_a_year_with_no_data_scores_every_point_zero(self, point, other_point):
        rows = statistics.point_rows(2010, today=TODAY)
        assert [(r.total, r.rank) for r in rows] == [(0, 1), (0, 1)]


# ---------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("year", "today", "months"),
    [
        (2025, date(2026, 11, 26), 12),
        (2026, date(2026, 11, 26), 11),
        (2026, date(2026, 1, 1), 1),
        (2026, date(2026, 12, 31), 12),
        (2027, date(2026, 11, 26), 12),
    ],
)
def test_months_are_twelve_for_a_finished_year_and_those_begun_for_the_current(year, today, months):
    assert statistics.months_counted(year, today) == months


def test_current_year_pages_are_averaged_over_the_months_begun(point):
    for day in range(1, 23):  # 22 news items in 11 months: exactly 2 a month
        make_article(point, ColumnKind.NEWS, sh(2026, 1, day))
    assert row_of(point, 2026).score.a3 == 3
    assert row_of(point, 2026, today=date(2026, 12, 1)).score.a3 == 0  # 22/12 < 2


@pytest.mark.parametrize("value", ["abc", "", "1999", "2101", "20.5", None])
def test_a_bad_year_is_refused_with_a_chinese_message(value):
    with pytest.raises(ValueError, match="年度应为 2000 至 2100 之间的年份"):
        statistics.parse_year(value)


# ---------------------------------------------------------------- ranks and filters


class TestRanksAndFilters(SharedPoints):
    """Ranks and filters over two points."""

    shared_points = ("point", "other_point")

    def test_rank_is_one_plus_the_points_strictly_ahead(self, point, other_point):
        third = make_point()
        fourth = make_point()
        for p, n in ((point, 3), (other_point, 5), (third, 3), (fourth, 1)):
            for i in range(n):
                make_exchange_report(p, sh(2025, 1, 1 + i))
        ranks = {r.point_id: r.rank for r in statistics.point_rows(2025, today=TODAY)}
        assert ranks == {other_point.pk: 1, point.pk: 2, third.pk: 2, fourth.pk: 4}
        best_first = [r.point_id for r in statistics.ranked(statistics.point_rows(2025, today=TODAY))]
        assert best_first[0] == other_point.pk and best_first[-1] == fourth.pk

    def test_filters_by_city_and_name_keep_the_province_wide_rank(self, point, other_point):
        make_exchange_report(other_point, sh(2025, 1, 1))  # 庆元县, 丽水市: ahead of the 杭州市 point
        rows = statistics.point_rows(2025, city_id=city("杭州市").pk, today=TODAY)
        assert [(r.point_id, r.rank) for r in rows] == [(point.pk, 2)]
        rows = statistics.point_rows(2025, name="庆元", today=TODAY)
        assert [(r.point_id, r.rank) for r in rows] == [(other_point.pk, 1)]

    def test_a_point_editor_row_counts_only_that_point_and_has_no_rank(self, point, other_point):
        make_report(point, sh(2025, 3, 1))
        make_report(other_point, sh(2025, 3, 1))
        (row,) = statistics.point_rows(2025, point_id=point.pk, today=TODAY)
        assert (row.point_id, row.counts["reports"], row.rank) == (point.pk, 1, None)


# ---------------------------------------------------------------- tiles


class TestTiles(SharedPoints):
    """Tiles over two points."""

    shared_points = ("point", "other_point")

    def test_tiles_add_up_the_rows_and_count_the_notices_of_the_year(self, point, other_point):
        make_report(point, sh(2025, 3, 1))
        make_report(other_point, sh(2025, 3, 1))
        make_quarterly(point, 2025, 1, sh(2025, 4, 1), magazine_status="adopted")
        make_summary(other_point, 2025, sh(2026, 1, 5))
        make_enterprises(point, 3)
        make_notice(sh(2025, 6, 1), [point, other_point])
        make_notice(sh(2025, 7, 1), [other_point])
        make_notice(sh(2024, 12, 31, 23, 59), [point])
        tiles = statistics.tiles(2025, statistics.point_rows(2025, today=TODAY))
        assert tiles == statistics.Tiles(
            reports=2, notices=2, quarterlies=1, summaries=1, magazine=1, points=2, enterprises=3
        )

    def test_tiles_with_a_city_filter_count_that_citys_points_and_the_notices_they_received(self, point, other_point):
        make_report(point, sh(2025, 3, 1))
        make_report(other_point, sh(2025, 3, 1))
        make_notice(sh(2025, 6, 1), [point, other_point])
        make_notice(sh(2025, 7, 1), [other_point])
        lishui = city("丽水市").pk
        tiles = statistics.tiles(2025, statistics.point_rows(2025, city_id=lishui, today=TODAY), city_id=lishui)
        assert (tiles.points, tiles.reports, tiles.notices) == (1, 1, 2)
        hangzhou = city("杭州市").pk
        tiles = statistics.tiles(2025, statistics.point_rows(2025, city_id=hangzhou, today=TODAY), city_id=hangzhou)
        assert (tiles.points, tiles.reports, tiles.notices) == (1, 1, 1)


# ---------------------------------------------------------------- drill-down lists


class TestDrillDown(SharedPoints):
    """Drill-down lists of one point."""

    def test_drill_down_lists_the_records_behind_each_number_oldest_first(self, point):
        late = make_report(point, sh(2025, 5, 9, 10, 29, 10), title="日本对中国普惠制待遇终结")
        early = make_internal_report(point, sh(2025, 1, 22, 11, 10, 26), decided_at=sh(2025, 5, 1, 9, 38, 31))
        make_report(point, sh(2025, 2, 1), stage=WarningReport.Stage.REJECTED)
        records = statistics.records("reports", 2025, point.pk)
        assert [(r.number, r.object_id) for r in records] == [(1, early.pk), (2, late.pk)]
        assert records[0].submitted_at == sh(2025, 1, 22, 11, 10, 26)
        assert records[0].adopted_at == sh(2025, 5, 1, 9, 38, 31)
        assert records[1].adopted_at is None
        assert records[1].title == "日本对中国普惠制待遇终结"

    def test_drill_down_shows_the_adoption_time_of_its_own_kind(self, point):
        make_magazine_report(point, sh(2025, 3, 1), decided_at=sh(2025, 4, 1))
        make_quarterly(point, 2025, 2, sh(2025, 7, 1), magazine_status="adopted", decided_at=sh(2025, 8, 1))
        make_exchange_report(point, sh(2025, 3, 2), published_at=sh(2025, 3, 5))
        assert statistics.records("report_magazine", 2025, point.pk)[0].adopted_at == sh(2025, 4, 1)
        assert statistics.records("quarterly_magazine", 2025, point.pk)[0].adopted_at == sh(2025, 8, 1)
        assert statistics.records("exchange", 2025, point.pk)[0].adopted_at == sh(2025, 3, 5)

    def test_every_count_equals_the_length_of_its_drill_down_list(self, point):
        make_report(point, sh(2025, 1, 5))
        make_exchange_report(point, sh(2025, 2, 5))
        make_magazine_report(point, sh(2025, 3, 5))
        make_internal_report(point, sh(2025, 4, 5), leader=True)
        make_quarterly(point, 2025, 1, sh(2025, 4, 10), magazine_status="adopted")
        make_quarterly(point, 2025, 4, sh(2026, 2, 1))  # late: outside the window
        make_summary(point, 2025, sh(2026, 1, 3))
        make_article(point, ColumnKind.WARNING, sh(2025, 6, 1))
        make_article(point, ColumnKind.NEWS, sh(2025, 6, 2))
        make_article(point, ColumnKind.NOTICE, sh(2025, 6, 3))
        row = row_of(point)
        for key in statistics.KINDS:
            assert row.counts[key] == len(statistics.records(key, 2025, point.pk)), key


def test_drill_down_of_a_non_official_point_is_empty(db):
    revoked = make_point(status=WarningPoint.Status.REVOKED)
    make_report(revoked, sh(2025, 3, 1))
    assert statistics.records("reports", 2025, revoked.pk) == []


# ---------------------------------------------------------------- what a point lacks


class TestWhatAPointLacks(SharedPoints):
    """Advice for one point."""

    def test_advice_for_the_current_year_says_how_many_to_publish_this_month(self, point):
        for day in range(1, 32):  # 31 news in 11 months: ≥2 a month (3 points), 2 short of ≥3
            make_article(point, ColumnKind.NEWS, sh(2026, 1, day))
        row = row_of(point, 2026)
        assert row.score.a3 == 3
        assert "A3: 本月再发布 2 条工作动态可达每月 ≥3 条，得 5 分" in row.lacks

    def test_advice_for_a_finished_year_says_what_was_missing(self, point):
        for day in range(1, 11):
            make_article(point, ColumnKind.WARNING, sh(2025, 1, day))
        row = row_of(point, 2025)
        assert row.score.a2 == 0
        assert "A2: 全年还差 26 条预警信息可达每月 ≥3 条，得 2 分" in row.lacks

    def test_advice_on_periodic_reports_depends_on_whether_the_deadline_has_passed(self, point):
        open_row = row_of(point, 2026)
        assert "B3: 2027年1月20日前报送年度工作总结可得 5 分" in open_row.lacks
        assert any(w.startswith("B2: 2027年1月20日前每再报送 1 份季度分析加 2 分") for w in open_row.lacks)
        closed_row = row_of(point, 2025)
        assert "B3: 年度工作总结未按时报送（截止2026年1月20日）" in closed_row.lacks
        assert "B2: 按期报送的季度分析差 4 份（每份 2 分）" in closed_row.lacks

    def test_a_point_at_full_marks_lacks_nothing(self, point):
        for i in range(84):
            make_article(point, ColumnKind.WARNING, sh(2025, 1 + i % 12, 1 + i // 12))
        for i in range(36):
            make_article(point, ColumnKind.NEWS, sh(2025, 1 + i % 12, 10 + i // 12))
        for i in range(12):
            make_exchange_report(point, sh(2025, 1 + i, 2))
        for q in range(1, 5):
            make_quarterly(point, 2025, q, sh(2025, 3 * q, 25), magazine_status="adopted")
        make_summary(point, 2025, sh(2026, 1, 8))
        make_internal_report(point, sh(2025, 5, 5), leader=True)
        row = row_of(point)
        assert row.total == 50
        assert row.lacks == []


# ---------------------------------------------------------------- chart data


class TestChartData(SharedPoints):
    """Chart data over two points."""

    shared_points = ("point", "other_point")

    def test_monthly_series_sum_to_the_counts_of_the_year(self, point, other_point):
        make_report(point, sh(2025, 1, 31, 23, 59))  # January in Shanghai, not February
        make_report(other_point, sh(2025, 3, 1))
        make_report(point, sh(2025, 3, 2), stage=WarningReport.Stage.REJECTED)
        make_article(point, ColumnKind.WARNING, sh(2025, 3, 1))
        make_article(point, ColumnKind.NEWS, sh(2025, 12, 31, 23, 30))
        series = statistics.monthly_series(2025)
        assert series["reports"] == [1, 0, 1] + [0] * 9
        assert series["warning_pages"] == [0, 0, 1] + [0] * 9
        assert series["news_pages"] == [0] * 11 + [1]
        rows = statistics.point_rows(2025, today=TODAY)
        assert sum(series["reports"]) == sum(r.counts["reports"] for r in rows)

    def test_score_distribution_puts_every_point_in_one_band(self, point, other_point):
        make_summary(point, 2025, sh(2026, 1, 3))  # 5 points
        for i in range(12):
            make_exchange_report(other_point, sh(2025, 1 + i, 3))  # 12 points
        distribution = statistics.score_distribution(statistics.point_rows(2025, today=TODAY))
        assert distribution == [(0, 9, 1), (10, 19, 1), (20, 29, 0), (30, 39, 0), (40, 50, 0)]

    def test_each_points_months_and_a_filtered_series_count_only_its_points(self, point, other_point):
        make_report(point, sh(2025, 2, 1))
        make_report(other_point, sh(2025, 2, 2))
        make_article(point, ColumnKind.WARNING, sh(2025, 4, 30, 23, 59))  # April in Shanghai
        make_article(point, ColumnKind.WARNING, sh(2025, 5, 1))
        make_article(other_point, ColumnKind.NEWS, sh(2025, 1, 1))
        make_article(point, ColumnKind.NOTICE, sh(2025, 6, 1))  # counted, but in no series
        rows = {r.point_id: r for r in statistics.point_rows(2025, today=TODAY, monthly=True)}
        month = [0] * 12
        assert rows[point.pk].monthly == {
            "reports": [0, 1] + [0] * 10,
            "warning_pages": [0, 0, 0, 1, 1] + [0] * 7,
            "news_pages": month,
        }
        assert rows[other_point.pk].monthly == {
            "reports": [0, 1] + [0] * 10,
            "warning_pages": month,
            "news_pages": [1] + [0] * 11,
        }
        assert rows[point.pk].counts["notice_pages"] == 1
        mine = statistics.monthly_series(2025, name="建德")
        assert mine == rows[point.pk].monthly
        assert statistics.monthly_series(2025, city_id=other_point.district.city_id) == rows[other_point.pk].monthly


def test_each_monthly_series_counts_exactly_the_rows_of_its_kind():
    # The series are read from the source's rows grouped by one field: each series' kind
    # must be its source's base filter and that field's value, nothing else.
    for source, (field, feeds) in statistics.MONTHLY_SERIES.items():
        for value, key in feeds.items():
            assert statistics.KINDS[key].source == source
            extra = statistics._KIND_EXTRAS[key](2025)
            assert extra == (Q(**{field: value}) if field else None), key
    assert set(statistics.SERIES) == {"reports", "warning_pages", "news_pages"}


# ---------------------------------------------------------------- seed_bench


def test_seed_bench_makes_countable_data_once(db):
    out = io.StringIO()
    call_command("seed_bench", "--points", "6", "--years", "2", stdout=out)
    assert "已生成 6 个预警点" in out.getvalue()
    rows = statistics.point_rows(2025, today=TODAY)
    assert len(rows) == 6
    assert sum(r.counts["warning_pages"] + r.counts["news_pages"] for r in rows) > 0
    assert sum(r.counts["reports"] for r in rows) > 0
    for row in rows:
        for key in statistics.KINDS:
            assert row.counts[key] == len(statistics.records(key, 2025, row.point_id)), key
    before = WarningPoint.objects.count()
    call_command("seed_bench", "--points", "6", "--years", "2", stdout=io.StringIO())
    assert WarningPoint.objects.count() == before


@pytest.mark.parametrize("args", [["--points", "abc"], ["--points", "0"], ["--years", "-1"]])
def test_seed_bench_refuses_bad_sizes(db, args):
    with pytest.raises(CommandError, match="应"):
        call_command("seed_bench", *args, stdout=io.StringIO())


# ---------------------------------------------------------------- charts


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 1), (1, 1), (2, 2), (3, 3), (7, 8), (9, 10), (11, 20), (21, 30), (52, 60), (81, 100), (120, 200)],
)
def test_chart_axis_tops_are_round_numbers(value, top):
    assert charts.nice_ceiling(value) == top


def test_monthly_chart_draws_a_bar_per_month_and_series_scaled_to_the_axis():
    chart = charts.monthly_chart(2025, {"reports": [10] + [0] * 11, "warning_pages": [5] * 12, "news_pages": [0] * 12})
    assert len(chart.bars) == 36
    assert [label for _x, label in chart.x_labels] == [f"{m}月" for m in range(1, 13)]
    january_reports, january_pages = chart.bars[0], chart.bars[1]
    assert january_reports.height == chart.plot_bottom - chart.plot_top  # 10 is the top of the axis
    assert january_pages.height == pytest.approx(january_reports.height / 2, abs=0.1)
    assert chart.total == 10 + 60
