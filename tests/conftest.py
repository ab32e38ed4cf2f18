"""Shared fixtures: one user per role, bound to a point in 杭州市 (建德市)."""

import os

import pytest

from tests.factories import make_point, make_user
from tests.jobs_helpers import database_queue, run_worker  # noqa: F401 - fixtures of the background-work tests
from tests.webhook_helpers import committed, live_receiver, receiver  # noqa: F401 - fixtures of the webhook tests

# The smoke test drives the running stack (scripts/stack.sh smoke sets SMOKE_BASE_URL);
# the normal run never collects it.
collect_ignore = [] if os.environ.get("SMOKE_BASE_URL") else ["smoke"]


@pytest.fixture(autouse=True)
def _fresh_cached_lookups():
    """What is cached across requests (warning/cached.py, warning/page_permissions.py) is read afresh
    in each test: a test's rolled-back rows must not outlive it in the process's cache."""
    from wagtail.models import Site

    from warning import cached, page_permissions

    cached.forget_cities()
    cached.forget_active_tasks()
    cached.forget_industries()
    cached.forget_help_pages()
    cached.forget_site_names()
    cached.forget_explorer_choices()
    Site.clear_site_root_paths_cache()  # Wagtail's own: a test that adds a site must not leave it behind
    page_permissions.forget_all()


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test that commits for real (and so flushes the database afterwards) as flushes_db.

    A flush also empties the reference data the migrations wrote (groups,
    cities), so such a test must never run before an ordinary one in the same
    process: `make test` runs them in a second pytest run, with the browser
    tests, after the parallel run of all the others.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (
            marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
        )
        if transactional or TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.flushes_db)


@pytest.fixture
def point(db):
    return make_point(name="建德精细化工产品对外贸易预警示范点")


@pytest.fixture
def other_point(db):
    return make_point(name="庆元铅笔对外贸易预警示范点", district_name="庆元县")


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
