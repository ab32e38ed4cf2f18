"""The public site (docs/rules.md §3.4, §7): portal, subsites, columns, articles, 帮助中心, feeds, search, sitemap.

A visitor never reaches a draft, an unpublished page, a private page or a
report that was not published to 预警工作交流.
"""

import re

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from subsites.models import (
    ArticleAttachment,
    ArticleGalleryImage,
    ColumnKind,
    HelpIndexPage,
    PortalHomePage,
    point_links,
)
from tests.factories import make_point
from tests.shared_points import SharedPoints
from tests.subsites_factories import article_form, column_of, make_article, make_image, make_private
from warning.models import WarningPoint


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def heading_levels(html):
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


def assert_accessible_structure(html):
    """lang, one h1 first, no skipped heading level, every image with a non-empty alt, breadcrumbs or home."""
    assert '<html lang="zh-hans">' in html
    levels = heading_levels(html)
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels
    for img in re.findall(r"<img\b[^>]*>", html):
        assert re.search(r'alt="[^"]+"', img), img
    assert 'href="#main"' in html  # skip link


# --- portal -------------------------------------------------------------------


def test_portal_home_lists_points_by_city(client, point, other_point):
    html = html_of(client.get("/"))
    assert_accessible_structure(html)
    hangzhou = html.index(">杭州市")
    lishui = html.index(">丽水市")
    assert hangzhou < html.index(point.name) < lishui < html.index(other_point.name)
    assert f'href="{point.subsite.url}"' in html


def test_portal_point_links_are_escaped_exactly_as_the_template_escapes_them():
    links = [("/a/?x=1&y=2", "<b>\"示范点\"</b> & '其他'"), ("/b/", "普通预警点")]
    template = engines["django"].from_string(
        '{% for url, name in links %}<li><a href="{{ url }}">{{ name }}</a></li>{% if not forloop.last %}\n{% endif %}'
        "{% endfor %}"
    )
    assert point_links(links) == template.render({"links": links})
    assert "<b>" not in point_links(links)


def test_search_filter_options_are_written_exactly_as_the_template_loop_wrote_them():
    choices = [(1, "杭州市"), (12, '<i>"预警点"</i> & 其他'), ("US", "美国")]
    loop = engines["django"].from_string(
        '{% for value, label in choices %}<option value="{{ value }}"{% if selected == value %} selected{% endif %}>'
        "{{ label }}</option>{% endfor %}"
    )
    tag = engines["django"].from_string("{% load subsites_tags %}{% select_options choices selected %}")
    for selected in (12, "US", None, ""):
        context = {"choices": choices, "selected": selected}
        assert tag.render(context) == loop.render(context)
    assert tag.render({"choices": choices, "selected": 12}).count(" selected") == 1


class TestPortal(SharedPoints):
    """The portal, around one point (made once for the class)."""

    def test_portal_home_shows_latest_published_items_and_links_exchange_and_help(self, client, point):
        make_article(point, title="美国对华涤纶短纤发起反倾销调查")
        make_article(point, title="尚未发布的草稿", publish=False)
        html = html_of(client.get("/"))
        assert "美国对华涤纶短纤发起反倾销调查" in html
        assert "尚未发布的草稿" not in html
        assert 'href="/exchange/"' in html
        assert 'href="/help/"' in html

    def test_portal_does_not_list_a_retired_points_subsite(self, client, point):
        point.status = WarningPoint.Status.REVOKED
        point.save()
        assert point.name not in html_of(client.get("/"))


# --- subsite home and columns -----------------------------------------------------


