"""Headless read access: Wagtail's API v2 router and its v3 (django-ninja) API.

Both serve only live pages without a view restriction (Wagtail's public page
queryset) and print each page type's ``api_fields``.

v2 adds two filters that work for every page type:
  ``?point=<预警点 id>``       pages of that point's subsite (home, columns, articles);
  ``?column_kind=warning``    columns of that kind and their articles
                              (warning 预警信息 / news 工作动态 / notice 通知公告).
For example ``/api/v2/pages/?type=subsites.ArticlePage&point=12&column_kind=news``.

v3 is Wagtail's own router, used as it is: with a single ``type`` it filters
on any of that type's database ``api_fields``, so
``/api/v3/pages/?type=subsites.ArticlePage&point=12&column_kind=news`` gives the
same articles, and ``descendant_of=<subsite home id>`` a whole subsite.

The images and documents endpoints of both APIs list only media used by live
public content (subsites/public_media.py), so a draft's photos and
attachments are not announced; v3's are narrowed by narrow_v3_media_endpoints().

Every list's total (v2 ``meta.total_count``, v3 ``count``) is exact; a list of one
page type is counted on the page table by content type where that is the same number
(subsites/api_counts.py: PageTablePagination for v2, count_v3_lists_with_api_total()).

No query gives a 500 (docs/security.md): ApiQueryGuardMiddleware refuses,
before either API runs, an ``offset`` / ``limit`` that is not a whole number
up to MAX_QUERY_INT (a larger one overflowed the database's 64-bit integers)
and a ``find/?id=`` that is not a number; a filter value the field cannot read
(``?first_published_at=x``) is a 400 of the v2 views. Every refusal is a 400
with a Chinese ``message``.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import JsonResponse
from rest_framework import status
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as v3_api
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .api_counts import CountedOnPageTable, api_total
from .models import ArticleGalleryImage, ArticlePage, ColumnIndexPage, ColumnKind, SubsiteHomePage
from .public_media import public_documents, public_images


class SubsiteFilter(BaseFilterBackend):
    """``?point=`` and ``?column_kind=`` for any page type (see the module docstring)."""

    def filter_queryset(self, request, queryset, view):
        if "point" in request.GET:
            try:
                point_id = int(request.GET["point"])
            except ValueError as exc:
                raise BadRequestError("point 参数应为预警点编号（整数）") from exc
            home = SubsiteHomePage.objects.filter(warning_point__pk=point_id).first()
            queryset = queryset.descendant_of(home, inclusive=True) if home else queryset.none()
        if "column_kind" in request.GET:
            kind = request.GET["column_kind"]
            if kind not in ColumnKind.values:
                raise BadRequestError(f"column_kind 参数应为 {' / '.join(ColumnKind.values)} 之一")
            queryset = queryset.filter(
                Q(pk__in=ArticlePage.objects.filter(column_kind=kind).values("pk"))
                | Q(pk__in=ColumnIndexPage.objects.filter(kind=kind).values("pk"))
            )
        return queryset


MAX_QUERY_INT = 2**31 - 1
API_PREFIXES = ("/api/v2/", "/api/v3/")
WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


def query_refusal(path, query):
    """Why an API query cannot be answered ('' if it can): bad paging numbers or a non-numeric find id."""
    for name, label in (("offset", "起始位置"), ("limit", "每页条数")):
        value = query.get(name)
        if value is not None and not (WHOLE_NUMBER.fullmatch(value) and int(value) <= MAX_QUERY_INT):
            return f"{name}（{label}）参数应为 0 至 {MAX_QUERY_INT} 之间的整数"
    if path.rstrip("/").endswith("/find") and "id" in query and not WHOLE_NUMBER.fullmatch(query["id"]):
        return "id 参数应为页面编号（整数）"
    return ""


class ApiQueryGuardMiddleware:
    """Answer a malformed API query with a Chinese 400 before Wagtail's views see it (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIXES):
            refusal = query_refusal(request.path, request.GET)
            if refusal:
                return JsonResponse({"message": refusal}, status=400, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)


