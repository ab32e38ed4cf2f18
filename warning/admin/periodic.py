"""季度形势分析 and 年度工作总结 in the Wagtail admin, plus the provincial contact's 未按期提交 view.

Wiring only: submitting, replacing, deadlines and reminders are decided in
warning/periodic.py. Who sees what:

* 预警点用户 — submits for its own point and lists its own items;
* 地市审核员 — lists (read only) the items of its own city's points;
* 预警工作联系人 — lists everything with the filters 年度 / 季度 / 所属行业 /
  预警点名称, and sees who is missing what (and can send reminders);
* 期刊杂志编辑 — works from 期刊杂志 (warning/admin/magazine.py) and may open
  a quarterly analysis and its attachment, not the annual summaries.

Another point's or city's item is a 404: lists and look-ups both start from
the model's visible_to(user). Attachments are never linked by their media
URL; they are streamed by attachment_view after the same check.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from search_zh.admin import SegmentedSearchMixin
from warning import periodic
from warning.downloads import download_name, file_download
from warning.models import AnnualSummary, Industry, QuarterlyAnalysis
from warning.models.profiles import scope_of
from warning.validators import ALLOWED_LABEL, validate_attachment

from . import MENU_ORDER
from .refusals import deny_with_403

PAGE_SIZE = 20
QUARTER_CHOICES = [(q, label) for q, label in periodic.QUARTER_LABELS.items()]
ATTACHMENT_HELP = f"可选；{ALLOWED_LABEL} 格式，不超过 20 MB。"


def local_time(value):
    return timezone.localtime(value, periodic.SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def year_choices():
    current = periodic.shanghai_now().year
    return [(y, f"{y}年") for y in range(current, 2009, -1)]


# ---------------------------------------------------------------------------
# Who may reach which screen.

KINDS = {
    "quarterly": {"model": QuarterlyAnalysis, "label": "季度形势分析", "magazine": True},
    "annual": {"model": AnnualSummary, "label": "年度工作总结", "magazine": False},
}


def may_list(user, kind):
    """Point editors, city reviewers and the province; the magazine editor only for quarterlies."""
    scope = scope_of(user)
    if scope.sees_everything or scope.city_id or scope.point_id:
        return True
    return KINDS[kind]["magazine"] and scope.is_magazine


def may_submit(user):
    return bool(scope_of(user).point_id)


def may_see_deadlines(user):
    return scope_of(user).sees_everything


def visible_items(user, kind):
    if not may_list(user, kind):
        raise PermissionDenied
    return KINDS[kind]["model"].objects.visible_to(user)


# ---------------------------------------------------------------------------
# Lists.


def year_filter():
    return django_filters.ChoiceFilter(label="年度", choices=year_choices, empty_label="全部")


def industry_filter():
    return django_filters.ModelChoiceFilter(
        label="所属行业", field_name="point__industry", queryset=Industry.objects.all(), empty_label="全部"
    )


def point_name_filter():
    return django_filters.CharFilter(label="预警点名称", field_name="point__name", lookup_expr="icontains")


class QuarterlyFilterSet(WagtailFilterSet):
    year = year_filter()
    quarter = django_filters.ChoiceFilter(label="季度", choices=QUARTER_CHOICES, empty_label="全部")
    industry = industry_filter()
    point_name = point_name_filter()

    class Meta:
        model = QuarterlyAnalysis
        fields = []


class AnnualFilterSet(WagtailFilterSet):
    year = year_filter()
    industry = industry_filter()
    point_name = point_name_filter()

    class Meta:
        model = AnnualSummary
        fields = []


class PeriodicIndexView(SegmentedSearchMixin, BaseListingView):
    search_fields = ("title", "content", "point__name")
    kind = None
    paginate_by = PAGE_SIZE
    default_ordering = "-submitted_at"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not may_list(request.user, self.kind):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return KINDS[self.kind]["label"]

    @property
    def verbose_name_plural(self):
        return KINDS[self.kind]["label"]

    def get_base_queryset(self):
        return visible_items(self.request.user, self.kind).select_related("point")

    def get_index_url(self):
        return reverse(f"warning_periodic:{self.kind}_index")

    def get_index_results_url(self):
        return reverse(f"warning_periodic:{self.kind}_results")

    def get_header_buttons(self):
        buttons = []
        if may_submit(self.request.user):
            buttons.append(
                HeaderButton(
                    f"提交{KINDS[self.kind]['label']}",
                    url=reverse(f"warning_periodic:{self.kind}_submit"),
                    icon_name="plus",
                )
            )
        if may_see_deadlines(self.request.user):
            buttons.append(HeaderButton("未按期提交", url=reverse("warning_periodic:deadlines"), icon_name="time"))
        return buttons


class QuarterlyIndexView(PeriodicIndexView):
    kind = "quarterly"
    filterset_class = QuarterlyFilterSet
    columns = [
        TitleColumn("title", label="标题", url_name="warning_periodic:quarterly_detail"),
        Column("year", label="年度", sort_key="year", width="8%"),
        Column("quarter", label="季度", width="8%"),
        Column("point", label="提交单位", accessor="point.name"),
        Column("submitted", label="提交时间", accessor=lambda o: local_time(o.submitted_at), sort_key="submitted_at"),
        Column("magazine_status", label="杂志录用", accessor="get_magazine_status_display", width="10%"),
    ]


class AnnualIndexView(PeriodicIndexView):
    kind = "annual"
    filterset_class = AnnualFilterSet
    columns = [
        TitleColumn("title", label="标题", url_name="warning_periodic:annual_detail"),
        Column("year", label="年度", sort_key="year", width="8%"),
        Column("point", label="提交单位", accessor="point.name"),
        Column("submitted", label="提交时间", accessor=lambda o: local_time(o.submitted_at), sort_key="submitted_at"),
        Column("on_time", label="按时提交", accessor=lambda o: "是" if periodic.annual_on_time(o) else "否（逾期）"),
    ]


# ---------------------------------------------------------------------------
# Submitting.


class PeriodicForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题。"})
    year = forms.IntegerField(
        label="年度", error_messages={"required": "请填写年度。", "invalid": "年度应为数字，例如 2026。"}
    )
    content = forms.CharField(label="内容", widget=forms.Textarea, error_messages={"required": "请填写内容。"})
    attachment = forms.FileField(label="附件", required=False, help_text=ATTACHMENT_HELP)

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if attachment:
            validate_attachment(attachment)
        return attachment


class QuarterlyForm(PeriodicForm):
    quarter = forms.TypedChoiceField(
        label="季度",
        choices=QUARTER_CHOICES,
        coerce=int,
        error_messages={"required": "请选择季度。", "invalid_choice": "季度应为 1 至 4。"},
    )
    field_order = ["title", "year", "quarter", "content", "attachment"]


class SubmitView(WagtailAdminTemplateMixin, TemplateView):
    """The point editor's form; submitting again for the same period replaces the earlier item."""

    kind = None
    template_name = "warning/periodic/submit.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not may_submit(request.user):
            raise PermissionDenied
        self.point = scope_of(request.user).point_id
        return super().dispatch(request, *args, **kwargs)

    @property
    def label(self):
        return KINDS[self.kind]["label"]

    def get_page_title(self):
        return f"提交{self.label}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"warning_periodic:{self.kind}_index"), "label": self.label},
            {"url": "", "label": self.get_page_title()},
        ]

    def form_class(self, *args, **kwargs):
        return (QuarterlyForm if self.kind == "quarterly" else PeriodicForm)(*args, **kwargs)

    def existing(self, year, quarter=None):
        lookup = {"point_id": self.point, "year": year}
        if self.kind == "quarterly":
            lookup["quarter"] = quarter
        return KINDS[self.kind]["model"].objects.filter(**lookup).first()

    def initial(self):
        """Defaults: the period open for this point (periodic.open_period); with ?year=&quarter= that item."""
        year, quarter = periodic.open_period(self.point, self.kind)
        initial = {"year": year, "quarter": quarter} if self.kind == "quarterly" else {"year": year}
        try:
            year = int(self.request.GET.get("year", initial["year"]))
            quarter = int(self.request.GET.get("quarter", initial.get("quarter", 0)))
        except ValueError:
            return initial
        initial.update({"year": year, "quarter": quarter} if self.kind == "quarterly" else {"year": year})
        item = self.existing(year, quarter)
        if item:
            self.existing_item = item
            initial.update(title=item.title, content=item.content)
        return initial

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        self.existing_item = None
        form = form or self.form_class(initial=self.initial())
        existing = self.existing_item
        context.update(
            form=form,
            existing=existing,
            existing_submitted=local_time(existing.submitted_at) if existing else "",
            refusal=periodic.replacement_refusal(existing) if existing else "",
            action_url=reverse(f"warning_periodic:{self.kind}_submit"),
            submit_button_label="提交",
            submit_button_active_label="正在提交…",
            label=self.label,
            kind=self.kind,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            from warning.models import WarningPoint

            point = WarningPoint.objects.get(pk=self.point)
            fields = dict(
                point=point,
                user=request.user,
                year=data["year"],
                title=data["title"],
                content=data["content"],
                attachment=data.get("attachment"),
            )
            try:
                if self.kind == "quarterly":
                    result = periodic.submit_quarterly(quarter=data["quarter"], **fields)
                else:
                    result = periodic.submit_annual_summary(**fields)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                verb = "已替换原提交的" if result.replaced else "已提交"
                messages.success(request, f"{verb}{self.label}《{result.item.title}》。")
                return redirect(f"warning_periodic:{self.kind}_detail", result.item.pk)
        messages.error(request, "提交失败，请根据提示修改后重新提交。")
        return self.render_to_response(self.get_context_data(form=form))


# ---------------------------------------------------------------------------
# The view page and the attachment.


def detail_view(request, pk, kind):
    item = get_object_or_404(visible_items(request.user, kind).select_related("point__industry"), pk=pk)
    label = KINDS[kind]["label"]
    scope = scope_of(request.user)
    can_resubmit = scope.point_id == item.point_id and (
        kind == "annual" or item.magazine_status == QuarterlyAnalysis.Decision.PENDING
    )
    resubmit_url = ""
    if can_resubmit:
        query = f"?year={item.year}" + (f"&quarter={item.quarter}" if kind == "quarterly" else "")
        resubmit_url = reverse(f"warning_periodic:{kind}_submit") + query
    return TemplateResponse(
        request,
        "warning/periodic/detail.html",
        {
            "item": item,
            "kind": kind,
            "label": label,
            "page_title": label,
            "header_title": f"{label}: {item.title}",
            "header_icon": "doc-full",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": reverse(f"warning_periodic:{kind}_index"), "label": label},
                {"url": "", "label": item.title},
            ],
            "submitted": local_time(item.submitted_at),
            "decided": local_time(getattr(item, "magazine_decided_at", None)),
            "on_time": periodic.annual_on_time(item) if kind == "annual" else periodic.in_quarterly_window(item),
            "attachment_url": reverse(f"warning_periodic:{kind}_attachment", args=[item.pk]) if item.attachment else "",
            "resubmit_url": resubmit_url,
        },
    )


