"""Submitting 季度形势分析 and 年度工作总结: one per point per period, replace rules, bad input (docs/rules.md §3.2)."""

import io
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tests.factories import make_user
from tests.shared_points import SharedPoints
from warning.models import AnnualSummary, QuarterlyAnalysis, WarningPoint
from warning.periodic import submit_annual_summary, submit_quarterly

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 10, 9, 30, tzinfo=SH)


def xlsx_upload(name="数据.xlsx"):
    book = openpyxl.Workbook()
    book.active["A1"] = "出口额"
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def quarterly(point, user, now=NOW, **overrides):
    fields = dict(point=point, user=user, year=2026, quarter=1, title="2026年第1季度分析报告", content="出口平稳。")
    fields.update(overrides)
    return submit_quarterly(now=now, **fields)


def summary(point, user, now, **overrides):
    fields = dict(point=point, user=user, year=2025, title="2025年度工作总结", content="全年工作总结。")
    fields.update(overrides)
    return submit_annual_summary(now=now, **fields)


def media_files():
    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(root, f) for f in files)
    return found


def errors_of(excinfo):
    return " ".join(excinfo.value.messages)


class TestSharedPointEditorSubmitsA(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_point_editor_submits_a_quarterly_analysis(self, point, point_editor):
        result = quarterly(point, point_editor)
        item = QuarterlyAnalysis.objects.get()
        assert not result.replaced
        assert (item.point, item.year, item.quarter, item.title) == (point, 2026, 1, "2026年第1季度分析报告")
        assert item.submitted_at == NOW and item.submitted_by == point_editor
        assert item.magazine_status == QuarterlyAnalysis.Decision.PENDING

    def test_resubmitting_the_same_quarter_replaces_the_pending_item(self, point, point_editor):
        first = quarterly(point, point_editor).item
        later = datetime(2026, 5, 12, 10, 0, tzinfo=SH)
        result = quarterly(point, point_editor, now=later, title="修订稿", content="修订后的内容")
        assert result.replaced and result.item.pk == first.pk
        item = QuarterlyAnalysis.objects.get()
        assert (item.title, item.content, item.submitted_at) == ("修订稿", "修订后的内容", later)

    def test_another_quarter_is_a_separate_item(self, point, point_editor):
        quarterly(point, point_editor, quarter=1)
        quarterly(point, point_editor, quarter=2)
        assert QuarterlyAnalysis.objects.filter(point=point).count() == 2


def test_two_points_each_have_their_own_item_for_one_quarter(point, point_editor, other_point, other_point_editor):
    quarterly(point, point_editor)
    quarterly(other_point, other_point_editor)
    assert QuarterlyAnalysis.objects.filter(year=2026, quarter=1).count() == 2


class TestSharedDatabaseRefusesASecond(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_database_refuses_a_second_quarterly_for_the_same_period(self, point, point_editor):
        quarterly(point, point_editor)
        with pytest.raises(IntegrityError), transaction.atomic():
            QuarterlyAnalysis.objects.create(
                point=point, year=2026, quarter=1, title="x", content="y", submitted_at=NOW
            )

    def test_replacement_is_refused_after_adoption_and_nothing_changes(self, point, point_editor):
        item = quarterly(point, point_editor).item
        QuarterlyAnalysis.objects.filter(pk=item.pk).update(magazine_status=QuarterlyAnalysis.Decision.ADOPTED)
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, title="想替换")
        assert "已被杂志录用，不能再替换" in errors_of(excinfo)
        item.refresh_from_db()
        assert item.title == "2026年第1季度分析报告" and item.submitted_at == NOW

    def test_replacement_is_refused_after_the_magazine_declined(self, point, point_editor):
        item = quarterly(point, point_editor).item
        QuarterlyAnalysis.objects.filter(pk=item.pk).update(magazine_status=QuarterlyAnalysis.Decision.DECLINED)
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, title="想替换")
        assert "不录用" in errors_of(excinfo)
        assert QuarterlyAnalysis.objects.get().title == "2026年第1季度分析报告"

    @pytest.mark.parametrize("quarter", [0, 5, "x", None])
    def test_bad_quarter_gets_a_chinese_message_and_saves_nothing(self, point, point_editor, quarter):
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, quarter=quarter)
        assert excinfo.value.message_dict["quarter"] == ["季度应为 1 至 4。"]
        assert not QuarterlyAnalysis.objects.exists()

    @pytest.mark.parametrize("year", [1999, 2027, "二零二六", ""])
    def test_bad_year_gets_a_chinese_message_and_saves_nothing(self, point, point_editor, year):
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, year=year)
        assert "年度应为 2000 至 2026 之间的年份" in excinfo.value.message_dict["year"][0]
        assert not QuarterlyAnalysis.objects.exists()

    def test_a_quarter_that_has_not_begun_is_refused(self, point, point_editor):
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, quarter=3)  # 2026-05-10: Q3 starts on 1 July
        assert "尚未开始" in excinfo.value.message_dict["quarter"][0]
        assert not QuarterlyAnalysis.objects.exists()

    def test_blank_title_or_content_is_refused(self, point, point_editor):
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, title="  ", content="")
        assert excinfo.value.message_dict == {"title": ["请填写标题。"], "content": ["请填写内容。"]}
        assert not QuarterlyAnalysis.objects.exists()


