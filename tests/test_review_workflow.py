"""The two-stage review of 预警信息 (docs/rules.md §3.1, §7), through warning.review — the path every screen uses."""

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from tests.factories import make_user
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from warning import review
from warning.models import Message, ReviewRecord, WarningReport


def stage_of(report):
    return WarningReport.objects.get(pk=report.pk).stage


def at_provincial(point, editor, city_reviewer, **fields):
    report = make_report(point, editor, **fields)
    return decide(report, city_reviewer, review.APPROVE, comment="")


# --- the happy path ----------------------------------------------------------------------


class TestSharedSubmissionStartsTheCity(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_submission_starts_the_city_stage_and_sets_submission_time(self, point, point_editor):
        report = make_report(point, point_editor)
        assert report.stage == WarningReport.Stage.CITY
        assert report.submitted_at is not None
        assert review.current_task_state(report).task.specific.review_stage == review.CITY

    def test_city_approval_moves_the_report_to_the_provincial_stage(self, point, point_editor, city_reviewer):
        report = at_provincial(point, point_editor, city_reviewer)
        assert report.stage == WarningReport.Stage.PROVINCIAL
        assert review.current_task_state(report).task.specific.review_stage == review.PROVINCIAL
        assert not report.live

    def test_provincial_approval_with_magazine_and_exchange_publishes_and_queues_for_the_magazine(
        self, point, point_editor, city_reviewer, provincial
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        report = decide(report, provincial, review.APPROVE, options=[review.MAGAZINE, review.EXCHANGE])
        assert report.stage == WarningReport.Stage.APPROVED
        assert report.approved_at is not None
        assert report.to_magazine and report.to_exchange and not report.to_internal
        assert report.magazine_status == WarningReport.Decision.PENDING
        assert report.exchange_published_at is not None
        assert report.internal_status == ""
        assert report.live  # the reviewed text is the live revision
        assert WorkflowState.objects.for_instance(report).get().status == WorkflowState.STATUS_APPROVED

    def test_provincial_approval_with_internal_exchange_enters_the_internal_list(
        self, point, point_editor, city_reviewer, provincial
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        report = decide(report, provincial, review.APPROVE, options=[review.INTERNAL])
        assert report.to_internal and report.internal_status == WarningReport.Decision.PENDING
        assert not report.to_exchange and report.exchange_published_at is None
        assert report.magazine_status == ""

    def test_provincial_approval_without_options_is_allowed(self, point, point_editor, city_reviewer, provincial):
        report = at_provincial(point, point_editor, city_reviewer)
        report = decide(report, provincial, review.APPROVE, comment="")
        assert report.stage == WarningReport.Stage.APPROVED
        assert not (report.to_magazine or report.to_internal or report.to_exchange)


# --- illegal combinations and missing comments change nothing ------------------------------


class TestSharedInternalExchangeExcludesMagazine(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize("other", [review.MAGAZINE, review.EXCHANGE])
    def test_internal_exchange_excludes_magazine_and_exchange(
        self, point, point_editor, city_reviewer, provincial, other
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        task_state = review.current_task_state(report)
        with pytest.raises(review.ReviewError, match="重要信息内部交流.*不能与"):
            decide(report, provincial, review.APPROVE, options=[review.INTERNAL, other])
        report.refresh_from_db()
        assert report.stage == WarningReport.Stage.PROVINCIAL
        assert not (report.to_internal or report.to_magazine or report.to_exchange)
        assert review.current_task_state(report).pk == task_state.pk
        assert not ReviewRecord.objects.filter(report=report, stage=review.PROVINCIAL).exists()

    def test_options_are_refused_at_the_city_stage(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        with pytest.raises(review.ReviewError, match="只能在省级审核"):
            decide(report, city_reviewer, review.APPROVE, options=[review.EXCHANGE])
        assert stage_of(report) == WarningReport.Stage.CITY

    def test_options_are_refused_with_return(self, point, point_editor, city_reviewer, provincial):
        report = at_provincial(point, point_editor, city_reviewer)
        with pytest.raises(review.ReviewError):
            decide(report, provincial, review.RETURN, comment="请补充数据", options=[review.MAGAZINE])
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL

    @pytest.mark.parametrize("action", [review.RETURN, review.REJECT])
    def test_return_and_reject_require_a_comment(self, point, point_editor, city_reviewer, action):
        report = make_report(point, point_editor)
        with pytest.raises(review.ReviewError, match="必须填写审核意见"):
            decide(report, city_reviewer, action, comment="  ")
        assert stage_of(report) == WarningReport.Stage.CITY

    def test_unknown_action_is_refused(self, point, point_editor, city_reviewer):
        report = make_report(point, point_editor)
        with pytest.raises(review.ReviewError, match="请选择审核操作"):
            decide(report, city_reviewer, "publish")
        assert stage_of(report) == WarningReport.Stage.CITY


# --- 退回修改 and resubmission ------------------------------------------------------------


class TestSharedReturnedReportIsResubmitted(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_returned_report_is_resubmitted_and_reviewed_again_with_every_round_kept(
        self, point, point_editor, city_reviewer
    ):
        report = make_report(point, point_editor)
        first_submission = report.submitted_at
        report = decide(report, city_reviewer, review.RETURN, comment="请补充出口数据")
        assert report.stage == WarningReport.Stage.RETURNED
        assert WorkflowState.objects.for_instance(report).get().status == WorkflowState.STATUS_NEEDS_CHANGES

        report.body = "<p>补充了出口数据。</p>"
        report.save()
        report.save_revision(user=point_editor)
        report = review.submit(report, point_editor)
        assert report.stage == WarningReport.Stage.CITY
        assert report.submitted_at > first_submission
        report = decide(report, city_reviewer, review.APPROVE, comment="已补充")

        rounds = review.review_rounds(report)
        assert [(n, [r.comment for r in records]) for n, records in rounds] == [
            (1, ["请补充出口数据"]),
            (2, ["已补充"]),
        ]

    def test_a_provincial_return_is_reviewed_again_at_the_provincial_stage(
        self, point, point_editor, city_reviewer, provincial
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        decide(report, provincial, review.RETURN, comment="标题不准确")
        report = review.submit(report, point_editor)
        assert report.stage == WarningReport.Stage.PROVINCIAL

    def test_rejection_is_final_and_the_point_cannot_resubmit(self, point, point_editor, city_reviewer, provincial):
        report = at_provincial(point, point_editor, city_reviewer)
        report = decide(report, provincial, review.REJECT, comment="非原创,不予通过")
        assert report.stage == WarningReport.Stage.REJECTED
        assert not WorkflowState.objects.for_instance(report).active().exists()
        with pytest.raises(review.ReviewError, match="不予通过，不能再次提交"):
            review.submit(report, point_editor)
        assert stage_of(report) == WarningReport.Stage.REJECTED
        assert not WarningReport.objects.get(pk=report.pk).live

    def test_a_report_under_review_cannot_be_submitted_twice(self, point, point_editor):
        report = make_report(point, point_editor)
        with pytest.raises(review.ReviewError, match="正在审核中"):
            review.submit(report, point_editor)
        assert WorkflowState.objects.for_instance(report).count() == 1


def test_a_point_cannot_submit_another_points_report(point, point_editor, other_point_editor):
    report = make_report(point, point_editor, submit=False)
    with pytest.raises(review.ReviewNotAllowed):
        review.submit(report, other_point_editor)
    assert stage_of(report) == WarningReport.Stage.DRAFT


def test_an_incomplete_report_cannot_be_submitted(point, point_editor):
    report = make_report(point, point_editor, submit=False, author="")
    with pytest.raises(review.ReviewError, match="内容不完整"):
        review.submit(report, point_editor)
    assert stage_of(report) == WarningReport.Stage.DRAFT


# --- refusals: who may act ------------------------------------------------------------------


class TestSharedCityReviewerCannotAct(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_city_reviewer_cannot_act_on_another_citys_report(self, point, point_editor, other_city_reviewer):
        report = make_report(point, point_editor)
        with pytest.raises(review.ReviewNotAllowed):
            decide(report, other_city_reviewer, review.APPROVE)
        assert stage_of(report) == WarningReport.Stage.CITY

    def test_city_reviewer_cannot_act_at_the_provincial_stage(self, point, point_editor, city_reviewer):
        report = at_provincial(point, point_editor, city_reviewer)
        with pytest.raises(review.ReviewNotAllowed):
            decide(report, city_reviewer, review.APPROVE)
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL

    def test_provincial_contact_cannot_act_at_the_city_stage(self, point, point_editor, provincial):
        report = make_report(point, point_editor)
        with pytest.raises(review.ReviewNotAllowed):
            decide(report, provincial, review.APPROVE)
        assert stage_of(report) == WarningReport.Stage.CITY

    @pytest.mark.parametrize("role", ["magazine", "point"])
    def test_other_roles_cannot_review(self, point, point_editor, city_reviewer, role):
        report = at_provincial(point, point_editor, city_reviewer)
        other = make_user(role, point=point)
        with pytest.raises(review.ReviewNotAllowed):
            decide(report, other, review.APPROVE)
        assert stage_of(report) == WarningReport.Stage.PROVINCIAL


# --- two reviewers at once ---------------------------------------------------------------------


def test_stale_action_one_reviewer_wins_the_other_gets_a_clear_message(point, point_editor, city_reviewer):
    colleague = make_user("city", city_name="杭州市")
    report = make_report(point, point_editor)
    seen_by_both = review.current_task_state(report).pk

    review.apply_action(report, city_reviewer, review.APPROVE, task_state_id=seen_by_both)
    with pytest.raises(review.StaleReviewError, match="已由其他审核人处理.*未生效"):
        review.apply_action(report, colleague, review.RETURN, comment="退回", task_state_id=seen_by_both)

    assert stage_of(report) == WarningReport.Stage.PROVINCIAL
    assert list(ReviewRecord.objects.filter(report=report).values_list("action", "user")) == [
        (review.APPROVE, city_reviewer.pk)
    ]
    assert TaskState.objects.filter(workflow_state__object_id=str(report.pk)).count() == 2  # city done, provincial open


# --- the trail -------------------------------------------------------------------------------


class TestSharedEveryDecisionIsRecorded(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_every_decision_is_recorded_and_logged_with_who_when_action_options_comment(
        self, point, point_editor, city_reviewer, provincial
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        decide(report, provincial, review.APPROVE, comment="内容具有典型性", options=[review.EXCHANGE, review.MAGAZINE])

        record = ReviewRecord.objects.get(report=report, stage=review.PROVINCIAL)
        assert (record.user, record.action, record.options, record.comment, record.round) == (
            provincial,
            review.APPROVE,
            [review.MAGAZINE, review.EXCHANGE],
            "内容具有典型性",
            1,
        )
        assert record.created_at is not None
        entries = ModelLogEntry.objects.filter(object_id=str(report.pk), action=review.LOG_ACTION).order_by("timestamp")
        assert [(e.user_id, e.data["stage"], e.data["action"]) for e in entries] == [
            (city_reviewer.pk, review.CITY, review.APPROVE),
            (provincial.pk, review.PROVINCIAL, review.APPROVE),
        ]
        assert entries.last().data["options"] == [review.MAGAZINE, review.EXCHANGE]
        assert entries.last().data["comment"] == "内容具有典型性"
        assert "省级审核：通过（推荐到杂志、发布到预警工作交流）" == entries.last().message

    def test_a_revision_never_rolls_back_the_review_state(self, point, point_editor, city_reviewer, provincial):
        report = at_provincial(point, point_editor, city_reviewer)
        report = decide(report, provincial, review.APPROVE, options=[review.EXCHANGE])
        first = report.revisions.order_by("created_at").first()
        restored = first.as_object()
        assert restored.stage == WarningReport.Stage.APPROVED
        assert restored.to_exchange and restored.exchange_published_at == report.exchange_published_at


# --- who is told ------------------------------------------------------------------------------


class TestSharedReviewersAreToldWhen(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_reviewers_are_told_when_a_report_waits_for_them(
        self, point, point_editor, city_reviewer, other_city_reviewer
    ):
        provincial = make_user("province")
        report = make_report(point, point_editor)
        assert Message.objects.filter(recipient=city_reviewer, title__contains=report.title).exists()
        assert not Message.objects.filter(recipient=other_city_reviewer).exists()
        assert not Message.objects.filter(recipient=provincial).exists()
        decide(report, city_reviewer, review.APPROVE, comment="")
        assert Message.objects.filter(recipient=provincial, title__startswith="待省级审核").exists()

    @pytest.mark.parametrize(
        ("action", "title"),
        [(review.RETURN, "被退回修改"), (review.REJECT, "不予通过"), (review.APPROVE, "已审核通过")],
    )
    def test_the_point_is_told_of_return_rejection_and_approval(
        self, point, point_editor, city_reviewer, provincial, action, title
    ):
        report = at_provincial(point, point_editor, city_reviewer)
        assert not Message.objects.filter(recipient=point_editor).exists()  # the city's 通过 is not final
        mail.outbox.clear()
        decide(report, provincial, action, comment="审核意见内容")
        message = Message.objects.get(recipient=point_editor)
        assert title in message.title and "审核意见内容" in message.body
        assert [m.to for m in mail.outbox if title in m.subject] == [[point_editor.email]]


# --- Wagtail's "awaiting your review" -----------------------------------------------------------


def reviewable(user):
    return set(
        int(s.workflow_state.object_id) for s in TaskState.objects.reviewable_by(user).select_related("workflow_state")
    )


def test_awaiting_review_lists_a_report_for_exactly_those_who_may_act(
    point, point_editor, city_reviewer, other_city_reviewer, provincial, magazine_editor
):
    report = make_report(point, point_editor)
    assert reviewable(city_reviewer) == {report.pk}
    assert reviewable(other_city_reviewer) == set()
    assert reviewable(provincial) == set()
    assert reviewable(magazine_editor) == set()
    assert reviewable(point_editor) == set()

    decide(report, city_reviewer, review.APPROVE, comment="")
    assert reviewable(city_reviewer) == set()
    assert reviewable(provincial) == {report.pk}

    decide(report, provincial, review.APPROVE, comment="")
    assert reviewable(provincial) == set()


def test_the_queue_matches_the_awaiting_review_panel(
    point, other_point, point_editor, other_point_editor, city_reviewer
):
    ours = make_report(point, point_editor)
    make_report(other_point, other_point_editor)
    make_report(point, point_editor, submit=False)
    assert set(review.queue_for(city_reviewer).values_list("pk", flat=True)) == {ours.pk} == reviewable(city_reviewer)
