"""商务局预警信息: the provincial contact issues notices to points and follows who read them.

Wiring only: issue_notice() in warning/notices.py holds every rule (who may
issue, audience resolution, validation); this module turns its Chinese
ValidationError messages into form errors. Every view here refuses (403)
anyone but the provincial contact; point editors read their notices in the
消息中心 (warning/admin/messages.py).
"""

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from search_zh.admin import SegmentedSearchMixin
from warning.idempotency import form_token_field, new_token
from warning.models import City, Notice
from warning.notices import (
    describe_audience,
    eligible_points,
    issue_notice,
    issued_notices,
    may_issue_notices,
    recipients_of,
)

from . import MENU_ORDER
from .messages import CountPaginator
from .refusals import forbidden

MENU_LABEL = "商务局预警信息"


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class ProvincialOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_issue_notices(request.user):
            return forbidden(request, "只有预警工作联系人可以下发和查看商务局预警信息。")
        return super().dispatch(request, *args, **kwargs)


class PointCheckboxes(forms.CheckboxSelectMultiple):
    """Points as checkboxes grouped by city, with a city filter and 全选/清空 per city.

    Rendered with the project's template engine (the default form renderer
    does not look in the project templates folder).
    """

    template_name = "warning/notices/widgets/point_checkboxes.html"

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308 - our own template


class NoticeForm(forms.Form):
    title = forms.CharField(
        label="标题", max_length=200, error_messages={"required": "请填写标题", "max_length": "标题不能超过 200 个字"}
    )
    body = forms.CharField(
        label="内容", widget=forms.Textarea(attrs={"rows": 8}), error_messages={"required": "请填写内容"}
    )
    audience = forms.ChoiceField(
        label="下发范围",
        choices=Notice.Audience.choices,
        initial=Notice.Audience.ALL,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择下发范围", "invalid_choice": "请选择下发范围"},
    )
    city = forms.ModelChoiceField(
        label="地市",
        queryset=City.objects.all(),
        required=False,
        empty_label="请选择地市",
        help_text="下发范围为“某地市的预警点”时必选",
        error_messages={"invalid_choice": "所选地市不存在"},
    )
    points = forms.ModelMultipleChoiceField(
        label="接收预警点",
        queryset=eligible_points(),
        required=False,
        widget=PointCheckboxes,
        help_text="下发范围为“指定预警点”时至少选择一个；可按地市筛选",
        error_messages={
            "invalid_choice": "所选预警点中有不存在或已撤销的预警点，请重新选择",
            "invalid_pk_value": "所选预警点无效",
        },
    )

    form_token = form_token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = new_token()
        groups = {}
        for point in (
            eligible_points()
            .select_related("district__city")
            .order_by("district__city__sort_order", "district__sort_order", "name")
        ):
            groups.setdefault(point.district.city.name, []).append((point.pk, point.name))
        self.fields["points"].widget.choices = list(groups.items())


class NoticeIndexView(ProvincialOnlyMixin, SegmentedSearchMixin, BaseListingView):
    page_title = MENU_LABEL
    header_icon = "doc-full-inverse"
    index_url_name = "warning_notices:index"
    index_results_url_name = "warning_notices:index_results"
    paginate_by = 20
    paginator_class = CountPaginator
    search_fields = ("title", "body")
    verbose_name = "通知"
    verbose_name_plural = "通知"
    no_results_message = "还没有下发过商务局预警信息。"
    columns = [
        TitleColumn("title", label="标题", url_name="warning_notices:detail"),
        Column("audience", label="下发范围", accessor=describe_audience, width="14%"),
        Column("issued", label="下发时间", accessor=lambda n: local_time(n.issued_at), width="14%"),
        Column("recipient_count", label="接收预警点", width="9%"),
        Column("read_count", label="已读", width="7%"),
        Column("unread", label="未读", accessor=lambda n: n.recipient_count - n.read_count, width="7%"),
    ]

    def get_base_queryset(self):
        return issued_notices()

    def get_header_buttons(self):
        return [HeaderButton("下发通知", url=reverse("warning_notices:add"), icon_name="plus")]


class NoticeCreateView(ProvincialOnlyMixin, WagtailAdminTemplateMixin, FormView):
    page_title = MENU_LABEL
    page_subtitle = "下发通知"
    header_icon = "doc-full-inverse"
    template_name = "warning/notices/create.html"
    form_class = NoticeForm

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("warning_notices:index"), "label": MENU_LABEL},
            {"url": "", "label": "下发通知"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("warning_notices:add")
        context["submit_button_label"] = "下发"
        context["submit_button_active_label"] = "正在下发…"
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            notice = issue_notice(
                self.request.user,
                data["title"],
                data["body"],
                data["audience"],
                city=data["city"],
                points=data["points"],
                form_token=data.get("form_token"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if not notice.issued_now:
            flash.warning(self.request, f"“{notice.title}”已经下发过，这次提交没有重复下发")
            return redirect("warning_notices:detail", pk=notice.pk)
        flash.success(self.request, f"已下发“{notice.title}”，共 {notice.recipients.count()} 个预警点")
        return redirect("warning_notices:detail", pk=notice.pk)

    def form_invalid(self, form):
        flash.error(self.request, "通知未下发，请修改以下错误")
        return super().form_invalid(form)


class NoticeDetailView(ProvincialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full-inverse"
    template_name = "warning/notices/detail.html"

    def get_notice(self):
        if not hasattr(self, "_notice"):
            self._notice = get_object_or_404(Notice.objects.select_related("city", "issued_by"), pk=self.kwargs["pk"])
        return self._notice

    def get_page_title(self):
        return self.get_notice().title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("warning_notices:index"), "label": MENU_LABEL},
            {"url": "", "label": self.get_notice().title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.get_notice()
        recipients = list(recipients_of(notice))
        status = self.request.GET.get("status")
        read = [r for r in recipients if r.read_at]
        shown = {"read": read, "unread": [r for r in recipients if not r.read_at]}.get(status, recipients)
        for r in shown:
            r.read_local = local_time(r.read_at)
        context.update(
            notice=notice,
            audience=describe_audience(notice),
            issued=local_time(notice.issued_at),
            recipients=shown,
            recipient_count=len(recipients),
            read_count=len(read),
            unread_count=len(recipients) - len(read),
            status=status if status in ("read", "unread") else "",
        )
        return context


urlpatterns = [
    path("", NoticeIndexView.as_view(), name="index"),
    path("results/", NoticeIndexView.as_view(results_only=True), name="index_results"),
    path("add/", NoticeCreateView.as_view(), name="add"),
    path("<int:pk>/", NoticeDetailView.as_view(), name="detail"),
]


@hooks.register("register_admin_urls")
def register_notice_urls():
    return [path("notices/", include((urlpatterns, "warning_notices"), namespace="warning_notices"))]


class NoticeMenuItem(MenuItem):
    def is_shown(self, request):
        return may_issue_notices(request.user)


@hooks.register("register_admin_menu_item")
def register_notice_menu_item():
    return NoticeMenuItem(
        MENU_LABEL,
        reverse("warning_notices:index"),
        name="warning-notices",
        icon_name="doc-full-inverse",
        order=MENU_ORDER[MENU_LABEL],
    )