class TestSubsiteHomeAndColumns(SharedPoints):
    """A subsite home and its columns (the point made once for the class)."""

    def test_subsite_home_shows_basic_information_and_latest_items_per_column(self, client, point):
        make_article(point, ColumnKind.WARNING, title="欧盟发布新版REACH清单")
        make_article(point, ColumnKind.NEWS, title="召开年度预警工作会议")
        make_article(point, ColumnKind.NOTICE, title="关于报送出口数据的通知")
        html = html_of(client.get(point.subsite.url))
        assert_accessible_structure(html)
        assert point.host_organisation in html and point.address in html and point.email in html
        for title in ("欧盟发布新版REACH清单", "召开年度预警工作会议", "关于报送出口数据的通知"):
            assert title in html
        assert 'aria-label="子网站栏目"' in html
        for kind in ("warning", "news", "notice"):
            assert f'href="{point.subsite.url}{kind}/"' in html
            assert f'href="{point.subsite.url}{kind}/feed/"' in html  # Atom alternate links

    def test_column_page_paginates_and_has_breadcrumbs(self, client, point):
        for n in range(23):
            make_article(point, title=f"预警信息第{n:02d}号")
        column = column_of(point)
        first = html_of(client.get(column.url))
        assert_accessible_structure(first)
        assert first.count('class="item-list__item') == 20
        assert "第 1 页 / 共 2 页" in first and 'rel="next"' in first
        second = html_of(client.get(column.url, {"page": 2}))
        assert second.count('class="item-list__item') == 3
        assert 'aria-label="面包屑导航"' in first
        assert re.search(rf'<li><a href="/">首页</a></li>\s*<li><a href="{point.subsite.url}">', first)

    def test_column_page_lists_only_published_public_articles_of_its_column(self, client, point):
        make_article(point, title="已发布预警")
        make_article(point, title="草稿预警", publish=False)
        withdrawn = make_article(point, title="已撤回预警")
        withdrawn.unpublish()
        make_private(make_article(point, title="内部预警"))
        make_article(point, ColumnKind.NEWS, title="工作动态文章")
        html = html_of(client.get(column_of(point).url))
        assert "已发布预警" in html
        for hidden in ("草稿预警", "已撤回预警", "内部预警", "工作动态文章"):
            assert hidden not in html

    def test_news_column_shows_photo_thumbnails_with_alt_text(self, client, point):
        article = make_article(point, ColumnKind.NEWS, title="走访调研重点出口企业")
        ArticleGalleryImage.objects.create(page=article, image=make_image("车间调研"), caption="调研组察看生产线")
        article.save_revision().publish()
        html = html_of(client.get(column_of(point, ColumnKind.NEWS).url))
        assert re.search(r'<img [^>]*alt="调研组察看生产线"', html)


def test_subsite_home_shows_only_its_own_points_items(client, point, other_point):
    make_article(other_point, title="庆元铅笔出口形势")
    assert "庆元铅笔出口形势" not in html_of(client.get(point.subsite.url))


# --- articles ---------------------------------------------------------------------


