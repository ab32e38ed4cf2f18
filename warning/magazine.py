"""期刊杂志: the magazine editor's 录用 / 不录用 on quarterly analyses and recommended reports (docs/rules.md §3.1, §3.2).

Two kinds of items wait for the editor of 《浙江商务》:

* every 季度形势分析 (its magazine_status starts as 未处理), and
* every 预警信息 the provincial reviewer approved with 推荐到杂志
  (to_magazine=True, magazine_status 未处理) — the 精选原创预警 tab.

A decision is taken once: it records 录用时间 (the decision time) and who
decided, and a second decision on the same item is refused, also when two
editors click at the same moment (the update is conditional on the item
still being 未处理, so exactly one of them takes effect). A decision on a
report is also logged as a ReviewRecord of stage 杂志录用. The point is told
either way.

The editors are told when an item enters their queue: a report approved
with 推荐到杂志 (review.apply_action calls `tell_editors_of_report`) and a
quarterly analysis filed or replaced (periodic.submit_quarterly calls
`tell_editors_of_quarterly`), in 消息中心 and by e-mail (notify_users).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

import webhooks

from .models import QuarterlyAnalysis, ReviewRecord, WarningReport
from .models.profiles import scope_of

ADOPTED = QuarterlyAnalysis.Decision.ADOPTED
DECLINED = QuarterlyAnalysis.Decision.DECLINED
PENDING = QuarterlyAnalysis.Decision.PENDING
DECISIONS = {ADOPTED.value: "录用", DECLINED.value: "不录用"}
MAGAZINE_NAME = "《浙江商务》"
# Said to the magazine editor before a 不录用 applies (docs/periodic.md).
DECLINE_CONSEQUENCE = "该稿件将不能再改为录用，不计入杂志录用数；提交单位会收到通知。此决定不能撤销。"


def may_decide(user):
    """Only users in the 期刊杂志编辑 group decide on adoption."""
    return scope_of(user).is_magazine


def _check(user, decision):
    if not may_decide(user):
        raise PermissionDenied("只有期刊杂志编辑可以作出录用或不录用的决定。")
    if decision not in DECISIONS:
        raise ValidationError("请选择“录用”或“不录用”。")


def quarterly_queue():
    """Every quarterly analysis, for the 季度形势分析 tab: 未处理 first (newest first), then by 录用时间."""
    return QuarterlyAnalysis.objects.select_related("point", "decided_by").order_by(
        F("magazine_decided_at").desc(nulls_first=True), "-submitted_at", "-pk"
    )


def report_queue():
    """The reports recommended to the magazine (精选原创预警), whatever became of them; 未处理 first."""
    return (
        WarningReport.objects.filter(to_magazine=True)
        .exclude(magazine_status=WarningReport.Decision.NONE)
        .select_related("point", "industry")
        .order_by(F("magazine_decided_at").desc(nulls_first=True), "-submitted_at", "-pk")
    )


def _already_decided(title, status_label, decided_at):
    when = f"（{timezone.localtime(decided_at):%Y-%m-%d %H:%M}）" if decided_at else ""
    return ValidationError(f"《{title}》已作出“{status_label}”的决定{when}，不能重复决定。")


def _tell_point(point_id, title, body, url=""):
    from .notify import notify_users, users_of_points

    notify_users(users_of_points([point_id]), title, body, url=url)


def magazine_editors():
    """The active magazine editors: the owners of both 期刊杂志 queues."""
    from django.contrib.auth import get_user_model

    from .models.profiles import GROUP_MAGAZINE

    return get_user_model().objects.filter(is_active=True, groups__name=GROUP_MAGAZINE).distinct()


def tell_editors_of_report(report):
    """A report was approved with 推荐到杂志: it waits in 精选原创预警."""
    from django.urls import reverse

    from .notify import notify_users

    notify_users(
        magazine_editors(),
        f"待杂志录用：{report.title}",
        f"{report.point.name} 上报的预警信息《{report.title}》已推荐到杂志，等待您作出录用决定。",
        url=reverse("warning_magazine:report_detail", args=[report.pk]),
    )


def tell_editors_of_quarterly(analysis, replaced=False):
    """A 季度形势分析 was filed (or replaced while still 未处理): it waits in the quarterly tab."""
    from django.urls import reverse

    from .notify import notify_users

    verb = "更新了" if replaced else "提交了"
    label = f"{analysis.year}年第{analysis.quarter}季度形势分析"
    notify_users(
        magazine_editors(),
        f"待杂志录用：{analysis.title}",
        f"{analysis.point.name} {verb}{label}《{analysis.title}》，等待您作出录用决定。",
        url=reverse("warning_magazine:quarterly_detail", args=[analysis.pk]),
    )


def decide_quarterly(analysis, user, decision, now=None):
    """录用 or 不录用 a quarterly analysis; return it refreshed.

    `decision` is "adopted" or "declined". Raises PermissionDenied for a
    user who is not a magazine editor and ValidationError for an unknown
    decision or an analysis already decided; nothing changes then.
    """
    _check(user, decision)
    now = now or timezone.now()
    with transaction.atomic():
        changed = QuarterlyAnalysis.objects.filter(pk=analysis.pk, magazine_status=PENDING).update(
            magazine_status=decision, magazine_decided_at=now, decided_by=user
        )
        analysis.refresh_from_db()
        if not changed:
            raise _already_decided(analysis.title, analysis.get_magazine_status_display(), analysis.magazine_decided_at)
    from django.urls import reverse

    verdict = "已被" + MAGAZINE_NAME + "录用" if decision == ADOPTED else "未被" + MAGAZINE_NAME + "录用"
    _tell_point(
        analysis.point_id,
        f"季度形势分析{verdict}",
        f"贵预警点的季度形势分析《{analysis.title}》{verdict}。",
        url=reverse("warning_periodic:quarterly_detail", args=[analysis.pk]),
    )
    return analysis


def decide_report(report, user, decision, comment="", now=None):
    """录用 or 不录用 a warning report recommended to the magazine; return it refreshed.

    Only a report with 推荐到杂志 that is still 未处理 can be decided. The
    decision is logged as a ReviewRecord (stage 杂志录用) in the report's
    current round, with the comment.
    """
    _check(user, decision)
    now = now or timezone.now()
    with transaction.atomic():
        changed = WarningReport.objects.filter(
            pk=report.pk, to_magazine=True, magazine_status=WarningReport.Decision.PENDING
        ).update(magazine_status=decision, magazine_decided_at=now)
        report.refresh_from_db()
        if not changed:
            if not report.to_magazine or report.magazine_status == WarningReport.Decision.NONE:
                raise ValidationError(f"《{report.title}》没有被推荐到杂志，不能作录用决定。")
            raise _already_decided(report.title, report.get_magazine_status_display(), report.magazine_decided_at)
        current_round = report.reviews.aggregate(r=Max("round"))["r"] or 1
        ReviewRecord.objects.create(
            report=report,
            round=current_round,
            stage=ReviewRecord.Stage.MAGAZINE,
            action=ReviewRecord.Action.ADOPT if decision == ADOPTED else ReviewRecord.Action.DECLINE,
            comment=comment or "",
            user=user,
        )
        if decision == ADOPTED:
            webhooks.emit("report.magazine_adopted", report=report, decision=dict(stage="magazine", action="adopt"))
    verdict = "已被" + MAGAZINE_NAME + "录用" if decision == ADOPTED else "未被" + MAGAZINE_NAME + "录用"
    _tell_point(report.point_id, f"预警信息{verdict}", f"贵预警点的预警信息《{report.title}》{verdict}。")
    return report
