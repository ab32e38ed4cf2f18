"""Shared fixtures: one user per role, bound to a point in 杭州市 (建德市)."""

import os

import pytest

from tests.factories import make_point, make_user
from tests.jobs_helpers import database_queue, run_worker  # noqa: F401 - fixtures of the background-work tests

# The smoke test drives the running stack (scripts/stack.sh smoke sets SMOKE_BASE_URL);
# the normal run never collects it.
collect_ignore = [] if os.environ.get("SMOKE_BASE_URL") else ["smoke"]


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
