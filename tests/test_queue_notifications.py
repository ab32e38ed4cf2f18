"""Every queue's owner is told when something enters it, in 消息中心 and by e-mail where an address exists."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import make_user
from tests.review_factories import decide, make_report
from warning import periodic, review
from warning.models import Message

pytestmark = pytest.mark.django_db


def approved_with(point, editor, city_reviewer, provincial, options):
    report = make_report(point, editor)
    decide(report, city_reviewer, review.APPROVE, comment="")
    mail.outbox.clear()
    return decide(report, provincial, review.APPROVE, comment="", options=options)


def test_the_magazine_editor_is_told_when_a_report_is_recommended(
    point, point_editor, city_reviewer, provincial, magazine_editor
):
    report = approved_with(point, point_editor, city_reviewer, provincial, [review.MAGAZINE])
    message = Message.objects.get(recipient=magazine_editor)
    assert message.title == f"待杂志录用：{report.title}"
    assert message.url == reverse("warning_magazine:report_detail", args=[report.pk])
    assert [magazine_editor.email] in [m.to for m in mail.outbox]


def test_the_magazine_editor_is_not_told_of_a_report_not_recommended(
    point, point_editor, city_reviewer, provincial, magazine_editor
):
    approved_with(point, point_editor, city_reviewer, provincial, [review.EXCHANGE])
    assert not Message.objects.filter(recipient=magazine_editor).exists()


def test_the_magazine_editor_is_told_when_a_quarterly_is_filed_or_replaced(point, point_editor, magazine_editor):
    without_address = make_user("magazine")
    get_user_model().objects.filter(pk=without_address.pk).update(email="")
    first = periodic.submit_quarterly(
        point=point, user=point_editor, year=2025, quarter=4, title="四季度分析", content="内容"
    )
    url = reverse("warning_magazine:quarterly_detail", args=[first.item.pk])
    for editor in (magazine_editor, without_address):
        message = Message.objects.get(recipient=editor)
        assert message.title == "待杂志录用：四季度分析" and message.url == url
        assert "提交了2025年第4季度形势分析" in message.body
    assert [m.to for m in mail.outbox] == [[magazine_editor.email]]

    periodic.submit_quarterly(
        point=point, user=point_editor, year=2025, quarter=4, title="四季度分析（修订）", content="x"
    )
    latest = Message.objects.filter(recipient=magazine_editor).latest("pk")
    assert "更新了2025年第4季度形势分析" in latest.body


def test_other_provincial_contacts_are_told_of_an_internal_exchange_item(
    point, point_editor, city_reviewer, provincial
):
    colleague = make_user("province")
    report = approved_with(point, point_editor, city_reviewer, provincial, [review.INTERNAL])
    message = Message.objects.get(recipient=colleague, title__startswith="待内部交流处理")
    assert message.url == reverse("warning_internal:detail", args=[report.pk])
    assert not Message.objects.filter(recipient=provincial, title__startswith="待内部交流处理").exists()


def test_reviewers_are_told_when_a_report_reaches_their_stage(point, point_editor, city_reviewer, provincial):
    report = make_report(point, point_editor)
    assert Message.objects.filter(recipient=city_reviewer, title=f"待地市审核：{report.title}").exists()
    decide(report, city_reviewer, review.APPROVE, comment="")
    assert Message.objects.filter(recipient=provincial, title=f"待省级审核：{report.title}").exists()
