"""原创预警信息审核: the reviewer's queue and the seed's review screen.

Wiring only: who may act, which options combine and what a decision causes
live in warning.review. This module holds

- the decision form, used by our review screen and (one class per task and
  action, through Task.get_form_for_action) by Wagtail's own action modal on
  the dashboard's "awaiting your review" panel;
- the queue (待我审核 / 全部), with a constant number of queries per page;
- the review screen: the report in 特大号 / 大号 / 中号, the actions 通过 /
  退回修改 / 不予通过, the provincial options, the 请选择意见 drop-down that
  fills the comment (static/warning/js/review.js, no network), every round's
  earlier decisions, 上一条 / 下一条 through the list the reviewer came from,
  返回列表;
- the "warning.review" log formatter, so decisions read well in a report's history.

Only city reviewers (their own city's reports) and the provincial contacts
reach these screens; anyone else gets 403, another city's report is a 404.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.log_actions import LogFormatter

from search_zh.admin import SegmentedSearchMixin
from warning import review
from warning.models import ReviewOpinion, ReviewRecord, WarningReport
from warning.models.profiles import scope_of

from . import MENU_ORDER
from .confirm import ConfirmFinalForm
from .refusals import deny_with_403

MENU_LABEL = "原创预警信息审核"
PAGE_SIZE = 20
TAB_PENDING = "pending"
TAB_ALL = "all"
TABS = {TAB_PENDING: "待我审核", TAB_ALL: "全部"}
TEXT_SIZES = [("xl", "特大号"), ("l", "大号"), ("m", "中号")]


# --- the decision form -------------------------------------------------------------


class DecisionForm(ConfirmFinalForm):
    """One decision: action, the provincial options, a preset opinion and the comment.

    `stage` says which rules apply; `fixed_action` is set for Wagtail's modal,
    where the action is already chosen by the button the reviewer clicked.
    The rules are warning.review.clean_decision(): an illegal combination is a
    form error with its Chinese message, so nothing is applied. 不予通过 is
    final, so it also needs 确认 (warning/admin/confirm.py); 通过 stays the
    preselected action, never 不予通过.
    """

    stage = None
    fixed_action = None

    action = forms.ChoiceField(
        label="审核", choices=list(review.ACTION_LABELS.items()), widget=forms.RadioSelect, initial=review.APPROVE
    )
    options = forms.MultipleChoiceField(
        label="选项",
        choices=list(review.OPTION_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="推荐到杂志与发布到预警工作交流可同时选择；重要信息内部交流与二者互斥。仅在“通过”时有效。",
    )
    preset = forms.CharField(
        label="请选择意见", required=False, widget=forms.Select(attrs={"data-review-opinion": "select"})
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=review.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-review-opinion": "comment"}),
        help_text="退回修改和不予通过必须填写审核意见。",
    )

    def __init__(self, *args, stage=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stage is not None:
            self.stage = stage
        opinions = [(o.text, o.text) for o in ReviewOpinion.objects.all()]
        self.fields["preset"].widget.choices = [("", "请选择意见")] + opinions
        if self.fixed_action:
            del self.fields["action"]
        if not (self.stage == review.PROVINCIAL and self.fixed_action in (None, review.APPROVE)):
            del self.fields["options"]
        if self.fixed_action == review.REJECT:
            # Wagtail's modal renders every field: the box itself names the consequence.
            self.fields["confirm_final"].label = f"确认不予通过（{review.REJECT_CONSEQUENCE}）"
        elif self.fixed_action:
            del self.fields["confirm_final"]

    def clean(self):
        data = super().clean()
        action = self.fixed_action or data.get("action")
        if not action:
            return data
        if action == review.REJECT:
            self.ask_confirmation(review.ACTION_LABELS[review.REJECT], review.REJECT_CONSEQUENCE)
        comment = data.get("comment") or data.get("preset") or ""
        try:
            data["comment"], data["options"] = review.clean_decision(
                self.stage, action, comment, data.get("options") or []
            )
        except review.ReviewError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


def decision_form_class(stage, action):
    """The form Wagtail's action modal shows for one task (stage) and one action."""
    return type(
        f"{stage.title()}{action.title()}DecisionForm", (DecisionForm,), {"stage": stage, "fixed_action": action}
    )


# --- access ------------------------------------------------------------------------------


