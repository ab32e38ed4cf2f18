"""seed_demo's full points step: 109 points over 11 cities, valid data, a login per role that sees its own registry.

In a file of its own (the slowest single test of the suite) so the parallel
test run can give it a worker while the other seed_demo tests run on the other.
"""

import io

from django.contrib.auth import get_user_model
from django.urls import reverse

from warning.demo import points as demo_points
from warning.models import City, WarningPoint
from warning.models.profiles import scope_of

SEED_NAMES = [
    "舟山市水产品对外贸易预警点",
    "建德精细化工产品对外贸易预警示范点",
    "庆元铅笔对外贸易预警示范点",
    "临海庭院休闲用品行业对外贸易预警点",
    "义乌市化妆品行业对外贸易预警点",
    "桐庐笔业对外贸易预警示范点",
    "温州市鞋产品对外贸易预警示范点",
]


def test_demo_province_points_and_logins(db, client):
    """One run of the full points step (creating 109 points is slow), then everything it promises."""
    demo_points.run(io.StringIO())
    assert_demo_province_has_points_in_every_city_with_the_seed_names()
    assert_every_demo_point_has_a_reachable_responsible_person_and_valid_data()
    assert_demo_users_have_their_roles_and_scopes()
    assert_demo_logins_work_and_see_their_own_registry(client)
    assert_print_logins_lists_every_role_with_password()


def assert_demo_province_has_points_in_every_city_with_the_seed_names():
    assert WarningPoint.objects.count() >= 106
    for city in City.objects.all():
        assert WarningPoint.objects.filter(district__city=city).exists(), city.name
    assert set(SEED_NAMES) <= set(WarningPoint.objects.values_list("name", flat=True))
    assert WarningPoint.objects.filter(status=WarningPoint.Status.REVOKED).count() == 1
    assert WarningPoint.objects.filter(status=WarningPoint.Status.PREPARING).count() >= 2


def assert_every_demo_point_has_a_reachable_responsible_person_and_valid_data():
    for point in WarningPoint.objects.prefetch_related("responsible_persons", "enterprises", "leadership"):
        point.full_clean()
        persons = list(point.responsible_persons.all())
        assert persons and all(p.mobile or p.phone for p in persons), point.name
        assert "协会" in point.host_organisation or "商会" in point.host_organisation
        assert point.enterprises.all() and point.leadership.all()
    qingyuan = WarningPoint.objects.get(name="庆元铅笔对外贸易预警示范点")
    assert (qingyuan.host_organisation, qingyuan.phone, qingyuan.enterprises.count()) == (
        "庆元县铅笔协会",
        "0578-6011987",
        19,
    )


def assert_demo_users_have_their_roles_and_scopes():
    User = get_user_model()
    jiande = WarningPoint.objects.get(name="建德精细化工产品对外贸易预警示范点")
    assert scope_of(get_user_model().objects.get(username="point001")).point_id == jiande.pk
    assert scope_of(User.objects.get(username="city_hangzhou")).city_id == City.objects.get(name="杭州市").pk
    assert scope_of(User.objects.get(username="province")).sees_everything
    assert scope_of(User.objects.get(username="magazine")).is_magazine
    assert User.objects.get(username="admin").is_superuser
    for city_username in demo_points.CITY_USERNAMES.values():
        assert User.objects.filter(username=city_username).exists()
    assert User.objects.filter(username__startswith="point").count() == WarningPoint.objects.count()


def assert_demo_logins_work_and_see_their_own_registry(client):
    index = reverse("warning_warningpoint_modeladmin_index")
    assert client.login(username="city_hangzhou", password=demo_points.DEMO_PASSWORD)
    cities = {p.district.city.name for p in client.get(index).context["object_list"]}
    assert cities == {"杭州市"}
    assert client.login(username="point001", password=demo_points.DEMO_PASSWORD)
    assert [p.name for p in client.get(index).context["object_list"]] == ["建德精细化工产品对外贸易预警示范点"]
    assert client.login(username="magazine", password=demo_points.DEMO_PASSWORD)
    assert client.get(index).status_code == 403


def assert_print_logins_lists_every_role_with_password():
    out = io.StringIO()
    demo_points.print_logins(out)
    text = out.getvalue()
    for expected in ("admin", "province", "magazine", "city_hangzhou", "city_lishui", "point001", "demo12345"):
        assert expected in text
    assert "建德精细化工产品对外贸易预警示范点" in text
