"""Admin chrome: who sees Wagtail's 报告 menu, no gravatar requests, no page moderation workflow."""

import pytest
from django.conf import settings
from wagtail.models import Page


def menu_html(client, user):
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_wagtail_reports_menu_is_for_the_provincial_contact_only(client, point_editor, provincial):
    assert '"name": "reports"' in menu_html(client, provincial)
    assert '"name": "reports"' not in menu_html(client, point_editor)


def test_admin_pages_request_no_gravatar(client, provincial):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert "gravatar.com" not in menu_html(client, provincial)


@pytest.mark.django_db
def test_subsite_pages_have_no_moderation_workflow(point):
    home = point.subsite
    assert home is not None
    for page in Page.objects.descendant_of(home, inclusive=True):
        assert page.get_workflow() is None


def test_admin_home_has_no_untranslated_wagtail_summary(client, provincial, point_editor):
    html = menu_html(client, point_editor)
    assert "Search all pages" not in html
    assert "搜索所有页面" in html
    assert " Pages <span" not in html
    assert "个页面" in html


def test_the_provincial_home_has_no_page_count(client, provincial):
    """Its home is the statistics page; Wagtail's page count there would count the whole tree (docs/performance.md)."""
    html = menu_html(client, provincial)
    assert "搜索所有页面" in html
    assert "个页面" not in html and " Pages <span" not in html
