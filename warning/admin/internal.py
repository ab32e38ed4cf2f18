"""内部交流: reports the provincial contact approved with 重要信息内部交流.

The seed's list (预警标题, 国别地区, 所属行业, 上报单位, 上报时间, 处理状态,
操作): an item 未处理 offers 审核 (○ 不采纳 ○ 采纳, neither preselected; 不采纳 asks 确认), a decided one 查看; an
adopted item can then be marked 获得厅领导批示. Wiring only: the decisions
are warning.review.decide_internal() and mark_leader_instruction(). Only the
预警工作联系人 reach these screens (403 for everyone else).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from warning import review
from warning.models import WarningReport
from warning.models.profiles import scope_of

from . import MENU_ORDER
from .confirm import ConfirmFinalForm
from .refusals import deny_with_403
from .review import local_time

MENU_LABEL = "内部交流"
PAGE_SIZE = 20
Decision = WarningReport.Decision
FILTERS = {
    "": "全部",
    Decision.PENDING: "未处理",
    Decision.ADOPTED: "采纳",
    Decision.DECLINED: "不采纳",
}


def may_handle(user):
    return user.is_active and scope_of(user).is_provincial and user.has_perm(review.REVIEW_PERMISSION)


def require_provincial(user):
    if not may_handle(user):
        raise PermissionDenied


def internal_reports():
    """Every report sent to 内部交流 (approved with that option), newest first."""
    return (
        WarningReport.objects.filter(to_internal=True, stage=WarningReport.Stage.APPROVED)
        .exclude(internal_status="")
        .order_by("-submitted_at", "-pk")
    )


def status_display(report):
    return review.internal_status_label(report)


class InternalDecisionForm(ConfirmFinalForm):
    """采纳 or 不采纳, neither preselected; 不采纳 is final and needs 确认."""

    decision = forms.TypedChoiceField(
        label="审核",
        choices=[("0", "不采纳"), ("1", "采纳")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择采纳或不采纳。", "invalid_choice": "请选择采纳或不采纳。"},
    )
    comment = forms.CharField(
        label="意见", required=False, max_length=review.COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") is False:
            self.ask_confirmation("不采纳", review.INTERNAL_DECLINE_CONSEQUENCE)
        return data


class InternalIndexView(BaseListingView):
    page_title = MENU_LABEL
    header_icon = "group"
    paginate_by = PAGE_SIZE
    template_name = "warning/review/internal_index.html"
    verbose_name_plural = "内部交流信息"

    def dispatch(self, request, *args, **kwargs):
        require_provincial(request.user)
        status = request.GET.get("status", "")
        self.status = status if status in FILTERS else ""
        return super().dispatch(request, *args, **kwargs)

    def get_index_url(self):
        # The path only: the pagination bar keeps ?status= (and anything else) from the request.
        return reverse("warning_internal:index")

    def get_base_queryset(self):
        qs = internal_reports().select_related("point", "industry")
        return qs.filter(internal_status=self.status) if self.status else qs

    @property
    def columns(self):
        def detail(report):
            return reverse("warning_internal:detail", args=[report.pk])

        return [
            TitleColumn("title", label="预警标题", get_url=detail),
            Column("country", label="国别地区", accessor=lambda r: r.country.name),
            Column("industry", label="所属行业"),
            Column("point", label="上报单位"),
            Column("submitted_at", label="上报时间", accessor=lambda r: local_time(r.submitted_at)),
            StatusTagColumn(
                "internal_status",
                label="处理状态",
                accessor=status_display,
                primary=lambda r: r.internal_status == Decision.PENDING,
            ),
            Column(
                "operation",
                label="操作",
                accessor=lambda r: format_html(
                    '<a href="{}">{}</a>', detail(r), "审核" if r.internal_status == Decision.PENDING else "查看"
                ),
            ),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filters"] = [
            {
                "label": label,
                "url": reverse("warning_internal:index") + ("?" + urlencode({"status": key}) if key else ""),
                "active": key == self.status,
            }
            for key, label in FILTERS.items()
        ]
        return context


class InternalDetailView(View):
    template_name = "warning/review/internal_detail.html"

    def dispatch(self, request, *args, **kwargs):
        require_provincial(request.user)
        self.report = (
            internal_reports().select_related("point__district__city", "industry").filter(pk=kwargs["pk"]).first()
        )
        if self.report is None:
            raise Http404("该预警信息不在内部交流列表中。")
        return super().dispatch(request, *args, **kwargs)

    def url(self):
        return reverse("warning_internal:detail", args=[self.report.pk])

    def render(self, form):
        report = self.report
        index_url = reverse("warning_internal:index")
        context = {
            "report": report,
            "attachments": list(report.attachments.all()),
            "rounds": review.review_rounds(report),
            "form": form if report.internal_status == Decision.PENDING else None,
            "can_mark_leader": report.internal_status == Decision.ADOPTED and not report.leader_instruction,
            "status": status_display(report),
            "index_url": index_url,
            "page_title": MENU_LABEL,
            "header_title": f"{MENU_LABEL}: {report.title}",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": index_url, "label": MENU_LABEL},
                {"url": "", "label": report.title},
            ],
            "header_icon": "group",
        }
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        return self.render(InternalDecisionForm())

    def post(self, request, *args, **kwargs):
        try:
            if request.POST.get("leader") == "1":
                review.mark_leader_instruction(self.report, request.user, request.POST.get("comment", ""))
                messages.success(request, f"已标记《{self.report.title}》获得厅领导批示。")
                return redirect(self.url())
            form = InternalDecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
                return self.render(form)
            adopt = form.cleaned_data["decision"]
            review.decide_internal(self.report, request.user, adopt, form.cleaned_data["comment"])
        except review.ReviewError as exc:
            messages.error(request, exc.message)
            return redirect(self.url())
        messages.success(request, f"《{self.report.title}》已{'采纳' if adopt else '不采纳'}。")
        return redirect(self.url())


class InternalMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle(request.user)


@hooks.register("register_admin_menu_item")
def register_internal_menu_item():
    return InternalMenuItem(
        MENU_LABEL,
        reverse("warning_internal:index"),
        name="warning-internal",
        icon_name="group",
        order=MENU_ORDER[MENU_LABEL],
    )


@hooks.register("register_admin_urls")
def register_internal_urls():
    urls = [
        path("", deny_with_403(InternalIndexView.as_view()), name="index"),
        path("<int:pk>/", deny_with_403(InternalDetailView.as_view()), name="detail"),
    ]
    return [path("internal-exchange/", include((urls, "warning_internal"), namespace="warning_internal"))]