class TestArticles(SharedPoints):
    """Articles of one subsite (the point made once for the class)."""

    def test_article_page_shows_classification_gallery_and_attachments(self, client, point):
        from django.core.files.base import ContentFile
        from wagtail.documents import get_document_model

        from warning.models import Industry

        article = make_article(
            point, title="美国对华柠檬酸反倾销终裁", industry=Industry.objects.get(name="化工"), country="US"
        )
        ArticleGalleryImage.objects.create(page=article, image=make_image("发布会", description="预警信息发布会现场"))
        document = get_document_model()(title="应诉指南")
        document.file.save("guide.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        ArticleAttachment.objects.create(page=article, document=document)
        article.save_revision().publish()
        html = html_of(client.get(article.url))
        assert_accessible_structure(html)
        assert "行业</dt><dd>化工" in html
        assert "国别地区</dt><dd>美国" in html
        assert re.search(r'<img [^>]*alt="预警信息发布会现场"', html)
        assert "应诉指南" in html and document.url in html
        assert 'aria-current="page">美国对华柠檬酸反倾销终裁' in html

    def test_draft_article_is_not_reachable(self, client, point):
        draft = make_article(point, publish=False)
        assert client.get(draft.url or f"{column_of(point).url}{draft.slug}/").status_code == 404

    def test_unpublished_article_is_not_reachable(self, client, point):
        article = make_article(point)
        url = article.url
        article.unpublish()
        assert client.get(url).status_code == 404

    def test_private_article_is_not_shown_to_a_visitor(self, client, point):
        article = make_article(point, title="仅限登录用户")
        make_private(article)
        response = client.get(article.url)
        assert response.status_code == 302
        assert "仅限登录用户" not in response.content.decode()

    def test_nothing_in_a_retired_subsite_is_reachable(self, client, point):
        article = make_article(point)
        urls = [point.subsite.url, column_of(point).url, article.url]
        point.status = WarningPoint.Status.REVOKED
        point.save()
        for url in urls:
            assert client.get(url).status_code == 404

    def test_a_page_published_below_an_unpublished_home_is_still_not_served(self, client, point):
        article = make_article(point)
        url = article.url
        home = point.subsite
        home.unpublish()
        assert client.get(url).status_code == 404


# --- help centre ------------------------------------------------------------------


def test_help_centre_lists_a_manual_per_role(client, db):
    help_index = HelpIndexPage.objects.get()
    html = html_of(client.get(help_index.url))
    assert_accessible_structure(html)
    for title in ("预警点用户使用指南", "地市审核员使用指南", "预警工作联系人使用指南", "期刊杂志编辑使用指南"):
        assert title in html


def test_manual_page_gives_step_by_step_instructions(client, db):
    html = html_of(client.get("/help/city-reviewer/"))
    assert_accessible_structure(html)
    for words in ("原创预警信息审核", "退回修改", "不予通过", "请选择意见", "上一条"):
        assert words in html


# --- feeds ------------------------------------------------------------------------


def test_column_feed_is_atom_with_published_articles_only(client, point):
    make_article(point, title="订阅可见的预警")
    make_article(point, title="订阅不可见的草稿", publish=False)
    make_private(make_article(point, title="订阅不可见的内部信息"))
    response = client.get(f"{column_of(point).url}feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "订阅可见的预警" in body
    assert "订阅不可见的草稿" not in body and "订阅不可见的内部信息" not in body


# --- search -----------------------------------------------------------------------


class TestSearch(SharedPoints):
    """The public search over one subsite (the point made once for the class)."""

    def test_search_finds_published_pages_by_a_chinese_word(self, client, point):
        make_article(point, title="美国对华三氯异氰尿酸发起反倾销调查")
        make_article(point, title="土耳其保障措施", body="<p>涉及柠檬酸出口约三千万美元。</p>")
        html = html_of(client.get("/search/", {"q": "反倾销"})).replace("<mark>", "").replace("</mark>", "")
        assert "美国对华三氯异氰尿酸发起反倾销调查" in html
        assert "土耳其保障措施" in html_of(client.get("/search/", {"q": "柠檬酸"}))

    def test_search_never_returns_drafts_or_private_pages(self, client, point):
        make_article(point, title="反倾销草稿", publish=False)
        make_private(make_article(point, title="反倾销内部信息"))
        html = html_of(client.get("/search/", {"q": "反倾销"}))
        assert "反倾销草稿" not in html and "反倾销内部信息" not in html

    def test_search_page_is_accessible(self, client, point):
        make_article(point, title="反倾销预警")
        assert_accessible_structure(html_of(client.get("/search/", {"q": "反倾销"})))


def test_search_refuses_an_overlong_query_with_a_chinese_message(client, db):
    response = client.get("/search/", {"q": "预" * 101})
    assert response.status_code == 400
    assert "关键词不能超过 100 个字" in response.content.decode()


# --- sitemap ----------------------------------------------------------------------


def test_sitemap_lists_published_public_pages_only(client, point):
    published = make_article(point)
    draft = make_article(point, publish=False)
    private = make_article(point)
    make_private(private)
    assert "/sitemap-pages.xml" in client.get("/sitemap.xml").content.decode()
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert published.full_url in body
    assert f"/{draft.slug}/" not in body
    assert private.full_url not in body
    assert "/help/point-editor/" in body


# --- query counts -----------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm caches (site root paths, renditions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_news_with_photo(point, image, n):
    for i in range(n):
        article = make_article(point, ColumnKind.NEWS, title=f"工作动态{i}")
        ArticleGalleryImage.objects.create(page=article, image=image, caption=f"照片{i}")
        article.save_revision().publish()


@pytest.mark.parametrize("kind", [ColumnKind.WARNING, ColumnKind.NEWS])
def test_column_page_queries_do_not_grow_with_items(client, point, kind):
    image = make_image()
    if kind == ColumnKind.NEWS:
        add_news_with_photo(point, image, 2)
    else:
        for _ in range(2):
            make_article(point, kind)
    url = column_of(point, kind).url
    small = count_queries(client, url)
    if kind == ColumnKind.NEWS:
        add_news_with_photo(point, image, 18)
    else:
        for _ in range(18):
            make_article(point, kind)
    assert count_queries(client, url) <= small


def test_subsite_home_queries_do_not_grow_with_items(client, point):
    for kind in ColumnKind:
        make_article(point, kind)
    small = count_queries(client, point.subsite.url)
    for kind in ColumnKind:
        for _ in range(8):
            make_article(point, kind)
    assert count_queries(client, point.subsite.url) <= small


def test_portal_home_queries_do_not_grow_with_points(client, point):
    make_article(point)
    small = count_queries(client, PortalHomePage.objects.get().url)
    for n in range(12):
        extra = make_point(name=f"查询计数预警点{n}", district_name="鹿城区")
        make_article(extra)
    assert count_queries(client, PortalHomePage.objects.get().url) <= small


def test_editor_previews_a_new_article_before_publishing(client, point, point_editor):
    from django.urls import reverse

    client.force_login(point_editor)
    url = reverse("wagtailadmin_pages:preview_on_add", args=["subsites", "articlepage", column_of(point).pk])
    response = client.post(url, article_form("预览中的预警信息", "preview-article", action=None))
    assert response.json()["is_valid"]
    html = html_of(client.get(url))
    assert "预览中的预警信息" in html
    assert not client.get(f"{column_of(point).url}preview-article/").status_code == 200


def test_subsite_of_a_point_in_preparation_says_so(client, db):
    point = make_point(status=WarningPoint.Status.PREPARING)
    assert "本预警点正在筹建中" in html_of(client.get(point.subsite.url))
