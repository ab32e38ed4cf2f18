"""预警信息 over the API: drafts with attachments, submission into the review, every round's decisions.

Reads need the ``read`` scope and show what the token's user sees in the
admin (warning.review.visible_reports: a point its own reports, drafts
included; a province token every submitted report). Writes need
``reports`` and a point token, and go through integration.writes (the admin's
form and Wagtail's create/edit actions) and warning.review.submit.
"""

from django.db.models import Q
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from wagtail.permissions import policy_registry

from warning import review
from warning.models import Industry, WarningReport

from .. import writes
from ..errors import ApiError
from ..idempotency import idempotent
from ..models import SCOPE_READ, SCOPE_REPORTS
from ..tokens import log_write
from .common import local, require, require_point_token

router = Router(tags=["预警信息"])

MAX_PAGE = 100


class AttachmentOut(Schema):
    id: int
    name: str


class DecisionOut(Schema):
    round: int
    stage: str
    stage_label: str
    action: str
    action_label: str
    options: list[str]
    option_labels: list[str]
    comment: str
    decided_at: str | None


class ReportOut(Schema):
    id: int
    point_id: int
    title: str
    industry_id: int | None
    country: str
    author: str
    phone: str
    body: str
    stage: str
    stage_label: str
    editable: bool
    submitted_at: str | None
    approved_at: str | None
    options: list[str]
    exchange_published: bool
    magazine_status: str
    internal_status: str
    leader_instruction: bool
    attachments: list[AttachmentOut]
    decisions: list[DecisionOut]


class ReportListItem(Schema):
    id: int
    point_id: int
    title: str
    stage: str
    stage_label: str
    submitted_at: str | None


class ReportList(Schema):
    count: int
    items: list[ReportListItem]


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}


def report_dict(report, user):
    """The report as the API shows it; the text is the latest revision's (what the point last saved)."""
    text = report.get_latest_revision_as_object() if report.latest_revision_id else report
    decisions = []
    for round_no, records in review.review_rounds(report):
        for record in records:
            decisions.append(
                {
                    "round": round_no,
                    "stage": record.stage,
                    "stage_label": record.get_stage_display(),
                    "action": record.action,
                    "action_label": record.action_label,
                    "options": list(record.options or []),
                    "option_labels": record.option_labels,
                    "comment": record.comment,
                    "decided_at": local(record.created_at),
                }
            )
    options = [
        name
        for name, flag in (
            ("magazine", report.to_magazine),
            ("internal", report.to_internal),
            ("exchange", report.to_exchange),
        )
        if flag
    ]
    return {
        "id": report.pk,
        "point_id": report.point_id,
        "title": text.title,
        "industry_id": text.industry_id,
        "country": str(text.country.code if text.country else ""),
        "author": text.author,
        "phone": text.phone,
        "body": text.body,
        "stage": report.stage,
        "stage_label": report.get_stage_display(),
        "editable": policy_registry.get_by_type(WarningReport).user_has_permission_for_instance(user, "change", report),
        "submitted_at": local(report.submitted_at),
        "approved_at": local(report.approved_at),
        "options": options,
        "exchange_published": bool(report.to_exchange and report.exchange_published_at),
        "magazine_status": report.magazine_status,
        "internal_status": report.internal_status,
        "leader_instruction": report.leader_instruction,
        "attachments": [{"id": a.pk, "name": a.download_name()} for a in text.attachments.all()],
        "decisions": decisions,
    }


def _own_report(request, pk):
    report = review.visible_reports(request.user).filter(pk=pk).first()
    if report is None or (request.auth.point_id is not None and report.point_id != request.auth.point_id):
        raise ApiError(404, "not_found")
    return report


class ReportFields(Schema):
    title: str | None = None
    industry: int | None = None
    country: str | None = None
    author: str | None = None
    phone: str | None = None
    body: str | None = None
    submit: bool = False


def _fields(data):
    fields = data.dict(exclude={"submit", "remove_attachments"})
    if fields.get("industry") is not None and not Industry.objects.filter(pk=fields["industry"]).exists():
        raise ApiError(400, "invalid_input", "行业编号不存在：请从 /reference/industries 取得行业编号")
    return fields


def _submit_if_asked(report, user, submit):
    if submit:
        report = review.submit(report, user)
    return report


