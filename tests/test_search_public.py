"""The public search: ranking, marked summaries, filters, paging, scope, a current index, and bad input."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from subsites.models import ArticlePage, ColumnKind
from tests.factories import make_point
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from tests.subsites_factories import column_of, make_article, make_exchange_report, make_private
from warning import review
from warning.models import City, Industry

pytestmark = pytest.mark.django_db

TWO_YEARS_AGO = timezone.localdate().year - 2


def results_of(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return re.findall(r'<h3 class="item-list__title"><a href="[^"]*">(.*?)</a></h3>', html), html


def titles(client, **params):
    return [re.sub(r"</?mark>", "", title) for title in results_of(client, **params)[0]]


# --- ranking and summaries ---------------------------------------------------------


class TestSharedATitleMatchRanks(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_a_title_match_ranks_above_a_body_match_and_recency_breaks_ties(self, client, point):
        old = make_article(point, title="美国对华紧固件反倾销调查", body="<p>请企业关注。</p>")
        body_only = make_article(point, title="本周外贸动态", body="<p>美国对华紧固件反倾销调查已立案。</p>")
        new = make_article(point, title="美国对华紧固件反倾销调查", body="<p>请企业关注。</p>")
        Page.objects.filter(pk=old.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=30))
        assert titles(client, q="紧固件") == [new.title, old.title, body_only.title]
        ordered = results_of(client, q="紧固件")[1]
        assert ordered.index(f'href="{new.url}"') < ordered.index(f'href="{old.url}"')

    def test_the_summary_marks_the_hit_and_escapes_the_text(self, client, point):
        make_article(
            point,
            title="出口动态",
            summary="",
            body="<p>据报道，&lt;script&gt;alert(1)&lt;/script&gt; 印度对华化纤面料发起反倾销调查。</p>",
        )
        _titles, html = results_of(client, q="化纤面料")
        summary = re.search(r'<p class="search-results__summary">(.*?)</p>', html).group(1)
        assert "<mark>化纤面料</mark>" in summary
        assert "&lt;script&gt;" in summary and "<script>" not in html.split("<main")[1]

    def test_markup_is_never_indexed_or_found(self, client, point):
        make_article(point, title="美国对华反倾销调查", body="<p><strong>请</strong>企业关注。</p>")
        assert titles(client, q="p") == []
        assert titles(client, q="strong") == []
        assert "strong" not in " ".join(IndexEntry.objects.values_list("body", flat=True))


# --- scope --------------------------------------------------------------------------


def test_only_live_public_pages_and_published_exchange_reports_are_found(client, point, point_editor):
    make_article(point, title="反倾销已发布")
    make_article(point, title="反倾销草稿", publish=False)
    make_private(make_article(point, title="反倾销内部信息"))
    make_exchange_report(point, title="反倾销交流信息")
    make_exchange_report(point, title="反倾销未公开信息", to_exchange=False)
    make_report(point, point_editor, title="反倾销审核中的信息")
    assert sorted(titles(client, q="反倾销")) == sorted(["反倾销已发布", "反倾销交流信息"])


# --- filters and paging ---------------------------------------------------------------


@pytest.fixture
def classified(point, other_point):
    chem = Industry.objects.get(name="化工")
    light = Industry.objects.get(name="轻工")
    make_article(point, title="美国反倾销预警甲", industry=chem, country="US")
    make_article(point, ColumnKind.NEWS, title="美国反倾销动态乙", industry=chem, country="US")
    make_article(other_point, title="印度反倾销预警丙", industry=light, country="IN")
    report = make_exchange_report(other_point, title="印度反倾销交流丁", industry=light, country="IN")
    report.exchange_published_at = report.exchange_published_at.replace(year=TWO_YEARS_AGO)
    report.save()
    return chem, light


class TestSharedFiltersNarrowTheHits(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"column": "warning"}, {"美国反倾销预警甲", "印度反倾销预警丙"}),
            ({"column": "news"}, {"美国反倾销动态乙"}),
            ({"column": "exchange"}, {"印度反倾销交流丁"}),
            ({"country": "IN"}, {"印度反倾销预警丙", "印度反倾销交流丁"}),
            ({"column": "warning", "country": "US"}, {"美国反倾销预警甲"}),
        ],
    )
    def test_filters_narrow_the_hits(self, client, classified, params, expected):
        assert set(titles(client, q="反倾销", **params)) == expected

    def test_year_filter_uses_the_publication_year(self, client, classified):
        assert set(titles(client, q="反倾销", year=TWO_YEARS_AGO)) == {"印度反倾销交流丁"}
        this_year = set(titles(client, q="反倾销", year=timezone.localdate().year))
        assert "印度反倾销交流丁" not in this_year and "美国反倾销预警甲" in this_year

    def test_point_city_and_industry_filters(self, client, classified, point, other_point):
        chem, light = classified
        assert set(titles(client, q="反倾销", point=point.pk)) == {"美国反倾销预警甲", "美国反倾销动态乙"}
        lishui = City.objects.get(name="丽水市")
        assert set(titles(client, q="反倾销", city=lishui.pk)) == {"印度反倾销预警丙", "印度反倾销交流丁"}
        assert set(titles(client, q="反倾销", industry=light.pk)) == {"印度反倾销预警丙", "印度反倾销交流丁"}

    def test_an_empty_filtered_result_suggests_dropping_each_filter(self, client, classified):
        _titles, html = results_of(client, q="反倾销", column="news", country="IN")
        assert "没有找到与“反倾销”相关的内容" in html
        assert "去掉“栏目：工作动态”" in html and "去掉“国别地区：印度”" in html
        assert 'href="?q=%E5%8F%8D%E5%80%BE%E9%94%80&amp;country=IN"' in html


def test_results_page_and_the_pages_keep_query_and_filters(client, point):
    for i in range(23):
        make_article(point, title=f"光伏组件预警{i}", country="US")
    first, html = results_of(client, q="光伏组件", country="US")
    assert len(first) == 20 and "搜索结果（23 条）" in html
    assert "/search/?q=%E5%85%89%E4%BC%8F%E7%BB%84%E4%BB%B6&amp;country=US&amp;page=2" in html
    second, _ = results_of(client, q="光伏组件", country="US", page=2)
    assert len(second) == 3 and not set(second) & set(first)


# --- the index stays current ----------------------------------------------------------


class TestSharedPublishUnpublishAndDelete(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_publish_unpublish_and_delete_show_in_the_next_search(self, client, point):
        page = make_article(point, title="欧盟碳边境调节机制预警", publish=False)
        assert titles(client, q="碳边境调节机制") == []
        page.save_revision().publish()
        assert titles(client, q="碳边境调节机制") == [page.title]
        page.refresh_from_db()
        page.unpublish()
        assert titles(client, q="碳边境调节机制") == []
        page.save_revision().publish()
        assert titles(client, q="碳边境调节机制") == [page.title]
        # A live article is never hard-deleted (docs/security.md): unpublished first, then deleted.
        page.refresh_from_db()
        page.unpublish()
        page.delete()
        assert titles(client, q="碳边境调节机制") == []
        assert not IndexEntry.objects.filter(object_id=str(page.pk)).exists()

    def test_an_edit_is_found_by_its_new_words_only(self, client, point):
        page = make_article(point, title="美国对华蜂蜜反倾销调查")
        page.title = "美国对华铝型材反倾销调查"
        page.save_revision().publish()
        assert titles(client, q="铝型材") == ["美国对华铝型材反倾销调查"]
        assert titles(client, q="蜂蜜") == []


def test_a_moved_page_is_found_under_its_new_point(client, point, other_point):
    page = make_article(point, title="土耳其对铅笔启动保障措施调查")
    MovePageAction(page, column_of(other_point), pos="last-child").execute(skip_permission_checks=True)
    moved = ArticlePage.objects.get(pk=page.pk)
    assert moved.point_id == other_point.pk
    assert titles(client, q="保障措施", point=other_point.pk) == [page.title]
    assert titles(client, q="保障措施", point=point.pk) == []
    _titles, html = results_of(client, q="保障措施")
    assert f'href="{moved.url}"' in html


def test_a_report_published_to_the_exchange_and_withdrawn_shows_in_the_next_search(
    client, point, point_editor, city_reviewer, provincial
):
    report = make_report(point, point_editor, title="巴西对华轮胎发起反倾销调查")
    report = decide(report, city_reviewer, review.APPROVE, comment="")
    assert titles(client, q="轮胎") == []
    report = decide(report, provincial, review.APPROVE, options=[review.EXCHANGE])
    assert titles(client, q="轮胎") == ["巴西对华轮胎发起反倾销调查"]
    report.to_exchange = False
    report.exchange_published_at = None
    report.save()
    assert titles(client, q="轮胎") == []


# --- bad input --------------------------------------------------------------------------


class TestSharedBadInputGetsA(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize(
        ("query", "status", "message"),
        [
            ("预" * 101, 400, "关键词不能超过 100 个字"),
            ("反倾销\x00", 400, "关键词中含有无法识别的控制字符"),
            ("\x00", 400, "关键词中含有无法识别的控制字符"),
            ("！？。，……“”", 200, "关键词只有标点符号"),
            ("*&^%$#@!", 200, "关键词只有标点符号"),
            ("的 和 与", 200, "关键词只有“的”“和”一类的常用字"),
            ("the of and", 200, "关键词只有“的”“和”一类的常用字"),
            ('"反倾销', 200, "搜索结果"),
            ("反倾销 OR 1=1; --", 200, "搜索结果"),
        ],
    )
    def test_bad_input_gets_a_chinese_message_never_a_server_error(self, client, point, query, status, message):
        make_article(point, title="美国反倾销")
        response = client.get("/search/", {"q": query, "page": "x", "year": "abc", "point": "-1", "column": "nope"})
        assert response.status_code == status
        assert message in response.content.decode()

    def test_an_unknown_filter_value_is_ignored(self, client, point):
        make_article(point, title="美国反倾销")
        assert titles(client, q="反倾销", country="ZZ", industry="999999", city="0") == ["美国反倾销"]

    def test_a_point_that_is_revoked_is_not_offered_as_a_filter(self, client, point):
        revoked = make_point(name="已撤销的预警点", district_name="庆元县")
        revoked.subsite.unpublish()
        _titles, html = results_of(client, q="反倾销")
        assert point.name in html and "已撤销的预警点" not in html

    def test_reviewers_see_the_same_public_results_as_visitors(self, client, point, provincial):
        make_article(point, title="美国反倾销")
        client.force_login(provincial)
        assert titles(client, q="反倾销") == ["美国反倾销"]


def test_the_number_of_queries_does_not_grow_with_the_hits(client, point, other_point, django_assert_max_num_queries):
    def search_with(count):
        for i in range(count):
            make_article(point if i % 2 else other_point, title=f"欧盟反补贴调查{i}")
            make_exchange_report(point, title=f"欧盟反补贴交流{i}")
        client.get("/search/", {"q": "反补贴"})  # warm the site and locale caches
        with django_assert_max_num_queries(20):
            assert "搜索结果" in client.get("/search/", {"q": "反补贴"}).content.decode()

    search_with(2)
    search_with(10)
