"""统计分析 in the admin: who sees what, what the screens show, and query counts that do not grow."""

import io
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from subsites.models import ColumnKind
from tests.factories import city, make_point, make_user
from tests.statistics_factories import (
    make_article,
    make_enterprises,
    make_exchange_report,
    make_internal_report,
    make_notice,
    make_points_bulk,
    make_quarterly,
    make_report,
    make_summary,
    sh,
)
from warning import scoring, statistics

THIS_YEAR = statistics.default_year()
PROVINCE_URLS = [
    "warning_statistics:index",
    "warning_statistics:counts",
    "warning_statistics:scores",
    "warning_statistics:export_info_list",
    "warning_statistics:export_scores",
]


def records_url(point, kind="reports", year=2025):
    return f"{reverse('warning_statistics:records', args=[point.pk, kind])}?year={year}"


def make_activity(point, other_point):
    """The year's activity of the two points; the class's tests below read it (activity_world)."""
    make_report(point, sh(2025, 1, 18, 17, 28, 4), title="建德预警信息上报1")
    make_internal_report(point, sh(2025, 1, 22, 11, 10, 26), decided_at=sh(2025, 5, 1, 9, 38, 31), title="内部交流一")
    make_exchange_report(other_point, sh(2025, 3, 1), title="丽水外网录用")
    make_quarterly(point, 2025, 1, sh(2025, 4, 10), magazine_status="adopted")
    make_summary(point, 2025, sh(2026, 1, 12))
    make_enterprises(point, 2)
    make_notice(sh(2025, 6, 1), [point, other_point])
    return point


