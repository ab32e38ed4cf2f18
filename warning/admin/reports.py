"""我的预警信息: point editors write and submit 预警信息 (a SnippetViewSet over WarningReport).

Wiring only; the rules are warning.review's. What this module adds to
Wagtail's snippet views:

- a permission policy narrowing the model permissions by role scope and
  review state: a point adds reports for its own point only and edits one
  only while it is a draft or returned (退回修改); nobody deletes, publishes,
  unpublishes or locks a report by hand — a submitted report is never
  hard-deleted, and going live is the provincial 通过's doing;
- every URL that names a report is scoped: another point's (or another
  city's) report is a 404 whatever the view;
- 提交 goes through warning.review.submit(), which refuses a rejected
  (不予通过) report or one under review; Wagtail's "cancel / restart workflow"
  and direct publish actions are removed;
- the list shows each report's stage, its outcome and every round's
  reviewers' comments (one query for the comments, however many reports);
- the inspect page shows the report and its 审核记录, and attachments are
  downloaded through a view that checks the same scope.
"""

import functools

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, StatusTagColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.action_menu import SubmitForModerationMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from search_zh.admin import SegmentedSearchMixin
from warning import review
from warning.downloads import file_download
from warning.idempotency import TokenTaken, create_once, form_token_field, new_token
from warning.models import ReportAttachment, WarningReport
from warning.models.profiles import scope_of

from .refusals import deny_with_403

MENU_LABEL = "我的预警信息"
MENU_ORDER_VALUE = 9050  # just above the seed's menu (MENU_ORDER starts at 9100): the point's own work first
EDITABLE_STAGES = (WarningReport.Stage.DRAFT, WarningReport.Stage.RETURNED)
# Actions of Wagtail's editor that would bypass the review: publishing directly,
# cancelling / restarting the workflow, acting on a task from the editor.
BLOCKED_EDITOR_ACTIONS = {"publish", "cancel-workflow", "restart-workflow", "workflow-action"}
INSPECT_LABEL = "查看"
BLOCKED_MENU_ITEMS = {"action-publish", "action-unpublish", "action-cancel-workflow", "action-restart-workflow"}


# --- permissions -------------------------------------------------------------------------


