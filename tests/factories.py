"""Small make_* helpers for test data (no fixtures files): real rows in a real database."""

import itertools

from django.contrib.auth.models import Group, User

from warning.demo.indexing import indexing_deferred
from warning.models import City, District, Industry, Profile, ResponsiblePerson, WarningPoint
from warning.models.profiles import GROUP_CITY_REVIEWER, GROUP_MAGAZINE, GROUP_POINT_EDITOR, GROUP_PROVINCIAL

_seq = itertools.count(1)


def city(name="杭州市"):
    return City.objects.get(name=name)


def district(name="建德市"):
    return District.objects.get(name=name)


def make_point(name=None, district_name="建德市", status=WarningPoint.Status.OFFICIAL, responsible=1, **fields):
    n = next(_seq)
    defaults = dict(
        name=name or f"测试{n}号产品对外贸易预警点",
        host_organisation=f"测试{n}号行业协会",
        category=WarningPoint.Category.PROVINCIAL,
        batch=1,
        established_year=2015,
        address="杭州市西湖区测试路1号",
        phone="0571-87654321",
        email=f"point{n}@example.com",
        status=status,
        district=District.objects.get(name=district_name),
        industry=Industry.objects.get(name="化工"),
        has_party_organisation=False,
    )
    defaults.update(fields)
    # The point, its people and its subsite pages are indexed once each, not on every save.
    with indexing_deferred():
        point = WarningPoint.objects.create(**defaults)
        for i in range(responsible):
            ResponsiblePerson.objects.create(point=point, name=f"负责人{n}-{i}", mobile="13800000000", sort_order=i)
    return point


def make_user(role, point=None, city_name=None, username=None, password="pass12345!"):
    """A user of one role: 'point', 'city', 'province' or 'magazine'."""
    group = {
        "point": GROUP_POINT_EDITOR,
        "city": GROUP_CITY_REVIEWER,
        "province": GROUP_PROVINCIAL,
        "magazine": GROUP_MAGAZINE,
    }[role]
    user = User.objects.create_user(
        username=username or f"{role}{next(_seq)}", password=password, email=f"{role}@example.com"
    )
    user.groups.add(Group.objects.get(name=group))
    if role == "point":
        Profile.objects.create(user=user, point=point)
    elif role == "city":
        Profile.objects.create(user=user, city=City.objects.get(name=city_name or "杭州市"))
    return user


def bulk_points(count, name="批量预警点{i}", district_name="建德市"):
    """Many 正式 points in one query, without signals (so without subsites).

    For query-count tests at a large size, where provisioning a subsite per
    point would only add minutes and nothing the test looks at.
    """
    district = District.objects.get(name=district_name)
    industry = Industry.objects.get(name="化工")
    return WarningPoint.objects.bulk_create(
        [
            WarningPoint(
                name=name.format(i=i),
                host_organisation=f"批量{i}号行业协会",
                batch=1,
                established_year=2015,
                address="测试路1号",
                phone="0571-87654321",
                email=f"bulk{i}@example.com",
                district=district,
                industry=industry,
                has_party_organisation=False,
            )
            for i in range(count)
        ]
    )