def is_reviewer(user):
    """City reviewers and provincial contacts: the people who reach the review screens."""
    if not (user.is_active and user.has_perm(review.REVIEW_PERMISSION)):
        return False
    scope = scope_of(user)
    return scope.city_id is not None or scope.is_provincial


def require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied


def reviewer_reports(user, tab):
    """The reports of one tab: the user's queue, or every submitted report in their scope."""
    if tab == TAB_PENDING:
        qs = review.queue_for(user)
    else:
        qs = WarningReport.objects.visible_to(user).exclude(stage=WarningReport.Stage.DRAFT)
    return qs.order_by("-submitted_at", "-pk")


def clean_tab(value):
    return value if value in TABS else TAB_PENDING


def detail_url(report, tab):
    return reverse("warning_review:detail", args=[report.pk]) + "?" + urlencode({"tab": tab})


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# --- the queue ------------------------------------------------------------------------


class ActionLinkColumn(Column):
    """审核 for a report the reviewer may act on now, 查看 otherwise."""

    def __init__(self, view, **kwargs):
        super().__init__("operation", label="操作", **kwargs)
        self.view = view

    def get_value(self, instance):
        label = "审核" if instance.pk in self.view.actionable_ids else "查看"
        return format_html('<a href="{}">{}</a>', detail_url(instance, self.view.tab), label)


