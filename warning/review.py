"""The review of 预警信息 (docs/rules.md §3.1): who may act, which options combine, what each action causes.

A report is submitted by its point and passes two Wagtail tasks of the
workflow 预警信息审核: 地市审核 (reviewers bound to the report's own city)
then 省级审核 (the 预警工作联系人 group). Every path that changes a report's
review state — the Wagtail dashboard's action modal, our review screen, the
internal-exchange screen, seed_demo — calls the functions here, so the rules
exist once:

- actions: 通过 (approve), 退回修改 (return: Wagtail's "request changes"; the
  point edits and resubmits, and the stage that asked for changes reviews the
  new text — Wagtail's resume), 不予通过 (reject: final; the workflow is
  cancelled, the report is kept, marked 不予通过 and counts nowhere).
- options, only with 通过 at the provincial stage: 推荐到杂志 and 发布到预警工作交流
  combine; 重要信息内部交流 excludes both. None is required: a report approved
  without options still counts as 上报信息 (an approved report) in the
  statistics, which is what the seed's optional check boxes imply.
- 审核意见: required for 退回修改 and 不予通过 (the point has to know why),
  optional for 通过.
- stale actions: a decision names the task state it was made on; the report
  row is locked (select_for_update) and the decision refused with a clear
  message when that task state is no longer the current one, so of two
  reviewers acting at once exactly one wins.

Every decision leaves a ReviewRecord (the per-round trail shown to the
point), a "warning.review" log entry (the report's history) and the
notifications of docs/rules.md §3.1 through warning.notify.notify_users.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Count, Min, Q
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import workflow_approved

import webhooks

from .models import ReviewRecord, WarningPoint, WarningReport
from .models.profiles import GROUP_CITY_REVIEWER, GROUP_PROVINCIAL, scope_of
from .notify import notify_users, users_of_points

APPROVE = "approve"
RETURN = "return"
REJECT = "reject"
ACTION_LABELS = {APPROVE: "通过", RETURN: "退回修改", REJECT: "不予通过"}
# What a final negative decision causes, said to the reviewer before it applies (docs/review.md).
REJECT_CONSEQUENCE = "该预警信息将终止审核，上报单位不能再修改或重新提交，也不计入任何统计。此决定不能撤销。"
INTERNAL_DECLINE_CONSEQUENCE = (
    "该信息将不能再改为采纳，也不能再标记获得厅领导批示；上报单位会收到通知。此决定不能撤销。"
)
# The webhook event a final decision announces (docs/webhooks.md); the city's 通过 announces nothing.
DECISION_EVENTS = {APPROVE: "report.approved", RETURN: "report.returned", REJECT: "report.rejected"}
# Wagtail's task-state change behind each action (不予通过 is ours: it ends the workflow).
WAGTAIL_ACTIONS = {APPROVE: "approve", RETURN: "reject"}

MAGAZINE = "magazine"
INTERNAL = "internal"
EXCHANGE = "exchange"
OPTION_LABELS = {MAGAZINE: "推荐到杂志", INTERNAL: "重要信息内部交流", EXCHANGE: "发布到预警工作交流"}

CITY = WarningReport.Stage.CITY.value
PROVINCIAL = WarningReport.Stage.PROVINCIAL.value
STAGE_LABELS = {CITY: "地市审核", PROVINCIAL: "省级审核"}

REVIEW_PERMISSION = "warning.review_warningreport"
COMMENT_MAX_LENGTH = 1000
LOG_ACTION = "warning.review"


class ReviewError(Exception):
    """A decision or submission that cannot be applied: bad input or a state that has moved on.

    The message is Chinese and meant for the user; nothing was changed.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class StaleReviewError(ReviewError):
    """The report was decided by someone else since the reviewer loaded it."""


class ReviewNotAllowed(PermissionDenied):
    """The user may not act on this report at all (another city's, another point's, wrong role)."""


