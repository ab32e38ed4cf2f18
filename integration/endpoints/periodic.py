"""季度形势分析 and 年度工作总结 over the API: warning.periodic's submit functions, the same windows and rules."""

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from warning import periodic
from warning.models import AnnualSummary, QuarterlyAnalysis

from ..idempotency import idempotent
from ..models import SCOPE_READ, SCOPE_REPORTS
from ..tokens import log_write
from .common import local, require, require_point_token, target_point
from .reports import ERRORS

router = Router(tags=["季度形势分析与年度工作总结"])


class PeriodicOut(Schema):
    id: int
    kind: str
    year: int
    quarter: int | None
    title: str
    content: str
    has_attachment: bool
    submitted_at: str | None
    magazine_status: str | None
    replaced: bool = False


def periodic_dict(item, replaced=False):
    quarterly = isinstance(item, QuarterlyAnalysis)
    return {
        "id": item.pk,
        "kind": "quarterly" if quarterly else "annual",
        "year": item.year,
        "quarter": item.quarter if quarterly else None,
        "title": item.title,
        "content": item.content,
        "has_attachment": bool(item.attachment),
        "submitted_at": local(item.submitted_at),
        "magazine_status": item.magazine_status if quarterly else None,
        "replaced": replaced,
    }


class QuarterlyFields(Schema):
    year: int
    quarter: int
    title: str
    content: str


class AnnualFields(Schema):
    year: int
    title: str
    content: str


@router.get("/periodic", response={200: list[PeriodicOut], **ERRORS}, summary="已报送的季度形势分析和年度工作总结")
def list_periodic(
    request,
    year: int | None = Query(None, ge=2000, le=2100),
    point: int | None = Query(None, description="预警点编号（仅省级令牌）"),
):
    require(request, SCOPE_READ)
    own = target_point(request, point)
    items = []
    for model in (QuarterlyAnalysis, AnnualSummary):
        queryset = model.objects.filter(point=own)
        if year:
            queryset = queryset.filter(year=year)
        items += [periodic_dict(item) for item in queryset.order_by("-year", "-submitted_at")]
    return items


@router.post("/periodic/quarterly", response={200: PeriodicOut, **ERRORS}, summary="报送季度形势分析")
@idempotent
def submit_quarterly(request, data: Form[QuarterlyFields], file: UploadedFile = File(None, description="附件")):
    """同一季度再次报送即替换（杂志已作出决定或已过期限的除外），规则同后台。"""
    token = require_point_token(request, SCOPE_REPORTS)
    result = periodic.submit_quarterly(
        point=token.point,
        user=request.user,
        year=data.year,
        quarter=data.quarter,
        title=data.title,
        content=data.content,
        attachment=file,
    )
    log_write(
        token, result.item, "quarterly", year=result.item.year, quarter=result.item.quarter, replaced=result.replaced
    )
    return Status(200, periodic_dict(result.item, result.replaced))


@router.post("/periodic/annual", response={200: PeriodicOut, **ERRORS}, summary="报送年度工作总结")
@idempotent
def submit_annual(request, data: Form[AnnualFields], file: UploadedFile = File(None, description="附件")):
    token = require_point_token(request, SCOPE_REPORTS)
    result = periodic.submit_annual_summary(
        point=token.point, user=request.user, year=data.year, title=data.title, content=data.content, attachment=file
    )
    log_write(token, result.item, "annual", year=result.item.year, replaced=result.replaced)
    return Status(200, periodic_dict(result.item, result.replaced))
