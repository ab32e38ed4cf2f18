"""Every admin search box finds Chinese words through search_zh, each within the user's own scope."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from wagtail.documents import get_document_model

from subsites.models import SubsiteProvision
from tests.factories import make_point
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from tests.subsites_factories import make_article, make_image
from warning import review
from warning.models import AnnualSummary, Notice, QuarterlyAnalysis
from warning.notices import issue_notice
from warning.notify import notify_users

pytestmark = pytest.mark.django_db

AT = datetime(2026, 4, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- pages: search, explorer, chooser -------------------------------------------------


class TestSharedPageSearchFindsA(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_page_search_finds_a_word_inside_a_title_and_only_the_editors_own_pages(
        self, client, point, other_point, point_editor
    ):
        make_article(point, title="欧盟对原产于中国的化纤面料作出反倾销终裁")
        make_article(other_point, title="印度对华铅笔反倾销调查")
        client.force_login(point_editor)
        html = listed(client, "/admin/pages/search/", q="反倾销")
        assert "化纤面料作出反倾销终裁" in html
        assert "印度对华铅笔反倾销调查" not in html

    def test_provincial_page_search_finds_every_points_pages_by_a_partial_word(
        self, client, point, other_point, provincial
    ):
        make_article(point, title="欧盟对原产于中国的化纤面料作出反倾销终裁")
        make_article(other_point, title="印度对华铅笔反倾销调查")
        client.force_login(provincial)
        html = listed(client, "/admin/pages/search/", q="反倾")
        assert "化纤面料作出反倾销终裁" in html and "印度对华铅笔反倾销调查" in html
        assert "精细化工" in listed(client, "/admin/pages/search/", q="建德精细")


def test_page_search_lists_every_page_type_as_wagtails_own_listing_does(client, point, provincial, monkeypatch):
    """搜索所有页面 without a query reads the listed pages without their own tables' rows and takes
    the total from the per-type counts (search_zh/page_search.py): it renders what Wagtail's own
    view renders with every row read and the hits counted again."""
    from wagtail.admin.views.pages.search import SearchView

    from search_zh.page_search import ChinesePageSearchView

    make_article(point, title="栏目里的一篇文章")
    client.force_login(provincial)
    ours = listed(client, "/admin/pages/search/results/")
    for name in ("annotate_queryset", "get_queryset", "get_context_data"):
        monkeypatch.setattr(ChinesePageSearchView, name, getattr(SearchView, name))
    wagtails = listed(client, "/admin/pages/search/results/")
    assert ours == wagtails
    for shown in ("栏目里的一篇文章", "预警信息", "预警工作交流", "帮助中心"):
        assert shown in ours
    assert re.search(r"所有 \(\d+\)", ours)


class TestSharedExplorerSearchFindsWords(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_explorer_search_finds_words_below_the_column(self, client, point, point_editor):
        article = make_article(point, title="美国对光伏组件发起337调查")
        client.force_login(point_editor)
        html = listed(client, f"/admin/pages/{article.get_parent().pk}/", q="光伏")
        assert "美国对光伏组件发起337调查" in html

    def test_page_chooser_autocompletes_a_half_typed_word(self, client, point, point_editor):
        make_article(point, title="欧盟碳边境调节机制进入正式征收阶段")
        client.force_login(point_editor)
        html = listed(client, "/admin/choose-page/search/", q="碳边境调")
        assert "欧盟碳边境调节机制进入正式征收阶段" in html

    def test_images_and_documents_are_found_by_a_word_in_the_points_collection(self, client, point, point_editor):
        collection = SubsiteProvision.objects.get(point=point).collection
        for title in ("贸易摩擦应对培训会现场", "企业调研"):
            image = make_image(title=title)
            image.collection = collection
            image.save()
        Document = get_document_model()
        Document.objects.create(title="反倾销应诉指南", file="documents/guide.pdf", collection=collection)
        Document.objects.create(title="出口统计表", file="documents/table.xlsx", collection=collection)
        client.force_login(point_editor)
        html = listed(client, "/admin/images/", q="培训")
        assert "贸易摩擦应对培训会现场" in html and "企业调研" not in html
        assert "贸易摩擦应对培训会现场" in listed(client, "/admin/images/chooser/results/", q="培训")
        html = listed(client, "/admin/documents/", q="应诉")
        assert "反倾销应诉指南" in html and "出口统计表" not in html


# --- 我的预警信息 and the review queues ---------------------------------------------------


@pytest.mark.parametrize("query", ["abc", "反倾销", "\x00", "！！", "的", "预" * 300])
def test_my_reports_search_never_fails(client, point, point_editor, query):
    make_report(point, point_editor, title="欧盟对化纤面料反倾销")
    client.force_login(point_editor)
    assert client.get("/admin/snippets/warning/warningreport/", {"q": query}).status_code == 200


class TestSharedMyReportsSearchFinds(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_my_reports_search_finds_words_in_title_and_body_of_own_reports_only(
        self, client, point, point_editor, other_point, other_point_editor
    ):
        make_report(point, point_editor, title="欧盟对化纤面料作出终裁", body="<p>征收反倾销税五年。</p>")
        make_report(point, point_editor, title="美国光伏组件337调查", body="<p>涉及专利侵权。</p>")
        make_report(other_point, other_point_editor, title="印度对华反倾销调查")
        client.force_login(point_editor)
        html = listed(client, "/admin/snippets/warning/warningreport/", q="反倾销")
        assert "欧盟对化纤面料作出终裁" in html
        assert "美国光伏组件337调查" not in html and "印度对华反倾销调查" not in html

    def test_review_queue_search_stays_in_the_reviewers_city(
        self, client, point, point_editor, other_point, other_point_editor, city_reviewer
    ):
        make_report(point, point_editor, title="巴西对华轮胎反倾销调查")
        make_report(point, point_editor, title="美国蜂蜜反倾销调查")
        make_report(other_point, other_point_editor, title="墨西哥对华轮胎加征关税")
        client.force_login(city_reviewer)
        html = listed(client, "/admin/review/", q="轮胎")
        assert "巴西对华轮胎反倾销调查" in html
        assert "美国蜂蜜反倾销调查" not in html and "墨西哥对华轮胎加征关税" not in html


def test_provincial_review_queue_search(client, point, point_editor, city_reviewer, provincial):
    report = make_report(point, point_editor, title="巴西对华轮胎反倾销调查")
    decide(report, city_reviewer, review.APPROVE, comment="")
    make_report(point, point_editor, title="美国蜂蜜反倾销调查")
    client.force_login(provincial)
    html = listed(client, "/admin/review/", q="轮胎", tab="all")
    assert "巴西对华轮胎反倾销调查" in html and "美国蜂蜜反倾销调查" not in html


# --- registry, messages, notices, periodic reports -----------------------------------------


def test_point_registry_search_by_a_partial_name_within_the_city(client, point, city_reviewer):
    make_point(name="杭州经济联络处外贸预警点", district_name="建德市")
    make_point(name="丽水经济联络处外贸预警点", district_name="庆元县")
    client.force_login(city_reviewer)
    # 杭州预警点 is not a substring of the name: the words 杭州 and 预警点 are.
    html = listed(client, "/admin/warning/warningpoint/", q="经济联")
    assert "杭州经济联络处外贸预警点" in html and "丽水经济联络处外贸预警点" not in html
    html = listed(client, "/admin/warning/warningpoint/", q="杭州预警点")
    assert "杭州经济联络处外贸预警点" in html and "丽水经济联络处外贸预警点" not in html
    assert point.name not in html


class TestSharedMessageCentreSearchFinds(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_message_centre_search_finds_own_messages_only(self, client, point_editor, other_point_editor):
        notify_users([point_editor], "您的预警信息《巴西对华轮胎反倾销调查》已通过审核")
        notify_users([point_editor], "季度形势分析提交提醒")
        notify_users([other_point_editor], "您的预警信息《墨西哥轮胎关税》已通过审核")
        client.force_login(point_editor)
        html = listed(client, "/admin/messages/", q="轮胎 审核")
        assert "巴西对华轮胎反倾销调查" in html
        assert "季度形势分析提交提醒" not in html and "墨西哥轮胎关税" not in html

    def test_notice_lists_search_for_the_province_and_for_a_receiving_point(
        self, client, point, other_point, provincial, point_editor
    ):
        issue_notice(provincial, "关于印度化纤面料反倾销调查的预警", "请纺织企业做好应诉准备。", Notice.Audience.ALL)
        issue_notice(provincial, "关于报送季度形势分析的通知", "请按时报送。", Notice.Audience.ALL)
        client.force_login(provincial)
        html = listed(client, "/admin/notices/", q="印度反倾销")
        assert "关于印度化纤面料反倾销调查的预警" in html and "关于报送季度形势分析的通知" not in html
        client.force_login(point_editor)
        html = listed(client, "/admin/messages/notices/", q="化纤")
        assert "关于印度化纤面料反倾销调查的预警" in html and "关于报送季度形势分析的通知" not in html

    def test_quarterly_and_annual_lists_search_within_scope(self, client, point, other_point, point_editor, provincial):
        QuarterlyAnalysis.objects.create(
            point=point,
            year=2026,
            quarter=1,
            title="一季度纺织服装出口形势分析",
            content="出口订单回落",
            submitted_at=AT,
        )
        QuarterlyAnalysis.objects.create(
            point=other_point, year=2026, quarter=1, title="一季度铅笔出口形势分析", content="订单平稳", submitted_at=AT
        )
        AnnualSummary.objects.create(
            point=point,
            year=2025,
            title="2025年度预警工作总结",
            content="全年开展贸易摩擦应对培训四次",
            submitted_at=AT,
        )
        client.force_login(point_editor)
        assert "一季度纺织服装出口形势分析" in listed(client, "/admin/periodic/quarterly/", q="出口订单")
        html = listed(client, "/admin/periodic/quarterly/", q="形势分析")
        assert "一季度纺织服装出口形势分析" in html and "一季度铅笔出口形势分析" not in html
        assert "2025年度预警工作总结" in listed(client, "/admin/periodic/annual/", q="培训")
        client.force_login(provincial)
        html = listed(client, "/admin/periodic/quarterly/", q="铅笔")
        assert "一季度铅笔出口形势分析" in html and "纺织服装" not in re.sub(
            r"<select.*?</select>", "", html, flags=re.S
        )
