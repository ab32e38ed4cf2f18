"""The page cache (pagecache/, docs/performance.md "Page cache").

Runs against a real Redis (Debian's redis-server, started on loopback for this module):
anonymous public pages are served from it without the database; logged-in users, API
tokens, forms, previews and non-200 answers never are; every change of what a page
shows clears it, also across two server processes (the last tests).
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from wagtail.models import Page, PageViewRestriction

from pagecache import rules, store
from subsites.models import ColumnKind, ExchangeIndexPage, HelpIndexPage, ManualPage
from tests.review_factories import decide, make_report
from tests.subsites_factories import column_of, make_article, make_exchange_report
from warning import notices, review

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server is not installed")


def free_port(preferred):
    """`preferred` when nothing listens there, else any free port (CI may run other things)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = free_port(6391)
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def redis_caches(url):
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url},
    }


@pytest.fixture
def page_cache(redis_url, settings):
    settings.CACHES = redis_caches(redis_url)
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    cache = caches["pages"]
    cache.clear()
    return cache


@pytest.fixture
def site(point):
    """A point's subsite with an article, a report on the exchange and the help pages."""
    article = make_article(point, title="欧盟对华光伏组件反倾销预警")
    report = make_exchange_report(point, title="美国对华轮胎反补贴调查")
    exchange = ExchangeIndexPage.objects.get()
    help_index = HelpIndexPage.objects.get()
    return {
        "point": point,
        "article": article,
        "column": column_of(point),
        "report": report,
        "exchange": exchange,
        "help": help_index,
        "manual": ManualPage.objects.live().first(),
    }


def public_urls(site):
    urls = [
        "/",
        site["point"].subsite.url,
        site["column"].url,
        site["column"].url + "feed/",
        site["article"].url,
        site["exchange"].url,
        f"{site['exchange'].url}{site['report'].pk}/",
        site["exchange"].url + "feed/",
        site["help"].url,
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-exchange.xml",
        "/search/?q=反倾销",
        "/api/v2/pages/",
        f"/api/v2/pages/{site['article'].pk}/",
        "/api/v3/pages/",
        f"/api/v3/pages/{site['article'].pk}/",
    ]
    if site["manual"]:
        urls.append(site["manual"].url)
    return urls


def cache_state(response):
    return response.headers.get("X-Page-Cache")


# --- what is served from the cache -------------------------------------------------------------


def test_every_public_page_is_served_from_the_cache_without_the_database(
    client, page_cache, site, django_assert_max_num_queries
):
    for url in public_urls(site):
        first = client.get(url)
        assert first.status_code == 200, url
        assert cache_state(first) == "miss", url
        with django_assert_max_num_queries(0):
            second = client.get(url)
        assert cache_state(second) == "hit", url
        assert second.status_code == 200
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"]
        assert int(second["Content-Length"]) == len(first.content)


def test_a_head_is_answered_from_the_page_its_get_stored(client, page_cache, site, django_assert_max_num_queries):
    url = site["article"].url
    assert cache_state(client.head(url)) is None  # a HEAD alone stores nothing
    client.get(url)
    with django_assert_max_num_queries(0):
        head = client.head(url)
    assert head.status_code == 200 and cache_state(head) == "hit"


def test_the_order_of_query_parameters_makes_one_page(client, page_cache, site):
    assert cache_state(client.get("/search/?q=反倾销&page=1")) == "miss"
    assert cache_state(client.get("/search/?page=1&q=反倾销")) == "hit"
    assert cache_state(client.get("/search/?page=1&q=光伏")) == "miss"


def test_hosts_and_accept_headers_are_kept_apart(client, page_cache, site):
    assert cache_state(client.get("/api/v2/pages/")) == "miss"
    assert cache_state(client.get("/api/v2/pages/", HTTP_HOST="localhost")) == "miss"
    browsable = client.get("/api/v2/pages/", HTTP_ACCEPT="text/html")
    assert cache_state(browsable) != "hit"
    assert browsable["Content-Type"].startswith("text/html")


# --- who and what is never served from it ------------------------------------------------------


