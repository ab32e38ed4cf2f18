"""原创预警信息审核 in the admin: the queue, the seed's review screen, Wagtail's dashboard panel and action modal."""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from tests.factories import make_point, make_user
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from warning import review
from warning.models import ReviewOpinion, ReviewRecord, WarningReport

QUEUE = "warning_review:index"


def detail(report, tab="pending"):
    return reverse("warning_review:detail", args=[report.pk]) + f"?tab={tab}"


def login(user):
    client = Client()
    client.force_login(user)
    return client


def task_state_id(report):
    return review.current_task_state(report).pk


def stage_of(report):
    return WarningReport.objects.get(pk=report.pk).stage


def shown_menu_labels(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.label for item in admin_menu.menu_items_for_request(request)}


def at_provincial(point, editor, city_reviewer, **fields):
    return decide(make_report(point, editor, **fields), city_reviewer, review.APPROVE, comment="")


# --- who reaches the screens --------------------------------------------------------------


def test_queue_lists_only_reports_the_city_reviewer_may_act_on(
    point, other_point, point_editor, other_point_editor, city_reviewer
):
    ours = make_report(point, point_editor, title="建德化工预警")
    make_report(other_point, other_point_editor, title="庆元铅笔预警")
    make_report(point, point_editor, title="未提交的草稿", submit=False)
    response = login(city_reviewer).get(reverse(QUEUE))
    assert response.status_code == 200
    assert [r.pk for r in response.context["object_list"]] == [ours.pk]
    html = response.content.decode()
    for heading in ("预警标题", "国别地区", "所属行业", "上报单位", "上报时间", "审核状态", "操作"):
        assert heading in html


class TestWhoReachesTheScreens(SharedPoints):
    """Who reaches the screens, around one point (made once for the class)."""

    def test_all_tab_shows_every_submitted_report_of_the_city_but_no_drafts(
        self, point, point_editor, city_reviewer, provincial
    ):
        decided = at_provincial(point, point_editor, city_reviewer, title="已转省级")
        make_report(point, point_editor, title="草稿", submit=False)
        response = login(city_reviewer).get(reverse(QUEUE) + "?tab=all")
        assert [r.pk for r in response.context["object_list"]] == [decided.pk]
        assert "查看" in response.content.decode()

    def test_review_screen_of_another_citys_report_is_404(self, point, point_editor, other_city_reviewer):
        report = make_report(point, point_editor)
        assert login(other_city_reviewer).get(detail(report)).status_code == 404
        response = login(other_city_reviewer).post(
            detail(report), {"action": "approve", "task_state_id": task_state_id(report)}
        )
        assert response.status_code == 404
        assert stage_of(report) == WarningReport.Stage.CITY

    @pytest.mark.parametrize("role", ["point", "magazine"])
    def test_other_roles_get_403_on_the_review_screens(self, point, point_editor, city_reviewer, role):
        report = at_provincial(point, point_editor, city_reviewer)
        user = point_editor if role == "point" else make_user("magazine")
        client = login(user)
        assert client.get(reverse(QUEUE)).status_code == 403
        assert client.get(detail(report)).status_code == 403
        response = client.post(detail(report), {"action": "approve", "task_state_id": task_state_id(report)})
        assert response.status_code == 403
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL


def test_menu_shows_the_review_entry_to_reviewers_only(city_reviewer, provincial, point_editor, magazine_editor):
    assert "原创预警信息审核" in shown_menu_labels(city_reviewer)
    assert "原创预警信息审核" in shown_menu_labels(provincial)
    assert "原创预警信息审核" not in shown_menu_labels(point_editor)
    assert "原创预警信息审核" not in shown_menu_labels(magazine_editor)


# --- the review screen --------------------------------------------------------------------