# --- who may act -----------------------------------------------------------


def _point_in_city(user, point_id, city_id):
    """Whether a point lies in a city; the city's point ids are cached on the user for the request
    (the dashboard asks once per row), and a miss is checked again so a point created since counts."""
    cache = getattr(user, "_review_city_points", None)
    if cache is None or cache[0] != city_id:
        ids = frozenset(WarningPoint.objects.filter(district__city_id=city_id).values_list("pk", flat=True))
        cache = (city_id, ids)
        user._review_city_points = cache
    if point_id in cache[1]:
        return True
    return WarningPoint.objects.filter(pk=point_id, district__city_id=city_id).exists()


def visible_reports(user):
    """The reports a user may open: visible_to(user), minus other people's unsubmitted drafts."""
    qs = WarningReport.objects.visible_to(user)
    point_id = scope_of(user).point_id
    return (
        qs.filter(Q(point_id=point_id) | ~Q(stage=WarningReport.Stage.DRAFT))
        if point_id
        else qs.exclude(stage=WarningReport.Stage.DRAFT)
    )


def report_visible(user, report):
    """Whether `user` may open `report` at all (read only; acting is may_review / the edit rules).

    The same rule as visible_reports(), answered from the loaded report without a
    query (a city's point ids are read once per request), so a list or the admin
    home can ask it per row. A draft is seen only by its own point.
    """
    scope = scope_of(user)
    if report.stage == WarningReport.Stage.DRAFT:
        return scope.point_id is not None and scope.point_id == report.point_id
    if scope.sees_everything:
        return True
    if scope.point_id is not None and scope.point_id == report.point_id:
        return True
    if scope.city_id is not None and _point_in_city(user, report.point_id, scope.city_id):
        return True
    return scope.is_magazine and report.to_magazine


def may_review(user, report, stage):
    """Whether `user` may decide on `report` at `stage`: its own city's reviewers, or the provincial contacts."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)):
        return False
    scope = scope_of(user)
    if stage == CITY:
        return scope.city_id is not None and _point_in_city(user, report.point_id, scope.city_id)
    if stage == PROVINCIAL:
        return scope.is_provincial
    return False


def may_review_any_stage(user, report):
    return may_review(user, report, CITY) or may_review(user, report, PROVINCIAL)


def actions_for(user, report, stage):
    """Wagtail's (name, label, needs-form) triples for a user at a stage: all three, or none."""
    if not may_review(user, report, stage):
        return []
    return [(name, label, True) for name, label in ACTION_LABELS.items()]


def current_task_state(report):
    """The task state a decision would apply to now, or None when the report is not waiting for one."""
    workflow_state = (
        WorkflowState.objects.for_instance(report)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("current_task_state__task")
        .first()
    )
    if not workflow_state or not workflow_state.current_task_state:
        return None
    task_state = workflow_state.current_task_state
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    return task_state


def waiting_stage(report):
    """The stage a report waits at (city/provincial), or None. Reads the report's own stage field."""
    return report.stage if report.stage in (CITY, PROVINCIAL) else None


def queue_for(user):
    """The reports waiting for this user's decision now (their review queue), newest submission first."""
    if not (user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)):
        return WarningReport.objects.none()
    scope = scope_of(user)
    condition = Q()
    if scope.city_id is not None:
        condition |= Q(stage=CITY, point__district__city_id=scope.city_id)
    if scope.is_provincial:
        condition |= Q(stage=PROVINCIAL)
    if not condition:
        return WarningReport.objects.none()
    return WarningReport.objects.filter(condition).order_by("-submitted_at", "-pk")


