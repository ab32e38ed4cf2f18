"""我的预警信息: a point writes, submits, edits after 退回修改 — and everything it may not do (docs/rules.md §3.1, §7)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests.factories import make_point, make_user
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from warning import review
from warning.models import Industry, Message, ReportAttachment, WarningReport

NS = "wagtailsnippets_warning_warningreport"


def url(name, report=None):
    return reverse(f"{NS}:{name}", args=[report.pk] if report is not None else [])


def login(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(attachments=(), **overrides):
    data = {
        "title": "美国对华化工产品反倾销调查预警",
        "industry": Industry.objects.get(name="化工").pk,
        "country": "US",
        "author": "张三",
        "phone": "0571-87654321",
        "body": rich_text("<p>美国商务部对原产于中国的化工产品发起反倾销调查。</p>"),
        "attachments": inline_formset(list(attachments)),
    }
    data.update(overrides)
    return nested_form_data(data)


def stage_of(report):
    return WarningReport.objects.get(pk=report.pk).stage


def shown_menu_labels(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.label for item in admin_menu.menu_items_for_request(request)}


# --- writing and submitting --------------------------------------------------------------------


class TestWritingAndSubmitting(SharedPoints):
    """Writing and submitting, for one point (made once for the class)."""

    def test_point_creates_and_submits_a_report_for_its_own_point(self, point, point_editor, city_reviewer):
        response = login(point_editor).post(url("add"), {**form_data(), "action-submit": "1"})
        assert response.status_code == 302
        report = WarningReport.objects.get()
        assert report.point == point and report.created_by == point_editor
        assert report.stage == WarningReport.Stage.CITY and report.submitted_at is not None
        assert Message.objects.filter(recipient=city_reviewer, title__contains=report.title).exists()

    def test_point_saves_a_draft_that_no_reviewer_sees(self, point, point_editor, city_reviewer):
        login(point_editor).post(url("add"), form_data())
        report = WarningReport.objects.get()
        assert report.stage == WarningReport.Stage.DRAFT and report.submitted_at is None and not report.live
        assert not review.queue_for(city_reviewer).exists()
        assert login(city_reviewer).get(url("inspect", report)).status_code == 404

    def test_submitting_an_incomplete_report_shows_errors_and_submits_nothing(self, point, point_editor):
        response = login(point_editor).post(url("add"), {**form_data(author=""), "action-submit": "1"})
        assert response.status_code == 200
        assert not WarningReport.objects.exclude(stage=WarningReport.Stage.DRAFT).exists()

    def test_a_valid_pdf_attachment_is_kept_and_a_disguised_text_file_refused(self, point, point_editor):
        pdf = SimpleUploadedFile("调查公告.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
        login(point_editor).post(url("add"), form_data(attachments=[{"file": pdf, "name": "调查公告"}]))
        assert ReportAttachment.objects.get().name == "调查公告"

        fake = SimpleUploadedFile("伪装.pdf", "只是文本".encode())
        response = login(point_editor).post(
            url("add"), form_data(title="第二条", attachments=[{"file": fake, "name": "x"}])
        )
        assert response.status_code == 200
        assert WarningReport.objects.count() == 1


def test_the_menu_entry_is_for_point_editors_only(point_editor, city_reviewer, provincial, magazine_editor):
    assert "我的预警信息" in shown_menu_labels(point_editor)
    for user in (city_reviewer, provincial, magazine_editor):
        assert "我的预警信息" not in shown_menu_labels(user)


def test_only_a_point_editor_may_add_reports(provincial):
    assert login(provincial).get(url("add")).status_code == 403
    assert login(superuser()).post(url("add"), {**form_data(), "action-submit": "1"}).status_code == 403
    assert not WarningReport.objects.exists()


# --- my reports list ---------------------------------------------------------------------------


def test_my_reports_lists_own_reports_with_stage_status_and_every_rounds_comments(
    point, other_point, point_editor, other_point_editor, city_reviewer, provincial
):
    report = make_report(point, point_editor, title="建德化工预警")
    decide(report, city_reviewer, review.RETURN, comment="请补充出口数据")
    review.submit(report, point_editor)
    decide(report, city_reviewer, review.APPROVE, comment="同意上报")
    decide(report, provincial, review.APPROVE, comment="内容具有典型性", options=[review.EXCHANGE])
    make_report(other_point, other_point_editor, title="庆元铅笔预警")

    response = login(point_editor).get(url("list"))
    assert [r.pk for r in response.context["object_list"]] == [report.pk]
    html = response.content.decode()
    for text in ("审核状态", "状态", "提交时间", "审核意见", "审核通过", "已发布到预警工作交流"):
        assert text in html
    assert "第1轮 地市审核 <strong>退回修改</strong>：请补充出口数据" in html
    assert "第2轮 省级审核 <strong>通过</strong>（发布到预警工作交流）：内容具有典型性" in html
    assert "庆元铅笔预警" not in html


@pytest.mark.parametrize("size", [3, 25])
def test_my_reports_query_count_does_not_grow(size, point, point_editor, city_reviewer, django_assert_max_num_queries):
    for _ in range(size):
        report = make_report(point, point_editor)
        decide(report, city_reviewer, review.RETURN, comment="请修改")
    client = login(point_editor)
    client.get(url("list"))
    with django_assert_max_num_queries(18):
        response = client.get(url("list"))
    assert response.status_code == 200


def test_inspect_shows_the_report_and_its_review_record(point, point_editor, city_reviewer):
    report = make_report(point, point_editor)
    decide(report, city_reviewer, review.RETURN, comment="数据来源不明")
    html = login(point_editor).get(url("inspect", report)).content.decode()
    assert report.title in html and "审核记录" in html and "数据来源不明" in html and "修改并提交" in html


# --- another point's reports -------------------------------------------------------------------


class TestAnotherPointsReports(SharedPoints):
    """Another point's reports (both points made once for the class)."""

    shared_points = ("point", "other_point")

    @pytest.mark.parametrize("view", ["edit", "inspect", "history", "workflow_history"])
    def test_a_point_cannot_open_another_points_report(self, point, point_editor, other_point_editor, view):
        report = make_report(point, point_editor, submit=False)
        assert login(other_point_editor).get(url(view, report)).status_code == 404

    def test_a_point_cannot_edit_another_points_report(self, point, point_editor, other_point_editor):
        report = make_report(point, point_editor, submit=False, title="原标题")
        response = login(other_point_editor).post(url("edit", report), form_data(title="被改的标题"))
        assert response.status_code == 404
        assert WarningReport.objects.get(pk=report.pk).title == "原标题"