class ReadableErrorsMixin:
    """A filter value its field cannot read is the client's mistake: 400 with a Chinese message, not a 500."""

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError | ValueError | OverflowError):
            return Response(
                {"message": "查询参数的值无效，请检查筛选条件的格式（日期如 2026-01-31，编号为整数）"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


def with_api_relations(queryset):
    """A page queryset reading what the API prints of each page with it, in a fixed number of queries.

    Every page prints its locale; an article its point, industry, photos (with
    their image and its renditions, for ``thumbnail``) and attachments; a
    subsite home its point (``point_info``). Without this each item of a list
    costs three to five queries of its own.
    """
    queryset = queryset.select_related("locale")
    if issubclass(queryset.model, ArticlePage):
        queryset = queryset.select_related("point", "industry").prefetch_related(
            Prefetch("gallery_images", queryset=ArticleGalleryImage.objects.prefetch_related("image__renditions")),
            "attachments",
        )
    elif issubclass(queryset.model, SubsiteHomePage):
        queryset = queryset.select_related("warning_point__district__city")
    return queryset


class PageTablePagination(WagtailPagination):
    """Wagtail's v2 paging, with ``total_count`` counted on the page table where that is the same number."""

    def paginate_queryset(self, queryset, request, view=None):
        return super().paginate_queryset(CountedOnPageTable(queryset), request, view)


class SubsitePagesAPIViewSet(ReadableErrorsMixin, PagesAPIViewSet):
    pagination_class = PageTablePagination
    filter_backends = [
        *PagesAPIViewSet.filter_backends[:-1],
        SubsiteFilter,
        PagesAPIViewSet.filter_backends[-1],  # SearchFilter must stay last
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["point", "column_kind"])

    def get_base_queryset(self):
        # Wagtail's reads every view restriction each time it is asked, three times a request.
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset

    def get_queryset(self):
        return with_api_relations(super().get_queryset())

    def get_object(self):
        # The page found as a base page, then read once as its own type with its relations
        # (Wagtail's .specific reads it without them); asked twice a request, read once.
        if not hasattr(self, "_object"):
            page = super(PagesAPIViewSet, self).get_object()
            self._object = with_api_relations(page.specific_class.objects.filter(pk=page.pk)).get()
        return self._object


class PublishedImagesAPIViewSet(ReadableErrorsMixin, ImagesAPIViewSet):
    """Only images shown on a published article: a draft's photos stay unlisted."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):  # asked twice a request; the collection restrictions are read each time
            self._queryset = super().get_queryset().filter(pk__in=public_images().values("pk"))
        return self._queryset


class PublishedDocumentsAPIViewSet(ReadableErrorsMixin, DocumentsAPIViewSet):
    """Only documents attached to a published article: a draft's attachments stay unlisted."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):  # as PublishedImagesAPIViewSet
            self._queryset = super().get_queryset().filter(pk__in=public_documents().values("pk"))
        return self._queryset


def public_v3_documents(request):
    """Replaces wagtail.documents.api.v3.router.get_documents_queryset: public documents only."""
    return public_documents().prefetch_related("tags").order_by("id")


def public_v3_images(request):
    """Replaces wagtail.images.api.v3.router.get_images_queryset: public images only."""
    return public_images().prefetch_related("tags").order_by("id")


def narrow_v3_media_endpoints():
    """Point Wagtail's v3 documents and images endpoints at the public querysets.

    Wagtail builds those endpoints from module-level queryset functions with
    no hook or setting to filter them; its read views look the function up
    at call time, so replacing it here narrows both the list and the detail
    view. tests/test_public_media.py fails if a Wagtail upgrade stops this.
    """
    from wagtail.documents.api.v3 import router as documents_v3
    from wagtail.images.api.v3 import router as images_v3

    documents_v3.get_documents_queryset = public_v3_documents
    images_v3.get_images_queryset = public_v3_images


def count_v3_lists_with_api_total():
    """Give Wagtail's v3 lists their ``count`` from api_total() (subsites/api_counts.py).

    Wagtail's v3 list views are paginated by one WagtailLimitOffsetPagination made
    when its router is imported, which counts with ``queryset.all().count()``; the
    paginator looks the counting method up on its class at each request.
    tests/test_api_counts.py fails if a Wagtail upgrade stops this.
    """
    from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

    if getattr(WagtailLimitOffsetPagination._items_count, "counts_with_api_total", False):
        return
    wagtails = WagtailLimitOffsetPagination._items_count

    def _items_count(self, queryset):
        if isinstance(queryset, QuerySet):
            return api_total(queryset.all())
        return wagtails(self, queryset)  # a search's results, a list

    _items_count.counts_with_api_total = True
    WagtailLimitOffsetPagination._items_count = _items_count


narrow_v3_media_endpoints()  # at import by the URLconf, once every app (and its v3 schemas) is ready
count_v3_lists_with_api_total()

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SubsitePagesAPIViewSet)
api_router.register_endpoint("images", PublishedImagesAPIViewSet)
api_router.register_endpoint("documents", PublishedDocumentsAPIViewSet)

__all__ = ["api_router", "v3_api"]
