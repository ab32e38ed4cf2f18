"""Headless reads (docs/rules.md §1 API client, §3.4): published pages of every type through API v2 and v3.

Drafts, unpublished and private pages are never returned; subsites and
columns can be filtered.
"""

import pytest

from subsites.models import (
    ArticleGalleryImage,
    ColumnIndexPage,
    ColumnKind,
    ExchangeIndexPage,
    HelpIndexPage,
    ManualPage,
    PortalHomePage,
)
from tests.shared_points import SharedPoints
from tests.subsites_factories import make_article, make_exchange_report, make_image, make_private
from warning.models import Industry


def v2(client, **params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200, response.content
    return response.json()


def v2_titles(client, **params):
    return {item["title"] for item in v2(client, limit=20, **params)["items"]}


def v3(client, **params):
    response = client.get("/api/v3/pages/", params)
    assert response.status_code == 200, response.content
    return response.json()


def v3_titles(client, **params):
    return {item["title"] for item in v3(client, limit=20, **params)["items"]}


@pytest.fixture
def hidden_and_shown(point):
    """One published article and three a visitor must never get."""
    shown = make_article(point, title="公开的预警信息")
    draft = make_article(point, title="草稿预警信息", publish=False)
    withdrawn = make_article(point, title="已撤回预警信息")
    withdrawn.unpublish()
    private = make_article(point, title="内部预警信息")
    make_private(private)
    return shown, [draft, withdrawn, private]


# --- v2 -----------------------------------------------------------------------


class TestSharedV2ListsPublishedPages(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_v2_lists_published_pages_only(self, client, hidden_and_shown):
        shown, hidden = hidden_and_shown
        titles = v2_titles(client, type="subsites.ArticlePage")
        assert shown.title in titles
        assert not titles & {page.title for page in hidden}

    def test_v2_refuses_the_detail_of_a_hidden_page(self, client, hidden_and_shown):
        shown, hidden = hidden_and_shown
        assert client.get(f"/api/v2/pages/{shown.pk}/").status_code == 200
        for page in hidden:
            assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404

    def test_v2_article_detail_has_its_fields(self, client, point):
        article = make_article(
            point,
            ColumnKind.NEWS,
            title="召开外贸预警工作会议",
            summary="会议部署全年工作",
            industry=Industry.objects.get(name="化工"),
            country="EU",
        )
        ArticleGalleryImage.objects.create(page=article, image=make_image("会议"), caption="会议现场")
        article.save_revision().publish()
        data = client.get(f"/api/v2/pages/{article.pk}/").json()
        assert data["meta"]["type"] == "subsites.ArticlePage"
        assert data["point"]["id"] == point.pk
        assert data["point_name"] == point.name
        assert data["column_kind"] == "news"
        assert data["industry_name"] == "化工"
        assert data["country"] == "EU" and data["country_name"] == "欧盟"
        assert data["summary"] == "会议部署全年工作"
        assert "date" in data and "body" in data
        assert data["gallery_images"][0]["caption"] == "会议现场"
        assert data["gallery_images"][0]["thumbnail"]["url"].endswith(".jpg")

    def test_v2_serves_every_page_type_with_its_fields(self, client, point):
        portal = PortalHomePage.objects.get()
        pages = {
            portal.pk: "intro",
            point.subsite_id: "point_info",
            ColumnIndexPage.objects.child_of(point.subsite).first().pk: "kind",
            ExchangeIndexPage.objects.get().pk: "latest_reports",
            HelpIndexPage.objects.get().pk: "intro",
            ManualPage.objects.first().pk: "role",
        }
        for pk, field in pages.items():
            data = client.get(f"/api/v2/pages/{pk}/").json()
            assert field in data, (data["meta"]["type"], field)
        home = client.get(f"/api/v2/pages/{point.subsite_id}/").json()
        assert home["point_info"]["name"] == point.name
        assert home["point_info"]["city"] == "杭州市"


def test_v2_filters_by_point(client, point, other_point):
    make_article(point, title="建德的文章")
    make_article(other_point, title="庆元的文章")
    titles = v2_titles(client, point=point.pk)
    assert {"建德的文章", point.name, "预警信息", "工作动态", "通知公告"} <= titles
    assert "庆元的文章" not in titles and other_point.name not in titles


def test_v2_filters_by_column_kind(client, point):
    make_article(point, ColumnKind.WARNING, title="预警栏目文章")
    make_article(point, ColumnKind.NEWS, title="动态栏目文章")
    titles = v2_titles(client, column_kind="news")
    assert "动态栏目文章" in titles and "工作动态" in titles
    assert "预警栏目文章" not in titles and "预警信息" not in titles


def test_v2_filters_articles_by_point_and_column_together(client, point, other_point):
    make_article(point, ColumnKind.WARNING, title="建德预警")
    make_article(point, ColumnKind.NOTICE, title="建德通知")
    make_article(other_point, ColumnKind.WARNING, title="庆元预警")
    titles = v2_titles(client, type="subsites.ArticlePage", point=point.pk, column_kind="warning")
    assert titles == {"建德预警"}


def test_v2_filter_by_subsite_does_not_reveal_hidden_pages(client, point, hidden_and_shown):
    shown, hidden = hidden_and_shown
    titles = v2_titles(client, point=point.pk, column_kind="warning")
    assert shown.title in titles
    assert not titles & {page.title for page in hidden}


@pytest.mark.parametrize("params", [{"column_kind": "sports"}, {"point": "abc"}])
def test_v2_rejects_bad_filter_values(client, db, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400


def test_v2_unknown_point_gives_an_empty_list(client, db):
    assert v2(client, point=999999)["items"] == []


class TestSharedV2ExchangePageLists(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_v2_exchange_page_lists_only_exchange_reports(self, client, point):
        make_exchange_report(point, title="已发布到交流的信息")
        make_exchange_report(point, title="未发布到交流的信息", to_exchange=False)
        data = client.get(f"/api/v2/pages/{ExchangeIndexPage.objects.get().pk}/").json()
        titles = [item["title"] for item in data["latest_reports"]]
        assert titles == ["已发布到交流的信息"]

    def test_v2_media_endpoints_list_only_media_of_published_articles(self, client, point):
        shown = make_article(point, ColumnKind.NEWS)
        ArticleGalleryImage.objects.create(page=shown, image=make_image("公开照片"))
        shown.save_revision().publish()
        draft = make_article(point, ColumnKind.NEWS, publish=False)
        ArticleGalleryImage.objects.create(page=draft, image=make_image("草稿照片"))
        draft.save_revision()
        titles = {item["title"] for item in client.get("/api/v2/images/").json()["items"]}
        assert titles == {"公开照片"}


# --- v3 -----------------------------------------------------------------------


class TestSharedV3ListsPublishedPages(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_v3_lists_published_pages_only(self, client, hidden_and_shown):
        shown, hidden = hidden_and_shown
        titles = v3_titles(client, type="subsites.ArticlePage")
        assert shown.title in titles
        assert not titles & {page.title for page in hidden}

    def test_v3_refuses_the_detail_of_a_hidden_page(self, client, hidden_and_shown):
        shown, hidden = hidden_and_shown
        assert client.get(f"/api/v3/pages/{shown.pk}/").status_code == 200
        for page in hidden:
            assert client.get(f"/api/v3/pages/{page.pk}/").status_code == 404

    def test_v3_ignores_an_admin_session(self, client, provincial, hidden_and_shown):
        # The public tier is anonymous even for a logged-in browser: drafts stay hidden.
        client.force_login(provincial)
        shown, hidden = hidden_and_shown
        titles = v3_titles(client, type="subsites.ArticlePage")
        assert not titles & {page.title for page in hidden}


class TestSharedV3FiltersArticlesBy(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_v3_filters_articles_by_point_and_column(self, client, point, other_point):
        make_article(point, ColumnKind.WARNING, title="建德预警")
        make_article(point, ColumnKind.NEWS, title="建德动态")
        make_article(other_point, ColumnKind.WARNING, title="庆元预警")
        assert v3_titles(client, type="subsites.ArticlePage", point=point.pk, column_kind="warning") == {"建德预警"}

    def test_v3_filters_a_whole_subsite_by_descendant_of(self, client, point, other_point):
        make_article(point, title="建德预警")
        make_article(other_point, title="庆元预警")
        titles = v3_titles(client, descendant_of=point.subsite_id)
        assert "建德预警" in titles and "工作动态" in titles
        assert "庆元预警" not in titles


class TestSharedV3ArticleDetailHas(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_v3_article_detail_has_its_fields(self, client, point):
        article = make_article(point, title="印度对华电动工具反倾销调查", country="IN", summary="涉案金额较大")
        data = client.get(f"/api/v3/pages/{article.pk}/").json()
        assert data["title"] == "印度对华电动工具反倾销调查"
        assert data["column_kind"] == "warning"
        assert data["point"]["id"] == point.pk
        assert data["point_name"] == point.name
        assert data["country_name"] == "印度"
        assert data["summary"] == "涉案金额较大"

    def test_v3_subsite_home_carries_the_points_public_information(self, client, point):
        data = client.get(f"/api/v3/pages/{point.subsite_id}/").json()
        assert data["point_info"]["name"] == point.name
        assert data["point_info"]["phone"] == point.phone
