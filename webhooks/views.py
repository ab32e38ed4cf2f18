"""The admin screens 事件推送: a point's (or the province's) endpoints and their delivery logs.

Wiring only: who manages which endpoint and every change are in
webhooks/endpoints.py, retrying in webhooks/delivery.py. Every view refuses
(403) a role without the screens and answers 404 for an endpoint or a
delivery outside the user's own (endpoints_of / deliveries_of).
"""

from functools import wraps

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from warning.admin.messages import CountPaginator
from warning.admin.refusals import forbidden
from warning.models import WarningPoint
from warning.models.profiles import scope_of

from . import delivery as sending
from .endpoints import (
    create_endpoint,
    deliveries_of,
    endpoints_of,
    may_manage,
    rotate_secret,
    set_active,
    update_endpoint,
)
from .events import EVENT_CHOICES, event_label, send_ping
from .models import WebhookDelivery

MENU_LABEL = "事件推送"
ICON = "link-external"
REFUSAL = "只有预警点用户和预警工作联系人可以管理事件推送。"
NEW_SECRET_KEY = "webhooks_new_secret"


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


def _endpoint(request, pk):
    endpoint = endpoints_of(request.user).filter(pk=pk).select_related("point").first()
    if endpoint is None:
        raise Http404("没有这个推送地址")
    return endpoint


def _delivery(request, pk):
    delivery = deliveries_of(request.user).select_related("endpoint", "point").filter(pk=pk).first()
    if delivery is None:
        raise Http404("没有这条投递记录")
    return delivery


class ManagersOnlyMixin:
    """Refuse anyone who may not manage webhooks, then load what the URL names (`load`)."""

    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user):
            return forbidden(request, REFUSAL)
        self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs):
        """Read the object the URL names (a 404 outside the user's own); nothing by default."""


def managers_only(load):
    """For a POST action on the object `load(request, pk)` returns: the same refusal, then the action."""

    def decorate(action):
        @wraps(action)
        @require_POST
        def view(request, pk):
            if not may_manage(request.user):
                return forbidden(request, REFUSAL)
            return action(request, load(request, pk))

        return view

    return decorate


def whose(user):
    """'全省' or the point's name: whose endpoints the screen shows."""
    scope = scope_of(user)
    if scope.is_provincial:
        return "全省"
    return WarningPoint.objects.filter(pk=scope.point_id).values_list("name", flat=True).first() or ""


class EndpointForm(forms.Form):
    name = forms.CharField(
        label="名称",
        max_length=100,
        help_text="便于识别，例如“协会办公系统”",
        error_messages={"required": "请填写名称", "max_length": "名称不能超过 100 个字"},
    )
    url = forms.CharField(
        label="接收地址",
        max_length=500,
        help_text="以 http:// 或 https:// 开头，建议使用 https；平台向此地址发送事件",
        error_messages={"required": "请填写接收地址", "max_length": "接收地址不能超过 500 个字符"},
    )
    events = forms.MultipleChoiceField(
        label="订阅的事件",
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个事件", "invalid_choice": "所选事件无效"},
    )


class EndpointIndexView(ManagersOnlyMixin, BaseListingView):
    page_title = MENU_LABEL
    header_icon = ICON
    template_name = "webhooks/endpoint_index.html"
    index_url_name = "webhooks:index"
    paginate_by = 20
    paginator_class = CountPaginator
    verbose_name = "推送地址"
    verbose_name_plural = "推送地址"
    no_results_message = "还没有推送地址。点“新增推送地址”登记贵单位系统接收事件的地址。"
    columns = [
        TitleColumn("name", label="名称", url_name="webhooks:detail"),
        Column("url", label="接收地址"),
        Column("events", label="订阅的事件", accessor=lambda e: "、".join(event_label(t) for t in e.events)),
        Column("status", label="状态", accessor=lambda e: "启用" if e.is_active else "已停用", width="8%"),
        Column("created", label="创建时间", accessor=lambda e: local_time(e.created_at), width="14%"),
    ]

    def get_base_queryset(self):
        return endpoints_of(self.request.user)

    def get_header_buttons(self):
        return [HeaderButton("新增推送地址", url=reverse("webhooks:add"), icon_name="plus")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["whose"] = whose(self.request.user)
        return context


class EndpointFormView(ManagersOnlyMixin, WagtailAdminTemplateMixin, FormView):
    page_title = MENU_LABEL
    header_icon = ICON
    template_name = "webhooks/endpoint_form.html"
    form_class = EndpointForm
    endpoint = None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("webhooks:index"), "label": MENU_LABEL},
            {"url": "", "label": self.page_subtitle},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.request.path
        context["submit_button_label"] = "保存"
        context["whose"] = whose(self.request.user)
        return context

    def form_invalid(self, form):
        flash.error(self.request, "推送地址未保存，请修改以下错误")
        return super().form_invalid(form)