def attachment_response(item):
    """Stream an item's attachment, named after its title, to a user already allowed to see the item."""
    if not item.attachment:
        raise Http404("没有附件")
    try:
        handle = item.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    return file_download(handle, download_name(item.title, item.attachment.name))


def attachment_view(request, pk, kind):
    item = get_object_or_404(visible_items(request.user, kind), pk=pk)
    return attachment_response(item)


# ---------------------------------------------------------------------------
# 未按期提交: the points missing what is due, and the reminder button.


def deadlines_view(request):
    if not may_see_deadlines(request.user):
        raise PermissionDenied
    rows = periodic.missing_submissions()
    quarterly, annual = periodic.current_due_items()
    now = timezone.now()
    return TemplateResponse(
        request,
        "warning/periodic/deadlines.html",
        {
            "rows": rows,
            "quarterly": quarterly,
            "annual": annual,
            "quarterly_overdue": quarterly.is_overdue(now),
            "annual_overdue": annual.is_overdue(now),
            "missing_quarterly": sum(1 for r in rows if r.missing_quarterly()),
            "missing_annual": sum(1 for r in rows if r.missing_annual()),
            "page_title": "未按期提交",
            "header_title": "未按期提交",
            "header_icon": "time",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": reverse("warning_periodic:quarterly_index"), "label": "季度形势分析"},
                {"url": "", "label": "未按期提交"},
            ],
        },
    )