class ReviewIndexView(SegmentedSearchMixin, BaseListingView):
    page_title = MENU_LABEL
    header_icon = "tasks"
    paginate_by = PAGE_SIZE
    template_name = "warning/review/index.html"
    verbose_name_plural = "预警信息"

    def dispatch(self, request, *args, **kwargs):
        require_reviewer(request.user)
        self.tab = clean_tab(request.GET.get("tab"))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return TABS[self.tab]

    def get_index_url(self):
        # The path only: the pagination bar keeps ?tab= (and anything else) from the request.
        return reverse("warning_review:index")

    def get_base_queryset(self):
        return reviewer_reports(self.request.user, self.tab).select_related("point__district__city", "industry")

    @property
    def actionable_ids(self):
        if not hasattr(self, "_actionable_ids"):
            self._actionable_ids = set(review.queue_for(self.request.user).values_list("pk", flat=True))
        return self._actionable_ids

    @property
    def columns(self):
        return [
            TitleColumn("title", label="预警标题", get_url=lambda r: detail_url(r, self.tab)),
            Column("country", label="国别地区", accessor=lambda r: r.country.name),
            Column("industry", label="所属行业"),
            Column("point", label="上报单位"),
            Column("city", label="所属地市", accessor=lambda r: r.point.district.city.name),
            Column("submitted_at", label="上报时间", accessor=lambda r: local_time(r.submitted_at)),
            StatusTagColumn(
                "stage",
                label="审核状态",
                accessor="get_stage_display",
                primary=lambda r: r.pk in self.actionable_ids,
            ),
            ActionLinkColumn(self),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["tabs"] = [
            {
                "label": label,
                "url": reverse("warning_review:index") + "?" + urlencode({"tab": key}),
                "active": key == self.tab,
            }
            for key, label in TABS.items()
        ]
        context["pending_count"] = len(self.actionable_ids)
        return context


# --- the review screen ------------------------------------------------------------------


class ReviewDetailView(View):
    template_name = "warning/review/detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.tab = clean_tab(request.GET.get("tab") or request.POST.get("tab"))

    def dispatch(self, request, *args, **kwargs):
        require_reviewer(request.user)
        report = (
            WarningReport.objects.visible_to(request.user)
            .exclude(stage=WarningReport.Stage.DRAFT)
            .select_related("point__district__city", "industry")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if report is None:
            raise Http404("预警信息不存在或不在您的审核范围内。")
        self.report = report
        return super().dispatch(request, *args, **kwargs)

    # What the reviewer may do now.
    def waiting_task_state(self):
        stage = review.waiting_stage(self.report)
        if stage and review.may_review(self.request.user, self.report, stage):
            return review.current_task_state(self.report)
        return None

    def neighbours(self):
        """上一条 / 下一条: the reports before and after this one in the list the reviewer came from."""
        ids = list(reviewer_reports(self.request.user, self.tab).values_list("pk", flat=True))
        if self.report.pk not in ids:
            return None, None, ids
        i = ids.index(self.report.pk)
        previous_id = ids[i - 1] if i > 0 else None
        next_id = ids[i + 1] if i + 1 < len(ids) else None
        return previous_id, next_id, ids

    def url_for(self, pk):
        return reverse("warning_review:detail", args=[pk]) + "?" + urlencode({"tab": self.tab}) if pk else ""

    def index_url(self):
        return reverse("warning_review:index") + "?" + urlencode({"tab": self.tab})

    def render(self, form, task_state, status=200):
        previous_id, next_id, _ = self.neighbours()
        report = self.report
        context = {
            "report": report,
            "attachments": list(report.attachments.all()),
            "rounds": review.review_rounds(report),
            "form": form,
            "task_state": task_state,
            "stage_label": review.STAGE_LABELS.get(review.waiting_stage(report), ""),
            "text_sizes": TEXT_SIZES,
            "tab": self.tab,
            "previous_url": self.url_for(previous_id),
            "next_url": self.url_for(next_id),
            "index_url": self.index_url(),
            "history_url": reverse("wagtailsnippets_warning_warningreport:history", args=[report.pk]),
            "page_title": MENU_LABEL,
            "header_title": f"{MENU_LABEL}: {report.title}",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": self.index_url(), "label": MENU_LABEL},
                {"url": "", "label": report.title},
            ],
            "header_icon": "tasks",
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        task_state = self.waiting_task_state()
        form = DecisionForm(stage=task_state.task.specific.review_stage) if task_state else None
        return self.render(form, task_state)

    def post(self, request, *args, **kwargs):
        task_state = self.waiting_task_state()
        form = DecisionForm(request.POST, stage=review.waiting_stage(self.report))
        posted_task_state = request.POST.get("task_state_id") or -1
        fresh = task_state is not None and str(task_state.pk) == str(posted_task_state)
        if fresh and not form.is_valid():
            messages.error(request, "审核未提交：" + "；".join(form.non_field_errors() or ["请检查表单中的错误。"]))
            return self.render(form, task_state)
        # A stale page (someone else decided since) or a user whose turn it is not goes
        # to the domain too: it answers with the precise refusal (stale message or 403).
        data = form.cleaned_data if fresh else {}
        action = data.get("action") or request.POST.get("action", "")
        _, next_id, _ = self.neighbours()
        try:
            review.apply_action(
                self.report,
                request.user,
                action,
                comment=data.get("comment", request.POST.get("comment", "")),
                options=data.get("options", request.POST.getlist("options")),
                task_state_id=posted_task_state,
            )
        except review.StaleReviewError as exc:
            messages.error(request, exc.message)
            return redirect(self.url_for(self.report.pk))
        except review.ReviewError as exc:
            form.add_error(None, exc.message)
            messages.error(request, "审核未提交：" + exc.message)
            return self.render(form, task_state)
        messages.success(request, f"已审核：《{self.report.title}》{review.ACTION_LABELS[action]}。")
        if self.tab == TAB_PENDING:
            # The decided report leaves the queue; carry on with the next one.
            return redirect(self.url_for(next_id) or self.index_url())
        return redirect(self.url_for(self.report.pk))


# --- wiring --------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(review.LOG_ACTION)
    class ReviewLogFormatter(LogFormatter):
        label = "预警信息审核"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            stage = data.get("stage", "")
            message = f"{dict(ReviewRecord.Stage.choices).get(stage, stage)}：{review.action_label(stage, data.get('action', ''))}"
            options = review.options_display(data.get("options") or [])
            if options:
                message += f"（{options}）"
            return message

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("comment", "")


@hooks.register("insert_global_admin_js")
def review_js():
    # Global because Wagtail's action modal (dashboard) shows the same 请选择意见 drop-down.
    return format_html('<script src="{}" defer></script>', static("warning/js/review.js"))


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(request.user)


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewMenuItem(
        MENU_LABEL,
        reverse("warning_review:index"),
        name="warning-review",
        icon_name="tasks",
        order=MENU_ORDER[MENU_LABEL],
    )


def _urls():
    return [
        path("", deny_with_403(ReviewIndexView.as_view()), name="index"),
        path("<int:pk>/", deny_with_403(ReviewDetailView.as_view()), name="detail"),
    ]


@hooks.register("register_admin_urls")
def register_review_urls():
    return [path("review/", include((_urls(), "warning_review"), namespace="warning_review"))]
