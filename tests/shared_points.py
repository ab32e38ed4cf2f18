"""The conftest's `point` / `other_point` built once per test class instead of once per test.

Making a point provisions its subsite (four pages published through
revisions, an editors' group and its rights): hundreds of queries, the main
cost of most tests on PostgreSQL. A class of tests that all start from the
same points subclasses SharedPoints: the points are made once, when the
class's first test starts, in a transaction rolled back after its last; each
test runs in its own transaction inside it (rolled back as usual) and gets a
fresh copy of each point read from the database, so what one test changes
never reaches the next. The fixtures that build on `point` (point_editor …)
stay per test.

Every test of such a class must ask for every point of `shared_points` (checked
below): it then sees exactly the rows it would have made itself. Not for a file
that defines its own `point` fixture: the class would replace it with these. A class whose
tests also share a fixture's data defines `build_shared(points)` (a classmethod
given the points by fixture name); its result is `class_built` for that fixture,
which reads it back per test, and names the fixture in `shared_fixtures`, which
every test of the class must ask for too.
"""

import pytest
from django.db import connection, transaction

from tests.factories import make_point
from warning.models import WarningPoint

POINTS = {
    "point": dict(name="建德精细化工产品对外贸易预警示范点"),
    "other_point": dict(name="庆元铅笔对外贸易预警示范点", district_name="庆元县"),
}


def make_named_point(fixture_name):
    """The point the fixture of that name makes (tests/conftest.py)."""
    return make_point(**POINTS[fixture_name])


@pytest.fixture(scope="class")
def _class_points(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to build on a non-test database: {name}"
        points = {fixture: make_named_point(fixture) for fixture in request.cls.shared_points}
        built = request.cls.build_shared(points)
        yield {"pks": {fixture: point.pk for fixture, point in points.items()}, "built": built}
        transaction.set_rollback(True)


class SharedPoints:
    shared_points = ("point",)
    shared_fixtures = ()

    @classmethod
    def build_shared(cls, points):
        return None

    @pytest.fixture
    def class_built(self, _class_points):
        return _class_points["built"]

    @pytest.fixture(autouse=True)
    def _asks_for_every_shared_point(self, request):
        missing = {*self.shared_points, *self.shared_fixtures} - set(request.fixturenames)
        assert not missing, f"{request.node.name} must ask for {sorted(missing)} to run in {type(self).__name__}"

    @pytest.fixture
    def point(self, db, _class_points):
        return WarningPoint.objects.get(pk=_class_points["pks"]["point"])

    @pytest.fixture
    def other_point(self, db, _class_points):
        return WarningPoint.objects.get(pk=_class_points["pks"]["other_point"])
