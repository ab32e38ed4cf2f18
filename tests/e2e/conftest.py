"""Browser tests: Playwright for Python driving Debian's chromium against a live server.

The browser is /usr/bin/chromium from apt (installed by `make test` through
scripts/install_system_deps.sh); Playwright never downloads one. Where it
cannot be installed the whole folder skips with one line saying so.
Screenshots of the main screens go to test-artifacts/ (ignored by git).

The live server needs real transactions, so these tests run on
``transactional_db``; its flush after each test would also wipe what the
migrations put in (regions, role groups, the portal tree, the review
workflow, the opinion presets), hence ``serialized_rollback``: Django
restores that content before each test. pytest-django runs these tests after
the ordinary ``db`` tests, so the rest of the suite is unaffected.

Every browser context fails the test on an uncaught JavaScript error or a
5xx answer from the server, so a broken screen cannot pass unnoticed.
"""

import os
import pathlib

import pytest

from tests.e2e.browser import login  # noqa: F401  (kept importable from here for older tests)
from tests.e2e.province import make_province

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_MAX_HEIGHT = 4000

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"浏览器测试跳过：{CHROMIUM} 不存在（apt-get install chromium 失败）")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db, django_db_serialized_rollback):
    """Real transactions for the live server, and the migrations' data restored for every test."""


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module.

    Module scope, not session: while Playwright runs, an asyncio loop counts
    as running in this thread, and pytest-django puts the tests that need no
    database after these ones; they should not run beside a live loop.

    Between its sync calls Playwright marks that loop as running, and
    Django's connection handler then hands out connections from
    a context-local store instead of the thread's: the tests would get a
    second connection object, without the serialized migration data that
    ``serialized_rollback`` restores from, and apart from the one the live
    server shares. Putting the thread's connections into that store keeps one
    connection per alias while the browser runs.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    thread_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) per role; all closed at the end.

    Uncaught JavaScript errors and 5xx responses of any page are collected and
    fail the test at teardown. The browser never leaves the live server: any
    other request (a CDN, an avatar service …) is aborted and listed in
    ``page.external_requests``, so the screens are tested as they work on a
    machine without internet access.
    """
    contexts = []
    problems = []
    local_prefix = live_server.url.rstrip("/") + "/"

    def make():
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(15000)
        context.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} {response.request.method} {response.url}")
                if response.status >= 500
                else None
            ),
        )
        contexts.append(context)
        page = context.new_page()
        page.external_requests = []

        def block_external(route):
            page.external_requests.append(route.request.url)
            route.abort("blockedbyclient")

        page.route(lambda url: not (url.startswith(local_prefix) or url.startswith("data:")), block_external)
        page.on("pageerror", lambda error: problems.append(f"JavaScript 错误 {page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("浏览器中出现服务器错误或脚本错误：\n" + "\n".join(problems))


@pytest.fixture
def shot():
    """Save a screenshot of the whole screen under test-artifacts/<name>.png.

    The Wagtail admin scrolls inside its own layout, so a plain full-page
    screenshot would stop at the window's height: the window is stretched to
    the content for the shot and put back afterwards.
    """
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        viewport = page.viewport_size
        height = page.evaluate(
            """() => Math.max(
                document.documentElement.scrollHeight,
                ...[...document.querySelectorAll('main, .content-wrapper, #main')].map((el) => el.scrollHeight)
            )"""
        )
        height = min(max(height, viewport["height"]), SCREENSHOT_MAX_HEIGHT)
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(viewport)
        return path

    return take


@pytest.fixture
def province():
    """Two points in two cities and one user per role (tests/e2e/province.py)."""
    return make_province()