@pytest.fixture(scope="class")
def activity_world(django_db_setup, django_db_blocker):
    """The two points, one user per role and the year's activity, built once for the class below and
    rolled back after it (each test still runs in its own transaction inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to build on a non-test database: {name}"
        point = make_point(name="建德精细化工产品对外贸易预警示范点")
        other_point = make_point(name="庆元铅笔对外贸易预警示范点", district_name="庆元县")
        yield {
            "point": point,
            "other_point": other_point,
            "point_editor": make_user("point", point=point),
            "city_reviewer": make_user("city", city_name="杭州市"),
            "magazine_editor": make_user("magazine"),
            "provincial": make_user("province"),
            "activity": make_activity(point, other_point),
        }
        transaction.set_rollback(True)


class TestWithTheYearsActivity:
    """Tests that only read the year's activity (or add to it inside their own transaction): the
    points, users and activity are the class's (activity_world), the same rows the conftest fixtures
    and `activity` would make for each test, built once."""

    @pytest.fixture
    def point(self, db, activity_world):
        return activity_world["point"]

    @pytest.fixture
    def other_point(self, db, activity_world):
        return activity_world["other_point"]

    @pytest.fixture
    def point_editor(self, db, activity_world):
        return activity_world["point_editor"]

    @pytest.fixture
    def city_reviewer(self, db, activity_world):
        return activity_world["city_reviewer"]

    @pytest.fixture
    def magazine_editor(self, db, activity_world):
        return activity_world["magazine_editor"]

    @pytest.fixture
    def provincial(self, db, activity_world):
        return activity_world["provincial"]

    @pytest.fixture
    def activity(self, db, activity_world):
        return activity_world["activity"]

    @pytest.mark.parametrize("url_name", PROVINCE_URLS)
    def test_the_provincial_contact_opens_every_statistics_screen(self, client, provincial, activity, url_name):
        client.force_login(provincial)
        assert client.get(reverse(url_name), {"year": 2025}).status_code == 200

    @pytest.mark.parametrize("url_name", PROVINCE_URLS)
    @pytest.mark.parametrize("role", ["point_editor", "city_reviewer", "magazine_editor"])
    def test_everyone_else_is_refused_the_province_wide_statistics(self, client, request, activity, url_name, role):
        client.force_login(request.getfixturevalue(role))
        response = client.get(reverse(url_name), {"year": 2025})
        assert response.status_code == 403
        assert "只有预警工作联系人" in response.content.decode()

    def test_a_point_editor_sees_the_records_of_its_own_point(self, client, point_editor, activity):
        client.force_login(point_editor)
        response = client.get(records_url(activity))
        assert response.status_code == 200
        assert "建德预警信息上报1" in response.content.decode()

    def test_a_point_editor_gets_404_for_another_points_records(self, client, point_editor, other_point, activity):
        client.force_login(point_editor)
        assert client.get(records_url(other_point, "exchange")).status_code == 404

    @pytest.mark.parametrize("role", ["city_reviewer", "magazine_editor"])
    def test_reviewers_are_refused_the_records(self, client, request, activity, role):
        client.force_login(request.getfixturevalue(role))
        assert client.get(records_url(activity)).status_code == 403

    def test_records_of_an_unknown_kind_or_point_are_404(self, client, provincial, activity):
        client.force_login(provincial)
        assert client.get(records_url(activity, "nonsense")).status_code == 404
        assert client.get(reverse("warning_statistics:records", args=[999999, "reports"])).status_code == 404

    def test_the_provincial_home_shows_tiles_filters_buttons_and_charts(self, client, provincial, activity):
        client.force_login(provincial)
        html = client.get(reverse("wagtailadmin_home"), {"year": 2025}).content.decode()
        assert 'id="stats-province-section"' in html
        for label in ("上报信息", "下发信息", "季度分析", "年度报告", "杂志录用", "预警点", "联系企业"):
            assert f'<span class="stats-tile__label">{label}</span>' in html
        assert '<span class="stats-tile__value" data-tile="reports">3</span>' in html
        assert '<span class="stats-tile__value" data-tile="notices">1</span>' in html
        assert '<span class="stats-tile__value" data-tile="magazine">1</span>' in html
        assert '<span class="stats-tile__value" data-tile="points">2</span>' in html
        assert '<span class="stats-tile__value" data-tile="enterprises">2</span>' in html
        for button in ("导出信息清单", "条数详情", "分数详情"):
            assert button in html
        for field in ("年度", "预警点名称", "所属地区"):
            assert f">{field}</label>" in html
        assert 'data-chart="stats-monthly"' in html and 'data-chart="stats-scores"' in html

    def test_home_filters_narrow_the_tiles_to_one_city(self, client, provincial, activity):
        client.force_login(provincial)
        html = client.get(reverse("wagtailadmin_home"), {"year": 2025, "city": city("丽水市").pk}).content.decode()
        assert '<span class="stats-tile__value" data-tile="reports">1</span>' in html
        assert '<span class="stats-tile__value" data-tile="points">1</span>' in html

    def test_a_bad_filter_says_so_in_chinese_and_shows_no_numbers(self, client, provincial, activity):
        client.force_login(provincial)
        html = client.get(reverse("warning_statistics:counts"), {"year": "abc"}).content.decode()
        assert "请选择有效的年度" in html
        assert 'data-table="counts"' not in html
        response = client.get(reverse("warning_statistics:export_info_list"), {"year": "1800"})
        assert response.status_code == 400
        assert "请选择有效的年度" in response.content.decode()

    def test_the_home_of_other_roles_has_no_province_statistics(self, client, city_reviewer, activity):
        client.force_login(city_reviewer)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert 'id="stats-province-section"' not in html
        assert 'id="stats-point-section"' not in html

    def test_count_detail_links_every_non_zero_number_to_its_records(self, client, provincial, activity, other_point):
        client.force_login(provincial)
        html = client.get(reverse("warning_statistics:counts"), {"year": 2025}).content.decode()
        assert f'<a href="{records_url(activity, "reports")}">2</a>' in html
        assert f'<a href="{records_url(activity, "internal")}">1</a>' in html
        assert f'<a href="{records_url(activity, "quarterly_magazine")}">1</a>' in html
        assert records_url(activity, "warning_pages") not in html  # zero: plain number
        assert f'<a href="{records_url(other_point, "reports")}">1</a>' in html

    def test_count_detail_has_exchange_and_leader_columns_with_drill_down(
        self, client, provincial, activity, other_point
    ):
        make_internal_report(activity, sh(2025, 2, 1), leader=True, title="获得批示的内部交流")
        client.force_login(provincial)
        html = client.get(reverse("warning_statistics:counts"), {"year": 2025}).content.decode()
        assert "外网录用<br>(条数)" in html and "获得厅领导批示<br>(条数)" in html
        assert f'<a href="{records_url(other_point, "exchange")}">1</a>' in html
        assert f'<a href="{records_url(activity, "leader")}">1</a>' in html
        records = client.get(records_url(activity, "leader")).content.decode()
        assert "获得批示的内部交流" in records and "内部交流一" not in records
        assert "丽水外网录用" in client.get(records_url(other_point, "exchange")).content.decode()

    def test_the_records_page_lists_number_title_submitted_and_adopted_time(self, client, provincial, activity):
        client.force_login(provincial)
        html = client.get(records_url(activity)).content.decode()
        for header in ("序号", "标题名称", "提交时间", "录用时间"):
            assert f'<th scope="col">{header}</th>' in html
        assert "2025-01-18 17:28:04" in html
        assert "2025-01-22 11:10:26" in html and "2025-05-01 09:38:31" in html

    def test_score_detail_shows_items_total_rank_and_advice(self, client, provincial, activity):
        client.force_login(provincial)
        response = client.get(reverse("warning_statistics:scores"), {"year": 2025})
        html = response.content.decode()
        rows = response.context["rows"]
        assert [(r.name, r.total, r.rank) for r in rows] == [
            ("建德精细化工产品对外贸易预警示范点", 2 + 5 + 2 + 1, 1),
            ("庆元铅笔对外贸易预警示范点", 1, 2),
        ]
        assert "A1: 需本年度在子网站任一栏目发布信息，可得 5 分" in html
        assert 'data-chart="stats-scores"' in html

    def test_export_buttons_honour_the_filters(self, client, provincial, activity):
        client.force_login(provincial)
        response = client.get(reverse("warning_statistics:export_info_list"), {"year": 2025, "city": city("丽水市").pk})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)] == [
            "合计",
            "丽水市",
            "庆元铅笔对外贸易预警示范点",
        ]
        response = client.get(
            reverse("warning_statistics:export_scores"), {"year": 2025, "name": "建德", "format": "json"}
        )
        data = json.loads(response.content)
        assert [(d["point"], d["rank"]) for d in data] == [("建德精细化工产品对外贸易预警示范点", 1)]
        response = client.get(reverse("warning_statistics:export_scores"), {"year": 2025})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.cell(row=4, column=2).value == "建德精细化工产品对外贸易预警示范点"


# ---------------------------------------------------------------- without the year's activity


@pytest.mark.parametrize("url_name", PROVINCE_URLS)
def test_anonymous_visitors_are_sent_to_the_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_statistics_menu_item_is_shown_to_the_provincial_contact_only(client, provincial, point_editor):
    client.force_login(provincial)
    menu_item = '"name": "warning-statistics"'
    assert menu_item in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(point_editor)
    assert menu_item not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_statistics_page_crumb_names_the_page(client, provincial):
    client.force_login(provincial)
    response = client.get(reverse("warning_statistics:index"))
    labels = [item["label"] for item in response.context["breadcrumbs_items"]]
    assert labels[-1] == "统计分析"


# ---------------------------------------------------------------- the point editor's own panel


def test_the_point_editors_home_shows_its_own_counts_score_and_advice(client, point_editor, point, other_point):
    months = statistics.months_counted(THIS_YEAR)
    news = 3 * months - 2  # two short of 3 a month
    for i in range(news):
        make_article(point, ColumnKind.NEWS, sh(THIS_YEAR, 1, 1, 0, i))
    make_report(other_point, sh(THIS_YEAR, 1, 1), title="别人的预警信息")
    client.force_login(point_editor)
    html = client.get(reverse("wagtailadmin_home"), {"year": THIS_YEAR}).content.decode()
    assert 'id="stats-point-section"' in html
    assert 'id="stats-province-section"' not in html
    assert f'<a href="{records_url(point, "news_pages", THIS_YEAR)}">{news}</a>' in html
    assert "别人的预警信息" not in html
    a3 = scoring.step_points(news, months, scoring.A3_STEPS)
    assert f'<td class="stats-total" data-total>{5 + a3}</td>' in html
    missing, per_month, points = scoring.next_step(news, months, scoring.A3_STEPS)
    assert f"A3: 本月再发布 {missing} 条工作动态可达每月 ≥{per_month} 条，得 {points} 分" in html


# ---------------------------------------------------------------- query counts


def _grow_to(n, points):
    more = make_points_bulk(n - len(points), prefix=f"扩{n}")
    for i, p in enumerate(more[:20]):
        make_report(p, sh(2025, 1 + i % 12, 2))
        make_quarterly(p, 2025, 1, sh(2025, 4, 2), magazine_status="adopted")
    return points + more


def _count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


SCREENS = [
    "wagtailadmin_home",
    "warning_statistics:index",
    "warning_statistics:counts",
    "warning_statistics:scores",
    "warning_statistics:export_info_list",
    "warning_statistics:export_scores",
]


def test_statistics_screens_use_as_many_queries_for_300_points_as_for_10(
    client, provincial, django_assert_max_num_queries
):
    points = _grow_to(10, [])
    client.force_login(provincial)
    for name in SCREENS:
        client.get(reverse(name), {"year": 2025})  # warm per-process caches (content types, site root)
    small = {name: _count(client, reverse(name), {"year": 2025}) for name in SCREENS}
    _grow_to(300, points)
    for name in SCREENS:
        with django_assert_max_num_queries(small[name]):
            assert client.get(reverse(name), {"year": 2025}).status_code == 200
    assert {name: _count(client, reverse(name), {"year": 2025}) for name in SCREENS} == small