def task_states_user_can_moderate(task, user):
    """The in-progress task states of `task` that `user` may act on: feeds Wagtail's "awaiting your review"."""
    if not (user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)):
        return TaskState.objects.none()
    scope = scope_of(user)
    states = task.task_states.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=ContentType.objects.get_for_model(WarningReport),
    )
    if task.review_stage == PROVINCIAL and scope.is_provincial:
        return states
    if task.review_stage == CITY and scope.city_id is not None:
        report_ids = (
            WarningReport.objects.filter(point__district__city_id=scope.city_id)
            .annotate(object_id=Cast("pk", output_field=CharField()))
            .values("object_id")
        )
        return states.filter(workflow_state__object_id__in=report_ids)
    return TaskState.objects.none()


# --- the rules of a decision -------------------------------------------------


def clean_decision(stage, action, comment="", options=()):
    """Check one decision against docs/rules.md §3.1; return (comment, options) cleaned, or raise ReviewError."""
    if action not in ACTION_LABELS:
        raise ReviewError("请选择审核操作：通过、退回修改或不予通过。")
    chosen = set(options or ())
    unknown = chosen - set(OPTION_LABELS)
    if unknown:
        raise ReviewError("无效的审核选项：" + "、".join(sorted(unknown)))
    if chosen and not (stage == PROVINCIAL and action == APPROVE):
        raise ReviewError("推荐到杂志、重要信息内部交流、发布到预警工作交流只能在省级审核“通过”时选择。")
    if INTERNAL in chosen and len(chosen) > 1:
        raise ReviewError("“重要信息内部交流”不能与“推荐到杂志”或“发布到预警工作交流”同时选择。")
    comment = (comment or "").strip()
    if action in (RETURN, REJECT) and not comment:
        raise ReviewError(f"“{ACTION_LABELS[action]}”必须填写审核意见。")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ReviewError(f"审核意见不能超过 {COMMENT_MAX_LENGTH} 字。")
    return comment, [name for name in OPTION_LABELS if name in chosen]


def current_round(report):
    """The submission round a decision belongs to: one more than the times the report was returned."""
    return 1 + report.reviews.filter(action=ReviewRecord.Action.RETURN).count()


def options_display(options):
    return "、".join(OPTION_LABELS[name] for name in options if name in OPTION_LABELS)


_STAGE_ACTION_LABELS = {
    ReviewRecord.Stage.INTERNAL: {"adopt": "采纳", "decline": "不采纳"},
    ReviewRecord.Stage.MAGAZINE: {"adopt": "录用", "decline": "不录用"},
}


def action_label(stage, action):
    """The Chinese word for an action as recorded at a stage (采纳 in 内部交流, 录用 at the magazine …)."""
    label = _STAGE_ACTION_LABELS.get(stage, {}).get(action)
    return label or ACTION_LABELS.get(action) or dict(ReviewRecord.Action.choices).get(action, action)


INTERNAL_STATUS_LABELS = {"": "—", "pending": "未处理", "adopted": "采纳", "declined": "不采纳"}


def internal_status_label(report):
    """内部交流's words for the shared Decision values: 未处理 / 采纳 / 不采纳 (+ 获得厅领导批示)."""
    text = INTERNAL_STATUS_LABELS.get(report.internal_status, report.internal_status)
    if report.leader_instruction:
        text += "（获得厅领导批示）"
    return text


def review_rounds(report):
    """Every decision on a report grouped by submission round, oldest first: [(round, [records])].

    Each record carries `action_label` and `option_labels` for display.
    """
    rounds = {}
    for record in report.reviews.select_related("user").order_by("created_at", "pk"):
        record.action_label = action_label(record.stage, record.action)
        record.option_labels = [OPTION_LABELS[o] for o in record.options or [] if o in OPTION_LABELS]
        rounds.setdefault(record.round, []).append(record)
    return sorted(rounds.items())


# --- submission --------------------------------------------------------------


def _lock(report):
    pk = report.pk if isinstance(report, WarningReport) else report
    try:
        return WarningReport.objects.select_for_update().get(pk=pk)
    except WarningReport.DoesNotExist:
        raise ReviewError("该预警信息不存在。") from None


