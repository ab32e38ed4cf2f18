"""消息中心: every admin user's own messages, the unread badge, and a point's notices.

Wiring only: the rules (whose messages, what reading marks) live in
warning/notify.py and warning/notices.py. Every view filters by the
requesting user, so another user's message or another point's notice is
a 404, never a glimpse.
"""

from django.contrib import messages as flash
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Window
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from search_zh.admin import SegmentedSearchMixin
from warning.models import Message, NoticeRecipient
from warning.models.profiles import scope_of
from warning.notices import notices_of_point, read_notice
from warning.notify import mark_all_read, messages_of, open_message

from . import MENU_ORDER
from .refusals import forbidden

MENU_LABEL = "消息中心"
PAGE_SIZE = 20


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


HOME_UNREAD = 5  # the newest unread messages the admin home lists


def _unread_of(request):
    """(unread count, the newest HOME_UNREAD unread messages), read once per request in one query.

    The menu badge, the home's summary and its panel share it: the count is a window
    over the same rows, taken before the limit.
    """
    if not hasattr(request, "_warning_unread"):
        newest = []
        if request.user.is_authenticated:
            newest = list(
                messages_of(request.user)
                .filter(read_at__isnull=True)
                .annotate(unread_total=Window(Count("pk")))[:HOME_UNREAD]
            )
        request._warning_unread = (newest[0].unread_total if newest else 0, newest)
    return request._warning_unread


def unread_count_for(request):
    """The unread count, computed once per request (menu badge and home page share it)."""
    return _unread_of(request)[0]


def is_point_editor(user):
    return bool(scope_of(user).point_id)


class ReadStateColumn(Column):
    """未读 / 已读 from a boolean is_unread annotation."""

    cell_template_name = "warning/messages/read_state_cell.html"


class CountPaginator(WagtailPaginator):
    """Wagtail's paginator, counting in 条 rather than the model's verbose name."""

    @cached_property
    def items_count_label(self):
        return f"共 {self.count} 条"


class UnreadRowsTable(Table):
    """A listing table whose unread rows are set in bold."""

    def get_row_classname(self, instance):
        return "warning-unread" if getattr(instance, "is_unread", False) else ""


class MessageIndexView(SegmentedSearchMixin, BaseListingView):
    search_fields = ("title", "body")
    page_title = MENU_LABEL
    header_icon = "mail"
    template_name = "warning/messages/index.html"
    index_url_name = "warning_messages:index"
    paginate_by = PAGE_SIZE
    paginator_class = CountPaginator
    table_class = UnreadRowsTable
    verbose_name = "消息"
    verbose_name_plural = "消息"
    columns = [
        TitleColumn("title", label="标题", url_name="warning_messages:open"),
        Column(
            "kind",
            label="类型",
            accessor=lambda m: "商务局预警信息" if m.notice_id else "系统消息",
            width="14%",
        ),
        Column("summary", label="内容", accessor=lambda m: Truncator(m.body).chars(60)),
        Column("created", label="时间", accessor=lambda m: local_time(m.created_at), width="15%"),
        ReadStateColumn("is_unread", label="状态", width="8%"),
    ]

    @property
    def only_unread(self):
        return self.request.GET.get("status") == "unread"

    def get_base_queryset(self):
        queryset = messages_of(self.request.user)
        if self.only_unread:
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @property
    def no_results_message(self):
        return "没有未读消息。" if self.only_unread else "还没有消息。"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = unread_count_for(self.request)
        context["only_unread"] = self.only_unread
        context["show_notices_tab"] = is_point_editor(self.request.user)
        context["active_tab"] = "unread" if self.only_unread else "all"
        return context


def message_open(request, pk):
    """Open a message: mark it read, then follow its link, or show it when it has none."""
    try:
        message = open_message(request.user, pk)
    except Message.DoesNotExist:
        raise Http404("消息不存在") from None
    if message.url and url_has_allowed_host_and_scheme(message.url, allowed_hosts={request.get_host()}):
        return redirect(message.url)
    return message_detail_response(request, message)


def message_detail(request, pk):
    """Show a message in full (and mark it read)."""
    try:
        message = open_message(request.user, pk)
    except Message.DoesNotExist:
        raise Http404("消息不存在") from None
    return message_detail_response(request, message)


def message_detail_response(request, message):
    return TemplateResponse(
        request,
        "warning/messages/detail.html",
        {
            "message": message,
            "page_title": message.title,
            "header_title": message.title,
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": reverse("warning_messages:index"), "label": MENU_LABEL},
                {"url": "", "label": message.title},
            ],
            "created": local_time(message.created_at),
            "follow_url": message.url
            if message.url and url_has_allowed_host_and_scheme(message.url, allowed_hosts={request.get_host()})
            else "",
        },
    )


@require_POST
def message_mark_all_read(request):
    changed = mark_all_read(request.user)
    if changed:
        flash.success(request, f"已将 {changed} 条消息标为已读")
    else:
        flash.info(request, "没有未读消息")
    return redirect("warning_messages:index")


