"""The admin screens of 季度形势分析 and 年度工作总结: each role sees exactly its own, forms refuse bad input."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from tests.factories import bulk_points, make_point, make_user
from tests.shared_points import SharedPoints
from warning.models import AnnualSummary, Industry, QuarterlyAnalysis
from warning.periodic import current_due_items, open_period

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 4, 10, 9, 0, tzinfo=SH)


def make_analysis(point, year=2026, quarter=1, title=None, **fields):
    return QuarterlyAnalysis.objects.create(
        point=point,
        year=year,
        quarter=quarter,
        title=title or f"{point.name}{year}年第{quarter}季度分析",
        content="内容",
        submitted_at=AT,
        **fields,
    )


def make_summary(point, year=2025, title=None):
    return AnnualSummary.objects.create(
        point=point, year=year, title=title or f"{point.name}{year}年度总结", content="内容", submitted_at=AT
    )


def xlsx_bytes():
    book = openpyxl.Workbook()
    book.active["A1"] = "出口额"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- lists -------------------------------------------------------------------


class TestSharedPointEditorListsOnly(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_point_editor_lists_only_its_own_items(self, client, point, point_editor, other_point):
        make_analysis(point, title="本点的分析")
        make_analysis(other_point, title="别的点的分析")
        make_summary(point, title="本点的总结")
        make_summary(other_point, title="别的点的总结")
        client.force_login(point_editor)
        quarterly = page(client, "warning_periodic:quarterly_index")
        assert "本点的分析" in quarterly and "别的点的分析" not in quarterly
        annual = page(client, "warning_periodic:annual_index")
        assert "本点的总结" in annual and "别的点的总结" not in annual

    def test_city_reviewer_lists_only_its_citys_items(self, client, point, other_point, city_reviewer):
        make_analysis(point, title="杭州的分析")
        make_analysis(other_point, title="丽水的分析")
        client.force_login(city_reviewer)
        html = page(client, "warning_periodic:quarterly_index")
        assert "杭州的分析" in html and "丽水的分析" not in html

    def test_provincial_list_shows_every_point_with_the_seed_columns(self, client, point, other_point, provincial):
        make_analysis(point, title="杭州的分析")
        make_analysis(other_point, title="丽水的分析")
        client.force_login(provincial)
        html = page(client, "warning_periodic:quarterly_index")
        assert "杭州的分析" in html and "丽水的分析" in html
        for column in ("标题", "年度", "季度", "提交单位", "提交时间"):
            assert column in html
        assert "2026-04-10 09:00:00" in html  # 提交时间 in Shanghai time


def test_provincial_filters_by_year_quarter_industry_and_point_name(client, provincial):
    textiles = Industry.objects.get(name="纺织服装")
    a = make_point(name="甲预警点")
    b = make_point(name="乙预警点", industry=textiles)
    make_analysis(a, year=2025, quarter=4, title="甲2025Q4")
    make_analysis(a, year=2026, quarter=1, title="甲2026Q1")
    make_analysis(b, year=2026, quarter=1, title="乙2026Q1")
    client.force_login(provincial)

    def titles(**params):
        html = page(client, "warning_periodic:quarterly_index", **params)
        return {t for t in ("甲2025Q4", "甲2026Q1", "乙2026Q1") if t in html}

    assert titles(year=2025) == {"甲2025Q4"}
    assert titles(quarter=1) == {"甲2026Q1", "乙2026Q1"}
    assert titles(industry=textiles.pk) == {"乙2026Q1"}
    assert titles(point_name="甲") == {"甲2025Q4", "甲2026Q1"}
    assert titles(year=2026, point_name="乙") == {"乙2026Q1"}


def test_annual_list_shows_whether_each_summary_was_on_time(client, point, other_point, provincial):
    AnnualSummary.objects.create(
        point=point, year=2025, title="按时总结", content="c", submitted_at=datetime(2026, 1, 20, 23, 59, 59, tzinfo=SH)
    )
    AnnualSummary.objects.create(
        point=other_point, year=2025, title="逾期总结", content="c", submitted_at=datetime(2026, 1, 21, tzinfo=SH)
    )
    client.force_login(provincial)
    html = page(client, "warning_periodic:annual_index")
    assert html.count("否（逾期）") == 1


@pytest.mark.parametrize("kind", ["quarterly", "annual"])
@pytest.mark.parametrize("size", [10, 200])
def test_list_query_count_does_not_grow_with_items(client, provincial, django_assert_max_num_queries, kind, size):
    for i, point in enumerate(bulk_points(size)):
        if kind == "quarterly":
            make_analysis(point, title=f"批量分析{i}")
        else:
            make_summary(point, title=f"批量总结{i}")
    client.force_login(provincial)
    with django_assert_max_num_queries(30):  # the admin frame (menu, badges) included
        response = client.get(reverse(f"warning_periodic:{kind}_index"))
    assert response.content.decode().count("批量预警点") == min(size, 20)


# --- view page and attachment -------------------------------------------------


def test_provincial_contact_views_an_item_and_downloads_its_attachment(client, point, provincial):
    analysis = make_analysis(point, title="带附件的分析")
    content = xlsx_bytes()
    analysis.attachment.save("0123abcd.xlsx", ContentFile(content), save=True)
    client.force_login(provincial)
    html = page(client, "warning_periodic:quarterly_detail", analysis.pk)
    download = reverse("warning_periodic:quarterly_attachment", args=[analysis.pk])
    assert "带附件的分析" in html and download in html
    assert analysis.attachment.name not in html  # never a storage path; private files have no URL
    assert analysis.attachment.url == ""
    response = client.get(download)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == content


def test_another_points_item_and_attachment_are_404_for_a_point_editor(client, other_point, point_editor):
    analysis = make_analysis(other_point)
    analysis.attachment.save("x.xlsx", ContentFile(xlsx_bytes()), save=True)
    summary = make_summary(other_point)
    client.force_login(point_editor)
    assert client.get(reverse("warning_periodic:quarterly_detail", args=[analysis.pk])).status_code == 404
    assert client.get(reverse("warning_periodic:quarterly_attachment", args=[analysis.pk])).status_code == 404
    assert client.get(reverse("warning_periodic:annual_detail", args=[summary.pk])).status_code == 404


def test_another_citys_item_is_404_for_a_city_reviewer(client, other_point, city_reviewer):
    analysis = make_analysis(other_point)
    client.force_login(city_reviewer)
    assert client.get(reverse("warning_periodic:quarterly_detail", args=[analysis.pk])).status_code == 404


class TestSharedAnonymousVisitorsAreSent(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, point):
        analysis = make_analysis(point)
        analysis.attachment.save("x.xlsx", ContentFile(xlsx_bytes()), save=True)
        response = client.get(reverse("warning_periodic:quarterly_attachment", args=[analysis.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_magazine_editor_may_not_list_annual_summaries_nor_submit(self, client, point, magazine_editor):
        client.force_login(magazine_editor)
        assert client.get(reverse("warning_periodic:annual_index")).status_code == 403
        assert client.get(reverse("warning_periodic:quarterly_submit")).status_code == 403
        response = client.post(
            reverse("warning_periodic:quarterly_submit"),
            {"title": "杂志编辑的分析", "year": 2026, "quarter": 1, "content": "c"},
        )
        assert response.status_code == 403
        assert not QuarterlyAnalysis.objects.exists()


@pytest.mark.parametrize("role", ["province", "city"])
def test_reviewing_roles_cannot_submit(client, db, role):
    client.force_login(make_user(role))
    assert client.get(reverse("warning_periodic:annual_submit")).status_code == 403


def test_menu_items_follow_the_roles(rf, point_editor, city_reviewer, provincial, magazine_editor):
    def names(user):
        request = rf.get("/admin/")
        request.user = user
        return {item.name for item in admin_menu.menu_items_for_request(request)}

    for user in (point_editor, city_reviewer, provincial):
        assert {"quarterly-analyses", "annual-summaries"} <= names(user)
    assert not {"quarterly-analyses", "annual-summaries"} & names(magazine_editor)


# --- submitting through the form -----------------------------------------------


def submit(client, kind="quarterly", **data):
    fields = {"title": "2026年第1季度分析报告", "year": 2026, "quarter": 1, "content": "出口形势"}
    fields.update(data)
    return client.post(reverse(f"warning_periodic:{kind}_submit"), fields)


class TestSharedPointEditorSubmitsWith(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_point_editor_submits_with_a_real_xlsx_attachment(self, client, point, point_editor):
        client.force_login(point_editor)
        response = submit(client, attachment=SimpleUploadedFile("数据.xlsx", xlsx_bytes()))
        analysis = QuarterlyAnalysis.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("warning_periodic:quarterly_detail", args=[analysis.pk])
        assert (analysis.point, analysis.submitted_by) == (point, point_editor)
        assert analysis.attachment.name.endswith(".xlsx")

    def test_submitting_again_replaces_and_says_so(self, client, point, point_editor):
        client.force_login(point_editor)
        submit(client)
        response = submit(client, title="修订稿")
        assert QuarterlyAnalysis.objects.get().title == "修订稿"
        assert "已替换" in client.get(response["Location"]).content.decode()

    def test_the_form_refuses_a_bad_quarter_in_chinese_and_saves_nothing(self, client, point_editor):
        client.force_login(point_editor)
        response = submit(client, quarter=5)
        assert response.status_code == 200
        assert "季度应为 1 至 4" in response.content.decode()
        assert not QuarterlyAnalysis.objects.exists()

    def test_the_form_refuses_a_bad_year_in_chinese_and_saves_nothing(self, client, point_editor):
        client.force_login(point_editor)
        response = submit(client, year=1999)
        assert "年度应为 2000 至" in response.content.decode()
        response = submit(client, year="今年")
        assert "年度应为数字" in response.content.decode()
        assert not QuarterlyAnalysis.objects.exists()

    def test_the_form_refuses_a_text_file_named_pdf_and_saves_nothing(self, client, point_editor):
        client.force_login(point_editor)
        response = submit(client, attachment=SimpleUploadedFile("分析.pdf", "纯文本".encode()))
        assert response.status_code == 200
        assert "不是有效的" in response.content.decode()
        assert not QuarterlyAnalysis.objects.exists()

    def test_the_form_refuses_to_replace_an_adopted_analysis(self, client, point, point_editor):
        make_analysis(point, title="已录用的分析", magazine_status=QuarterlyAnalysis.Decision.ADOPTED)
        client.force_login(point_editor)
        response = submit(client, title="想替换")
        assert "已被杂志录用，不能再替换" in response.content.decode()
        assert QuarterlyAnalysis.objects.get().title == "已录用的分析"

    def test_the_submit_form_proposes_the_period_that_is_due(self, client, point_editor):
        client.force_login(point_editor)
        quarterly, annual = current_due_items()
        html = page(client, "warning_periodic:annual_submit")
        assert f'value="{annual.year}"' in html
        html = page(client, "warning_periodic:quarterly_submit")
        assert f'value="{quarterly.year}"' in html


def selected_quarter(html):
    return re.search(r'<option value="(\d)" selected>', html).group(1)


class TestSharedTheQuarterlyFormSkips(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_the_quarterly_form_skips_a_due_quarter_the_magazine_already_decided(self, client, point, point_editor):
        due, _ = current_due_items()
        make_analysis(point, year=due.year, quarter=due.quarter, magazine_status=QuarterlyAnalysis.Decision.ADOPTED)
        now = timezone.localtime()
        client.force_login(point_editor)
        html = page(client, "warning_periodic:quarterly_submit")
        assert f'name="year" value="{now.year}"' in html
        assert selected_quarter(html) == str((now.month - 1) // 3 + 1)
        assert "已被杂志录用，不能再替换" not in html

    def test_the_annual_form_skips_a_locked_summary_of_last_year(self, client, point, point_editor):
        _, due = current_due_items()
        summary = make_summary(point, year=due.year)
        # Filed on time and the deadline has passed: it can no longer be replaced.
        AnnualSummary.objects.filter(pk=summary.pk).update(submitted_at=datetime(due.year + 1, 1, 10, tzinfo=SH))
        client.force_login(point_editor)
        html = page(client, "warning_periodic:annual_submit")
        if timezone.now() >= datetime(due.year + 1, 1, 21, tzinfo=SH):
            assert f'name="year" value="{due.year + 1}"' in html
        else:  # before the deadline the due summary is still open (replaceable)
            assert f'name="year" value="{due.year}"' in html

    @pytest.mark.parametrize(
        ("now", "adopted", "expected"),
        [
            (datetime(2026, 5, 10, tzinfo=SH), [], (2026, 1)),  # the due quarter, nothing filed
            (datetime(2026, 5, 10, tzinfo=SH), [(2026, 1)], (2026, 2)),  # due quarter decided: this quarter
            (datetime(2026, 1, 5, tzinfo=SH), [(2025, 4)], (2026, 1)),  # across the year
            (datetime(2026, 5, 10, tzinfo=SH), [(2026, 1), (2026, 2)], (2026, 1)),  # all locked: the due one
        ],
    )
    def test_open_period_of_a_quarterly(self, point, now, adopted, expected):
        for year, quarter in adopted:
            make_analysis(point, year=year, quarter=quarter, magazine_status=QuarterlyAnalysis.Decision.ADOPTED)
        assert open_period(point.pk, "quarterly", now) == expected

    def test_open_period_prefers_a_period_not_yet_filed(self, point):
        make_analysis(point, year=2026, quarter=1)  # pending, still replaceable
        assert open_period(point.pk, "quarterly", datetime(2026, 5, 10, tzinfo=SH)) == (2026, 2)
        make_analysis(point, year=2026, quarter=2)
        assert open_period(point.pk, "quarterly", datetime(2026, 5, 10, tzinfo=SH)) == (2026, 1)

    def test_point_editor_submits_an_annual_summary(self, client, point, point_editor):
        client.force_login(point_editor)
        response = submit(client, kind="annual", title="2025年度工作总结", year=2025)
        assert response.status_code == 302
        assert AnnualSummary.objects.get().point == point

    def test_the_submit_form_warns_in_advance_that_an_adopted_analysis_cannot_be_replaced(
        self, client, point, point_editor
    ):
        make_analysis(point, title="已录用的分析", magazine_status=QuarterlyAnalysis.Decision.ADOPTED)
        client.force_login(point_editor)
        html = page(client, "warning_periodic:quarterly_submit", year=2026, quarter=1)
        assert "已录用的分析" in html and "已被杂志录用，不能再替换" in html

    def test_the_submit_form_says_a_pending_analysis_will_be_replaced(self, client, point, point_editor):
        make_analysis(point, title="待替换的分析")
        client.force_login(point_editor)
        html = page(client, "warning_periodic:quarterly_submit", year=2026, quarter=1)
        assert "再次提交将替换原内容" in html and 'value="待替换的分析"' in html
