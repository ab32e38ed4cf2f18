"""Deadlines: on-time and window edges in Shanghai time, who is missing what, reminders (docs/rules.md §3.2, §4, §5)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.factories import bulk_points, make_point, make_user
from tests.shared_points import SharedPoints
from warning.models import AnnualSummary, Message, QuarterlyAnalysis, WarningPoint
from warning.periodic import (
    annual_on_time,
    counted_quarterlies,
    current_due_items,
    in_quarterly_window,
    missing_submissions,
    on_time_summaries,
    quarterly_due_date,
    send_reminders,
    submit_annual_summary,
    submit_quarterly,
)

SH = ZoneInfo("Asia/Shanghai")
LAST_SECOND = datetime(2026, 1, 20, 23, 59, 59, tzinfo=SH)
FIRST_LATE = datetime(2026, 1, 21, 0, 0, 0, tzinfo=SH)


def summary_at(point, user, moment, year=2025):
    submit_annual_summary(point=point, user=user, year=year, title="年度总结", content="总结", now=moment)
    item = AnnualSummary.objects.get(point=point, year=year)
    return item


def quarterly_at(point, user, moment, year=2025, quarter=4):
    submit_quarterly(point=point, user=user, year=year, quarter=quarter, title="季度分析", content="分析", now=moment)
    return QuarterlyAnalysis.objects.get(point=point, year=year, quarter=quarter)


class TestSharedSummaryAt20January(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_summary_at_20_january_23_59_59_shanghai_is_on_time_and_stored_in_utc(self, point, point_editor):
        item = summary_at(point, point_editor, LAST_SECOND)
        assert item.submitted_at.astimezone(UTC) == datetime(2026, 1, 20, 15, 59, 59, tzinfo=UTC)
        assert annual_on_time(item)
        assert list(on_time_summaries(2025)) == [item]

    def test_summary_at_21_january_00_00_shanghai_is_late_although_still_20_january_in_utc(self, point, point_editor):
        item = summary_at(point, point_editor, FIRST_LATE)
        assert item.submitted_at.astimezone(UTC) == datetime(2026, 1, 20, 16, 0, 0, tzinfo=UTC)
        assert not annual_on_time(item)
        assert not on_time_summaries(2025).exists()

    def test_quarterly_at_20_january_23_59_59_counts_for_the_previous_year(self, point, point_editor):
        item = quarterly_at(point, point_editor, LAST_SECOND)
        assert in_quarterly_window(item)
        assert list(counted_quarterlies(2025)) == [item]

    def test_quarterly_at_21_january_00_00_does_not_count(self, point, point_editor):
        item = quarterly_at(point, point_editor, FIRST_LATE)
        assert not in_quarterly_window(item)
        assert not counted_quarterlies(2025).exists()

    def test_quarterly_window_opens_on_1_january_shanghai(self, point):
        # Made directly: the submit rules would not accept a quarter before it begins.
        def make(moment, quarter):
            return QuarterlyAnalysis.objects.create(
                point=point, year=2025, quarter=quarter, title="t", content="c", submitted_at=moment
            )

        before = make(datetime(2024, 12, 31, 23, 59, 59, tzinfo=SH), 1)
        first = make(datetime(2025, 1, 1, 0, 0, 0, tzinfo=SH), 2)
        assert not in_quarterly_window(before) and in_quarterly_window(first)
        assert list(counted_quarterlies(2025)) == [first]


def test_each_quarter_is_due_on_the_20th_of_the_month_after_it():
    assert [quarterly_due_date(2025, q) for q in (1, 2, 3, 4)] == [
        date(2025, 4, 20),
        date(2025, 7, 20),
        date(2025, 10, 20),
        date(2026, 1, 20),
    ]


def test_what_is_due_is_the_last_ended_quarter_and_last_years_summary():
    quarterly, annual = current_due_items(datetime(2026, 11, 26, 10, 0, tzinfo=SH))
    assert (quarterly.year, quarterly.quarter, quarterly.due_date) == (2026, 3, date(2026, 10, 20))
    assert (annual.year, annual.due_date) == (2025, date(2026, 1, 20))
    assert quarterly.is_overdue(datetime(2026, 11, 26, tzinfo=SH))


def test_in_early_january_the_fourth_quarter_and_the_summary_are_due_but_not_overdue():
    moment = datetime(2026, 1, 1, 0, 0, tzinfo=SH)
    quarterly, annual = current_due_items(moment)
    assert (quarterly.year, quarterly.quarter) == (2025, 4)
    assert annual.year == 2025
    assert not quarterly.is_overdue(LAST_SECOND) and quarterly.is_overdue(FIRST_LATE)
    assert not annual.is_overdue(LAST_SECOND) and annual.is_overdue(FIRST_LATE)


@pytest.fixture
def province_of_four(db):
    """Four official points (two with editors), one preparing and one revoked point."""
    points = [make_point(name=f"第{i}号预警点") for i in range(4)]
    make_point(name="筹建中的预警点", status=WarningPoint.Status.PREPARING)
    make_point(name="已撤销的预警点", status=WarningPoint.Status.REVOKED)
    editors = [make_user("point", point=points[0]), make_user("point", point=points[1])]
    return points, editors


MOMENT = datetime(2026, 2, 10, 9, 0, tzinfo=SH)  # due: 2025 Q4 analysis and 2025 summary, both overdue


def test_missing_submissions_lists_exactly_the_official_points_that_miss_something(province_of_four):
    points, editors = province_of_four
    quarterly_at(points[0], editors[0], datetime(2026, 1, 5, tzinfo=SH))
    summary_at(points[0], editors[0], datetime(2026, 1, 6, tzinfo=SH))
    summary_at(points[1], editors[1], datetime(2026, 2, 1, tzinfo=SH))  # late, but submitted
    QuarterlyAnalysis.objects.create(  # another quarter does not count for 2025 Q4
        point=points[2], year=2025, quarter=3, title="t", content="c", submitted_at=MOMENT
    )
    rows = missing_submissions(MOMENT)
    found = {row.point.name: [item.label for item in row.items] for row in rows}
    assert found == {
        "第1号预警点": ["2025年第4季度形势分析"],
        "第2号预警点": ["2025年第4季度形势分析", "2025年度工作总结"],
        "第3号预警点": ["2025年第4季度形势分析", "2025年度工作总结"],
    }


def test_overdue_only_leaves_out_what_is_not_due_yet(province_of_four):
    before_deadline = datetime(2026, 1, 15, tzinfo=SH)
    assert len(missing_submissions(before_deadline)) == 4
    assert missing_submissions(before_deadline, overdue_only=True) == []
    assert len(missing_submissions(MOMENT, overdue_only=True)) == 4


def test_send_reminders_tells_each_missing_points_editors_by_message_and_mail(province_of_four):
    points, editors = province_of_four
    quarterly_at(points[0], editors[0], datetime(2026, 1, 5, tzinfo=SH))
    summary_at(points[0], editors[0], datetime(2026, 1, 6, tzinfo=SH))
    result = send_reminders(MOMENT)
    assert len(result.rows) == 3 and result.messages == 1
    message = Message.objects.get()
    assert message.recipient == editors[1]
    assert "2025年第4季度形势分析" in message.title and "已逾期" in message.body
    assert message.url == reverse("warning_periodic:quarterly_submit")
    assert [m.to for m in mail.outbox] == [[editors[1].email]]
    assert mail.outbox[0].subject == message.title


def test_send_reminders_command_lists_the_missing_points_and_notifies_them(province_of_four, capsys):
    points, editors = province_of_four
    quarterly, annual = current_due_items()
    QuarterlyAnalysis.objects.create(
        point=points[0], year=quarterly.year, quarter=quarterly.quarter, title="t", content="c", submitted_at=MOMENT
    )
    AnnualSummary.objects.create(point=points[0], year=annual.year, title="t", content="c", submitted_at=MOMENT)
    call_command("send_reminders")
    out = capsys.readouterr().out
    for name in ("第1号预警点", "第2号预警点", "第3号预警点"):
        assert name in out
    assert "第0号预警点" not in out and "筹建中" not in out and "已撤销" not in out
    assert "共 3 个预警点未按期提交：1 位用户收到消息中心消息，其中 1 位同时收到邮件。" in out
    assert "没有可接收提醒的用户：第2号预警点" in out
    assert Message.objects.filter(recipient=editors[1]).count() == 1
    assert not Message.objects.filter(recipient=editors[0]).exists()
    assert len(mail.outbox) == 1


def test_deadlines_view_lists_the_missing_points_for_the_provincial_contact(client, province_of_four, provincial):
    points, editors = province_of_four
    quarterly, annual = current_due_items()
    AnnualSummary.objects.create(point=points[0], year=annual.year, title="t", content="c", submitted_at=MOMENT)
    QuarterlyAnalysis.objects.create(
        point=points[0], year=quarterly.year, quarter=quarterly.quarter, title="t", content="c", submitted_at=MOMENT
    )
    client.force_login(provincial)
    response = client.get(reverse("warning_periodic:deadlines"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第1号预警点" in html and "第3号预警点" in html
    assert "第0号预警点" not in html and "筹建中的预警点" not in html
    assert quarterly.label in html


def test_the_reminder_button_sends_the_same_reminders(client, province_of_four, provincial):
    points, editors = province_of_four
    client.force_login(provincial)
    response = client.post(reverse("warning_periodic:send_reminders"))
    assert response.status_code == 302
    assert set(Message.objects.values_list("recipient_id", flat=True)) == {e.pk for e in editors}
    assert len(mail.outbox) == 2


def test_the_reminder_flash_counts_messages_and_mails_and_names_who_has_no_address(
    client, province_of_four, provincial
):
    points, editors = province_of_four
    User = get_user_model()
    User.objects.filter(pk=editors[1].pk).update(email="", first_name="桂英", last_name="汪")
    third = make_user("point", point=points[1])
    client.force_login(provincial)
    response = client.post(reverse("warning_periodic:send_reminders"), follow=True)
    flashes = [str(m) for m in response.context["messages"]]
    assert flashes[0] == "已向 4 个未按期提交的预警点发送提醒：3 位用户收到消息中心消息，其中 2 位同时收到邮件。"
    assert flashes[1] == "1 位用户没有电子邮件地址，只收到消息中心消息：汪桂英（第1号预警点）。"
    assert flashes[2] == "以下预警点没有可接收提醒的用户，未能提醒：第2号预警点、第3号预警点。"
    assert Message.objects.count() == 3
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([editors[0].email, third.email])


@pytest.mark.parametrize("role", ["point", "city", "magazine"])
def test_only_the_provincial_contact_reaches_the_deadlines_view(client, province_of_four, role):
    points, _ = province_of_four
    client.force_login(make_user(role, point=points[0]) if role == "point" else make_user(role))
    assert client.get(reverse("warning_periodic:deadlines")).status_code == 403
    assert client.post(reverse("warning_periodic:send_reminders")).status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize("size", [10, 200])
def test_deadlines_view_query_count_does_not_grow_with_points(client, provincial, django_assert_max_num_queries, size):
    bulk_points(size)
    client.force_login(provincial)
    with django_assert_max_num_queries(25):  # the admin frame (menu, badges) included
        response = client.get(reverse("warning_periodic:deadlines"))
    assert response.content.decode().count("批量预警点") == size