class ReportPermissionPolicy(ModelPermissionPolicy):
    """Model permissions of the role groups, narrowed by scope (whose report) and stage (editable or not)."""

    NEVER = {"delete", "publish", "unpublish", "lock", "unlock"}

    def user_has_permission(self, user, action):
        if action in self.NEVER:
            return False
        if action == "add":
            return super().user_has_permission(user, action) and scope_of(user).point_id is not None
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "change":
            return scope_of(user).point_id == instance.point_id and instance.stage in EDITABLE_STAGES
        return review.report_visible(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return WarningReport.objects.none()
        if set(actions) <= {"change"}:
            return WarningReport.objects.filter(point_id=scope_of(user).point_id, stage__in=EDITABLE_STAGES)
        return review.visible_reports(user)


# Registered before the viewset so Wagtail never creates its fallback policy for reports.
if policy_registry.get_by_type(WarningReport, fallback=False) is None:
    register_permission_policy(WarningReport, ReportPermissionPolicy(WarningReport))


def scoped(view, pk_kwarg="pk"):
    """Wrap a snippet view: a report outside the user's scope is a 404, whichever view was asked."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = kwargs.get(pk_kwarg)
        if pk is not None:
            report = WarningReport.objects.filter(pk=unquote(str(pk))).only("pk", "point_id", "stage").first()
            if report is None or not review.report_visible(request.user, report):
                raise Http404("预警信息不存在或无权查看。")
        return view(request, *args, **kwargs)

    return deny_with_403(wrapper)


# --- how a report reads in lists -------------------------------------------------------------


WAITING_TEXT = {
    WarningReport.Stage.DRAFT: "未提交",
    WarningReport.Stage.CITY: "等待地市审核",
    WarningReport.Stage.PROVINCIAL: "等待省级审核",
    WarningReport.Stage.RETURNED: "请修改后重新提交",
    WarningReport.Stage.REJECTED: "不予通过，不计入统计",
}


def outcome_text(report):
    """状态: where the report stands, and after approval what became of each option."""
    if report.stage != WarningReport.Stage.APPROVED:
        return WAITING_TEXT.get(report.stage, "")
    parts = ["已通过"]
    if report.to_exchange:
        parts.append("已发布到预警工作交流")
    if report.to_magazine:
        parts.append(f"推荐到杂志：{report.get_magazine_status_display()}")
    if report.to_internal:
        parts.append(f"内部交流：{review.internal_status_label(report)}")
    return "；".join(parts)


def stage_column():
    """审核状态 as a tag, highlighted when the report was sent back for changes."""
    return StatusTagColumn(
        "stage",
        label="审核状态",
        accessor="get_stage_display",
        primary=lambda r: r.stage == WarningReport.Stage.RETURNED,
    )


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class ReviewCommentsColumn(Column):
    """审核意见: every round's decisions with their comments (prefetched with the list)."""

    cell_template_name = "warning/reports/review_comments_cell.html"

    def get_value(self, instance):
        return ""  # the cell renders the records themselves

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        records = sorted(instance.reviews.all(), key=lambda r: (r.created_at, r.pk))
        for record in records:
            record.action_label = review.action_label(record.stage, record.action)
            record.options_label = review.options_display(record.options or [])
        context["records"] = records
        return context


# --- views ------------------------------------------------------------------------------------


class EditorActionsMixin:
    def get_available_actions(self):
        return [action for action in super().get_available_actions() if action not in BLOCKED_EDITOR_ACTIONS]

    def submit_action(self):
        """提交: through warning.review.submit(), which knows what may be (re)submitted."""
        try:
            review.submit(self.object, self.request.user)
        except review.ReviewError as exc:
            messages.error(self.request, f"已保存草稿，但未能提交：{exc.message}")
            return redirect(reverse(self.edit_url_name, args=[quote(self.object.pk)]))
        return None


def relabel_inspect(buttons):
    """Wagtail's “检查” (Inspect) reads 查看 on a report: the point reads it, it checks nothing."""
    for button in buttons:
        if "/inspect/" in (getattr(button, "url", "") or ""):
            button.label = INSPECT_LABEL
    return buttons


class ReportIndexView(SegmentedSearchMixin, snippet_views.IndexView):
    page_title = MENU_LABEL

    def get_list_more_buttons(self, instance):
        return relabel_inspect(super().get_list_more_buttons(instance))

    def get_edit_url(self, instance):
        if self.permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            return super().get_edit_url(instance)
        return None


class ReportForm(WagtailAdminModelForm):
    """The report form, with the hidden token that makes a double 提交 create one report."""

    form_token = form_token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self.initial["form_token"] = new_token()


class ReportCreateView(EditorActionsMixin, snippet_views.CreateView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Wagtail 8 autosaves a new object shortly after the first keystroke; a 提交
        # clicked in that moment went to the create URL of a report that already
        # existed and failed with 正文 required. A new report is saved when its
        # author saves or submits it; the edit view keeps autosave.
        self.autosave_enabled = False

    def form_valid(self, form):
        """Save (and submit) once per rendered form: a repeated or simultaneous post finds the first report."""
        token = form.cleaned_data.get("form_token")
        form.instance.form_token = token
        response = None

        def create():
            nonlocal response
            response = super(ReportCreateView, self).form_valid(form)
            return self.object

        own_reports = WarningReport.objects.filter(point_id=scope_of(self.request.user).point_id)
        try:
            report, created = create_once(own_reports, token, create)
        except TokenTaken as exc:
            form.add_error(None, exc.message)
            self.produced_error_message = exc.message
            return self.form_invalid(form)
        if created:
            return response
        messages.warning(self.request, f"《{report.title}》刚才已经保存，这次提交没有重复创建。")
        return redirect(ReportURLFinder(self.request.user).get_edit_url(report) or reverse(self.index_url_name))

    def get_initial_form_instance(self):
        user = self.request.user
        profile = getattr(user, "warning_profile", None)
        return WarningReport(
            point_id=scope_of(user).point_id,
            created_by=user,
            author=user.get_full_name(),
            phone=profile.phone if profile else "",
        )


class ReportEditView(EditorActionsMixin, snippet_views.EditView):
    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission_for_instance(request.user, "change", self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def header_more_buttons(self):
        return relabel_inspect(super().header_more_buttons)


class ReportInspectView(snippet_views.InspectView):
    page_title = INSPECT_LABEL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            report=report,
            attachments=list(report.attachments.all()),
            rounds=review.review_rounds(report),
            outcome=outcome_text(report),
            edit_url=(
                reverse(self.edit_url_name, args=[quote(report.pk)])
                if policy_registry.get(report).user_has_permission_for_instance(self.request.user, "change", report)
                else ""
            ),
            history_url=reverse("wagtailsnippets_warning_warningreport:history", args=[quote(report.pk)]),
        )
        return context


class ReportHistoryView(snippet_views.HistoryView):
    # Reviewers hold only "view" on reports; they too read a report's history.
    any_permission_required = ["add", "change", "view"]


class ReportRevisionsCompareView(snippet_views.RevisionsCompareView):
    # Whoever may read a report (its reviewers too) may compare its revisions; `scoped` decides which reports.
    permission_required = "view"


class ReportUsageView(snippet_views.UsageView):
    permission_required = "view"


class ReportWorkflowHistoryView(snippet_views.WorkflowHistoryView):
    permission_required = "view"


class ReportWorkflowHistoryDetailView(snippet_views.WorkflowHistoryDetailView):
    permission_required = "view"


class ReportWorkflowActionView(snippet_views.WorkflowActionView):
    """Wagtail's action modal (dashboard): a stale or refused decision becomes a message, not an error page."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except review.ReviewError as exc:
            messages.error(request, exc.message)
            url = review.queue_url()
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(request, {"step": "success", "redirect": url})
            return redirect(url)


class ReportLockView(snippet_views.LockView):
    """Nobody locks a report by hand, the superuser included: the review stage decides who may edit."""

    def user_has_permission(self, permission):
        return False


class ReportUnlockView(snippet_views.UnlockView):
    def user_has_permission(self, permission):
        return False


# --- the report chooser: only the reports the user may open -----------------------------------


class ReportChooserFilterForm(SearchFilterMixin, BaseFilterForm):
    """搜索 by title in the database: the search backend filters only on indexed fields,
    and the scope filters on stage, point and city."""

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            return objects.filter(title__icontains=query)
        return objects


class VisibleReportsMixin:
    filter_form_class = ReportChooserFilterForm

    def can_create(self):
        return False  # a report is written in its own editor (warning.access refuses the chooser's create URL)

    def get_object_list(self):
        return review.visible_reports(self.request.user).order_by("-submitted_at", "-pk")

    @property
    def columns(self):
        """The title, then 审核状态 as the report list shows it, in place of Wagtail's 草稿/已发布
        tag: a report's standing is its review stage, and that tag read two rows per report
        (its scheduled revision and its workflow)."""
        return [column for column in super().columns if not isinstance(column, LiveStatusTagColumn)] + [stage_column()]


class ReportChooseView(VisibleReportsMixin, chooser_views.ChooseView):
    pass


class ReportChooseResultsView(VisibleReportsMixin, chooser_views.ChooseResultsView):
    pass


class ReportChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return review.visible_reports(self.request.user).get(pk=pk)


class ReportChosenMultipleView(chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return review.visible_reports(self.request.user).filter(pk__in=pks)


class ReportChooserViewSet(chooser_views.SnippetChooserViewSet):
    choose_view_class = ReportChooseView
    choose_results_view_class = ReportChooseResultsView
    chosen_view_class = ReportChosenView
    chosen_multiple_view_class = ReportChosenMultipleView


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return scope_of(request.user).point_id is not None and request.user.has_perm("warning.add_warningreport")


class ReportURLFinder(ModelAdminURLFinder):
    """Where a report's title links to: the editor for its point while editable, else the review screen or inspect."""

    edit_url_name = "wagtailsnippets_warning_warningreport:edit"

    def get_edit_url(self, instance):
        if self.user is None:
            return self.construct_edit_url(instance)
        policy = policy_registry.get(instance)
        if policy.user_has_permission_for_instance(self.user, "change", instance):
            return self.construct_edit_url(instance)
        if review.may_review_any_stage(self.user, instance) and review.report_visible(self.user, instance):
            return review.review_url(instance)
        if policy.user_has_permission_for_instance(self.user, "view", instance):
            return reverse("wagtailsnippets_warning_warningreport:inspect", args=[quote(instance.pk)])
        return None


class ReportViewSet(SnippetViewSet):
    model = WarningReport
    icon = "warning"
    menu_label = MENU_LABEL
    menu_name = "my-reports"
    menu_order = MENU_ORDER_VALUE
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 20
    ordering = ["-submitted_at", "-pk"]
    search_fields = ["title"]
    list_display = [
        "title",
        stage_column(),
        Column("outcome", label="状态", accessor=outcome_text),
        Column("submitted_at", label="提交时间", accessor=lambda r: local_time(r.submitted_at)),
        ReviewCommentsColumn("reviews", label="审核意见"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("industry"),
            FieldPanel("country"),
            FieldPanel("author"),
            FieldPanel("phone"),
            FieldPanel("body"),
            InlinePanel("attachments", label="附件", panels=[FieldPanel("file"), FieldPanel("name")]),
        ],
        base_form_class=ReportForm,
    )
    index_view_class = ReportIndexView
    add_view_class = ReportCreateView
    edit_view_class = ReportEditView
    inspect_view_class = ReportInspectView
    history_view_class = ReportHistoryView
    revisions_compare_view_class = ReportRevisionsCompareView
    usage_view_class = ReportUsageView
    chooser_viewset_class = ReportChooserViewSet
    workflow_history_view_class = ReportWorkflowHistoryView
    workflow_history_detail_view_class = ReportWorkflowHistoryDetailView
    workflow_action_view_class = ReportWorkflowActionView
    lock_view_class = ReportLockView
    unlock_view_class = ReportUnlockView
    inspect_template_name = "warning/reports/inspect.html"

    @cached_property
    def menu_item_class(self):
        return ReportMenuItem

    @property
    def url_finder_class(self):
        return ReportURLFinder

    def get_queryset(self, request):
        return (
            review.visible_reports(request.user)
            .select_related("industry", "point")
            .prefetch_related("reviews__user")
            .order_by("-submitted_at", "-pk")
        )

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if pattern.name in ("list", "list_results", "add"):
                pattern.callback = deny_with_403(pattern.callback)
            else:
                pattern.callback = scoped(pattern.callback)
        return patterns


register_snippet(ReportViewSet)


# --- attachments ----------------------------------------------------------------------------


def attachment_view(request, pk, attachment_pk):
    """Download one attachment of a report the user may see (media is not served publicly)."""
    report = get_object_or_404(WarningReport, pk=pk)
    if not review.report_visible(request.user, report):
        raise Http404("预警信息不存在或无权查看。")
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    return file_download(handle, attachment.download_name())


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = [path("<int:pk>/attachment/<int:attachment_pk>/", deny_with_403(attachment_view), name="attachment")]
    return [path("reports/", include((urls, "warning_reports"), namespace="warning_reports"))]


@hooks.register("construct_snippet_action_menu")
def hide_bypassing_actions(menu_items, request, context):
    """No publish / unpublish / cancel / restart buttons on a report: the review decides."""
    if context.get("model") is WarningReport:
        menu_items[:] = [item for item in menu_items if getattr(item, "name", None) not in BLOCKED_MENU_ITEMS]


class ReportSubmitMenuItem(SubmitForModerationMenuItem):
    """提交, or 重新提交 on a returned report: the main button of a point editor's report form."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        instance = parent_context.get("instance")
        returned = instance is not None and instance.stage == WarningReport.Stage.RETURNED
        context["label"] = "重新提交" if returned else "提交"
        return context


@hooks.register("construct_snippet_action_menu")
def submit_is_the_main_action(menu_items, request, context):
    """On a new or returned report the editor's job is to submit it: 提交 leads, 保存草稿 goes under ▲."""
    if context.get("model") is not WarningReport:
        return
    for index, item in enumerate(menu_items):
        if getattr(item, "name", None) == "action-submit":
            menu_items.pop(index)
            menu_items.insert(0, ReportSubmitMenuItem(order=item.order))
            return
