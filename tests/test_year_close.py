"""确认年度结果 (docs/statistics.md): confirming a year keeps its scores; live changes show as differences."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from subsites.models import ColumnKind
from tests.factories import make_point
from tests.shared_points import SharedPoints
from tests.statistics_factories import (
    make_article,
    make_exchange_report,
    make_points_bulk,
    make_quarterly,
    make_report,
    make_summary,
    sh,
)
from warning import scoring, statistics, yearclose
from warning.exports import scores
from warning.models import PointYearSnapshot, WarningPoint, YearConfirmation

YEAR = 2025
AFTER_DEADLINE = date(2026, 2, 1)


@pytest.fixture
def year_activity(point, other_point):
    """Two points' 2025: 建德 with one subsite article (its A1 hangs on it), 庆元 with more."""
    article = make_article(point, ColumnKind.WARNING, sh(YEAR, 3, 1), title="建德子网站预警信息")
    make_report(point, sh(YEAR, 1, 18))
    make_quarterly(point, YEAR, 1, sh(YEAR, 4, 10), magazine_status="adopted")
    make_summary(point, YEAR, sh(2026, 1, 12))
    for month in (2, 3, 4):
        make_exchange_report(other_point, sh(YEAR, month, 1))
    make_article(other_point, ColumnKind.NEWS, sh(YEAR, 5, 1))
    return article


def confirm_url(year=YEAR):
    return reverse("warning_yearclose:confirm", args=[year])


def reopen_url(year=YEAR):
    return reverse("warning_yearclose:reopen", args=[year])