def test_a_logged_in_user_never_gets_a_cached_page_and_never_fills_it(client, page_cache, site, point_editor):
    article = site["article"]
    editor = Client()
    editor.force_login(point_editor)
    assert cache_state(editor.get(article.url)) is None
    assert cache_state(client.get(article.url)) == "miss"  # the editor's visit stored nothing
    # Change the title behind the cache's back: the anonymous visitor still gets the stored
    # page, the editor always a freshly rendered one.
    Page.objects.filter(pk=article.pk).update(title="只有登录用户看到的新标题")
    anonymous = client.get(article.url)
    assert cache_state(anonymous) == "hit" and "只有登录用户看到的新标题" not in anonymous.content.decode()
    logged_in = editor.get(article.url)
    assert cache_state(logged_in) is None and "只有登录用户看到的新标题" in logged_in.content.decode()


def test_a_request_with_an_api_token_is_never_answered_from_the_cache(client, page_cache, site):
    url = f"/api/v2/pages/{site['article'].pk}/"
    assert cache_state(client.get(url, HTTP_AUTHORIZATION="Token abc")) is None
    assert cache_state(client.get(url)) == "miss"
    assert cache_state(client.get(url, HTTP_AUTHORIZATION="Token abc")) is None


def test_a_page_with_a_password_form_is_never_stored(client, page_cache, site):
    article = make_article(site["point"], title="需要密码的文章")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="x1")
    first = client.get(article.url)
    assert first.status_code == 200 and b"csrfmiddlewaretoken" in first.content
    assert cache_state(first) is None
    assert cache_state(Client().get(article.url)) is None


def test_admin_health_and_non_200_answers_are_never_stored(client, page_cache, site):
    for url in ("/admin/login/", "/health/", "/no-such-page/", "/search/?q=" + "长" * 300):
        first = client.get(url)
        assert cache_state(first) is None, url
        assert cache_state(client.get(url)) is None, url
    assert client.get("/no-such-page/").status_code == 404


def test_a_preview_is_never_stored():
    request = RequestFactory().get("/")
    assert rules.response_is_storable(request, HttpResponse("<p>页面</p>"))
    request.is_preview = True
    assert not rules.response_is_storable(request, HttpResponse("<p>页面</p>"))


def test_a_response_setting_a_cookie_or_saying_private_is_never_stored():
    request = RequestFactory().get("/")
    with_cookie = HttpResponse("<p>页面</p>")
    with_cookie.set_cookie("x", "1")
    private = HttpResponse("<p>页面</p>", headers={"Cache-Control": "private"})
    post_form = HttpResponse('<form method="post" action="/x/"></form>')
    varies = HttpResponse("<p>页面</p>", headers={"Vary": "User-Agent"})
    for response in (with_cookie, private, post_form, varies):
        assert not rules.response_is_storable(request, response)


def test_a_lookup_never_uses_a_page_stored_under_an_old_generation(page_cache):
    lookup = store.Lookup()  # one per process, remembering the last generation it saw
    request = RequestFactory().get("/x/")
    key, entry = lookup(page_cache, request)
    assert entry is None
    page_cache.set(key, "stored page")
    assert lookup(page_cache, request) == (key, "stored page")
    store.bump_generation()  # as another process would
    new_key, entry = lookup(page_cache, request)
    assert entry is None and new_key != key


def test_a_broken_cache_does_not_break_the_site(client, settings, site):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0")  # nothing listens there
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    response = client.get(site["article"].url)
    assert response.status_code == 200 and cache_state(response) is None


# --- when it is cleared ------------------------------------------------------------------------


def changes_generation(capture, action):
    before = store.generation()
    with capture(execute=True):
        action()
    return store.generation() != before


