"""No English on any admin screen: every role's admin crawled, every visible word checked.

For each role (anonymous, point editor, city reviewer, magazine editor, provincial contact,
superuser) the crawl starts at the admin home, the sidebar menu (its JSON props) and a few
add/edit/chooser screens of the main models, then follows same-admin links breadth-first,
one page per URL shape (digits folded, query strings dropped) and at most MAX_PAGES pages.
Each HTML page — or the ``html`` of a chooser's JSON answer — is reduced to what a user
reads: text outside <script>/<style>/<svg>/<code>/<kbd> (hidden tab panels included), the
menu labels, and the title / placeholder / aria-label / alt / tooltip attributes. Latin words there must be on ALLOWED (proper names, file
formats, abbreviations a Chinese civil servant uses as they are). The JavaScript catalogue
(the strings of Wagtail's React/Stimulus parts: sidebar, Draftail, dialogs) must translate
every message Wagtail's own English catalogue lists.
"""

import json
import re
import uuid
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import wagtail
from bs4 import BeautifulSoup, NavigableString
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import translation

from tests.factories import make_point, make_user
from tests.review_factories import decide, make_report
from tests.subsites_factories import make_article, make_image
from warning import review
from webhooks.endpoints import create_endpoint
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db

# A bound, not a sample: today the roles reach 33 (point editor), 15 (city reviewer),
# 8 (magazine editor), 59 (provincial contact) and 109 (superuser) URL shapes.
MAX_PAGES = 150

# Latin words a Chinese user of the platform reads as they are: file formats and units,
# standard and organisation abbreviations, web terms printed as such on Chinese sites.
ALLOWED = {
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "csv", "tsv", "json", "jpg", "jpeg", "png", "gif", "webp", "svg", "avif",
    "heic", "ico", "zip", "kb", "mb", "gb", "px",
    "excel", "url", "api", "id", "iso", "wto", "http", "https", "html", "rss", "atom",
}  # fmt: skip

WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")
# Data, not wording: e-mail addresses, URLs and paths, file names, host names, numbers and codes with digits.
DATA = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"
    r"|(https?://|/)[^\s\"'<>]*"
    r"|\b[\w-]+\.(pdf|docx?|xlsx?|wps|csv|jpe?g|png|gif|webp|svg|ico)\b"
    r"|\b[\w-]+(\.[\w-]+)*\.(com|cn|org|net)\b"
    r"|\b\w*\d\w*\b"
    r"|\blocalhost\b"
)
CHECKED_ATTRIBUTES = (
    "title",
    "placeholder",
    "aria-label",
    "alt",
    "aria-description",
    "aria-roledescription",
    "data-w-tooltip-content-value",
)
# Not read by a user: code, and keyboard keys (the shortcuts dialog names them as printed
# on the key caps). Hidden elements (tab panels, collapsed breadcrumbs) are read: a click shows them.
SKIPPED = ["script", "style", "svg", "noscript", "code", "pre", "kbd"]
NEVER_FOLLOW = ("/admin/logout/", "/admin/jsi18n/", "/admin/sprite/", "/admin/failwhale/", "/admin/test404/")


def menu_entries(props):
    """(label, url) of every menu item in the sidebar's JSON props, submenus included."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                found.append((node["label"], node.get("url")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def english_words(text):
    """Latin words of `text` outside ALLOWED; data (DATA) and single letters (score items A–C,
    the A→Z of a sort order) are not words."""
    text = DATA.sub(" ", text)
    return {word for word in WORD.findall(text) if len(word) > 1 and word.lower().strip("’'-") not in ALLOWED}


def read(html):
    """(texts, links) of one HTML page, the sidebar menu's labels and links included."""
    soup = BeautifulSoup(html, "html.parser")
    texts, links = [], []
    sidebar = soup.find("script", id="wagtail-sidebar-props")
    if sidebar is not None:
        for label, url in menu_entries(json.loads(sidebar.string)):
            texts.append(label)
            if url:
                links.append(url)
    for element in soup.find_all(SKIPPED):
        element.decompose()
    for element in soup.find_all(True):
        texts.extend(str(element[name]) for name in CHECKED_ATTRIBUTES if element.get(name))
        if element.name == "a" and element.get("href"):
            links.append(element["href"])
    texts.extend(str(text) for text in soup.find_all(string=True) if type(text) is NavigableString)
    return texts, links