def scores_page(client, year=YEAR):
    response = client.get(reverse("warning_statistics:scores"), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def post_confirm(client, token="7d0b8a5e-0000-4000-8000-000000000001", year=YEAR):
    return client.post(confirm_url(year), {"confirm": "on", "form_token": token})


def row_of(rows, point):
    return next(r for r in rows if r.point_id == point.pk)


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# ---------------------------------------------------------------- the snapshot


class TestSharedConfirmingKeepsEveryPoints(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_confirming_keeps_every_points_counts_items_total_and_rank_with_who_and_when(
        self, provincial, point, other_point, year_activity
    ):
        live = statistics.point_rows(YEAR, today=AFTER_DEADLINE, monthly=True)
        confirmation, created = yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)

        assert created
        assert confirmation.confirmed_by == provincial
        assert confirmation.confirmed_by_name == provincial.get_username()
        assert confirmation.confirmed_at is not None and confirmation.months == 12
        snapshots = {s.point_id: s for s in PointYearSnapshot.objects.filter(confirmation=confirmation)}
        assert set(snapshots) == {r.point_id for r in live} == {point.pk, other_point.pk}
        for row in live:
            snapshot = snapshots[row.point_id]
            assert snapshot.counts == row.counts and set(snapshot.counts) == set(statistics.KINDS)
            assert [getattr(snapshot, item) for item in scoring.ITEM_LABELS] == [
                getattr(row.score, item) for item in scoring.ITEM_LABELS
            ]
            assert (snapshot.total, snapshot.rank, snapshot.lacks) == (row.total, row.rank, row.lacks)
            assert snapshot.monthly == row.monthly and snapshot.point_name == row.name
        assert snapshots[point.pk].counts["warning_pages"] == 1 and snapshots[point.pk].a1 == scoring.A1_POINTS

    def test_confirming_writes_a_log_entry_naming_the_year(self, provincial, year_activity):
        confirmation, _ = yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        entry = ModelLogEntry.objects.get(action=yearclose.ACTION_CONFIRM)
        assert entry.object_id == str(confirmation.pk) and entry.user_id == provincial.pk
        assert entry.data == {"year": YEAR, "points": 2}
        assert entry.message == f"确认 {YEAR} 年度结果（2 个正式预警点）"


class TestSharedAYearIsConfirmed(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize(
        ("year", "today", "allowed"),
        [(2025, date(2026, 1, 20), False), (2025, date(2026, 1, 21), True), (2026, date(2026, 11, 30), False)],
    )
    def test_a_year_is_confirmed_only_after_its_periodic_reports_deadline(
        self, provincial, point, year, today, allowed
    ):
        if allowed:
            assert yearclose.confirm(year, provincial, today=today)[1]
            return
        with pytest.raises(yearclose.YearCloseError, match="截止之后才能确认"):
            yearclose.confirm(year, provincial, today=today)
        assert not YearConfirmation.objects.exists()

    @pytest.mark.parametrize("role", ["point_editor", "city_reviewer", "magazine_editor"])
    def test_only_the_province_may_confirm_or_reopen_in_the_rules(self, request, provincial, point, role):
        user = request.getfixturevalue(role)
        with pytest.raises(yearclose.YearCloseError, match="只有预警工作联系人"):
            yearclose.confirm(YEAR, user, today=AFTER_DEADLINE)
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        with pytest.raises(yearclose.YearCloseError, match="只有预警工作联系人"):
            yearclose.reopen(YEAR, user, "改错")
        assert YearConfirmation.objects.get().in_force


# ---------------------------------------------------------------- an article unpublished in March


class TestSharedAnArticleUnpublishedAfter(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_an_article_unpublished_after_confirming_does_not_change_the_announced_scores(
        self, client, provincial, point, year_activity
    ):
        client.force_login(provincial)
        assert post_confirm(client).status_code == 302
        confirmed = row_of(statistics.point_rows(YEAR), point)
        assert confirmed.score.a1 == scoring.A1_POINTS

        year_activity.unpublish()  # March of the next year: the point takes its only article down

        live = row_of(statistics.point_rows(YEAR), point)
        assert live.counts["warning_pages"] == 0 and live.score.a1 == 0 and live.total == confirmed.total - 5

        html = scores_page(client)
        # the table still shows the confirmed total …
        assert f'<td class="stats-total">{confirmed.total}</td>' in html
        assert f'<td class="stats-total">{live.total}</td>' not in html
        # … and the note says what today's live numbers are, per figure and by how much
        assert "当前实时数据：子网站信息 0（确认时 1，−1）" in html
        assert f"A1 基础信息 0（确认时 {scoring.A1_POINTS}，−5）" in html
        assert f"总分 {live.total}（确认时 {confirmed.total}，−5）" in html

        response = client.get(reverse("warning_statistics:export_scores"), {"year": YEAR})
        rows = xlsx_rows(response.content)
        assert "确认" in rows[0][0]
        header = rows[2]
        assert header[-1] == scores.LIVE_HEADER
        exported = next(r for r in rows[3:] if r[1] == point.name)
        assert exported[header.index("总分")] == confirmed.total
        assert exported[header.index("A1 基础信息")] == scoring.A1_POINTS
        assert "子网站信息 0（确认时 1，−1）" in exported[-1]
        assert "当前实时数据与确认结果不同的预警点 1 个" in rows[-1][0]

        response = client.get(reverse("warning_statistics:export_scores"), {"year": YEAR, "format": "json"})
        record = next(r for r in json.loads(response.content) if r["point"] == point.name)
        assert record["total"] == confirmed.total and record["a1"] == scoring.A1_POINTS
        assert record["confirmed_by"] == provincial.get_username()
        assert {"figure": "子网站信息", "confirmed": 1, "live": 0, "difference": -1} in record["live_differences"]
        assert {"figure": "总分", "confirmed": confirmed.total, "live": live.total, "difference": -5} in record[
            "live_differences"
        ]

    def test_the_export_command_writes_the_confirmed_year(self, tmp_path, provincial, point, year_activity):
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        confirmed_total = row_of(statistics.point_rows(YEAR), point).total
        year_activity.unpublish()

        out = io.StringIO()
        call_command("export_scores", "--year", str(YEAR), "--format", "json", stdout=out)
        record = next(r for r in json.loads(out.getvalue()) if r["point"] == point.name)
        assert record["total"] == confirmed_total
        assert record["live_differences"][0] == {"figure": "子网站信息", "confirmed": 1, "live": 0, "difference": -1}

        path = tmp_path / "分数详情.xlsx"
        call_command("export_scores", "--year", str(YEAR), "-o", str(path), stdout=io.StringIO())
        rows = xlsx_rows(path.read_bytes())
        assert next(r for r in rows[3:] if r[1] == point.name)[rows[2].index("总分")] == confirmed_total

    def test_an_unconfirmed_year_exports_as_before(self, client, provincial, point, year_activity):
        client.force_login(provincial)
        rows = xlsx_rows(client.get(reverse("warning_statistics:export_scores"), {"year": YEAR}).content)
        assert rows[0][0] == f"{YEAR}年度分数详情"
        assert list(rows[2]) == list(scores.HEADERS)
        record = json.loads(
            client.get(reverse("warning_statistics:export_scores"), {"year": YEAR, "format": "json"}).content
        )[0]
        assert set(record) == {"point", "city", *scores.ITEMS, "total", "rank"}

    def test_a_point_revoked_after_confirming_keeps_its_row_and_a_new_point_is_named(
        self, client, provincial, point, other_point, year_activity
    ):
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        WarningPoint.objects.filter(pk=other_point.pk).update(status=WarningPoint.Status.REVOKED)
        newcomer = make_point(name="确认后新增预警点")

        table = scores.score_table(YEAR)
        assert {r.point_id for r in table.rows} == {point.pk, other_point.pk}
        assert not row_of(table.rows, other_point).still_official
        assert table.added == [newcomer.name]
        client.force_login(provincial)
        html = scores_page(client)
        assert "该预警点已不是正式预警点" in html and "未列入确认结果：确认后新增预警点" in html

    def test_the_filters_narrow_a_confirmed_year_without_renumbering_it(
        self, provincial, point, other_point, year_activity
    ):
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        ranks = {r.point_id: r.rank for r in scores.score_rows(YEAR)}
        by_name = scores.score_table(YEAR, name="庆元").rows
        by_city = scores.score_table(YEAR, city_id=other_point.district.city_id).rows
        assert [r.point_id for r in by_name] == [r.point_id for r in by_city] == [other_point.pk]
        assert by_name[0].rank == ranks[other_point.pk]
        assert scores.score_table(YEAR, name="没有这个点").rows == []


# ---------------------------------------------------------------- the 确认 step and double clicks


def test_the_confirm_screen_names_the_consequence_and_needs_the_box_ticked(client, provincial, point):
    client.force_login(provincial)
    page = client.get(confirm_url()).content.decode()
    assert "确认后，2025 年度的分数详情、排名" in page and 'name="confirm"' in page

    response = client.post(confirm_url(), {"form_token": "7d0b8a5e-0000-4000-8000-000000000002"})
    assert response.status_code == 200
    assert "请勾选“确认年度结果”后再提交：确认后，2025 年度" in response.content.decode()
    assert not YearConfirmation.objects.exists()


def test_a_double_click_on_confirm_makes_one_snapshot(client, provincial, point, other_point, year_activity):
    client.force_login(provincial)
    first, second = post_confirm(client), post_confirm(client)
    assert first.status_code == second.status_code == 302
    assert YearConfirmation.objects.count() == 1
    assert PointYearSnapshot.objects.count() == 2
    assert ModelLogEntry.objects.filter(action=yearclose.ACTION_CONFIRM).count() == 1
    messages = [str(m) for m in client.get(second["Location"]).context["messages"]]
    assert any("已经确认过，这次提交没有重复确认" in m for m in messages)


def test_confirming_a_confirmed_year_again_is_refused_and_changes_nothing(client, provincial, point):
    client.force_login(provincial)
    post_confirm(client, token="7d0b8a5e-0000-4000-8000-000000000003")
    response = post_confirm(client, token="7d0b8a5e-0000-4000-8000-000000000004")
    assert response.status_code == 200
    assert "无需再次确认" in response.content.decode()
    assert YearConfirmation.objects.count() == 1


# ---------------------------------------------------------------- re-opening


class TestSharedReopeningNeedsAReason(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_reopening_needs_a_reason(self, client, provincial, point, year_activity):
        client.force_login(provincial)
        post_confirm(client)
        page = client.get(reopen_url()).content.decode()
        assert "重新开放后，2025 年度的分数详情" in page and "原因" in page
        response = client.post(reopen_url(), {"reason": "   "})
        assert response.status_code == 200
        assert "请填写重新开放的原因" in response.content.decode()
        assert YearConfirmation.objects.get().in_force
        assert not ModelLogEntry.objects.filter(action=yearclose.ACTION_REOPEN).exists()

    def test_reopening_is_logged_with_its_reason_and_the_year_shows_live_numbers_again(
        self, client, provincial, point, year_activity
    ):
        client.force_login(provincial)
        post_confirm(client)
        year_activity.unpublish()
        response = client.post(reopen_url(), {"reason": "建德子网站信息被误撤回，需重新核算"})
        assert response.status_code == 302

        confirmation = YearConfirmation.objects.get()
        assert not confirmation.in_force and confirmation.reopened_by == provincial
        assert confirmation.reopen_reason == "建德子网站信息被误撤回，需重新核算"
        entry = ModelLogEntry.objects.get(action=yearclose.ACTION_REOPEN)
        assert entry.user_id == provincial.pk and entry.comment == "建德子网站信息被误撤回，需重新核算"
        assert entry.message == "重新开放 2025 年度结果"

        live_total = row_of(statistics.point_rows(YEAR), point).total
        html = scores_page(client)
        assert "当前实时数据：" not in html and "年度结果尚未确认" in html
        assert f'<td class="stats-total">{live_total}</td>' in html
        # the history keeps the re-opened confirmation
        index = client.get(reverse("warning_yearclose:index")).content.decode()
        assert "建德子网站信息被误撤回，需重新核算" in index

        # confirming again takes a new copy of today's numbers
        post_confirm(client, token="7d0b8a5e-0000-4000-8000-000000000005")
        again = YearConfirmation.objects.get(reopened_at__isnull=True)
        assert PointYearSnapshot.objects.get(confirmation=again, point=point).total == live_total


def test_reopening_twice_is_refused_the_second_time(provincial, point):
    yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
    yearclose.reopen(YEAR, provincial, "更正")
    with pytest.raises(yearclose.YearCloseError, match="尚未确认"):
        yearclose.reopen(YEAR, provincial, "更正")
    assert ModelLogEntry.objects.filter(action=yearclose.ACTION_REOPEN).count() == 1


# ---------------------------------------------------------------- who sees what


class TestSharedEveryoneButTheProvince(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize("role", ["point_editor", "city_reviewer", "magazine_editor"])
    @pytest.mark.parametrize("url", ["index", "confirm", "reopen"])
    def test_everyone_but_the_province_is_refused_the_year_screens(self, client, request, provincial, point, role, url):
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        client.force_login(request.getfixturevalue(role))
        target = reverse(f"warning_yearclose:{url}", args=[] if url == "index" else [YEAR])
        for response in (client.get(target), client.post(target, {"confirm": "on", "reason": "改"})):
            assert response.status_code == 403
            assert "只有预警工作联系人可以确认或重新开放年度结果" in response.content.decode()
        assert YearConfirmation.objects.get().in_force

    def test_a_superuser_may_confirm(self, client, point, django_user_model):
        admin = django_user_model.objects.create_superuser("root", "root@example.com", "pass12345!")
        client.force_login(admin)
        assert post_confirm(client).status_code == 302
        assert YearConfirmation.objects.get().confirmed_by == admin


class TestSharedAPointSeesIts(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_a_point_sees_its_own_confirmed_score_and_what_differs_on_its_home(
        self, client, provincial, point_editor, point, year_activity
    ):
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
        confirmed = row_of(statistics.point_rows(YEAR), point)
        year_activity.unpublish()
        client.force_login(point_editor)
        html = client.get(reverse("wagtailadmin_home"), {"year": YEAR}).content.decode()
        assert "以下为确认时的条数和评分" in html
        assert f'<td class="stats-total" data-total>{confirmed.total}</td>' in html
        assert "当前实时数据：子网站信息 0（确认时 1，−1）" in html
        # the other point's differences are not its business
        assert "庆元" not in html

    def test_the_province_home_shows_the_confirmed_year(self, client, provincial, point, year_activity):
        client.force_login(provincial)
        post_confirm(client)
        year_activity.unpublish()
        html = client.get(reverse("wagtailadmin_home"), {"year": YEAR}).content.decode()
        assert 'data-year-confirmed="2025"' in html
        assert "以下为确认时的结果" in html and "当前实时数据与确认结果不同的预警点 1 个" in html
        counts = client.get(reverse("warning_statistics:counts"), {"year": YEAR}).content.decode()
        assert "条数详情显示当前实时条数" in counts


def test_the_year_screens_are_in_chinese(client, provincial, point):
    client.force_login(provincial)
    html = client.get(reverse("warning_yearclose:index")).content.decode()
    assert "年度结果确认" in html and "确认记录" in html
    assert client.get(reverse("warning_yearclose:confirm", args=[1999])).status_code == 404


# ---------------------------------------------------------------- queries


def _grow(n):
    points = make_points_bulk(n, prefix=f"年度{n}")
    for i, p in enumerate(points[:10]):
        make_report(p, sh(YEAR, 1 + i % 12, 2))
    return points


CONFIRMED_SCREENS = [
    ("warning_statistics:scores", {}),
    ("warning_statistics:export_scores", {}),
    ("warning_statistics:export_scores", {"format": "json"}),
    ("warning_yearclose:index", {}),
]


def _queries(client, name, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), {"year": YEAR, **params})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_confirmed_year_reads_in_as_many_queries_for_200_points_as_for_10(
    client, provincial, django_assert_max_num_queries
):
    _grow(10)
    yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
    client.force_login(provincial)
    for name, params in CONFIRMED_SCREENS:
        _queries(client, name, params)  # warm per-process caches
    small = {(name, str(params)): _queries(client, name, params) for name, params in CONFIRMED_SCREENS}

    yearclose.reopen(YEAR, provincial, "扩充后重新确认")
    _grow(190)
    yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
    for name, params in CONFIRMED_SCREENS:
        with django_assert_max_num_queries(small[(name, str(params))]):
            assert client.get(reverse(name), {"year": YEAR, **params}).status_code == 200
    assert small[("warning_statistics:export_scores", "{}")] <= 15
    assert small[("warning_statistics:export_scores", "{'format': 'json'}")] <= 15


def test_reading_a_year_takes_one_query_besides_the_live_count(provincial, point, other_point):
    yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
    with CaptureQueriesContext(connection) as live:
        statistics.point_rows(YEAR)
    with CaptureQueriesContext(connection) as confirmed:
        table = yearclose.year_table(YEAR)
    assert table.confirmed and len(table.rows) == 2
    assert len(confirmed.captured_queries) == len(live.captured_queries) + 1
    # the current year cannot be confirmed yet: nothing is asked besides the live count
    this_year = statistics.default_year()
    with CaptureQueriesContext(connection) as current:
        assert not yearclose.year_table(this_year).confirmed
    with CaptureQueriesContext(connection) as live_now:
        statistics.point_rows(this_year)
    assert len(current.captured_queries) == len(live_now.captured_queries)


def test_a_year_without_official_points_is_not_confirmed(provincial):
    WarningPoint.objects.update(status=WarningPoint.Status.REVOKED)
    with pytest.raises(yearclose.YearCloseError, match="没有正式预警点"):
        yearclose.confirm(YEAR, provincial, today=AFTER_DEADLINE)
    assert not YearConfirmation.objects.exists()


def test_a_finished_year_offers_the_confirm_step_and_the_current_year_does_not(client, provincial, point):
    client.force_login(provincial)
    html = scores_page(client)
    assert "2025 年度结果尚未确认" in html and confirm_url() in html
    this_year = statistics.default_year()
    html = scores_page(client, this_year)
    assert "截止之后才能确认年度结果" in html and confirm_url(this_year) not in html


# ---------------------------------------------------------------- at the same moment (PostgreSQL)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two truly simultaneous requests need two PostgreSQL connections; SQLite serialises them",
)


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("same_form", [True, False], ids=["one-form-twice", "two-contacts"])
def test_two_simultaneous_confirmations_make_one_snapshot(provincial, point, other_point, same_form):
    from tests.test_submit_once import logged_in, simultaneously

    tokens = ["7d0b8a5e-0000-4000-8000-00000000000a", "7d0b8a5e-0000-4000-8000-00000000000b"]
    clients = [logged_in(provincial), logged_in(provincial)]
    responses = simultaneously(
        *(
            lambda c=c, t=t: c.post(confirm_url(), {"confirm": "on", "form_token": tokens[0] if same_form else t})
            for c, t in zip(clients, tokens, strict=True)
        )
    )
    assert YearConfirmation.objects.count() == 1
    assert PointYearSnapshot.objects.count() == 2
    assert ModelLogEntry.objects.filter(action=yearclose.ACTION_CONFIRM).count() == 1
    codes = sorted(r.status_code for r in responses)
    if same_form:
        assert codes == [302, 302]
    else:  # the second contact is told the year is already confirmed
        assert codes == [200, 302]
        refused = next(r for r in responses if r.status_code == 200)
        assert "无需再次确认" in refused.content.decode()