class EndpointCreateView(EndpointFormView):
    page_subtitle = "新增推送地址"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            endpoint = create_endpoint(self.request.user, data["name"], data["url"], data["events"])
        except ValidationError as exc:
            form.add_error("url", exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            return forbidden(self.request, str(exc))
        self.request.session[NEW_SECRET_KEY] = {"pk": endpoint.pk, "secret": endpoint.secret}
        flash.success(self.request, f"已新增推送地址“{endpoint.name}”。请立即复制签名密钥，它只显示这一次。")
        return redirect("webhooks:detail", pk=endpoint.pk)


class EndpointEditView(EndpointFormView):
    page_subtitle = "修改推送地址"

    def load(self, request, pk):
        self.endpoint = _endpoint(request, pk)

    def get_initial(self):
        e = self.endpoint
        return {"name": e.name, "url": e.url, "events": e.events}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            update_endpoint(self.endpoint, data["name"], data["url"], data["events"])
        except ValidationError as exc:
            form.add_error("url", exc)
            return self.form_invalid(form)
        flash.success(self.request, f"已保存推送地址“{self.endpoint.name}”。")
        return redirect("webhooks:detail", pk=self.endpoint.pk)


def delivery_state(d):
    text = d.get_status_display()
    if d.status == WebhookDelivery.Status.PENDING and d.next_attempt_at:
        text += f"（{local_time(d.next_attempt_at)} 重试）"
    return text


class RetryColumn(Column):
    cell_template_name = "webhooks/includes/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["retry_url"] = reverse("webhooks:retry", args=[instance.pk]) if sending.can_retry(instance) else ""
        request = parent_context.get("request")
        context["csrf_token"] = get_token(request) if request is not None else ""
        return context


DELIVERY_COLUMNS = [
    TitleColumn("event", label="事件", accessor=lambda d: event_label(d.event_type), url_name="webhooks:delivery"),
    Column("created", label="发生时间", accessor=lambda d: local_time(d.created_at), width="13%"),
    Column("status", label="状态", accessor=delivery_state, width="14%"),
    Column("attempts", label="尝试次数", width="7%"),
    Column("code", label="状态码", accessor="last_status_code", width="7%"),
    Column("error", label="最近一次错误", accessor=lambda d: d.last_error[:120]),
    RetryColumn("retry", label="操作", accessor="pk", width="8%"),
]


class EndpointDetailView(ManagersOnlyMixin, BaseListingView):
    """One endpoint: its settings, its secret once after creation or rotation, and its delivery log."""

    header_icon = ICON
    template_name = "webhooks/endpoint_detail.html"
    paginate_by = 20
    paginator_class = CountPaginator
    verbose_name = "投递记录"
    verbose_name_plural = "投递记录"
    no_results_message = "还没有投递记录。订阅的事件发生后，这里会列出每一次投递。"
    columns = DELIVERY_COLUMNS

    def load(self, request, pk):
        self.endpoint = _endpoint(request, pk)

    def get_index_url(self):
        return reverse("webhooks:detail", args=[self.endpoint.pk])

    def get_page_title(self):
        return self.endpoint.name

    def get_breadcrumbs_items(self):
        return [
            _home(),
            {"url": reverse("webhooks:index"), "label": MENU_LABEL},
            {"url": "", "label": self.endpoint.name},
        ]

    def get_header_buttons(self):
        return [HeaderButton("修改", url=reverse("webhooks:edit", args=[self.endpoint.pk]), icon_name="edit")]

    def get_base_queryset(self):
        return self.endpoint.deliveries.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.request.session.get(NEW_SECRET_KEY)
        if shown and shown.get("pk") == self.endpoint.pk:
            context["new_secret"] = shown["secret"]
            del self.request.session[NEW_SECRET_KEY]
        e = self.endpoint
        context.update(
            endpoint=e,
            event_labels=[event_label(t) for t in e.events],
            created=local_time(e.created_at),
            rotated=local_time(e.secret_rotated_at),
            whose=whose(self.request.user),
        )
        return context


class DeliveryDetailView(ManagersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = ICON
    template_name = "webhooks/delivery_detail.html"

    def load(self, request, pk):
        self.delivery = _delivery(request, pk)

    def get_page_title(self):
        return f"投递记录：{event_label(self.delivery.event_type)}"

    def get_breadcrumbs_items(self):
        endpoint = self.delivery.endpoint
        return [
            _home(),
            {"url": reverse("webhooks:index"), "label": MENU_LABEL},
            {"url": reverse("webhooks:detail", args=[endpoint.pk]), "label": endpoint.name},
            {"url": "", "label": event_label(self.delivery.event_type)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        d = self.delivery
        context.update(
            delivery=d,
            event=event_label(d.event_type),
            state=delivery_state(d),
            created=local_time(d.created_at),
            last_attempt=local_time(d.last_attempt_at),
            delivered=local_time(d.delivered_at),
            may_retry=sending.can_retry(d),
        )
        return context


@managers_only(_endpoint)
def set_status(request, endpoint):
    """停用 / 启用 an endpoint (POST active=1 or 0)."""
    active = request.POST.get("active") == "1"
    set_active(endpoint, active)
    flash.success(request, f"已{'启用' if active else '停用'}推送地址“{endpoint.name}”。")
    return redirect("webhooks:detail", pk=endpoint.pk)


@managers_only(_endpoint)
def rotate(request, endpoint):
    """轮换密钥: a new secret, shown once on the endpoint's page."""
    secret = rotate_secret(endpoint)
    request.session[NEW_SECRET_KEY] = {"pk": endpoint.pk, "secret": secret}
    flash.success(request, "已更换签名密钥，旧密钥立即失效。请立即复制新密钥，它只显示这一次。")
    return redirect("webhooks:detail", pk=endpoint.pk)


@managers_only(_endpoint)
def ping(request, endpoint):
    """发送测试事件 to an endpoint: the worker sends it like any event; the result shows in the log."""
    send_ping(endpoint)
    flash.success(request, "已发送测试事件，投递结果见下方投递记录。")
    return redirect("webhooks:detail", pk=endpoint.pk)


@managers_only(_delivery)
def retry(request, delivery):
    """重试 a failed (or waiting) delivery: a new round of attempts by the worker."""
    if sending.retry(delivery):
        flash.success(request, f"已安排重新投递“{event_label(delivery.event_type)}”。")
    else:
        flash.warning(request, "这条投递已送达或正在投递，无需重试。")
    return redirect("webhooks:detail", pk=delivery.endpoint_id)
