"""内部交流: 未处理 → 采纳 / 不采纳, then 获得厅领导批示 on an adopted item; provincial contacts only."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_point, make_user
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from warning import review
from warning.models import Message, ReviewRecord, WarningReport

INDEX = "warning_internal:index"


def login(user):
    client = Client()
    client.force_login(user)
    return client


def detail(report):
    return reverse("warning_internal:detail", args=[report.pk])


def internal_report(point, editor, city_reviewer, provincial, **fields):
    report = make_report(point, editor, **fields)
    decide(report, city_reviewer, review.APPROVE, comment="")
    return decide(report, provincial, review.APPROVE, comment="有深度，内部交流", options=[review.INTERNAL])


class TestSharedTheListShowsInternal(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_the_list_shows_internal_items_with_the_seed_columns(self, point, point_editor, city_reviewer, provincial):
        item = internal_report(point, point_editor, city_reviewer, provincial, title="美国发布新版RSL清单")
        other = make_report(point, point_editor, title="只发布到交流栏")
        decide(other, city_reviewer, review.APPROVE, comment="")
        decide(other, provincial, review.APPROVE, comment="", options=[review.EXCHANGE])
        response = login(provincial).get(reverse(INDEX))
        assert [r.pk for r in response.context["object_list"]] == [item.pk]
        html = response.content.decode()
        for text in ("预警标题", "国别地区", "所属行业", "上报单位", "上报时间", "处理状态", "操作", "未处理", "审核"):
            assert text in html

    def test_adopting_then_marking_a_leader_instruction(self, point, point_editor, city_reviewer, provincial):
        item = internal_report(point, point_editor, city_reviewer, provincial)
        client = login(provincial)
        client.post(detail(item), {"decision": "1", "comment": "采纳"})
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.ADOPTED and item.internal_decided_at is not None
        assert Message.objects.filter(recipient=point_editor, title__startswith="内部交流采纳").exists()

        client.post(detail(item), {"leader": "1", "comment": "厅长批示"})
        item.refresh_from_db()
        assert item.leader_instruction
        actions = list(ReviewRecord.objects.filter(report=item, stage="internal").values_list("action", flat=True))
        assert actions == ["adopt", "leader"]
        assert "采纳（获得厅领导批示）" in client.get(reverse(INDEX)).content.decode()

    def test_declining_is_final(self, point, point_editor, city_reviewer, provincial):
        item = internal_report(point, point_editor, city_reviewer, provincial)
        client = login(provincial)
        client.post(detail(item), {"decision": "0", "confirm_final": "on"})
        response = client.post(detail(item), {"decision": "1"}, follow=True)
        assert "已处理" in response.content.decode()
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.DECLINED
        assert ReviewRecord.objects.filter(report=item, stage="internal").count() == 1

    def test_a_leader_instruction_needs_an_adopted_item(self, point, point_editor, city_reviewer, provincial):
        item = internal_report(point, point_editor, city_reviewer, provincial)
        with pytest.raises(review.ReviewError, match="只有已采纳"):
            review.mark_leader_instruction(item, provincial)
        response = login(provincial).post(detail(item), {"leader": "1"}, follow=True)
        assert "只有已采纳" in response.content.decode()
        item.refresh_from_db()
        assert not item.leader_instruction

    def test_two_sessions_adopting_at_once_apply_once(self, point, point_editor, city_reviewer, provincial):
        item = internal_report(point, point_editor, city_reviewer, provincial)
        colleague = make_user("province")
        review.decide_internal(item, provincial, adopt=True)
        with pytest.raises(review.StaleReviewError):
            review.decide_internal(item, colleague, adopt=False)
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.ADOPTED

    @pytest.mark.parametrize("role", ["point", "city", "magazine"])
    def test_other_roles_cannot_reach_internal_exchange(self, point, point_editor, city_reviewer, provincial, role):
        item = internal_report(point, point_editor, city_reviewer, provincial)
        user = {"point": point_editor, "city": city_reviewer, "magazine": make_user("magazine")}[role]
        client = login(user)
        assert client.get(reverse(INDEX)).status_code == 403
        assert client.post(detail(item), {"decision": "1"}).status_code == 403
        with pytest.raises(review.ReviewNotAllowed):
            review.decide_internal(item, user, adopt=True)
        item.refresh_from_db()
        assert item.internal_status == WarningReport.Decision.PENDING

    def test_a_report_not_sent_to_internal_exchange_is_404(self, point, point_editor, city_reviewer, provincial):
        report = make_report(point, point_editor)
        assert login(provincial).get(detail(report)).status_code == 404


@pytest.mark.parametrize("size", [4, 30])
def test_internal_list_query_count_does_not_grow(size, city_reviewer, provincial, django_assert_max_num_queries):
    for i in range(size):
        point = make_point(district_name="建德市")
        internal_report(point, make_user("point", point=point), city_reviewer, provincial, title=f"内部交流{i}")
    client = login(provincial)
    client.get(reverse(INDEX))
    with django_assert_max_num_queries(18):
        response = client.get(reverse(INDEX))
    assert len(response.context["object_list"]) == min(size, 20)