@router.get("/reports", response={200: ReportList, **ERRORS}, summary="预警信息列表")
def list_reports(
    request,
    stage: str | None = Query(
        None,
        description="审核状态：draft 草稿 / city 地市审核 / provincial 省级审核 / returned 退回修改 / approved 审核通过 / rejected 不予通过",
    ),
    year: int | None = Query(None, ge=2000, le=2100, description="提交年度（上海时间）"),
    q: str | None = Query(None, max_length=100, description="标题包含的文字"),
    point: int | None = Query(None, description="预警点编号（仅省级令牌）"),
    offset: int = Query(0, ge=0, le=1_000_000),
    limit: int = Query(20, ge=1, le=MAX_PAGE),
):
    """本单位的预警信息（省级令牌：全省已提交的预警信息），按提交时间倒序。"""
    require(request, SCOPE_READ)
    reports = review.visible_reports(request.user)
    token = request.auth
    if token.point_id is not None:
        reports = reports.filter(point_id=token.point_id)
        if point not in (None, token.point_id):
            reports = reports.none()
    elif point is not None:
        reports = reports.filter(point_id=point)
    if stage:
        if stage not in WarningReport.Stage.values:
            raise ApiError(400, "invalid_input", "stage 应为 " + " / ".join(WarningReport.Stage.values) + " 之一")
        reports = reports.filter(stage=stage)
    if year:
        from warning.statistics import year_start

        reports = reports.filter(submitted_at__gte=year_start(year), submitted_at__lt=year_start(year + 1))
    if q:
        reports = reports.filter(Q(title__icontains=q))
    reports = reports.order_by("-submitted_at", "-pk")
    total = reports.count()
    items = [
        {
            "id": r.pk,
            "point_id": r.point_id,
            "title": r.title,
            "stage": r.stage,
            "stage_label": r.get_stage_display(),
            "submitted_at": local(r.submitted_at),
        }
        for r in reports[offset : offset + limit]
    ]
    return {"count": total, "items": items}


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="预警信息详情")
def get_report(request, report_id: int):
    """审核状态、审核选项及每一轮的审核意见。"""
    require(request, SCOPE_READ)
    return report_dict(_own_report(request, report_id), request.user)


@router.post("/reports", response={201: ReportOut, **ERRORS}, summary="新建预警信息")
@idempotent
def create_report(
    request,
    data: Form[ReportFields],
    attachments: list[UploadedFile] = File(None, description="附件（pdf、doc、docx、xls、xlsx、wps，按内容校验）"),
):
    """保存为草稿；submit=true 时保存后立即提交审核（与后台“提交”相同）。"""
    token = require_point_token(request, SCOPE_REPORTS)
    report = writes.save_report(request.user, _fields(data), files=attachments or [])
    log_write(token, report, "create")
    report = _submit_if_asked(report, request.user, data.submit)
    if data.submit:
        log_write(token, report, "submit")
    return Status(201, report_dict(report, request.user))


class ReportUpdateFields(ReportFields):
    remove_attachments: list[int] = []


@router.post("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="修改预警信息")
@idempotent
def update_report(
    request,
    report_id: int,
    data: Form[ReportUpdateFields],
    attachments: list[UploadedFile] = File(None, description="新增的附件"),
):
    """修改草稿或被退回修改的预警信息；未给出的字段保持不变。submit=true 时修改后（重新）提交。"""
    token = require_point_token(request, SCOPE_REPORTS)
    report = _own_report(request, report_id)
    if not policy_registry.get_by_type(WarningReport).user_has_permission_for_instance(request.user, "change", report):
        raise ApiError(409, "review_refused", f"该预警信息当前为“{report.get_stage_display()}”，不能修改")
    report = writes.save_report(
        request.user,
        _fields(data),
        files=attachments or [],
        remove_attachment_ids=data.remove_attachments,
        report=report,
    )
    log_write(token, report, "update")
    report = _submit_if_asked(report, request.user, data.submit)
    if data.submit:
        log_write(token, report, "submit")
    return Status(200, report_dict(report, request.user))


@router.post("/reports/{report_id}/submit", response={200: ReportOut, **ERRORS}, summary="提交审核")
@idempotent
def submit_report(request, report_id: int):
    """提交草稿，或重新提交被退回修改的预警信息（warning.review.submit，与后台相同的规则）。"""
    token = require_point_token(request, SCOPE_REPORTS)
    report = review.submit(_own_report(request, report_id), request.user)
    log_write(token, report, "submit")
    return Status(200, report_dict(report, request.user))


class IndustryOut(Schema):
    id: int
    name: str


@router.get("/reference/industries", response={200: list[IndustryOut], **ERRORS}, summary="行业列表", tags=["参考数据"])
def industries(request):
    """预警信息和子网站文章的“行业”字段取值（任何令牌都可读取）。"""
    return list(Industry.objects.values("id", "name"))
