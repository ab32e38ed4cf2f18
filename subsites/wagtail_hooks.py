"""Admin wiring of the subsites: the 子网站信息发布 screen and the page chooser's scope.

Wiring only: what a publication is and how it is counted lives in
subsites/publications.py; who may edit which subsite is decided by the
Wagtail page permissions that subsites/provisioning.py grants.
"""

import django_filters
from django import forms
from django.http import HttpResponseNotFound
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from warning.admin import MENU_ORDER
from warning.admin.refusals import forbidden
from warning.exports import sheets
from warning.models import City, WarningPoint

from .models import UNPUBLISH_INSTEAD, ArticlePage, ColumnKind, live_articles_under
from .public_media import may_download
from .publications import may_view_publications, publication_counts, publications
from .rich_text import PageLinkHandler

MENU_LABEL = "子网站信息发布"


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class PublicationFilterSet(WagtailFilterSet):
    point = django_filters.ModelChoiceFilter(
        label="预警点", queryset=lambda request: WarningPoint.objects.order_by("name"), empty_label="全部"
    )
    city = django_filters.ModelChoiceFilter(
        label="所属地市", field_name="point__district__city", queryset=City.objects.all(), empty_label="全部"
    )
    column_kind = django_filters.ChoiceFilter(
        label="栏目", choices=ColumnKind.choices, empty_label="全部", widget=forms.RadioSelect
    )
    published = django_filters.DateFromToRangeFilter(
        label="发布时间", field_name="first_published_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = ArticlePage
        fields = []


class PublicationListView(ReportView):
    page_title = MENU_LABEL
    header_icon = "doc-full"
    template_name = "subsites/admin/publications.html"
    results_template_name = "subsites/admin/publications_results.html"
    index_url_name = "subsites_publications:index"
    index_results_url_name = "subsites_publications:index_results"
    filterset_class = PublicationFilterSet
    paginate_by = 50
    verbose_name = "子网站信息"
    verbose_name_plural = "子网站信息"
    no_results_message = "没有符合条件的子网站信息。"
    export_filename = "子网站信息发布"
    columns = [
        TitleColumn("title", label="标题", get_url=lambda page: page.url),
        Column("point", label="预警点", accessor="point.name"),
        Column("city", label="所属地市", accessor="point.district.city.name", width="10%"),
        Column("column_kind", label="栏目", accessor="get_column_kind_display", width="10%"),
        Column("published", label="发布时间", accessor=lambda page: local_time(page.first_published_at), width="16%"),
    ]
    list_export = ["title", "point.name", "point.district.city.name", "get_column_kind_display", "first_published_at"]
    export_headings = {
        "title": "标题",
        "point.name": "预警点",
        "point.district.city.name": "所属地市",
        "get_column_kind_display": "栏目",
        "first_published_at": "发布时间",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_view_publications(request.user):
            return forbidden(request, "只有预警工作联系人可以查看子网站信息发布汇总。")
        return super().dispatch(request, *args, **kwargs)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "first_published_at": {self.FORMAT_CSV: local_time, self.FORMAT_XLSX: local_time},
        }

    def write_xlsx(self, queryset, output):
        """Wagtail's rows and headings, written as a printable sheet (warning/exports/sheets.py)."""
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        rows = [
            [
                self.preprocess_field_value(field, value, self.FORMAT_XLSX)
                for field, value in self.to_row_dict(item).items()
            ]
            for item in queryset
        ]
        sheets.write_table(
            output,
            sheet_title=MENU_LABEL,
            title=f"{MENU_LABEL}汇总",
            filters=sheets.form_filters_text(self.filters.form) if self.filters else "全部",
            headers=headings,
            rows=rows,
        )

    def get_queryset(self):
        self.queryset = publications()
        return super().get_queryset()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["counts"] = publication_counts(self.object_list)
        return context


urlpatterns = [
    path("", PublicationListView.as_view(), name="index"),
    path("results/", PublicationListView.as_view(results_only=True), name="index_results"),
]


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own registration of "page"
def page_links_from_base_pages(features):
    features.register_link_type(PageLinkHandler)


@hooks.register("register_admin_urls")
def register_publication_urls():
    return [
        path(
            "subsite-publications/",
            include((urlpatterns, "subsites_publications"), namespace="subsites_publications"),
        )
    ]


class PublicationMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_publications(request.user)


@hooks.register("register_admin_menu_item")
def register_publication_menu_item():
    return PublicationMenuItem(
        MENU_LABEL,
        reverse("subsites_publications:index"),
        name="subsite-publications",
        icon_name="doc-full",
        order=MENU_ORDER[MENU_LABEL],
    )


@hooks.register("construct_page_chooser_queryset")
def limit_chooser_to_explorable_pages(pages, request):
    """The chooser offers only the pages a user may explore: a point editor sees its own subsite.

    Explorable pages are those the user's groups hold page permissions on,
    with their ancestors so the chooser can be navigated down to them.
    """
    if request.user.is_superuser:
        return pages
    # The registered policy (warning/rights.py) keeps the user's explorable pages for
    # the request, which the chooser's own scope (warning/admin/access.py) has just read.
    explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
    return pages.filter(pk__in=explorable.values("pk"))


def refuse_deleting_counted(request, pages):
    """A delete that would remove a live (counted) article becomes a message: unpublish instead."""
    if any(live_articles_under(page).exists() for page in pages):
        messages.error(request, UNPUBLISH_INSTEAD)
        parent = pages[0].get_parent()
        return redirect("wagtailadmin_explore", parent.pk if parent else pages[0].pk)
    return None


@hooks.register("before_delete_page")
def keep_counted_articles(request, page):
    return refuse_deleting_counted(request, [page])


@hooks.register("before_bulk_action")
def keep_counted_articles_in_bulk(request, action_type, objects, action_class_instance):
    pages = [obj for obj in objects if isinstance(obj, Page)] if action_type == "delete" else []
    return refuse_deleting_counted(request, pages) if pages else None


@hooks.register("before_serve_document")
def serve_only_public_documents(document, request):
    """/documents/<id>/<name>: public documents for everyone, others only for whoever may use them in the admin."""
    if not may_download(request.user, document):
        return HttpResponseNotFound("文档不存在或尚未公开。", content_type="text/plain; charset=utf-8")
    return None


@hooks.register("construct_document_chooser_queryset")
def documents_with_their_collection(documents, request):
    """The document chooser prints each document's 收藏集 when there are several: read it with the list.

    Wagtail's image chooser does so itself; its document chooser read each one's collection
    in a query of its own (docs/performance.md, admin lists).
    """
    return documents.select_related("collection")
