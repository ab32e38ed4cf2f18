"""seed_demo: running it twice changes nothing, points_per_city, determinism (the full points step: test_seed_demo_province.py)."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from warning.demo import points as demo_points
from warning.models import ResponsiblePerson, WarningPoint


def model_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_twice_changes_nothing(db):
    # Two points per city instead of 109: every step of seed_demo stays quick, the chain is the same.
    call_command("seed_demo", points_per_city=2, stdout=io.StringIO())
    first = model_counts()
    points = list(WarningPoint.objects.order_by("name").values_list("name", "phone", "status", "batch"))
    call_command("seed_demo", points_per_city=2, stdout=io.StringIO())
    assert model_counts() == first
    assert list(WarningPoint.objects.order_by("name").values_list("name", "phone", "status", "batch")) == points


def test_points_step_is_deterministic(db):
    demo_points.run(io.StringIO(), per_city=2)
    first = list(ResponsiblePerson.objects.order_by("point__name", "sort_order").values_list("name", "mobile"))
    WarningPoint.objects.filter(name="建德精细化工产品对外贸易预警示范点").delete()
    demo_points.run(io.StringIO(), per_city=2)
    again = list(ResponsiblePerson.objects.order_by("point__name", "sort_order").values_list("name", "mobile"))
    assert again == first


def test_points_per_city_keeps_the_first_points_of_every_city_and_their_usernames(db):
    call_command("seed_demo", points_per_city=1, stdout=io.StringIO())
    assert WarningPoint.objects.count() == 11
    assert WarningPoint.objects.filter(name="建德精细化工产品对外贸易预警示范点").exists()
    assert (
        get_user_model().objects.get(username="point001").warning_profile.point.name
        == "建德精细化工产品对外贸易预警示范点"
    )


def test_points_per_city_must_be_positive(db):
    with pytest.raises(CommandError, match="正整数"):
        call_command("seed_demo", points_per_city=0, stdout=io.StringIO())
    assert not WarningPoint.objects.exists()