def test_another_points_editor_cannot_submit_for_a_point(point, other_point_editor):
    with pytest.raises(PermissionDenied):
        quarterly(point, other_point_editor)
    assert not QuarterlyAnalysis.objects.exists()


class TestSharedOtherRolesCannotSubmit(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize("role", ["magazine", "province", "city"])
    def test_other_roles_cannot_submit(self, point, role):
        with pytest.raises(PermissionDenied):
            quarterly(point, make_user(role))
        with pytest.raises(PermissionDenied):
            summary(point, make_user(role), NOW)
        assert not QuarterlyAnalysis.objects.exists() and not AnnualSummary.objects.exists()

    def test_a_revoked_point_cannot_submit(self, point, point_editor):
        WarningPoint.objects.filter(pk=point.pk).update(status=WarningPoint.Status.REVOKED)
        point.refresh_from_db()
        with pytest.raises(PermissionDenied):
            quarterly(point, point_editor)

    def test_an_attachment_is_stored_under_an_unguessable_name(self, point, point_editor):
        item = quarterly(point, point_editor, attachment=xlsx_upload("我的分析.xlsx")).item
        assert item.attachment.name.startswith("periodic/")
        assert item.attachment.name.endswith(".xlsx") and "我的分析" not in item.attachment.name
        assert len(os.path.basename(item.attachment.name)) == 32 + len(".xlsx")
        with item.attachment.open("rb") as handle:
            assert handle.read(2) == b"PK"

    def test_a_disguised_attachment_is_refused_and_nothing_is_stored(self, point, point_editor):
        before = media_files()
        fake = SimpleUploadedFile("分析.pdf", "不是PDF的文本".encode())
        with pytest.raises(ValidationError) as excinfo:
            quarterly(point, point_editor, attachment=fake)
        assert "不是有效的" in excinfo.value.message_dict["attachment"][0]
        assert not QuarterlyAnalysis.objects.exists()
        assert media_files() == before

    def test_a_refused_replacement_stores_no_new_attachment(self, point, point_editor):
        item = quarterly(point, point_editor).item
        QuarterlyAnalysis.objects.filter(pk=item.pk).update(magazine_status=QuarterlyAnalysis.Decision.ADOPTED)
        before = media_files()
        with pytest.raises(ValidationError):
            quarterly(point, point_editor, attachment=xlsx_upload())
        assert media_files() == before
        item.refresh_from_db()
        assert not item.attachment

    def test_a_replacement_without_a_new_file_keeps_the_old_attachment(self, point, point_editor):
        stored = quarterly(point, point_editor, attachment=xlsx_upload()).item.attachment.name
        quarterly(point, point_editor, title="修订稿")
        assert QuarterlyAnalysis.objects.get().attachment.name == stored

    def test_an_annual_summary_is_one_per_point_per_year_and_replaced_before_its_deadline(self, point, point_editor):
        summary(point, point_editor, datetime(2026, 1, 5, tzinfo=SH))
        result = summary(point, point_editor, datetime(2026, 1, 18, tzinfo=SH), title="修订版总结")
        assert result.replaced
        assert list(AnnualSummary.objects.values_list("title", flat=True)) == ["修订版总结"]

    def test_an_on_time_summary_cannot_be_replaced_after_20_january(self, point, point_editor):
        summary(point, point_editor, datetime(2026, 1, 20, 23, 59, 59, tzinfo=SH))
        with pytest.raises(ValidationError) as excinfo:
            summary(point, point_editor, datetime(2026, 1, 21, 0, 0, 0, tzinfo=SH), title="迟到的修订")
        assert "已按时提交" in errors_of(excinfo)
        assert AnnualSummary.objects.get().title == "2025年度工作总结"

    def test_a_late_summary_can_still_be_replaced(self, point, point_editor):
        summary(point, point_editor, datetime(2026, 2, 1, tzinfo=SH))
        result = summary(point, point_editor, datetime(2026, 3, 1, tzinfo=SH), title="补充修订")
        assert result.replaced and AnnualSummary.objects.get().title == "补充修订"

    def test_a_counted_quarterly_cannot_be_replaced_after_the_window_closes(self, point, point_editor):
        quarterly(point, point_editor, year=2025, quarter=4, now=datetime(2026, 1, 10, tzinfo=SH))
        with pytest.raises(ValidationError):
            quarterly(point, point_editor, year=2025, quarter=4, now=datetime(2026, 1, 21, tzinfo=SH), title="迟到")
        assert QuarterlyAnalysis.objects.get().submitted_at == datetime(2026, 1, 10, tzinfo=SH)

    def test_an_annual_summary_for_a_future_year_is_refused(self, point, point_editor):
        with pytest.raises(ValidationError) as excinfo:
            summary(point, point_editor, NOW, year=2027)
        assert "year" in excinfo.value.message_dict
        assert not AnnualSummary.objects.exists()
