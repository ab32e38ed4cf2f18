"""The point's subsite over the API: articles in its own columns, with images and attachments.

Reads need ``read``; writes need ``articles`` and a point token. An
article is created or changed as a draft revision through the admin's page
form and Wagtail's page actions (integration.writes), then published or
unpublished with Wagtail's own publish / unpublish actions, permission
checks on: the point's editors' group holds page rights on its own subsite
only (subsites/provisioning.py), so a column of another point is refused
by Wagtail itself as well as here. The statistics count live articles by
first publication, whoever published them.
"""

import datetime

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from wagtail.actions.unpublish_page import UnpublishPageAction

from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind
from warning.models import Industry

from .. import writes
from ..errors import ApiError
from ..idempotency import idempotent
from ..models import SCOPE_ARTICLES, SCOPE_READ
from ..tokens import log_write
from .common import local, require, require_point_token, target_point
from .reports import ERRORS

router = Router(tags=["子网站信息发布"])


class ColumnOut(Schema):
    id: int
    kind: str
    title: str
    url: str | None


class ImageOut(Schema):
    id: int
    image_id: int
    caption: str


class DocumentOut(Schema):
    id: int
    document_id: int
    title: str


class ArticleOut(Schema):
    id: int
    point_id: int | None
    column_kind: str
    title: str
    date: str | None
    industry_id: int | None
    country: str
    summary: str
    body: str
    live: bool
    has_unpublished_changes: bool
    first_published_at: str | None
    url: str | None
    images: list[ImageOut]
    attachments: list[DocumentOut]


class ArticleListItem(Schema):
    id: int
    column_kind: str
    title: str
    live: bool
    first_published_at: str | None


class ArticleList(Schema):
    count: int
    items: list[ArticleListItem]


def columns_of(point):
    if point.subsite_id is None:
        return ColumnIndexPage.objects.none()
    return ColumnIndexPage.objects.child_of(point.subsite)


def article_dict(page):
    text = page.get_latest_revision_as_object() if page.latest_revision_id else page
    return {
        "id": page.pk,
        "point_id": page.point_id,
        "column_kind": page.column_kind,
        "title": text.title,
        "date": text.date.isoformat() if text.date else None,
        "industry_id": text.industry_id,
        "country": str(text.country.code if text.country else ""),
        "summary": text.summary,
        "body": text.body,
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "first_published_at": local(page.first_published_at),
        "url": page.full_url if page.live else None,
        "images": [{"id": g.pk, "image_id": g.image_id, "caption": g.caption} for g in text.gallery_images.all()],
        "attachments": [
            {"id": a.pk, "document_id": a.document_id, "title": a.document.title} for a in text.attachments.all()
        ],
    }


def _own_article(request, pk, point=None):
    point = point or target_point(request)
    page = ArticlePage.objects.filter(pk=pk, point_id=point.pk).first()
    if page is None:
        raise ApiError(404, "not_found")
    return page


@router.get("/subsite/columns", response={200: list[ColumnOut], **ERRORS}, summary="本单位子网站栏目")
def list_columns(request, point: int | None = Query(None, description="预警点编号（仅省级令牌）")):
    """预警信息 warning / 工作动态 news / 通知公告 notice 三个栏目。"""
    require(request, SCOPE_READ)
    own = target_point(request, point)
    return [{"id": c.pk, "kind": c.kind, "title": c.title, "url": c.full_url} for c in columns_of(own)]


@router.get("/subsite/articles", response={200: ArticleList, **ERRORS}, summary="子网站文章列表")
def list_articles(
    request,
    column: str | None = Query(None, description="栏目：warning / news / notice"),
    live: bool | None = Query(None, description="true 只列已发布，false 只列未发布"),
    point: int | None = Query(None, description="预警点编号（仅省级令牌）"),
    offset: int = Query(0, ge=0, le=1_000_000),
    limit: int = Query(20, ge=1, le=100),
):
    require(request, SCOPE_READ)
    own = target_point(request, point)
    pages = ArticlePage.objects.filter(point_id=own.pk)
    if column:
        if column not in ColumnKind.values:
            raise ApiError(400, "invalid_input", "column 应为 warning / news / notice 之一")
        pages = pages.filter(column_kind=column)
    if live is not None:
        pages = pages.filter(live=live)
    pages = pages.order_by("-first_published_at", "-pk")
    items = [
        {
            "id": p.pk,
            "column_kind": p.column_kind,
            "title": p.title,
            "live": p.live,
            "first_published_at": local(p.first_published_at),
        }
        for p in pages[offset : offset + limit]
    ]
    return {"count": pages.count(), "items": items}