def _set(report, **fields):
    """Write review-owned fields on the row and the instance. An UPDATE rather than save(): these
    fields are not content, so the search and reference indexes need no refresh for them."""
    WarningReport.objects.filter(pk=report.pk).update(**fields)
    for name, value in fields.items():
        setattr(report, name, value)


def submit(report, user):
    """The point submits (or, after 退回修改, resubmits) its report: start or resume the workflow.

    Refused for anyone but the report's own point editors, for a report under
    review, already approved or rejected (不予通过 is final), and for a report
    whose latest text is incomplete. Sets 提交时间 to now; the stage and the
    reviewers' notification follow from the task that starts.
    """
    with transaction.atomic():
        report = _lock(report)
        scope = scope_of(user)
        if not (user.is_active and scope.point_id is not None and scope.point_id == report.point_id):
            raise ReviewNotAllowed("只能提交本预警点的预警信息。")
        if report.stage == WarningReport.Stage.REJECTED:
            raise ReviewError("该预警信息已不予通过，不能再次提交。")
        if report.stage == WarningReport.Stage.APPROVED:
            raise ReviewError("该预警信息已审核通过，不能再次提交。")
        if report.stage in (CITY, PROVINCIAL):
            raise ReviewError("该预警信息正在审核中，不能重复提交。")
        workflow = WarningReport.get_default_workflow()
        if workflow is None:
            raise ReviewError("预警信息审核流程未配置，请联系预警工作联系人。")
        if report.latest_revision_id is None:
            report.save_revision(user=user, clean=False)
        try:
            report.get_latest_revision_as_object().full_clean()
        except ValidationError as exc:
            raise ReviewError("内容不完整，不能提交：" + "；".join(exc.messages)) from None

        _set(report, submitted_at=timezone.now())
        workflow_state = report.workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).first()
        if workflow_state:
            workflow_state.resume(user=user)
        else:
            workflow.start(report, user)
        report.refresh_from_db()
        return report


def on_stage_started(task_state, stage):
    """A review task began (on submission, resubmission or after the city's 通过): mark the stage, tell its reviewers."""
    report_id = int(task_state.workflow_state.object_id)
    WarningReport.objects.filter(pk=report_id).update(stage=stage)
    report = WarningReport.objects.select_related("point").get(pk=report_id)
    notify_users(
        reviewers_for(report, stage),
        f"待{STAGE_LABELS[stage]}：{report.title}",
        f"{report.point.name} 上报的预警信息《{report.title}》等待您{STAGE_LABELS[stage]}。",
        review_url(report),
    )


# --- decisions ---------------------------------------------------------------


def apply_action(report, user, action, comment="", options=(), task_state_id=None, **_form_extras):
    """Apply 通过 / 退回修改 / 不予通过 to a report, as `user`, on the task state they saw.

    Raises ReviewNotAllowed when the user may not review this report (or not
    at its current stage), StaleReviewError when the report was decided since
    (`task_state_id` is not the current task state), ReviewError for an
    illegal option combination or a missing comment. In every refusal nothing
    changes. Returns the updated report.
    """
    with transaction.atomic():
        report = _lock(report)
        if not may_review_any_stage(user, report):
            raise ReviewNotAllowed("您无权审核该预警信息。")
        task_state = current_task_state(report)
        if task_state is None or (task_state_id not in (None, "") and str(task_state.pk) != str(task_state_id)):
            raise StaleReviewError(
                f"该预警信息已由其他审核人处理，当前状态为“{report.get_stage_display()}”，"
                "您的操作未生效。请返回列表查看最新状态。"
            )
        task = task_state.task.specific
        stage = task.review_stage
        if not may_review(user, report, stage):
            raise ReviewNotAllowed(f"该预警信息正处于{STAGE_LABELS[stage]}，您无权操作。")
        comment, options = clean_decision(stage, action, comment, options)
        round_no = current_round(report)
        task_state = task_state.specific

        if action == APPROVE:
            _approve(task, task_state, user, comment)
        elif action == RETURN:
            task.transition(task_state, user, WAGTAIL_ACTIONS[RETURN], comment=comment)
        else:
            _reject_finally(task_state, user, comment)

        now = timezone.now()
        if action == APPROVE and stage == PROVINCIAL:
            _set(
                report,
                stage=WarningReport.Stage.APPROVED,
                approved_at=now,
                to_magazine=MAGAZINE in options,
                to_internal=INTERNAL in options,
                to_exchange=EXCHANGE in options,
                magazine_status=WarningReport.Decision.PENDING if MAGAZINE in options else "",
                internal_status=WarningReport.Decision.PENDING if INTERNAL in options else "",
                exchange_published_at=now if EXCHANGE in options else None,
            )
        elif action == RETURN:
            _set(report, stage=WarningReport.Stage.RETURNED)
        elif action == REJECT:
            _set(report, stage=WarningReport.Stage.REJECTED)
        report.refresh_from_db()
        _record(report, user, round_no, stage, action, options, comment)
        _tell_point_of_decision(report, stage, action, options, comment)
        if action == APPROVE and stage == PROVINCIAL:
            _tell_queue_owners(report, user, options)
        return report