@require_POST
def send_reminders_view(request):
    if not may_see_deadlines(request.user):
        raise PermissionDenied
    result = periodic.send_reminders()
    if not result.rows:
        messages.info(request, "所有预警点均已提交，无需提醒。")
        return redirect("warning_periodic:deadlines")
    for level, text in reminder_report(result):
        getattr(messages, level)(request, text)
    return redirect("warning_periodic:deadlines")


def reminder_report(result):
    """The flash lines after 发送提醒: exact counts, then who has no address and which points nobody reads."""
    lines = [
        (
            "success",
            f"已向 {len(result.rows)} 个未按期提交的预警点发送提醒："
            f"{result.messages} 位用户收到消息中心消息，其中 {result.emails} 位同时收到邮件。",
        )
    ]
    if result.without_address:
        names = "、".join(f"{name}（{point}）" for name, point in result.without_address)
        lines.append(
            ("warning", f"{len(result.without_address)} 位用户没有电子邮件地址，只收到消息中心消息：{names}。")
        )
    if result.points_without_users:
        lines.append(
            ("warning", f"以下预警点没有可接收提醒的用户，未能提醒：{'、'.join(result.points_without_users)}。")
        )
    return lines


# ---------------------------------------------------------------------------
# URLs and menu.


def _urls():
    def route(pattern, view, name, **kwargs):
        return path(pattern, deny_with_403(view), kwargs, name=name)

    patterns = [
        route("deadlines/", deadlines_view, "deadlines"),
        route("deadlines/remind/", send_reminders_view, "send_reminders"),
    ]
    for kind, index_view in (("quarterly", QuarterlyIndexView), ("annual", AnnualIndexView)):
        patterns += [
            route(f"{kind}/", index_view.as_view(), f"{kind}_index"),
            route(f"{kind}/results/", index_view.as_view(results_only=True), f"{kind}_results"),
            route(f"{kind}/submit/", SubmitView.as_view(kind=kind), f"{kind}_submit"),
            route(f"{kind}/<int:pk>/", detail_view, f"{kind}_detail", kind=kind),
            route(f"{kind}/<int:pk>/attachment/", attachment_view, f"{kind}_attachment", kind=kind),
        ]
    return patterns


@hooks.register("register_admin_urls")
def register_urls():
    return [path("periodic/", include((_urls(), "warning_periodic"), namespace="warning_periodic"))]


class PeriodicMenuItem(MenuItem):
    """Shown to point editors, city reviewers and the province (the magazine editor uses 期刊杂志)."""

    def is_shown(self, request):
        scope = scope_of(request.user)
        return bool(scope.sees_everything or scope.city_id or scope.point_id)


@hooks.register("register_admin_menu_item")
def register_quarterly_menu_item():
    return PeriodicMenuItem(
        "季度形势分析",
        reverse("warning_periodic:quarterly_index"),
        name="quarterly-analyses",
        icon_name="doc-full",
        order=MENU_ORDER["季度形势分析"],
    )


@hooks.register("register_admin_menu_item")
def register_annual_menu_item():
    return PeriodicMenuItem(
        "年度工作总结",
        reverse("warning_periodic:annual_index"),
        name="annual-summaries",
        icon_name="doc-full-inverse",
        order=MENU_ORDER["年度工作总结"],
    )