def shape(url):
    """One URL per screen: digits folded, query string dropped."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl(client, starts):
    """{url: [texts with English words]} over the admin reachable from `starts`, one page per URL shape."""
    seen, problems, queue, visited = set(), {}, deque(starts), 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        key = shape(url)
        if key in seen or not url.startswith("/admin/") or url.startswith(NEVER_FOLLOW):
            continue
        seen.add(key)
        response = client.get(url)
        if response.status_code != 200:
            continue
        visited += 1
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/json"):
            html = response.json().get("html") or ""
        elif content_type.startswith("text/html"):
            html = response.content.decode()
        else:
            continue
        texts, links = read(html)
        english = sorted({" ".join(t.split())[:120] for t in texts if english_words(t)})
        if english:
            problems[url] = english
        for link in links:
            absolute = urljoin(url, link)
            parts = urlsplit(absolute)
            if not parts.netloc or parts.netloc == "testserver":
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return problems, visited


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One point with its subsite, an article, an image, a report through a return and resubmission,
    and one user per role — built once for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to build data in a non-test database: {name}"
        point = make_point(name="建德精细化工产品对外贸易预警示范点")
        users = {
            "point": make_user("point", point=point, username="建德预警点"),
            "city": make_user("city", city_name="杭州市", username="杭州审核员"),
            "magazine": make_user("magazine", username="杂志编辑"),
            "province": make_user("province", username="省联系人"),
            "superuser": User.objects.create_superuser("系统管理员", "admin@example.com", "pass12345!"),
        }
        article = make_article(point, title="化工产品出口预警", user=users["point"])
        make_image(title="会议现场")
        report = make_report(point, users["point"], title="美国对化工产品反倾销调查")
        decide(report, users["city"], review.RETURN, comment="请补充数据")
        report = review.submit(report, users["point"])
        make_report(point, users["point"], title="欧盟化工产品技术壁垒", submit=False)
        for owner in (users["point"], users["province"]):
            hook = create_endpoint(owner, "协会办公系统", "https://oa.example.com/hook", ["report.returned"])
            WebhookDelivery.objects.create(
                endpoint=hook,
                event_id=uuid.uuid4(),
                event_type="report.returned",
                body="{}",
                point=point,
                status=WebhookDelivery.Status.FAILED,
                attempts=4,
                last_status_code=500,
                last_error="HTTP 500：接收方未返回 2xx。",
            )
        yield {"point": point, "users": users, "report": report, "article": article}
        transaction.set_rollback(True)


def starts_for(world):
    subsite, report, article = world["point"].subsite, world["report"], world["article"]
    return [
        "/admin/",
        "/admin/account/",
        f"/admin/pages/{subsite.pk}/",
        f"/admin/pages/{subsite.pk}/edit/",
        f"/admin/snippets/warning/warningreport/edit/{report.pk}/",
        f"/admin/snippets/warning/warningreport/history/{report.pk}/",
        "/admin/images/chooser/",
        "/admin/documents/chooser/",
        "/admin/choose-page/",
        "/admin/reports/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/history/",
    ]


@pytest.mark.parametrize("role", ["point", "city", "magazine", "province", "superuser"])
def test_no_english_on_any_admin_screen_of_a_role(client, world, role):
    client.force_login(world["users"][role])
    problems, visited = crawl(client, starts_for(world))
    assert visited >= 5, f"the crawl reached only {visited} screens"
    assert not problems, "English on admin screens:\n" + "\n".join(f"{u}: {w}" for u, w in problems.items())


def test_no_english_on_the_login_page(client, world):
    problems, visited = crawl(client, ["/admin/login/", "/admin/password_reset/"])
    assert visited >= 1
    assert not problems, problems


def test_the_javascript_catalogue_translates_every_wagtail_message(client):
    """Every string of Wagtail's JS (sidebar, Draftail, dialogs) comes out in Chinese."""
    source = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    msgids = set(re.findall(r'^msgid "(.+)"$', source.read_text(), re.MULTILINE))
    assert "Write something or type ‘/’ to insert a block" in msgids
    catalogue = client.get("/admin/jsi18n/").content.decode()
    match = re.search(r"const newcatalog = (\{.*?\});\n", catalogue, re.DOTALL)
    translated = json.loads(match.group(1))
    missing = sorted(m for m in msgids if m not in translated)
    assert not missing, f"untranslated JS messages: {missing}"
    with translation.override("zh-hans"):
        assert "插入" in translated["Write something or type ‘/’ to insert a block"]


def test_the_crawl_sees_english_when_it_is_there():
    texts, links = read(
        '<p title="Help">帮助 <b>Exploring:</b> <a href="/admin/x/">x</a></p><script>var Wagtail;</script>'
        '<script id="wagtail-sidebar-props" type="application/json">'
        '{"modules": [{"_args": [{"label": "Reports", "url": "/admin/reports/"}]}]}</script>'
        "<p>PDF 文件 point@example.com /admin/pages/ 20 MB 会议纪要.docx www.zcom.gov.cn</p>"
        "<p>subsites.articlepage</p>"
    )
    words = set().union(*(english_words(t) for t in texts))
    assert words == {"Help", "Exploring", "Reports", "subsites", "articlepage"}
    assert sorted(links) == ["/admin/reports/", "/admin/x/"]