def _tell_queue_owners(report, user, options):
    """The provincial 通过 put the report into other queues: tell whoever works them."""
    if EXCHANGE in options:
        webhooks.emit("report.published_to_exchange", report=report, decision=_decision(PROVINCIAL, APPROVE, options))
    if MAGAZINE in options:
        from .magazine import tell_editors_of_report

        tell_editors_of_report(report)
    if INTERNAL in options:
        notify_users(
            reviewers_for(report, PROVINCIAL).exclude(pk=user.pk),
            f"待内部交流处理：{report.title}",
            f"{report.point.name} 上报的预警信息《{report.title}》已列入重要信息内部交流，等待采纳或不采纳。",
            _reverse("warning_internal:detail", report.pk),
        )


def _approve(task, task_state, user, comment):
    """通过: Wagtail's approval; the next task starts, or after the last one the workflow finishes.

    Finishing is done here rather than by Wagtail's update(): its on_finish
    publishes the revision with the reviewer's "publish" permission, which
    reviewers do not hold on reports (nobody publishes a report by hand).
    The provincial decision itself is the authority to publish the
    reviewed text (live revision = the approved content).
    """
    task.transition(task_state, user, WAGTAIL_ACTIONS[APPROVE], comment=comment, update=False)
    workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    if workflow_state.get_next_task() is not None:
        workflow_state.update(user=user)
        return
    workflow_state.status = WorkflowState.STATUS_APPROVED
    workflow_state.save()
    task_state.revision.publish(user=user, skip_permission_checks=True)
    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)


def _reject_finally(task_state, user, comment):
    """不予通过: the task state is rejected and the workflow ends (cancelled), so there is no resubmission."""
    task_state.status = TaskState.STATUS_REJECTED
    task_state.finished_at = timezone.now()
    task_state.finished_by = user
    task_state.comment = comment
    task_state.save()
    workflow_state = task_state.workflow_state
    workflow_state.status = WorkflowState.STATUS_CANCELLED
    workflow_state.save()


def _record(report, user, round_no, stage, action, options, comment):
    record = ReviewRecord.objects.create(
        report=report, round=round_no, stage=stage, action=action, options=options, comment=comment, user=user
    )
    log(
        instance=report,
        action=LOG_ACTION,
        user=user,
        data={"stage": stage, "action": action, "options": options, "comment": comment, "round": round_no},
    )
    return record


def _decision(stage, action, options=(), comment=""):
    return {"stage": stage, "action": action, "options": list(options), "comment": comment}


