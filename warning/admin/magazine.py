"""期刊杂志: the magazine editor's screens — 季度形势分析 and 精选原创预警 side by side, 录用 / 不录用.

Wiring only: the decisions and who may take them live in warning/magazine.py.
Both tabs are listings with the same tab bar, so the editor works from one
place; each item opens a page with its content, its attachments and the
审核 form (● 不录用 ○ 录用). Only users of the 期刊杂志编辑 group reach these
screens; everyone else gets 403.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from warning import magazine
from warning.models import QuarterlyAnalysis, WarningReport
from warning.validators import extension_of

from . import MENU_ORDER
from .confirm import ConfirmFinalForm
from .periodic import QUARTER_CHOICES, attachment_response, local_time, year_choices
from .refusals import deny_with_403

PAGE_SIZE = 20
TAB_QUARTERLY = "季度形势分析"
TAB_REPORTS = "精选原创预警"
STATUS_CHOICES = [(value, label) for value, label in QuarterlyAnalysis.Decision.choices]


def require_magazine(user):
    if not magazine.may_decide(user):
        raise PermissionDenied


def tabs(active):
    """The tab bar shared by both listings, with the number still waiting in each."""
    pending = QuarterlyAnalysis.Decision.PENDING
    return [
        {
            "label": TAB_QUARTERLY,
            "url": reverse("warning_magazine:quarterly_index"),
            "active": active == "quarterly",
            "pending": QuarterlyAnalysis.objects.filter(magazine_status=pending).count(),
        },
        {
            "label": TAB_REPORTS,
            "url": reverse("warning_magazine:report_index"),
            "active": active == "report",
            "pending": magazine.report_queue().filter(magazine_status=pending).count(),
        },
    ]


class QuarterlyQueueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="录用状态", field_name="magazine_status", choices=STATUS_CHOICES, empty_label="全部"
    )
    year = django_filters.ChoiceFilter(label="年度", choices=year_choices, empty_label="全部")
    quarter = django_filters.ChoiceFilter(label="季度", choices=QUARTER_CHOICES, empty_label="全部")
    point_name = django_filters.CharFilter(label="预警点名称", field_name="point__name", lookup_expr="icontains")

    class Meta:
        model = QuarterlyAnalysis
        fields = []


class ReportQueueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="录用状态", field_name="magazine_status", choices=STATUS_CHOICES, empty_label="全部"
    )
    point_name = django_filters.CharFilter(label="上报单位", field_name="point__name", lookup_expr="icontains")

    class Meta:
        model = WarningReport
        fields = []


class QueueView(BaseListingView):
    tab = None
    paginate_by = PAGE_SIZE
    header_icon = "pick"
    template_name = "warning/magazine/index.html"

    def dispatch(self, request, *args, **kwargs):
        require_magazine(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "期刊杂志"

    def get_page_subtitle(self):
        return TAB_QUARTERLY if self.tab == "quarterly" else TAB_REPORTS

    def get_index_url(self):
        return reverse(f"warning_magazine:{self.tab}_index")

    def get_index_results_url(self):
        return reverse(f"warning_magazine:{self.tab}_results")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.results_only:
            context["tabs"] = tabs(self.tab)
        return context


def decision_display(item):
    return item.get_magazine_status_display()


class QuarterlyQueueView(QueueView):
    tab = "quarterly"
    verbose_name_plural = "季度形势分析"
    filterset_class = QuarterlyQueueFilterSet

    columns = [
        TitleColumn("title", label="标题", url_name="warning_magazine:quarterly_detail"),
        Column("year", label="年度", width="7%"),
        Column("quarter", label="季度", width="7%"),
        Column("point", label="提交单位", accessor="point.name"),
        Column("submitted", label="提交时间", accessor=lambda o: local_time(o.submitted_at)),
        Column("status", label="录用状态", accessor=decision_display, width="9%"),
        Column("decided", label="录用时间", accessor=lambda o: local_time(o.magazine_decided_at)),
    ]

    def get_base_queryset(self):
        return magazine.quarterly_queue()


class ReportQueueView(QueueView):
    tab = "report"
    verbose_name_plural = "精选原创预警"
    filterset_class = ReportQueueFilterSet

    columns = [
        TitleColumn("title", label="标题", url_name="warning_magazine:report_detail"),
        Column("country", label="国别地区", accessor="country.name", width="10%"),
        Column("industry", label="所属行业", accessor="industry.name", width="10%"),
        Column("point", label="上报单位", accessor="point.name"),
        Column("submitted", label="上报时间", accessor=lambda o: local_time(o.submitted_at)),
        Column("status", label="处理状态", accessor=decision_display, width="9%"),
        Column("decided", label="录用时间", accessor=lambda o: local_time(o.magazine_decided_at)),
    ]

    def get_base_queryset(self):
        return magazine.report_queue()


class DecisionForm(ConfirmFinalForm):
    """录用 or 不录用, neither preselected; 不录用 is final and needs 确认."""

    decision = forms.ChoiceField(
        label="审核",
        choices=[(magazine.DECLINED.value, "不录用"), (magazine.ADOPTED.value, "录用")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择“录用”或“不录用”。", "invalid_choice": "请选择“录用”或“不录用”。"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == magazine.DECLINED.value:
            self.ask_confirmation(magazine.DECISIONS[magazine.DECLINED.value], magazine.DECLINE_CONSEQUENCE)
        return data


class ReportDecisionForm(DecisionForm):
    comment = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


def _decide(request, item, form, decide, **extra):
    if form.is_valid():
        try:
            decide(item, request.user, form.cleaned_data["decision"], **extra)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            verdict = magazine.DECISIONS[form.cleaned_data["decision"]]
            messages.success(request, f"已对《{item.title}》作出“{verdict}”的决定。")
            return True
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return False


def _detail_context(item, kind, form):
    label = TAB_QUARTERLY if kind == "quarterly" else TAB_REPORTS
    return {
        "item": item,
        "kind": kind,
        "form": form,
        "pending": item.magazine_status == QuarterlyAnalysis.Decision.PENDING,
        "submitted": local_time(item.submitted_at),
        "decided": local_time(item.magazine_decided_at),
        "page_title": label,
        "header_title": f"{label}: {item.title}",
        "header_icon": "pick",
        "index_url": reverse(f"warning_magazine:{kind}_index"),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse(f"warning_magazine:{kind}_index"), "label": f"期刊杂志 · {label}"},
            {"url": "", "label": item.title},
        ],
    }


def quarterly_detail_view(request, pk):
    require_magazine(request.user)
    item = get_object_or_404(magazine.quarterly_queue(), pk=pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _decide(request, item, form, magazine.decide_quarterly):
            return redirect("warning_magazine:quarterly_index")
        item.refresh_from_db()
    context = _detail_context(item, "quarterly", form)
    if item.attachment:
        context["attachments"] = [
            {"name": "下载附件", "url": reverse("warning_magazine:quarterly_attachment", args=[item.pk])}
        ]
    return TemplateResponse(request, "warning/magazine/detail.html", context)


def report_detail_view(request, pk):
    require_magazine(request.user)
    item = get_object_or_404(magazine.report_queue().prefetch_related("attachments"), pk=pk)
    form = ReportDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _decide(request, item, form, magazine.decide_report, comment=request.POST.get("comment", "")):
            return redirect("warning_magazine:report_index")
        item.refresh_from_db()
    context = _detail_context(item, "report", form)
    context["attachments"] = [
        {
            "name": a.name or f"附件{i}",
            "url": reverse("warning_magazine:report_attachment", args=[item.pk, a.pk]),
        }
        for i, a in enumerate(item.attachments.all(), start=1)
    ]
    return TemplateResponse(request, "warning/magazine/detail.html", context)


def quarterly_attachment_view(request, pk):
    require_magazine(request.user)
    return attachment_response(get_object_or_404(magazine.quarterly_queue(), pk=pk))


def report_attachment_view(request, pk, attachment_pk):
    require_magazine(request.user)
    report = get_object_or_404(magazine.report_queue(), pk=pk)
    attachment = get_object_or_404(report.attachments.all(), pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    ext = extension_of(attachment.file.name)
    name = attachment.name or f"{report.title}.{ext}"
    if not extension_of(name):
        name = f"{name}.{ext}"
    return FileResponse(handle, as_attachment=True, filename=name)


def _urls():
    def route(pattern, view, name):
        return path(pattern, deny_with_403(view), name=name)

    return [
        route("", QuarterlyQueueView.as_view(), "quarterly_index"),
        route("quarterly/results/", QuarterlyQueueView.as_view(results_only=True), "quarterly_results"),
        route("quarterly/<int:pk>/", quarterly_detail_view, "quarterly_detail"),
        route("quarterly/<int:pk>/attachment/", quarterly_attachment_view, "quarterly_attachment"),
        route("reports/", ReportQueueView.as_view(), "report_index"),
        route("reports/results/", ReportQueueView.as_view(results_only=True), "report_results"),
        route("reports/<int:pk>/", report_detail_view, "report_detail"),
        route("reports/<int:pk>/attachments/<int:attachment_pk>/", report_attachment_view, "report_attachment"),
    ]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("magazine/", include((_urls(), "warning_magazine"), namespace="warning_magazine"))]


class MagazineMenuItem(MenuItem):
    def is_shown(self, request):
        return magazine.may_decide(request.user)


@hooks.register("register_admin_menu_item")
def register_magazine_menu():
    submenu = Menu(
        items=[
            MagazineMenuItem(
                TAB_QUARTERLY,
                reverse("warning_magazine:quarterly_index"),
                name="magazine-quarterly",
                icon_name="doc-full",
                order=1,
            ),
            MagazineMenuItem(
                TAB_REPORTS,
                reverse("warning_magazine:report_index"),
                name="magazine-reports",
                icon_name="warning",
                order=2,
            ),
        ]
    )
    return SubmenuMenuItem("期刊杂志", submenu, name="magazine", icon_name="pick", order=MENU_ORDER["期刊杂志"])
