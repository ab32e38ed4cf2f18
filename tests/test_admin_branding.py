"""The admin is the platform's own: its name, logo and icon, its manuals in 帮助, no calls to Wagtail's servers."""

import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from wagtail.models import Collection, Page, Workflow

from subsites.models import PortalHomePage
from tests.test_no_english import menu_entries


def sidebar_menu(client, user):
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    start = html.index('<script id="wagtail-sidebar-props" type="application/json">')
    blob = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return html, json.loads(blob)


def help_entries(props):
    """(label, url) of the 帮助 submenu's items in the sidebar props."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if isinstance(args, list) and args and isinstance(args[0], dict) and args[0].get("name") == "help":
                found.extend(menu_entries(args[1:]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    assert found, "no 帮助 menu"
    return found


@pytest.mark.django_db
def test_login_page_names_the_platform(client):
    html = client.get("/admin/login/").content.decode()
    assert "<title>登录 - 浙江省对外贸易预警平台</title>" in html
    assert "<h1>登录浙江省对外贸易预警平台</h1>" in html
    assert "img/favicon.svg" in html and "img/logo.svg" in html
    assert "Sign in to Wagtail" not in html and "登录Wagtail" not in html


def test_admin_pages_carry_the_platforms_title_logo_and_icon(client, point_editor):
    html, _ = sidebar_menu(client, point_editor)
    assert "- 浙江省对外贸易预警平台</title>" in html
    assert "- Wagtail</title>" not in html
    assert 'data-wagtail-sidebar-branding-logo><img class="yujing-admin-logo"' in html
    assert "wagtailadmin/images/favicon.ico" not in html
    for name in ("img/favicon.svg", "img/favicon.ico", "img/logo.svg"):
        assert finders.find(name), name


@pytest.mark.parametrize(
    ("role", "manual"),
    [
        ("point_editor", "/help/point-editor/"),
        ("city_reviewer", "/help/city-reviewer/"),
        ("magazine_editor", "/help/magazine-editor/"),
        ("provincial", "/help/provincial-contact/"),
    ],
)
def test_help_menu_opens_the_manual_of_the_users_role(client, request, role, manual):
    user = request.getfixturevalue(role)
    html, props = sidebar_menu(client, user)
    entries = help_entries(props)
    urls = [url for _, url in entries]
    assert [url for url in urls if url.endswith("/help/")] and [url for url in urls if url.endswith(manual)]
    others = {"/help/point-editor/", "/help/city-reviewer/", "/help/magazine-editor/", "/help/provincial-contact/"}
    assert not [url for url in urls if any(url.endswith(other) for other in others - {manual})]
    assert "快捷键" in [label for label, _ in entries]
    assert "wagtail.org" not in html
    assert "w-dismissible" not in json.dumps(props)  # nothing marked (New)


def test_superuser_dashboard_asks_no_wagtail_server(client, django_user_model):
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_ENABLE_WHATS_NEW_BANNER is False
    admin = django_user_model.objects.create_superuser("系统管理员", "admin@example.com", "pass12345!")
    html, _ = sidebar_menu(client, admin)
    assert "data-w-upgrade" not in html
    assert "releases.wagtail.org" not in html
    assert "w-whats-new" not in html
    assert "guide.wagtail.org" not in html


@pytest.mark.django_db
def test_public_site_has_a_favicon(client):
    portal = PortalHomePage.objects.first()
    html = client.get(portal.url).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


@pytest.mark.django_db
def test_wagtails_default_names_are_chinese():
    assert Page.objects.get(depth=1).title == Page.objects.get(depth=1).draft_title == "根目录"
    assert Collection.objects.get(depth=1).name == "全部文件"
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
