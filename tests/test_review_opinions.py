"""审核意见配置: the provincial contact creates, edits, orders and deletes the presets of 请选择意见."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_user
from tests.review_factories import make_report
from tests.shared_points import SharedPoints
from warning.admin.review import DecisionForm
from warning.models import ReviewOpinion

NS = "wagtailsnippets_warning_reviewopinion"


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_seed_presets_are_listed(provincial):
    html = login(provincial).get(reverse(f"{NS}:list")).content.decode()
    for text in (
        "非原创,不予通过",
        "内容较有深度,但存在保密信息,推荐内部交流",
        "内容具有典型性,建议推荐到《浙江商务》",
    ):
        assert text in html


def test_provincial_contact_creates_edits_and_deletes_a_preset(provincial):
    client = login(provincial)
    client.post(reverse(f"{NS}:add"), {"text": "数据翔实，建议发布"})
    opinion = ReviewOpinion.objects.get(text="数据翔实，建议发布")
    assert opinion.sort_order > ReviewOpinion.objects.exclude(pk=opinion.pk).order_by("-sort_order")[0].sort_order
    client.post(reverse(f"{NS}:edit", args=[opinion.pk]), {"text": "数据翔实，建议发布到预警工作交流"})
    opinion.refresh_from_db()
    assert opinion.text == "数据翔实，建议发布到预警工作交流"
    client.post(reverse(f"{NS}:delete", args=[opinion.pk]))
    assert not ReviewOpinion.objects.filter(pk=opinion.pk).exists()


def test_an_empty_preset_is_refused(provincial):
    response = login(provincial).post(reverse(f"{NS}:add"), {"text": ""})
    assert response.status_code == 200
    assert ReviewOpinion.objects.count() == 3


def test_reordering_changes_the_drop_down_order(provincial):
    last = ReviewOpinion.objects.order_by("sort_order").last()
    response = login(provincial).post(reverse(f"{NS}:reorder", args=[last.pk]) + "?position=0")
    assert response.status_code == 200
    choices = [value for value, _ in DecisionForm(stage="city").fields["preset"].widget.choices][1:]
    assert choices[0] == last.text


class TestSharedOtherRolesCannotManage(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize("role", ["point", "city", "magazine"])
    def test_other_roles_cannot_manage_presets(self, point, role):
        user = make_user(role, point=point)
        client = login(user)
        assert client.get(reverse(f"{NS}:list")).status_code in (302, 403)
        client.post(reverse(f"{NS}:add"), {"text": "越权添加"})
        assert not ReviewOpinion.objects.filter(text="越权添加").exists()

    def test_presets_fill_the_reviewers_drop_down(self, point, point_editor, city_reviewer):
        ReviewOpinion.objects.create(text="请补充数据来源", sort_order=10)
        report = make_report(point, point_editor)
        html = login(city_reviewer).get(reverse("warning_review:detail", args=[report.pk])).content.decode()
        assert "请补充数据来源" in html and 'data-review-opinion="select"' in html
