"""The foundation: reference data and role groups made by migrations, zh-hans settings."""

from django.conf import settings
from django.contrib.auth.models import Group

from warning.models import City, District, Industry, ReviewOpinion
from warning.models.profiles import ROLE_GROUPS, scope_of


def test_settings_are_chinese_and_shanghai():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_migrations_create_the_eleven_cities_with_districts(db):
    names = list(City.objects.values_list("name", flat=True))
    assert names == [
        "杭州市",
        "宁波市",
        "温州市",
        "嘉兴市",
        "湖州市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
        "台州市",
        "丽水市",
    ]
    assert District.objects.get(name="桐庐县").city.name == "杭州市"
    assert District.objects.get(name="鹿城区").city.name == "温州市"
    assert all(c.districts.exists() for c in City.objects.all())


def test_migrations_create_role_groups_and_reference_lists(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUPS)
    assert Group.objects.get(name="预警点用户").permissions.filter(codename="access_admin").exists()
    assert Industry.objects.filter(name="纺织服装").exists()
    assert list(ReviewOpinion.objects.values_list("text", flat=True)) == [
        "非原创,不予通过",
        "内容较有深度,但存在保密信息,推荐内部交流",
        "内容具有典型性,建议推荐到《浙江商务》",
    ]


def test_scope_binds_point_editor_to_its_point_only(point, point_editor, city_reviewer, provincial):
    assert scope_of(point_editor).point_id == point.pk
    assert not scope_of(point_editor).sees_everything
    assert scope_of(city_reviewer).city_id == City.objects.get(name="杭州市").pk
    assert scope_of(provincial).sees_everything
