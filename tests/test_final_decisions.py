"""Final decisions — 不予通过, 内部交流 不采纳, 期刊杂志 不录用 — are never preselected and ask 确认 first.

A final choice posted without 确认 changes nothing and shows the decision's
consequence with the 确认 box; the same post with 确认 applies it
(docs/review.md, "Final decisions ask first").
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.review_factories import make_report
from tests.shared_points import SharedPoints
from tests.statistics_factories import make_internal_report, make_magazine_report, make_quarterly, sh
from warning import magazine, review
from warning.models import Message, QuarterlyAnalysis, ReviewRecord, WarningReport

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def checked_values(html, name):
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', html) + re.findall(
        rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="([^"]*)"', html
    )


# --------------------------------------------------------------- 内部交流 不采纳


class TestSharedInternalDecisionHasNothing(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_internal_decision_has_nothing_preselected(self, point, provincial):
        item = make_internal_report(point, sh(2025, 3, 1), status="pending")
        html = login(provincial).get(reverse("warning_internal:detail", args=[item.pk])).content.decode()
        assert 'name="decision"' in html
        assert checked_values(html, "decision") == []

    def test_internal_decline_needs_confirmation_naming_its_consequence(self, point, point_editor, provincial):
        item = make_internal_report(point, sh(2025, 3, 1), status="pending")
        client = login(provincial)
        url = reverse("warning_internal:detail", args=[item.pk])

        response = client.post(url, {"decision": "0", "comment": "不适合"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "data-confirm-final" in html and review.INTERNAL_DECLINE_CONSEQUENCE in html
        assert "确认不采纳" in html
        assert checked_values(html, "decision") == ["0"]  # the choice is kept for the second step
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.PENDING
        assert not ReviewRecord.objects.filter(report=item).exists()

        client.post(url, {"decision": "0", "comment": "不适合", "confirm_final": "on"})
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.DECLINED
        told = Message.objects.get(recipient=point_editor)
        assert "在重要信息内部交流中未被采纳" in told.body and "被不采纳" not in told.body

    def test_internal_adopt_needs_no_confirmation(self, point, provincial):
        item = make_internal_report(point, sh(2025, 3, 1), status="pending")
        login(provincial).post(reverse("warning_internal:detail", args=[item.pk]), {"decision": "1"})
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.ADOPTED

    def test_internal_post_without_a_choice_changes_nothing(self, point, provincial):
        item = make_internal_report(point, sh(2025, 3, 1), status="pending")
        response = login(provincial).post(reverse("warning_internal:detail", args=[item.pk]), {"comment": "x"})
        assert "请选择采纳或不采纳" in response.content.decode()
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.PENDING


# --------------------------------------------------------------- 期刊杂志 不录用


class TestSharedMagazineDecisionHasNothing(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_magazine_decision_has_nothing_preselected_and_decline_asks_first(self, point, magazine_editor):
        report = make_magazine_report(point, sh(2025, 3, 1), status="pending")
        client = login(magazine_editor)
        url = reverse("warning_magazine:report_detail", args=[report.pk])
        assert checked_values(client.get(url).content.decode(), "decision") == []

        html = client.post(url, {"decision": "declined", "comment": "篇幅过长"}).content.decode()
        assert magazine.DECLINE_CONSEQUENCE in html and "确认不录用" in html
        report.refresh_from_db()
        assert report.magazine_status == WarningReport.Decision.PENDING

        client.post(url, {"decision": "declined", "comment": "篇幅过长", "confirm_final": "on"})
        report.refresh_from_db()
        assert report.magazine_status == WarningReport.Decision.DECLINED

    def test_quarterly_decline_asks_first(self, point, magazine_editor):
        analysis = make_quarterly(point, 2025, 1, sh(2025, 4, 1))
        client = login(magazine_editor)
        url = reverse("warning_magazine:quarterly_detail", args=[analysis.pk])
        assert "确认不录用" in client.post(url, {"decision": "declined"}).content.decode()
        analysis.refresh_from_db()
        assert analysis.magazine_status == QuarterlyAnalysis.Decision.PENDING
        client.post(url, {"decision": "declined", "confirm_final": "on"})
        analysis.refresh_from_db()
        assert analysis.magazine_status == QuarterlyAnalysis.Decision.DECLINED


# --------------------------------------------------------------- 不予通过


class TestSharedReviewScreenPreselectsApprove(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_review_screen_preselects_approve_never_reject(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        url = reverse("warning_review:detail", args=[report.pk])
        html = login(city_reviewer).get(url).content.decode()
        assert checked_values(html, "action") == [review.APPROVE]

    def test_reject_on_the_review_screen_asks_first(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        client = login(city_reviewer)
        url = reverse("warning_review:detail", args=[report.pk])
        data = {"action": "reject", "comment": "非原创", "task_state_id": review.current_task_state(report).pk}
        html = client.post(url, data).content.decode()
        assert review.REJECT_CONSEQUENCE in html and "确认不予通过" in html
        assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.CITY

        client.post(url, {**data, "confirm_final": "on"})
        assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.REJECTED

    def test_reject_in_wagtails_action_modal_asks_first(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        client = login(city_reviewer)
        url = reverse(
            "wagtailsnippets_warning_warningreport:workflow_action",
            args=[report.pk, "reject", review.current_task_state(report).pk],
        )
        modal = json.loads(client.get(url).content)
        assert review.REJECT_CONSEQUENCE in modal["html"]
        ajax = {"x-requested-with": "XMLHttpRequest"}
        response = json.loads(client.post(url, {"comment": "非原创"}, headers=ajax).content)
        assert response["step"] == "action" and "确认不予通过" in response["html"]
        assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.CITY
        client.post(url, {"comment": "非原创", "confirm_final": "on"}, headers=ajax)
        assert WarningReport.objects.get(pk=report.pk).stage == WarningReport.Stage.REJECTED