@router.get("/subsite/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="子网站文章详情")
def get_article(request, article_id: int, point: int | None = Query(None, description="预警点编号（仅省级令牌）")):
    require(request, SCOPE_READ)
    return article_dict(_own_article(request, article_id, target_point(request, point)))


class ArticleFields(Schema):
    title: str | None = None
    date: datetime.date | None = None
    industry: int | None = None
    country: str | None = None
    summary: str | None = None
    body: str | None = None
    captions: list[str] = []
    publish: bool = False


class ArticleCreateFields(ArticleFields):
    column: str


class ArticleUpdateFields(ArticleFields):
    remove: list[int] = []


def _fields(data):
    fields = data.dict(exclude={"column", "captions", "publish", "remove"})
    if fields.get("industry") is not None and not Industry.objects.filter(pk=fields["industry"]).exists():
        raise ApiError(400, "invalid_input", "行业编号不存在：请从 /reference/industries 取得行业编号")
    return fields


def _publish(page, user):
    page = ArticlePage.objects.get(pk=page.pk)
    page.get_latest_revision().publish(user=user)
    page.refresh_from_db()
    return page


@router.post("/subsite/articles", response={201: ArticleOut, **ERRORS}, summary="新建子网站文章")
@idempotent
def create_article(
    request,
    data: Form[ArticleCreateFields],
    images: list[UploadedFile] = File(None, description="图片（工作动态的图片集），可配 captions 说明"),
    attachments: list[UploadedFile] = File(None, description="附件（pdf、doc、docx、xls、xlsx、wps，按内容校验）"),
):
    """在本单位的一个栏目中新建文章（草稿）；publish=true 时随即发布。"""
    token = require_point_token(request, SCOPE_ARTICLES)
    if data.column not in ColumnKind.values:
        raise ApiError(400, "invalid_input", "column 应为 warning / news / notice 之一")
    column = columns_of(token.point).filter(kind=data.column).first()
    if column is None:
        raise ApiError(404, "not_found", "本单位的子网站没有这个栏目")
    page = writes.save_article(
        request.user, token.point, _fields(data), images or [], data.captions, attachments or [], column=column
    )
    log_write(token, page, "create")
    if data.publish:
        page = _publish(page, request.user)
        log_write(token, page, "publish")
    return Status(201, article_dict(ArticlePage.objects.get(pk=page.pk)))


@router.post("/subsite/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="修改子网站文章")
@idempotent
def update_article(
    request,
    article_id: int,
    data: Form[ArticleUpdateFields],
    images: list[UploadedFile] = File(None, description="新增的图片"),
    attachments: list[UploadedFile] = File(None, description="新增的附件"),
):
    """保存为新的草稿版本（已发布的文章在再次发布前保持原样）；remove 给出要去掉的图片或附件的 id。"""
    token = require_point_token(request, SCOPE_ARTICLES)
    page = _own_article(request, article_id)
    page = writes.save_article(
        request.user, token.point, _fields(data), images or [], data.captions, attachments or [], data.remove, page=page
    )
    log_write(token, page, "update")
    if data.publish:
        page = _publish(page, request.user)
        log_write(token, page, "publish")
    return Status(200, article_dict(ArticlePage.objects.get(pk=page.pk)))


@router.post("/subsite/articles/{article_id}/publish", response={200: ArticleOut, **ERRORS}, summary="发布子网站文章")
@idempotent
def publish_article(request, article_id: int):
    token = require_point_token(request, SCOPE_ARTICLES)
    page = _publish(_own_article(request, article_id), request.user)
    log_write(token, page, "publish")
    return Status(200, article_dict(page))


@router.post(
    "/subsite/articles/{article_id}/unpublish", response={200: ArticleOut, **ERRORS}, summary="取消发布子网站文章"
)
@idempotent
def unpublish_article(request, article_id: int):
    """撤下文章（已发布的文章计入统计，不能删除，只能取消发布）。"""
    token = require_point_token(request, SCOPE_ARTICLES)
    page = _own_article(request, article_id)
    if not page.live:
        raise ApiError(409, "review_refused", "该文章尚未发布")
    UnpublishPageAction(page, user=request.user).execute()
    page.refresh_from_db()
    log_write(token, page, "unpublish")
    return Status(200, article_dict(page))
