"""期刊杂志: 录用 / 不录用 on quarterly analyses and recommended reports, once, by the magazine editor only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from tests.factories import bulk_points, make_user
from tests.shared_points import SharedPoints
from warning.magazine import decide_quarterly, decide_report
from warning.models import Industry, Message, QuarterlyAnalysis, ReportAttachment, ReviewRecord, WarningReport

SH = ZoneInfo("Asia/Shanghai")
DECIDED = datetime(2026, 6, 1, 10, 30, tzinfo=SH)
PENDING = QuarterlyAnalysis.Decision.PENDING
ADOPTED = QuarterlyAnalysis.Decision.ADOPTED
DECLINED = QuarterlyAnalysis.Decision.DECLINED


def make_analysis(point, quarter=1, title=None, **fields):
    return QuarterlyAnalysis.objects.create(
        point=point,
        year=2026,
        quarter=quarter,
        title=title or f"2026年第{quarter}季度分析报告",
        content="出口形势分析",
        submitted_at=datetime(2026, 4, 10, 9, 0, tzinfo=SH),
        **fields,
    )


def make_report(point, title="关于欧盟新规的风险提示", to_magazine=True, status=WarningReport.Decision.PENDING):
    return WarningReport.objects.create(
        point=point,
        title=title,
        industry=Industry.objects.get(name="化工"),
        country="DE",
        author="张三",
        phone="13800000000",
        body="<p>正文</p>",
        stage=WarningReport.Stage.APPROVED,
        submitted_at=datetime(2026, 3, 1, 9, 0, tzinfo=SH),
        to_magazine=to_magazine,
        magazine_status=status if to_magazine else WarningReport.Decision.NONE,
    )


# --- the domain rules -----------------------------------------------------


class TestSharedAdoptingAQuarterlyRecords(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_adopting_a_quarterly_records_the_time_and_the_editor(self, point, point_editor, magazine_editor):
        analysis = make_analysis(point)
        decide_quarterly(analysis, magazine_editor, "adopted", now=DECIDED)
        analysis.refresh_from_db()
        assert analysis.magazine_status == ADOPTED
        assert analysis.magazine_decided_at == DECIDED
        assert analysis.decided_by == magazine_editor

    def test_the_point_is_told_of_the_decision(self, point, point_editor, magazine_editor):
        decide_quarterly(make_analysis(point), magazine_editor, "adopted", now=DECIDED)
        message = Message.objects.get(recipient=point_editor)
        assert "录用" in message.title and "2026年第1季度分析报告" in message.body
        assert len(mail.outbox) == 1

    def test_declining_a_quarterly_records_the_decision(self, point, magazine_editor):
        analysis = make_analysis(point)
        decide_quarterly(analysis, magazine_editor, "declined", now=DECIDED)
        analysis.refresh_from_db()
        assert (analysis.magazine_status, analysis.magazine_decided_at) == (DECLINED, DECIDED)

    def test_a_second_decision_on_a_quarterly_is_refused_and_changes_nothing(self, point, magazine_editor):
        analysis = make_analysis(point)
        decide_quarterly(analysis, magazine_editor, "adopted", now=DECIDED)
        other_editor = make_user("magazine")
        with pytest.raises(ValidationError) as excinfo:
            decide_quarterly(analysis, other_editor, "declined")
        assert "不能重复决定" in " ".join(excinfo.value.messages)
        analysis.refresh_from_db()
        assert (analysis.magazine_status, analysis.decided_by, analysis.magazine_decided_at) == (
            ADOPTED,
            magazine_editor,
            DECIDED,
        )

    @pytest.mark.parametrize("role", ["province", "city", "point"])
    def test_only_the_magazine_editor_may_decide(self, point, role):
        analysis = make_analysis(point)
        report = make_report(point)
        user = make_user(role, point=point) if role == "point" else make_user(role)
        with pytest.raises(PermissionDenied):
            decide_quarterly(analysis, user, "adopted")
        with pytest.raises(PermissionDenied):
            decide_report(report, user, "adopted")
        analysis.refresh_from_db()
        report.refresh_from_db()
        assert analysis.magazine_status == PENDING and report.magazine_status == PENDING
        assert not ReviewRecord.objects.exists()

    def test_an_unknown_decision_is_refused(self, point, magazine_editor):
        analysis = make_analysis(point)
        with pytest.raises(ValidationError):
            decide_quarterly(analysis, magazine_editor, "maybe")
        analysis.refresh_from_db()
        assert analysis.magazine_status == PENDING

    def test_adopting_a_recommended_report_records_time_and_a_magazine_review_record(self, point, magazine_editor):
        report = make_report(point)
        decide_report(report, magazine_editor, "adopted", comment="精选刊发", now=DECIDED)
        report.refresh_from_db()
        assert report.magazine_status == WarningReport.Decision.ADOPTED
        assert report.magazine_decided_at == DECIDED
        record = ReviewRecord.objects.get(report=report)
        assert (record.stage, record.action, record.user, record.comment) == (
            ReviewRecord.Stage.MAGAZINE,
            ReviewRecord.Action.ADOPT,
            magazine_editor,
            "精选刊发",
        )

    def test_a_report_decision_is_taken_once(self, point, magazine_editor):
        report = make_report(point)
        decide_report(report, magazine_editor, "declined", now=DECIDED)
        with pytest.raises(ValidationError) as excinfo:
            decide_report(report, magazine_editor, "adopted")
        assert "不能重复决定" in " ".join(excinfo.value.messages)
        report.refresh_from_db()
        assert report.magazine_status == WarningReport.Decision.DECLINED
        assert ReviewRecord.objects.filter(report=report).count() == 1

    def test_a_report_not_recommended_to_the_magazine_cannot_be_decided(self, point, magazine_editor):
        report = make_report(point, to_magazine=False)
        with pytest.raises(ValidationError) as excinfo:
            decide_report(report, magazine_editor, "adopted")
        assert "没有被推荐到杂志" in " ".join(excinfo.value.messages)
        report.refresh_from_db()
        assert report.magazine_status == WarningReport.Decision.NONE and not ReviewRecord.objects.exists()


# --- the 期刊杂志 screens ----------------------------------------------------


class TestSharedMagazineTabsListQuarterlies(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_magazine_tabs_list_quarterlies_and_recommended_reports(self, client, point, magazine_editor):
        make_analysis(point, title="待录用的季度分析")
        make_report(point, title="推荐到杂志的预警")
        make_report(point, title="没有推荐的预警", to_magazine=False)
        client.force_login(magazine_editor)
        quarterly_page = client.get(reverse("warning_magazine:quarterly_index")).content.decode()
        assert "待录用的季度分析" in quarterly_page and "精选原创预警" in quarterly_page
        reports_page = client.get(reverse("warning_magazine:report_index")).content.decode()
        assert "推荐到杂志的预警" in reports_page
        assert "没有推荐的预警" not in reports_page

    def test_magazine_editor_adopts_a_quarterly_from_its_page(self, client, point, magazine_editor):
        analysis = make_analysis(point)
        client.force_login(magazine_editor)
        url = reverse("warning_magazine:quarterly_detail", args=[analysis.pk])
        page = client.get(url).content.decode()
        assert "不录用" in page and "录用" in page
        response = client.post(url, {"decision": "adopted"})
        assert response.status_code == 302
        analysis.refresh_from_db()
        assert analysis.magazine_status == ADOPTED and analysis.magazine_decided_at is not None
        page = client.get(url).content.decode()
        assert "录用时间" in page and 'name="decision"' not in page

    def test_magazine_editor_declines_a_report_with_a_comment_from_its_page(self, client, point, magazine_editor):
        report = make_report(point)
        client.force_login(magazine_editor)
        url = reverse("warning_magazine:report_detail", args=[report.pk])
        response = client.post(url, {"decision": "declined", "comment": "篇幅过长", "confirm_final": "on"})
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.magazine_status == WarningReport.Decision.DECLINED
        assert ReviewRecord.objects.get(report=report).comment == "篇幅过长"

    def test_posting_without_a_choice_shows_a_message_and_changes_nothing(self, client, point, magazine_editor):
        analysis = make_analysis(point)
        client.force_login(magazine_editor)
        response = client.post(reverse("warning_magazine:quarterly_detail", args=[analysis.pk]), {}, follow=True)
        assert "请选择“录用”或“不录用”" in response.content.decode()
        analysis.refresh_from_db()
        assert analysis.magazine_status == PENDING

    def test_a_second_decision_from_the_page_is_refused_with_a_message(self, client, point, magazine_editor):
        analysis = make_analysis(point)
        decide_quarterly(analysis, magazine_editor, "declined", now=DECIDED)
        client.force_login(magazine_editor)
        response = client.post(
            reverse("warning_magazine:quarterly_detail", args=[analysis.pk]), {"decision": "adopted"}
        )
        assert "不能重复决定" in response.content.decode()
        analysis.refresh_from_db()
        assert analysis.magazine_status == DECLINED

    @pytest.mark.parametrize("role", ["province", "city", "point"])
    def test_other_roles_get_403_on_the_magazine_screens(self, client, point, role):
        analysis = make_analysis(point)
        report = make_report(point)
        client.force_login(make_user(role, point=point) if role == "point" else make_user(role))
        for name, args in [
            ("warning_magazine:quarterly_index", []),
            ("warning_magazine:report_index", []),
            ("warning_magazine:quarterly_detail", [analysis.pk]),
            ("warning_magazine:report_detail", [report.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse("warning_magazine:quarterly_detail", args=[analysis.pk]), {"decision": "adopted"})
        analysis.refresh_from_db()
        assert analysis.magazine_status == PENDING

    def test_a_report_not_recommended_is_404_on_the_magazine_screens(self, client, point, magazine_editor):
        report = make_report(point, to_magazine=False)
        client.force_login(magazine_editor)
        assert client.get(reverse("warning_magazine:report_detail", args=[report.pk])).status_code == 404

    def test_magazine_editor_downloads_a_recommended_reports_attachment(self, client, point, magazine_editor):
        report = make_report(point)
        attachment = ReportAttachment(report=report, name="附表.pdf")
        attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        client.force_login(magazine_editor)
        response = client.get(reverse("warning_magazine:report_attachment", args=[report.pk, attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def menu_names(rf, user):
    request = rf.get("/admin/")
    request.user = user
    return {item.name for item in admin_menu.menu_items_for_request(request)}


def test_the_magazine_menu_is_shown_to_the_magazine_editor_only(rf, point_editor, provincial, magazine_editor):
    assert "magazine" in menu_names(rf, magazine_editor)
    assert "magazine" not in menu_names(rf, point_editor)
    assert "magazine" not in menu_names(rf, provincial)


@pytest.mark.parametrize("size", [10, 200])
def test_magazine_lists_query_count_does_not_grow(client, magazine_editor, django_assert_max_num_queries, size):
    for i, point in enumerate(bulk_points(size, name="杂志测试预警点{i}")):
        make_analysis(point, title=f"批量分析{i}")
        make_report(point, title=f"批量预警{i}")
    client.force_login(magazine_editor)
    for name in ("warning_magazine:quarterly_index", "warning_magazine:report_index"):
        with django_assert_max_num_queries(30):  # the admin frame (menu, badges) included
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.content.decode().count("批量") == min(size, 20)  # one page of 20


def test_two_editors_deciding_from_stale_pages_only_the_first_takes_effect(point, magazine_editor):
    analysis = make_analysis(point)
    stale = QuarterlyAnalysis.objects.get(pk=analysis.pk)  # loaded before either decision
    other_editor = make_user("magazine")
    decide_quarterly(analysis, magazine_editor, "adopted", now=DECIDED)
    assert stale.magazine_status == PENDING
    with pytest.raises(ValidationError):
        decide_quarterly(stale, other_editor, "declined")
    analysis.refresh_from_db()
    assert (analysis.magazine_status, analysis.decided_by) == (ADOPTED, magazine_editor)
