"""Shared fixtures: one user per role, bound to a point in 杭州市 (建德市)."""

import os

import pytest

from tests.factories import make_user
from tests.jobs_helpers import database_queue, run_worker  # noqa: F401 - fixtures of the background-work tests
from tests.shared_points import _class_points, make_named_point  # noqa: F401 - SharedPoints classes use _class_points
from tests.webhook_helpers import committed, live_receiver, receiver  # noqa: F401 - fixtures of the webhook tests

# The smoke test drives the running stack (scripts/stack.sh smoke sets SMOKE_BASE_URL);
# the normal run never collects it.
collect_ignore = [] if os.environ.get("SMOKE_BASE_URL") else ["smoke"]


@pytest.fixture(autouse=True)
def _fresh_cached_lookups():
    """What is cached across requests (warning/cached.py, warning/rights.py) is read afresh
    in each test: a test's rolled-back rows must not outlive it in the process's cache."""
    from wagtail.models import Site

    from warning import cached, rights

    cached.forget_cities()
    cached.forget_active_tasks()
    cached.forget_industries()
    cached.forget_help_pages()
    cached.forget_site_names()
    cached.forget_locales()
    cached.forget_explorer_choices()
    cached.forget_view_restriction_paths()
    cached.forget_permissions()
    Site.clear_site_root_paths_cache()  # Wagtail's own: a test that adds a site must not leave it behind
    rights.forget_all()


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}

# The slowest test files, slowest first (measured on PostgreSQL, 30 November 2026). `make test`
# hands whole files to its two workers in collection order (--dist loadfile
# --no-loadscope-reorder), so these are collected first and the many short files fill the gaps
# at the end: the two workers finish together instead of one waiting for the other's last
# long file. A new file that takes a minute or more belongs in this list.
SLOW_FILES_FIRST = (
    "test_admin_list_queries.py",
    "test_explorer_same_screen.py",
    "test_statistics_crosscheck.py",
    "test_reports_demo.py",
    "test_review_internal.py",
    "test_no_english.py",
    "test_seed_demo.py",
    "test_review_progress.py",
    "test_role_url_matrix.py",
    "test_seed_demo_province.py",
    "test_exports.py",
    "test_subsites_pages.py",
    "test_periodic_demo.py",
    "test_statistics.py",
    "test_review_admin.py",
    "test_subsites_publications.py",
    "test_subsites_demo.py",
    "test_statistics_access.py",
    "test_search_public.py",
    "test_point_contacts_export.py",
    "test_public_queries.py",
    "test_search_quality.py",
    "test_notices.py",
)


def _slow_first(item):
    name = item.path.name
    return SLOW_FILES_FIRST.index(name) if name in SLOW_FILES_FIRST else len(SLOW_FILES_FIRST)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Put the slowest files first (SLOW_FILES_FIRST), and mark every test that commits for real
    (and so flushes the database afterwards) as flushes_db.

    A flush also empties the reference data the migrations wrote (groups,
    cities), so such a test must never run before an ordinary one in the same
    process: `make test` runs them in a second pytest run, with the browser
    tests, after the parallel run of all the others.
    """
    items.sort(key=_slow_first)  # stable: each file's tests keep their order
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (
            marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
        )
        if transactional or TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.flushes_db)


@pytest.fixture
def point(db):
    return make_named_point("point")


@pytest.fixture
def other_point(db):
    return make_named_point("other_point")


@pytest.fixture
def point_editor(point):
    return make_user("point", point=point)


@pytest.fixture
def other_point_editor(other_point):
    return make_user("point", point=other_point)


@pytest.fixture
def city_reviewer(db):
    return make_user("city", city_name="杭州市")


@pytest.fixture
def other_city_reviewer(db):
    return make_user("city", city_name="丽水市")


@pytest.fixture
def provincial(db):
    return make_user("province")


@pytest.fixture
def magazine_editor(db):
    return make_user("magazine")