def _tell_point_of_decision(report, stage, action, options, comment):
    if action == APPROVE and stage == CITY:
        return  # still under review: the point hears of the final decision
    webhooks.emit(DECISION_EVENTS[action], report=report, decision=_decision(stage, action, options, comment))
    if action == APPROVE:
        title = f"预警信息已审核通过：{report.title}"
        body = f"您上报的预警信息《{report.title}》已通过省级审核。"
        if options:
            body += f"（{options_display(options)}）"
    elif action == RETURN:
        title = f"预警信息被退回修改：{report.title}"
        body = f"您上报的预警信息《{report.title}》在{STAGE_LABELS[stage]}中被退回修改，请修改后重新提交。"
    else:
        title = f"预警信息不予通过：{report.title}"
        body = f"您上报的预警信息《{report.title}》在{STAGE_LABELS[stage]}中不予通过。"
    if comment:
        body += f"\n审核意见：{comment}"
    notify_users(users_of_points([report.point_id]), title, body, report_url(report))


# --- 内部交流 (after a provincial 通过 with 重要信息内部交流) ----------------------


def _require_provincial(user):
    if not (user.is_active and scope_of(user).is_provincial and user.has_perm(REVIEW_PERMISSION)):
        raise ReviewNotAllowed("只有预警工作联系人可以处理内部交流信息。")


def decide_internal(report, user, adopt, comment=""):
    """内部交流: 采纳 (adopt) or 不采纳 a report sent there; only once, only by the provincial contacts."""
    _require_provincial(user)
    with transaction.atomic():
        report = _lock(report)
        if not report.to_internal or report.stage != WarningReport.Stage.APPROVED:
            raise ReviewError("该预警信息不在内部交流列表中。")
        if report.internal_status != WarningReport.Decision.PENDING:
            raise StaleReviewError(f"该内部交流信息已处理（{report.get_internal_status_display()}），不能重复处理。")
        comment = (comment or "").strip()[:COMMENT_MAX_LENGTH]
        _set(
            report,
            internal_status=WarningReport.Decision.ADOPTED if adopt else WarningReport.Decision.DECLINED,
            internal_decided_at=timezone.now(),
        )
        action = ReviewRecord.Action.ADOPT if adopt else ReviewRecord.Action.DECLINE
        _record(report, user, current_round(report), ReviewRecord.Stage.INTERNAL, action, [], comment)
        webhooks.emit("report.internal_decided", report=report, decision=_decision("internal", action, (), comment))
        verdict = "采纳" if adopt else "不采纳"
        notify_users(
            users_of_points([report.point_id]),
            f"内部交流{verdict}：{report.title}",
            f"您上报的预警信息《{report.title}》在重要信息内部交流中{'被采纳' if adopt else '未被采纳'}。",
            report_url(report),
        )
        return report


def mark_leader_instruction(report, user, comment=""):
    """Mark an adopted internal-exchange report as having obtained a 厅领导批示 (counts for scoring item C)."""
    _require_provincial(user)
    with transaction.atomic():
        report = _lock(report)
        if report.internal_status != WarningReport.Decision.ADOPTED:
            raise ReviewError("只有已采纳的内部交流信息才能标记“获得厅领导批示”。")
        if report.leader_instruction:
            raise StaleReviewError("该信息已标记为获得厅领导批示。")
        _set(report, leader_instruction=True)
        comment = (comment or "").strip()[:COMMENT_MAX_LENGTH]
        _record(
            report, user, current_round(report), ReviewRecord.Stage.INTERNAL, ReviewRecord.Action.LEADER, [], comment
        )
        notify_users(
            users_of_points([report.point_id]),
            f"获得厅领导批示：{report.title}",
            f"您上报的预警信息《{report.title}》获得厅领导批示。",
            report_url(report),
        )
        return report


# --- 地市审核进度查询 (docs/rules.md §3.5) ------------------------------------------------------------