# --- under review, returned, rejected ----------------------------------------------------------


class TestUnderReviewReturnedRejected(SharedPoints):
    """Under review, returned, rejected, for one point (made once for the class)."""

    def test_a_report_under_review_cannot_be_edited(self, point, point_editor):
        report = make_report(point, point_editor, title="原标题")
        client = login(point_editor)
        assert client.get(url("edit", report)).status_code == 403
        assert client.post(url("edit", report), form_data(title="审核中改标题")).status_code == 403
        assert WarningReport.objects.get(pk=report.pk).title == "原标题"

    def test_a_returned_report_is_edited_and_resubmitted(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        decide(report, city_reviewer, review.RETURN, comment="标题请写明国别")
        client = login(point_editor)
        assert client.get(url("edit", report)).status_code == 200
        response = client.post(
            url("edit", report), {**form_data(title="美国：化工产品反倾销预警"), "action-submit": "1"}
        )
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.stage == WarningReport.Stage.CITY and report.title == "美国：化工产品反倾销预警"
        assert WorkflowState.objects.for_instance(report).get().status == WorkflowState.STATUS_IN_PROGRESS
        assert review.current_round(report) == 2

    def test_the_point_cannot_cancel_the_workflow_of_a_returned_report(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        decide(report, city_reviewer, review.RETURN, comment="请修改")
        login(point_editor).post(url("edit", report), {**form_data(), "action-cancel-workflow": "1"})
        assert WorkflowState.objects.for_instance(report).get().status == WorkflowState.STATUS_NEEDS_CHANGES

    def test_a_rejected_report_cannot_be_edited_or_resubmitted(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        decide(report, city_reviewer, review.REJECT, comment="非原创,不予通过")
        client = login(point_editor)
        assert client.get(url("edit", report)).status_code == 403
        response = client.post(url("edit", report), {**form_data(), "action-submit": "1"})
        assert response.status_code == 403
        assert stage_of(report) == WarningReport.Stage.REJECTED
        assert not WorkflowState.objects.for_instance(report).active().exists()

    def test_the_point_cannot_publish_its_report_directly(self, point, point_editor):
        report = make_report(point, point_editor, submit=False)
        login(point_editor).post(url("edit", report), {**form_data(), "action-publish": "1"})
        report.refresh_from_db()
        assert not report.live and report.stage == WarningReport.Stage.DRAFT


# --- nothing submitted is ever deleted ---------------------------------------------------------


def superuser():
    user = make_user("province", username="root")
    user.is_superuser = True
    user.save()
    return user


class TestNothingSubmittedIsDeleted(SharedPoints):
    """Nothing submitted is ever deleted, for one point (made once for the class)."""

    def test_no_one_can_delete_a_submitted_report(self, point, point_editor, provincial):
        report = make_report(point, point_editor)
        for user in (point_editor, provincial, superuser()):
            client = login(user)
            assert client.get(url("delete", report)).status_code == 403
            assert client.post(url("delete", report)).status_code == 403
        assert WarningReport.objects.filter(pk=report.pk).exists()

    def test_bulk_delete_of_a_submitted_report_is_refused(self, point, point_editor):
        report = make_report(point, point_editor)
        bulk = reverse("wagtail_bulk_action", args=["warning", "warningreport", "delete"]) + f"?id={report.pk}"
        login(superuser()).post(bulk)
        assert WarningReport.objects.filter(pk=report.pk).exists()


# --- attachments are downloaded within scope ----------------------------------------------------


def test_attachments_are_downloaded_only_by_those_who_may_see_the_report(
    point, point_editor, other_point_editor, city_reviewer, other_city_reviewer
):
    report = make_report(point, point_editor)
    attachment = ReportAttachment.objects.create(
        report=report, file=SimpleUploadedFile("公告.pdf", b"%PDF-1.7\n"), name="公告.pdf"
    )
    link = reverse("warning_reports:attachment", args=[report.pk, attachment.pk])
    assert login(point_editor).get(link).status_code == 200
    assert login(city_reviewer).get(link).status_code == 200
    assert login(other_point_editor).get(link).status_code == 404
    assert login(other_city_reviewer).get(link).status_code == 404


class TestAttachmentsAndReading(SharedPoints):
    """Attachments and reading within scope, for one point (made once for the class)."""

    def test_an_attachment_downloads_with_its_extension_and_content_type(self, point, point_editor):
        pdf = SimpleUploadedFile("调查公告原件.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
        login(point_editor).post(url("add"), form_data(attachments=[{"file": pdf, "name": "调查公告"}]))
        attachment = ReportAttachment.objects.get()
        response = login(point_editor).get(
            reverse("warning_reports:attachment", args=[attachment.report_id, attachment.pk])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''%E8%B0%83%E6%9F%A5%E5%85%AC%E5%91%8A.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")

    def test_an_attachment_named_with_its_extension_keeps_the_name(self, point, point_editor):
        report = make_report(point, point_editor)
        attachment = ReportAttachment.objects.create(
            report=report, file=SimpleUploadedFile("a.xlsx", b"PK\x03\x04"), name="统计表.xlsx"
        )
        response = login(point_editor).get(reverse("warning_reports:attachment", args=[report.pk, attachment.pk]))
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"].endswith("%E7%BB%9F%E8%AE%A1%E8%A1%A8.xlsx")

    def test_a_superuser_cannot_edit_a_points_report(self, point, point_editor):
        report = make_report(point, point_editor, submit=False, title="原标题")
        login(superuser()).post(url("edit", report), form_data(title="管理员改的"))
        assert WarningReport.objects.get(pk=report.pk).title == "原标题"

    def test_a_city_reviewer_reads_a_submitted_report_of_its_city_but_not_another_citys(
        self, point, point_editor, city_reviewer, other_city_reviewer
    ):
        report = make_report(point, point_editor)
        assert login(city_reviewer).get(url("inspect", report)).status_code == 200
        assert login(other_city_reviewer).get(url("inspect", report)).status_code == 404

    def test_the_new_report_form_does_not_autosave_but_a_saved_draft_does(self, point, point_editor):
        client = login(point_editor)
        assert "data-w-autosave-interval-value" not in client.get(url("add")).content.decode()
        client.post(url("add"), form_data())
        report = WarningReport.objects.get(point=point)
        assert "data-w-autosave-interval-value" in client.get(url("edit", report)).content.decode()


def test_points_in_other_cities_do_not_share_reports(other_point):
    third = make_point(district_name="鹿城区")
    editor = make_user("point", point=third)
    report = make_report(third, editor)
    assert login(make_user("point", point=other_point)).get(url("inspect", report)).status_code == 404


def test_the_new_report_page_is_titled_in_chinese(point_editor):
    html = login(point_editor).get(url("add")).content.decode()
    assert "新建：预警信息" in html
    assert "New: " not in html


# --- the editor's main action and wording ---------------------------------------------------------


def main_action(html):
    """The name and label of the footer's main button (the one outside the ▲ menu)."""
    footer = html[html.index('<footer class="footer') :]
    first = re.search(r'<button[^>]*type="submit"[^>]*>.*?</button>', footer, re.S).group(0)
    name = re.search(r'name="([^"]+)"', first)
    label = re.sub(r"<[^>]+>|\s+", "", first)
    return (name.group(1) if name else "action-save"), label


class TestTheEditorsMainAction(SharedPoints):
    """The editor's main action and wording, for one point (made once for the class)."""

    def test_submit_is_the_main_action_on_a_new_report(self, point, point_editor):
        html = login(point_editor).get(url("add")).content.decode()
        assert main_action(html) == ("action-submit", "提交")
        assert "保存草稿" in html  # still offered, under the ▲ menu

    def test_resubmit_is_the_main_action_on_a_returned_report(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        decide(report, city_reviewer, review.RETURN, comment="请补充数据")
        html = login(point_editor).get(url("edit", report)).content.decode()
        assert main_action(html) == ("action-submit", "重新提交")

    def test_the_report_page_is_titled_view_not_inspect(self, point, point_editor):
        report = make_report(point, point_editor, submit=False)
        client = login(point_editor)
        html = client.get(url("inspect", report)).content.decode()
        assert "<title>查看" in html or "查看 - " in html
        # Wagtail's label for the inspect view, as a title, heading or button text (other
        # sentences may use the verb 检查, e.g. the editor's connection warning).
        inspect_label = re.compile(r">\s*检查\s*<|<title>检查")
        assert not inspect_label.search(html)
        assert not inspect_label.search(client.get(url("list")).content.decode())
        assert not inspect_label.search(client.get(url("edit", report)).content.decode())
