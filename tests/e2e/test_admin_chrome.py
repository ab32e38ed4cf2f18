"""The admin's own chrome in a browser: what Wagtail's scripts draw (sidebar, 帮助 menu, Draftail)
is the platform's and Chinese, and the dashboard calls no Wagtail server.

The HTML of every screen is checked without a browser (tests/test_no_english.py); the
sidebar and the rich-text editor are drawn by JavaScript, so they are checked here.
"""

from django.contrib.auth.models import User

from tests.e2e.browser import login
from tests.factories import make_point, make_user
from tests.subsites_factories import column_of
from tests.test_no_english import english_words

SIDEBAR = "#wagtail-sidebar"


def test_sidebar_help_menu_and_editor_are_the_platforms_own(new_page, shot):
    point = make_point(name="建德精细化工产品对外贸易预警示范点")
    make_user("point", point=point, username="建德预警点")
    User.objects.create_superuser("系统管理员", "admin@example.com", "pass12345!")

    admin = new_page()
    login(admin, "系统管理员")
    assert admin.title().endswith("浙江省对外贸易预警平台")
    assert "wagtail" not in admin.locator("link[rel~=icon]").first.get_attribute("href")
    admin.wait_for_selector(f"{SIDEBAR} .sidebar-main-menu")
    admin.click(f"{SIDEBAR} button:has-text('帮助')")
    admin.locator(f"{SIDEBAR} a[href$='/help/provincial-contact/']").wait_for()
    help_links = admin.locator(f"{SIDEBAR} .sidebar-sub-menu-panel:visible a")
    hrefs = [help_links.nth(i).get_attribute("href") for i in range(help_links.count())]
    assert any(href.endswith("/help/provincial-contact/") for href in hrefs), hrefs
    assert not any("wagtail.org" in href for href in hrefs), hrefs
    sidebar_text = admin.inner_text(SIDEBAR)
    assert "（新）" not in sidebar_text and "新项目" not in sidebar_text
    assert not english_words(sidebar_text), sidebar_text
    shot(admin, "admin-help-menu")
    assert not [url for url in admin.external_requests if "wagtail" in url], admin.external_requests

    editor = new_page()
    login(editor, "建德预警点")
    column = column_of(point)
    editor.goto(f"/admin/pages/add/subsites/articlepage/{column.pk}/")
    body = editor.locator("[data-contentpath=body] .Draftail-Editor")
    body.wait_for()
    body_html = body.evaluate("element => element.outerHTML")
    assert "输入内容，或输入“/”插入区块" in body_html
    assert "Write something" not in body_html
    editor.click(f"{SIDEBAR} button:has-text('帮助')")
    editor.locator(f"{SIDEBAR} a[href$='/help/point-editor/']").wait_for()
    assert not english_words(editor.inner_text(SIDEBAR))
    shot(editor, "admin-article-editor")