@dataclass(frozen=True)
class CityProgress:
    """One city's row: waiting at the city stage now, and the city stage's decisions in the year."""

    city: object
    waiting: int
    oldest_submitted_at: object
    approved: int
    returned: int
    rejected: int
    now: object

    @property
    def oldest_age_days(self):
        if self.oldest_submitted_at is None:
            return None
        return (self.now - self.oldest_submitted_at).days


def year_bounds(year):
    """[1 January, next 1 January) of `year` in the current time zone (Asia/Shanghai)."""
    start = timezone.make_aware(datetime(year, 1, 1))
    return start, timezone.make_aware(datetime(year + 1, 1, 1))


# The numbers of 地市审核进度查询, each with a drill-down list (city_progress_reports).
PROGRESS_KINDS = {"waiting": "待地市审核", APPROVE: "通过", RETURN: "退回修改", REJECT: "不予通过"}


def _city_decisions(year):
    """The city stage's decisions taken during `year`: what the 通过 / 退回修改 / 不予通过 numbers count."""
    start, end = year_bounds(year)
    return ReviewRecord.objects.filter(stage=ReviewRecord.Stage.CITY, created_at__gte=start, created_at__lt=end)


def city_progress_reports(city_id, kind, year):
    """The reports behind one number of 地市审核进度查询: the same conditions as city_review_progress().

    `kind` is "waiting" (at 地市审核 now) or an action (approve / return /
    reject: reports the city stage decided so during `year`, each once).
    """
    if kind == "waiting":
        reports = WarningReport.objects.filter(stage=CITY)
    elif kind in (APPROVE, RETURN, REJECT):
        reports = WarningReport.objects.filter(pk__in=_city_decisions(year).filter(action=kind).values("report_id"))
    else:
        raise ValueError(f"没有这类统计：{kind}")
    return (
        reports.filter(point__district__city_id=city_id)
        .select_related("point__district__city")
        .order_by("-submitted_at", "-pk")
    )


def city_review_progress(year):
    """Per city: reports waiting at 地市审核 now (and since when), and the reports the city stage
    approved, returned or rejected during `year`. Three queries, whatever the number of cities or reports."""
    from .models import City

    now = timezone.now()
    city_key = "point__district__city_id"
    waiting = {
        row[city_key]: row
        for row in WarningReport.objects.filter(stage=CITY)
        .values(city_key)
        .annotate(n=Count("pk"), oldest=Min("submitted_at"))
        .order_by()
    }
    decided = {}
    for row in (
        _city_decisions(year)
        .values("report__" + city_key, "action")
        .annotate(n=Count("report", distinct=True))
        .order_by()
    ):
        decided[(row["report__" + city_key], row["action"])] = row["n"]
    rows = []
    for city in City.objects.order_by("sort_order", "pk"):
        w = waiting.get(city.pk, {})
        rows.append(
            CityProgress(
                city=city,
                waiting=w.get("n", 0),
                oldest_submitted_at=w.get("oldest"),
                approved=decided.get((city.pk, APPROVE), 0),
                returned=decided.get((city.pk, RETURN), 0),
                rejected=decided.get((city.pk, REJECT), 0),
                now=now,
            )
        )
    return rows


# --- people and links ----------------------------------------------------------


def reviewers_for(report, stage):
    """The active users who may act on `report` at `stage` (whom to tell that it waits)."""
    users = get_user_model().objects.filter(is_active=True)
    if stage == CITY:
        city_id = WarningPoint.objects.filter(pk=report.point_id).values_list("district__city_id", flat=True).first()
        return users.filter(groups__name=GROUP_CITY_REVIEWER, warning_profile__city_id=city_id).distinct()
    return users.filter(groups__name=GROUP_PROVINCIAL).distinct()


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def queue_url():
    return _reverse("warning_review:index")


def review_url(report):
    return _reverse("warning_review:detail", report.pk)


def report_url(report):
    """Where the point reads its report and every round's comments."""
    return _reverse("wagtailsnippets_warning_warningreport:inspect", report.pk)