class PointNoticeIndexView(SegmentedSearchMixin, BaseListingView):
    search_fields = ("notice__title", "notice__body")
    """商务局通知 received by the user's own point, with the point's read state."""

    page_title = MENU_LABEL
    page_subtitle = "商务局预警信息"
    header_icon = "mail"
    template_name = "warning/messages/index.html"
    index_url_name = "warning_messages:notices"
    paginate_by = PAGE_SIZE
    paginator_class = CountPaginator
    table_class = UnreadRowsTable
    verbose_name = "通知"
    verbose_name_plural = "通知"
    no_results_message = "本预警点还没有收到商务局预警信息。"
    columns = [
        TitleColumn(
            "title",
            label="标题",
            accessor="notice.title",
            get_url=lambda r: reverse("warning_messages:notice", args=[r.notice_id]),
        ),
        Column("issued", label="下发时间", accessor=lambda r: local_time(r.notice.issued_at), width="15%"),
        Column("read", label="阅读时间", accessor=lambda r: local_time(r.read_at), width="15%"),
        ReadStateColumn("is_unread", label="状态", width="8%"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not is_point_editor(request.user):
            return forbidden(request, "只有预警点用户可以查看本预警点收到的商务局预警信息。")
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return notices_of_point(scope_of(self.request.user).point_id).annotate(
            is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = unread_count_for(self.request)
        context["show_notices_tab"] = True
        context["active_tab"] = "notices"
        return context


def point_notice(request, notice_pk):
    """A point editor reads a notice addressed to their point; marks it read for the point and the user."""
    try:
        recipient = read_notice(request.user, notice_pk)
    except NoticeRecipient.DoesNotExist:
        raise Http404("通知不存在") from None
    notice = recipient.notice
    return TemplateResponse(
        request,
        "warning/messages/notice.html",
        {
            "notice": notice,
            "recipient": recipient,
            "page_title": notice.title,
            "header_title": notice.title,
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": reverse("warning_messages:notices"), "label": "商务局预警信息"},
                {"url": "", "label": notice.title},
            ],
            "issued": local_time(notice.issued_at),
        },
    )


urlpatterns = [
    path("", MessageIndexView.as_view(), name="index"),
    path("mark-all-read/", message_mark_all_read, name="mark_all_read"),
    path("<int:pk>/", message_detail, name="detail"),
    path("<int:pk>/open/", message_open, name="open"),
    path("notices/", PointNoticeIndexView.as_view(), name="notices"),
    path("notices/<int:notice_pk>/", point_notice, name="notice"),
]


@hooks.register("register_admin_urls")
def register_message_urls():
    return [path("messages/", include((urlpatterns, "warning_messages"), namespace="warning_messages"))]


class MessageCentreMenuItem(MenuItem):
    """Shown to every admin user; carries the unread count as a badge."""

    def is_shown(self, request):
        return request.user.is_authenticated

    def render_component(self, request):
        count = unread_count_for(request)
        attrs = dict(self.attrs)
        if count:
            attrs["data-unread-count"] = str(count) if count < 100 else "99+"
            attrs["aria-label"] = f"{self.label}（{count} 条未读）"
        return LinkMenuItemComponent(
            self.name, self.label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=attrs
        )


@hooks.register("register_admin_menu_item")
def register_message_menu_item():
    return MessageCentreMenuItem(
        MENU_LABEL,
        reverse("warning_messages:index"),
        name="warning-messages",
        icon_name="mail",
        order=MENU_ORDER[MENU_LABEL],
    )


@hooks.register("insert_global_admin_css")
def unread_badge_css():
    # The sidebar is rendered by Wagtail's React code from plain labels, so the
    # badge is drawn from the link's data-unread-count attribute in CSS.
    return format_html(
        "<style>{}</style>",
        ".sidebar-menu-item__link[data-unread-count]{position:relative}"
        ".sidebar-menu-item__link[data-unread-count]::after{content:attr(data-unread-count);position:absolute;"
        "top:50%;right:1rem;transform:translateY(-50%);min-width:1.4em;padding:0 .4em;border-radius:1em;"
        "background:#cd4444;color:#fff;font-size:.75rem;line-height:1.4em;text-align:center}"
        ".sidebar--slim .sidebar-menu-item__link[data-unread-count]::after{top:.3rem;right:.3rem;transform:none}"
        "table.listing tr.warning-unread td.title a{font-weight:700}"
        ".warning-unread-badge{display:inline-block;min-width:1.4em;padding:0 .4em;border-radius:1em;"
        "background:#cd4444;color:#fff;font-size:.8em;line-height:1.4em;text-align:center}",
    )


class UnreadMessagesSummaryItem(SummaryItem):
    order = 50
    template_name = "warning/messages/home_summary_item.html"

    def get_context_data(self, parent_context):
        return {"unread_count": unread_count_for(self.request)}


@hooks.register("construct_homepage_summary_items")
def add_unread_summary_item(request, items):
    items.append(UnreadMessagesSummaryItem(request))


class UnreadMessagesPanel(Component):
    """The five newest unread messages on the admin home page."""

    name = "warning_unread_messages"
    order = 50
    template_name = "warning/messages/home_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        unread = list(_unread_of(request)[1])
        for message in unread:
            message.created_local = local_time(message.created_at)
        return {"unread": unread, "unread_count": unread_count_for(request)}


@hooks.register("construct_homepage_panels")
def add_unread_panel(request, panels):
    panels.append(UnreadMessagesPanel())


@hooks.register("before_delete_user")
def keep_users_with_records(request, user):
    """A user with messages or review records cannot be deleted (docs/security.md): deactivate instead."""
    from warning.signals import user_holds_records

    if user_holds_records(user):
        flash.error(
            request,
            f"用户“{user.get_username()}”名下有消息、审核记录或下发的通知，不能删除；如不再使用，请在编辑页取消“激活”。",
        )
        return redirect("wagtailusers_users:edit", user.pk)
    return None
