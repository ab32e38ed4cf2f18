"""A point editor creates, edits and publishes only inside its own subsite (docs/rules.md §3.4, §7).

Wagtail's own admin views enforce the page permissions that provisioning
grants; these tests drive those views as the editor would.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page

from subsites.models import ArticlePage, ColumnKind
from tests.shared_points import SharedPoints
from tests.subsites_factories import article_form, column_of, make_article


def refused(response):
    """Wagtail refuses with 403, or redirects to the dashboard with 'no permission';
    another point's unpublished page is a 404 on every page screen (docs/access.md)."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def add_url(point, kind=ColumnKind.WARNING):
    return reverse("wagtailadmin_pages:add", args=["subsites", "articlepage", column_of(point, kind).pk])


@pytest.fixture
def editor_client(client, point_editor):
    client.force_login(point_editor)
    return client


def test_point_editor_creates_and_publishes_an_article_in_its_own_column(editor_client, point, point_editor):
    response = editor_client.post(add_url(point), article_form("欧盟更新REACH清单", "reach-update"))
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="reach-update")
    assert article.live
    assert article.point_id == point.pk
    assert article.column_kind == "warning"
    assert article.owner == point_editor
    assert article.live_revision.user == point_editor


class TestSharedPointEditorMayNot(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_point_editor_may_not_open_the_add_form_in_another_subsite(self, editor_client, other_point):
        assert refused(editor_client.get(add_url(other_point)))

    def test_point_editor_may_not_create_a_page_in_another_subsite(self, editor_client, other_point):
        response = editor_client.post(add_url(other_point), article_form("越权发布", "intrusion"))
        assert refused(response)
        assert not ArticlePage.objects.filter(slug="intrusion").exists()

    def test_point_editor_may_not_edit_another_subsites_article(self, editor_client, other_point):
        article = make_article(other_point, title="庆元铅笔出口预警")
        url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        assert refused(editor_client.get(url))
        response = editor_client.post(url, article_form("被篡改的标题", article.slug, action=None))
        assert refused(response)
        article.refresh_from_db()
        assert article.title == "庆元铅笔出口预警"
        assert article.revisions.count() == 1

    def test_point_editor_may_not_publish_another_subsites_draft(self, editor_client, other_point):
        draft = make_article(other_point, title="他站草稿", publish=False)
        url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        assert refused(editor_client.post(url, article_form("他站草稿", draft.slug)))
        assert not Page.objects.get(pk=draft.pk).live

    def test_point_editor_may_not_unpublish_or_delete_another_subsites_article(self, editor_client, other_point):
        article = make_article(other_point)
        assert refused(editor_client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk])))
        assert refused(editor_client.post(reverse("wagtailadmin_pages:delete", args=[article.pk])))
        assert Page.objects.get(pk=article.pk).live


def test_point_editor_edits_and_publishes_its_own_article(editor_client, point):
    article = make_article(point, title="旧标题")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, article_form("新标题", article.slug))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "新标题" and article.live


class TestSharedExplorerOfAPoint(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_explorer_of_a_point_editor_starts_at_its_own_subsite(self, editor_client, point, other_point):
        response = editor_client.get(reverse("wagtailadmin_explore_root"))
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_explore", args=[point.subsite_id])
        response = editor_client.get(reverse("wagtailadmin_explore", args=[other_point.subsite_id]))
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_explore", args=[point.subsite_id])

    def test_page_chooser_offers_only_the_editors_own_subsite(self, editor_client, point, other_point):
        portal = point.subsite.get_parent()
        response = editor_client.get(reverse("wagtailadmin_choose_page_child", args=[portal.pk]))
        assert response.status_code == 200
        html = response.json()["html"]
        assert point.name in html
        assert other_point.name not in html

    def test_page_chooser_search_finds_nothing_in_another_subsite(self, editor_client, point, other_point):
        # Wagtail's search matches word prefixes, so both titles start with the query.
        make_article(other_point, title="反倾销预警：庆元铅笔")
        make_article(point, title="反倾销预警：建德化工")
        response = editor_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "反倾销"})
        html = response.content.decode()
        assert "反倾销预警：建德化工" in html
        assert "反倾销预警：庆元铅笔" not in html

    def test_page_chooser_below_another_subsite_lists_none_of_its_pages(self, editor_client, other_point):
        make_article(other_point, title="庆元铅笔出口形势")
        column = column_of(other_point)
        response = editor_client.get(reverse("wagtailadmin_choose_page_child", args=[column.pk]))
        assert "庆元铅笔出口形势" not in response.json()["html"]

    def test_provincial_contact_may_edit_any_subsite(self, client, provincial, point, other_point):
        client.force_login(provincial)
        article = make_article(other_point)
        assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code == 200
        assert client.get(add_url(point)).status_code == 200


class TestSharedCityReviewerHasNo(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_city_reviewer_has_no_page_rights(self, client, city_reviewer, point):
        client.force_login(city_reviewer)
        assert refused(client.get(add_url(point)))
        assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[point.subsite_id])))

    def test_editors_cannot_add_subsite_homes_or_columns_by_hand(self, point, point_editor):
        # Homes and columns come from provisioning only, so every subsite keeps its three columns.
        from subsites.models import ColumnIndexPage, SubsiteHomePage

        assert not SubsiteHomePage.is_creatable
        assert not ColumnIndexPage.is_creatable
        assert ColumnIndexPage not in point.subsite.specific.creatable_subpage_models()

    def test_editor_updates_the_subsite_intro_but_not_its_title(self, editor_client, point):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

        url = reverse("wagtailadmin_pages:edit", args=[point.subsite_id])
        assert editor_client.get(url).status_code == 200
        assert editor_client.get(reverse("wagtailadmin_pages:edit", args=[column_of(point).pk])).status_code == 200
        data = nested_form_data(
            {
                "title": "擅自改名",
                "slug": point.subsite.slug,
                "intro": rich_text("<p>本预警点由建德市化工行业协会承办。</p>"),
                "comments": inline_formset([]),
                "action-publish": "1",
            }
        )
        assert editor_client.post(url, data).status_code == 302
        home = Page.objects.get(pk=point.subsite_id).specific
        assert "建德市化工行业协会" in home.intro
        assert home.title == point.name