class TestTheReviewScreen(SharedPoints):
    """The review screen, around one point (made once for the class)."""

    def test_review_screen_shows_the_seed_layout(self, point, point_editor, city_reviewer, provincial):
        first = at_provincial(point, point_editor, city_reviewer, title="第一条")
        second = at_provincial(point, point_editor, city_reviewer, title="第二条")
        third = at_provincial(point, point_editor, city_reviewer, title="第三条")
        html = login(provincial).get(detail(second)).content.decode()
        for text in ("特大号", "大号", "中号", "通过", "退回修改", "不予通过", "推荐到杂志", "重要信息内部交流"):
            assert text in html
        assert "发布到预警工作交流" in html and "请选择意见" in html and "返回列表" in html
        for opinion in ReviewOpinion.objects.all():
            assert opinion.text in html
        # 上一条 / 下一条 follow the queue (newest submission first): third, second, first.
        assert f'href="{detail(third)}">上一条' in html.replace("&amp;", "&")
        assert f'href="{detail(first)}">下一条' in html.replace("&amp;", "&")
        assert "行业" in html and "国别" in html and "作者" in html and "联系电话" in html

    def test_city_review_screen_offers_no_provincial_options(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        html = login(city_reviewer).get(detail(report)).content.decode()
        assert "退回修改" in html
        assert 'name="options"' not in html

    def test_review_screen_shows_every_earlier_round(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        decide(report, city_reviewer, review.RETURN, comment="请补充数据来源")
        review.submit(report, point_editor)
        html = login(city_reviewer).get(detail(report)).content.decode()
        assert "审核记录" in html and "第1轮" in html and "请补充数据来源" in html

    def test_approving_on_the_screen_applies_and_moves_to_the_next_report(
        self, point, point_editor, city_reviewer, provincial
    ):
        older = at_provincial(point, point_editor, city_reviewer, title="较早")
        newer = at_provincial(point, point_editor, city_reviewer, title="较新")
        response = login(provincial).post(
            detail(newer),
            {
                "action": "approve",
                "options": ["magazine", "exchange"],
                "comment": "内容具有典型性",
                "task_state_id": task_state_id(newer),
                "tab": "pending",
            },
        )
        assert response.status_code == 302 and response.url == detail(older)
        newer.refresh_from_db()
        assert newer.stage == WarningReport.Stage.APPROVED and newer.to_magazine and newer.to_exchange

    def test_illegal_combination_on_the_screen_shows_the_message_and_changes_nothing(
        self, point, point_editor, city_reviewer, provincial
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        response = login(provincial).post(
            detail(report),
            {"action": "approve", "options": ["internal", "magazine"], "task_state_id": task_state_id(report)},
        )
        assert response.status_code == 200
        assert "“重要信息内部交流”不能与“推荐到杂志”或“发布到预警工作交流”同时选择" in response.content.decode()
        report.refresh_from_db()
        assert report.stage == WarningReport.Stage.PROVINCIAL and not report.to_internal
        assert not ReviewRecord.objects.filter(report=report, stage=review.PROVINCIAL).exists()

    def test_a_chosen_preset_is_the_comment_when_none_was_typed(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        login(city_reviewer).post(
            detail(report),
            {
                "action": "reject",
                "preset": "非原创,不予通过",
                "comment": "",
                "confirm_final": "on",
                "task_state_id": task_state_id(report),
            },
        )
        assert ReviewRecord.objects.get(report=report).comment == "非原创,不予通过"
        assert stage_of(report) == WarningReport.Stage.REJECTED

    def test_two_sessions_one_wins_the_other_gets_a_clear_message(self, point, point_editor, city_reviewer):
        colleague = make_user("city", city_name="杭州市")
        report = make_report(point, point_editor)
        first, second = login(city_reviewer), login(colleague)
        seen = task_state_id(report)
        assert first.get(detail(report)).status_code == 200
        assert second.get(detail(report)).status_code == 200

        first.post(detail(report), {"action": "approve", "task_state_id": seen})
        response = second.post(
            detail(report), {"action": "return", "comment": "退回", "task_state_id": seen}, follow=True
        )

        assert "已由其他审核人处理" in response.content.decode()
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL
        assert ReviewRecord.objects.filter(report=report).count() == 1

    def test_city_reviewer_posting_at_the_provincial_stage_gets_403(self, point, point_editor, city_reviewer):
        report = at_provincial(point, point_editor, city_reviewer)
        response = login(city_reviewer).post(
            detail(report), {"action": "approve", "task_state_id": task_state_id(report)}
        )
        assert response.status_code == 403
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL


# --- Wagtail's dashboard and action modal ----------------------------------------------------


def modal_url(report, action):
    return reverse(
        "wagtailsnippets_warning_warningreport:workflow_action", args=[report.pk, action, task_state_id(report)]
    )


class TestDashboardAndModal(SharedPoints):
    """Wagtail dashboard and action modal, around one point (made once for the class)."""

    def test_dashboard_awaiting_review_shows_the_report_to_its_own_citys_reviewer_only(
        self, point, point_editor, city_reviewer, other_city_reviewer, provincial
    ):
        report = make_report(point, point_editor, title="待审核的建德化工预警")
        assert report.title in login(city_reviewer).get(reverse("wagtailadmin_home")).content.decode()
        assert report.title not in login(other_city_reviewer).get(reverse("wagtailadmin_home")).content.decode()
        assert report.title not in login(provincial).get(reverse("wagtailadmin_home")).content.decode()

    def test_action_modal_shows_options_and_presets_and_applies_the_decision(
        self, point, point_editor, city_reviewer, provincial
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        client = login(provincial)
        url = modal_url(report, "approve")
        modal = json.loads(client.get(url).content)
        assert "推荐到杂志" in modal["html"] and "请选择意见" in modal["html"]
        response = client.post(
            url, {"options": ["exchange"], "comment": "同意"}, headers={"x-requested-with": "XMLHttpRequest"}
        )
        assert json.loads(response.content)["step"] == "success"
        report.refresh_from_db()
        assert report.stage == WarningReport.Stage.APPROVED and report.to_exchange

    def test_action_modal_refuses_an_illegal_combination(self, point, point_editor, city_reviewer, provincial):
        report = at_provincial(point, point_editor, city_reviewer)
        response = login(provincial).post(
            modal_url(report, "approve"),
            {"options": ["internal", "exchange"]},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        data = json.loads(response.content)
        assert data["step"] == "action" and "不能与" in data["html"]
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL

    def test_action_modal_stale_decision_gets_a_message(self, point, point_editor, city_reviewer):
        colleague = make_user("city", city_name="杭州市")
        report = make_report(point, point_editor)
        url = modal_url(report, "reject")
        decide(report, city_reviewer, review.APPROVE)
        response = login(colleague).post(url, {"comment": "不予通过", "confirm_final": "on"}, follow=True)
        assert "已由其他审核人处理" in response.content.decode()
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL

    def test_action_modal_of_another_citys_reviewer_is_refused(self, point, point_editor, other_city_reviewer):
        report = make_report(point, point_editor)
        response = login(other_city_reviewer).post(modal_url(report, "approve"), {"comment": ""})
        assert response.status_code == 404
        assert stage_of(report) == WarningReport.Stage.CITY


# --- the report's history --------------------------------------------------------------------


def test_report_history_shows_each_review_action(point, point_editor, city_reviewer, provincial):
    report = at_provincial(point, point_editor, city_reviewer)
    decide(report, provincial, review.APPROVE, comment="建议推荐到《浙江商务》", options=["magazine"])
    url = reverse("wagtailsnippets_warning_warningreport:history", args=[report.pk])
    html = login(provincial).get(url).content.decode()
    assert "地市审核：通过" in html
    assert "省级审核：通过（推荐到杂志）" in html
    assert "建议推荐到《浙江商务》" in html


# --- query counts ------------------------------------------------------------------------------


def fill_queue(n, city_reviewer):
    editors = []
    for i in range(n):
        point = make_point(district_name="建德市" if i % 2 else "桐庐县")
        editor = make_user("point", point=point)
        editors.append(editor)
        make_report(point, editor)
    return editors


@pytest.mark.parametrize("size", [5, 40])
def test_queue_query_count_does_not_grow_with_the_number_of_reports(size, city_reviewer, django_assert_max_num_queries):
    fill_queue(size, city_reviewer)
    client = login(city_reviewer)
    client.get(reverse(QUEUE))  # warm per-process caches (content types, permissions)
    with django_assert_max_num_queries(18):
        response = client.get(reverse(QUEUE) + "?tab=all")
    assert len(response.context["object_list"]) == min(size, 20)