def test_publishing_an_article_shows_it_on_the_next_anonymous_request(
    client, page_cache, site, django_capture_on_commit_callbacks
):
    client.get("/")
    client.get(site["column"].url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(site["point"], title="新发布的出口预警信息")
    for url in ("/", site["column"].url):
        response = client.get(url)
        assert cache_state(response) == "miss" and "新发布的出口预警信息" in response.content.decode()


def test_unpublishing_moving_and_deleting_a_page_clear_the_cache(
    client, page_cache, site, django_capture_on_commit_callbacks
):
    article = site["article"]
    assert client.get(article.url).status_code == 200
    assert changes_generation(django_capture_on_commit_callbacks, article.unpublish)
    assert client.get(article.url).status_code == 404

    moving = make_article(site["point"], title="将被移动的文章")
    old_url = moving.url
    assert client.get(old_url).status_code == 200
    news = column_of(site["point"], ColumnKind.NEWS)
    assert changes_generation(django_capture_on_commit_callbacks, lambda: moving.move(news, pos="last-child"))
    moved = client.get(old_url)  # Wagtail redirects the old address to the new one
    assert moved.status_code == 301 and moved["Location"] == moving.specific_class.objects.get(pk=moving.pk).url

    draft = make_article(site["point"], title="草稿", publish=False)
    assert changes_generation(django_capture_on_commit_callbacks, draft.delete)


def test_a_report_published_to_the_exchange_shows_on_the_next_request(
    client, page_cache, site, point_editor, city_reviewer, provincial, django_capture_on_commit_callbacks
):
    exchange_url = site["exchange"].url
    assert "浙江省出口企业应诉指引" not in client.get(exchange_url).content.decode()
    report = make_report(site["point"], point_editor, title="浙江省出口企业应诉指引")
    decide(report, city_reviewer, review.APPROVE)
    with django_capture_on_commit_callbacks(execute=True):
        decide(report, provincial, review.APPROVE, options=[review.EXCHANGE])
    assert "浙江省出口企业应诉指引" in client.get(exchange_url).content.decode()


def test_withdrawing_an_approved_report_clears_the_cache(page_cache, site, django_capture_on_commit_callbacks):
    report = site["report"]

    def withdraw():
        report.to_exchange = False
        report.exchange_published_at = None
        report.save()

    assert changes_generation(django_capture_on_commit_callbacks, withdraw)


def test_editing_a_point_shows_in_its_subsite_header(client, page_cache, site, django_capture_on_commit_callbacks):
    point = site["point"]
    assert "0571-99998888" not in client.get(point.subsite.url).content.decode()
    point.phone = "0571-99998888"
    with django_capture_on_commit_callbacks(execute=True):
        point.save()
    assert "0571-99998888" in client.get(point.subsite.url).content.decode()


def test_issuing_a_notice_clears_the_cache(page_cache, site, provincial, django_capture_on_commit_callbacks):
    assert changes_generation(
        django_capture_on_commit_callbacks,
        lambda: notices.issue_notice(provincial, "关于做好应对工作的通知", "正文", audience="all"),
    )


def test_a_draft_report_saved_or_a_rolled_back_change_keeps_the_cache(
    page_cache, site, point_editor, django_capture_on_commit_callbacks
):
    """Only what the public sees clears it; and nothing before the change is committed."""
    assert not changes_generation(
        django_capture_on_commit_callbacks, lambda: make_report(site["point"], point_editor, submit=False)
    )
    before = store.generation()
    make_article(site["point"], title="未提交事务中的文章")  # the test's transaction never commits
    assert store.generation() == before


def test_the_worker_indexing_a_live_page_clears_the_cache_so_search_finds_it(
    page_cache, site, django_capture_on_commit_callbacks
):
    from modelsearch.tasks import insert_or_update_object_task

    def index(page):
        return lambda: insert_or_update_object_task.enqueue("subsites", "articlepage", str(page.pk))

    assert changes_generation(django_capture_on_commit_callbacks, index(site["article"]))
    draft = make_article(site["point"], title="草稿", publish=False)
    assert not changes_generation(django_capture_on_commit_callbacks, index(draft))


def test_the_clear_page_cache_command_retires_every_page(client, page_cache, site):
    client.get("/")
    assert cache_state(client.get("/")) == "hit"
    call_command("clear_page_cache")
    assert cache_state(client.get("/")) == "miss"


# --- across two server processes ---------------------------------------------------------------

SERVER_SETTINGS = "tests.pagecache_settings"


def copy_of_the_test_database(folder):
    """A database the servers can open: the test database as migrated (before any test's data)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = folder / "servers.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", None
    import psycopg

    source = connection.settings_dict["NAME"]
    name = f"{source}_pagecache"
    parts = connection.settings_dict
    admin = f"postgresql://{parts['USER']}@{parts['HOST']}:{parts['PORT']}/postgres"
    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://{parts['USER']}@{parts['HOST']}:{parts['PORT']}/{name}", drop


class Publisher:
    """A third process changing data through the ORM (tests/pagecache_actions.py), one JSON line per action."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.pagecache_actions"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, action, **kwargs):
        self.process.stdin.write(json.dumps({"action": action, **kwargs}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the publisher process died"
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        stop(self.process)


@pytest.fixture(scope="module")
def servers(redis_url, django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn servers and a publisher process on one database copy and the module's Redis."""
    folder = tmp_path_factory.mktemp("servers")
    with django_db_blocker.unblock():
        database_url, drop = copy_of_the_test_database(folder)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
        "DATABASE_URL": database_url,
        "PAGECACHE_REDIS_URL": redis_url,
    }
    processes = []
    publisher = None
    try:
        ports = []
        for preferred in (8301, 8302):
            port = free_port(preferred)
            log = open(folder / f"server-{port}.log", "w")  # noqa: SIM115 - closed with the process
            processes.append(
                subprocess.Popen(
                    [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application"]
                    + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            ports.append(port)
        publisher = Publisher(env)
        data = publisher("setup")
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process, seconds=120)
        yield {"a": f"http://127.0.0.1:{ports[0]}", "b": f"http://127.0.0.1:{ports[1]}", "publish": publisher, **data}
    finally:
        if publisher:
            publisher.close()
        for process in processes:
            stop(process)
        if drop:
            drop()


# Both servers sit behind one public name, as behind nginx (the host is part of the key).
PUBLIC_HOST = {"Host": "localhost"}


def fetch(base, path):
    response = requests.get(base + path, headers=PUBLIC_HOST, timeout=60)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.django_db  # so the test database exists to be copied
def test_a_page_published_in_one_process_shows_on_the_other_server_at_once(servers):
    a, b, publish = servers["a"], servers["b"], servers["publish"]
    column = servers["column_url"]
    first = fetch(b, column)
    assert first.headers["X-Page-Cache"] == "miss"
    shared = fetch(a, column)  # the other server answers from the page b stored
    assert shared.headers["X-Page-Cache"] == "hit" and shared.text == first.text
    publish("publish_article", title="跨进程发布的预警信息")
    after = fetch(b, column)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "跨进程发布的预警信息" in after.text
    assert "跨进程发布的预警信息" in fetch(a, column).text


@pytest.mark.django_db  # so the test database exists to be copied
def test_a_report_on_the_exchange_and_a_point_edit_show_on_both_servers(servers):
    a, b, publish = servers["a"], servers["b"], servers["publish"]
    exchange, home = servers["exchange_url"], servers["home_url"]
    for base in (a, b):
        fetch(base, exchange)
        fetch(base, home)
    assert fetch(b, exchange).headers["X-Page-Cache"] == "hit"
    publish("approve_to_exchange", title="跨进程录用的预警信息")
    assert "跨进程录用的预警信息" in fetch(b, exchange).text
    publish("edit_point", phone="0571-12344321")
    assert "0571-12344321" in fetch(a, home).text
    assert "0571-12344321" in fetch(b, home).text


@pytest.mark.django_db  # so the test database exists to be copied
def test_a_logged_in_request_to_a_server_neither_reads_nor_fills_the_shared_cache(servers):
    a, b = servers["a"], servers["b"]
    path = servers["column_url"]
    fetch(b, path)  # stored
    response = requests.get(a + path, headers={**PUBLIC_HOST, "Cookie": "sessionid=somebodys-session"}, timeout=60)
    assert response.status_code == 200 and "X-Page-Cache" not in response.headers
