"""The admin home's "awaiting your review" panel, with a query count that does not grow with its items.

Wagtail's own panel asks, for every waiting report, the status of each task
of its workflow (one query per report) and whether the user may open it (one
more). With forty reports at 省级审核 the provincial contact's home ran ~116
queries. This panel shows the same table from the same task states, with the
task statuses of all the listed workflow states read in two queries; the
visibility check is answered from the loaded report (warning/review.py,
report_visible) without a query. See docs/performance.md.
"""

import copy
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.documents import get_document_model
from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
from wagtail.images import get_image_model
from wagtail.images.wagtail_hooks import ImagesSummaryItem
from wagtail.models import (
    AbstractGroupApprovalTask,
    Page,
    Revision,
    Site,
    Task,
    TaskState,
    WorkflowState,
    WorkflowTask,
    get_default_page_content_type,
)
from wagtail.permissions import policy_registry

from warning import cached
from warning.models import WarningReport
from warning.models.profiles import scope_of
from warning.models.reports import ReviewTaskMixin


def reviewable_task_states(user):
    """The in-progress task states `user` may act on, as Wagtail's TaskState.objects.reviewable_by.

    Wagtail loads every active task as its specific model (a query per task type) and
    asks each group approval task whether the user is in its groups (one more): this
    reads the active tasks' ids and types from the shared cache (warning/cached.py) and states each type's rule as
    a filter of the single task state query. Our review steps (地市审核, 省级审核) answer
    from the user's scope without a query; any other task type is asked as Wagtail asks it.
    """
    states = TaskState.objects.none()
    for task_id, content_type_id in cached.active_tasks():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, ReviewTaskMixin):
            states |= model(pk=task_id, id=task_id).get_task_states_user_can_moderate(user)
        elif model is not None and issubclass(model, AbstractGroupApprovalTask):
            in_progress = TaskState.objects.filter(task_id=task_id, status=TaskState.STATUS_IN_PROGRESS)
            if not user.is_superuser:
                through = model.groups.through
                memberships = through.objects.filter(
                    **{f"{model.groups.field.m2m_field_name()}_id": task_id},
                    **{f"{model.groups.field.m2m_reverse_field_name()}__in": user.groups.all()},
                )
                in_progress = in_progress.filter(Exists(memberships))
            states |= in_progress
        else:
            states |= Task.objects.get(pk=task_id).specific.get_task_states_user_can_moderate(user=user)
    return states


def tasks_with_status(workflow_states):
    """{workflow_state_id: [Task with .status and .status_display]} as Wagtail's all_tasks_with_status, in bulk."""
    if not workflow_states:
        return {}
    workflow_ids = {ws.workflow_id for ws in workflow_states}
    tasks_by_workflow = defaultdict(list)
    for link in WorkflowTask.objects.filter(workflow_id__in=workflow_ids).select_related("task").order_by("sort_order"):
        tasks_by_workflow[link.workflow_id].append(link.task)
    latest = {}
    for ws_id, task_id, status in (
        TaskState.objects.filter(workflow_state_id__in=[ws.pk for ws in workflow_states])
        .order_by("started_at", "id")
        .values_list("workflow_state_id", "task_id", "status")
    ):
        latest[ws_id, task_id] = status  # the newest task state wins
    status_choices = dict(TaskState.STATUS_CHOICES)
    result = {}
    for ws in workflow_states:
        tasks = []
        for task in tasks_by_workflow[ws.workflow_id]:
            task = copy.copy(task)
            task.status = latest.get((ws.pk, task.pk))
            task.status_display = status_choices.get(task.status, _("Not started"))
            tasks.append(task)
        result[ws.pk] = tasks
    return result


class ReviewAwaitingPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "awaiting your review" table, built in a fixed number of queries."""

    def get_context_data(self, parent_context):
        if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
            return super().get_context_data(parent_context)  # statuses then depend on each latest revision
        request = parent_context["request"]
        context = {"states": [], "request": request, "csrf_token": parent_context["csrf_token"]}
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return context
        states = [
            state
            for state in reviewable_task_states(request.user)
            .select_related("revision", "revision__user", "workflow_state", "workflow_state__workflow", "task")
            # reports (the only objects our review steps hold) with their latest revision joined;
            # any other object's latest revision is prefetched as Wagtail does
            .prefetch_related(
                GenericPrefetch("revision__content_object", [WarningReport.objects.select_related("latest_revision")]),
                "revision__content_object__latest_revision",
            )
            .order_by("-started_at")
            .annotate(previous_revision_id=Revision.objects.previous_revision_id_subquery())
            # a task state whose object was deleted has nothing to show (as in Wagtail's panel)
            if state.revision.content_object
        ]
        tasks = tasks_with_status([state.workflow_state for state in states])
        specific_tasks = dict(cached.specific_tasks()) if states else {}  # the active tasks, as their types
        for state in states:
            if state.task_id not in specific_tasks:  # Task.specific costs a query: once per task at most
                specific_tasks[state.task_id] = state.task.specific
            obj = state.revision.content_object
            if isinstance(obj, Page):
                names = ("wagtailadmin_pages:workflow_action", "wagtailadmin_pages:workflow_preview")
                compare = "wagtailadmin_pages:revisions_compare"
            else:
                viewset = obj.snippet_viewset
                names = (viewset.get_url_name("workflow_action"), viewset.get_url_name("workflow_preview"))
                compare = viewset.get_url_name("revisions_compare")
            context["states"].append(
                {
                    "obj": obj,
                    "revision": state.revision,
                    "previous_revision_id": state.previous_revision_id,
                    "live_revision_id": obj.live_revision_id,
                    "task_state": state,
                    "actions": specific_tasks[state.task_id].get_actions(obj, request.user),
                    "workflow_tasks": tasks[state.workflow_state_id],
                    "workflow_action_url_name": names[0],
                    "workflow_preview_url_name": names[1] if getattr(obj, "is_previewable", False) else None,
                    "revisions_compare_url_name": compare,
                }
            )
        return context


class OwnObjectsInModerationPanel(UserObjectsInWorkflowModerationPanel):
    """Wagtail's "your items in moderation", with each report's latest revision joined (a query fewer)."""

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = {"request": request, "workflow_states": WorkflowState.objects.none()}
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return context
        # As Wagtail: the page ids are cast for PostgreSQL (no implicit cast across a generic relation).
        pages_owned_by_user = Q(base_content_type_id=get_default_page_content_type().id) & Exists(
            Page.objects.filter(owner=request.user, id=Cast(OuterRef("object_id"), output_field=IntegerField()))
        )
        states = (
            WorkflowState.objects.active()
            .filter(pages_owned_by_user | Q(requested_by=request.user))
            .prefetch_related(
                GenericPrefetch("content_object", [WarningReport.objects.select_related("latest_revision")]),
                "content_object__latest_revision",
            )
            .select_related("current_task_state", "current_task_state__task")
            .order_by("-current_task_state__started_at")
        )
        # a state whose object was deleted has nothing to show (as in Wagtail's panel)
        context["workflow_states"] = [state for state in states if state.content_object]
        return context


# Wagtail's panels the provincial contact's home leaves out: that home is the statistics
# page of the user guide (预警工作联系人首页), and the province submits nothing to a
# workflow and writes or locks no pages of its own there (docs/performance.md).
NOT_ON_THE_PROVINCIAL_HOME = (RecentEditsPanel, UserObjectsInWorkflowModerationPanel, LockedPagesPanel)


@hooks.register("construct_homepage_panels")
def use_review_awaiting_panel(request, panels):
    if scope_of(request.user).is_provincial:
        panels[:] = [panel for panel in panels if type(panel) not in NOT_ON_THE_PROVINCIAL_HOME]
    replacements = {
        WorkflowObjectsToModeratePanel: ReviewAwaitingPanel,
        UserObjectsInWorkflowModerationPanel: OwnObjectsInModerationPanel,
    }
    panels[:] = [replacements[type(panel)]() if type(panel) in replacements else panel for panel in panels]


def site_for(request):
    """Wagtail's get_site_for_user (root page and site name), once per request and without a query:
    the site comes from Wagtail's cached site root paths and its name from the shared cache
    (warning/cached.py), where Wagtail reads the Site row for it on every call."""
    if not hasattr(request, "_warning_site_for_user"):
        root_page = policy_registry.get_by_type(Page).explorable_root_instance(request.user)
        url_parts = root_page.get_url_parts() if root_page else None
        site_name = cached.site_names().get(url_parts[0]) if url_parts else None
        request._warning_site_for_user = {"root_page": root_page, "site_name": site_name or settings.WAGTAIL_SITE_NAME}
    return request._warning_site_for_user


def _count(queryset):
    """COUNT(*) of `queryset` as a scalar subquery (0 for a queryset known to be empty)."""
    if queryset.query.is_empty():
        return Value(0)
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def summary_counts(request):
    """The home's three summary tiles (pages, images, documents) counted in one statement, once per request.

    Wagtail's items count each in its own query; the counts are the same querysets: the
    pages under the user's explorable root, the images and documents of the collections
    the user may add, change, delete or choose in.
    """
    if not hasattr(request, "_warning_summary_counts"):
        user, root_page = request.user, site_for(request)["root_page"]
        media = {"add", "change", "delete", "choose"}
        pages = Page.objects.descendant_of(root_page, inclusive=True) if root_page else Page.objects.none()
        counts = (
            get_user_model()
            ._default_manager.filter(pk=user.pk)
            .values(
                pages=_count(pages),
                images=_count(
                    policy_registry.get_by_type(get_image_model()).instances_user_has_any_permission_for(user, media)
                ),
                documents=_count(
                    policy_registry.get_by_type(get_document_model()).instances_user_has_any_permission_for(user, media)
                ),
            )
            .get()
        )
        request._warning_summary_counts = {name: value or 0 for name, value in counts.items()}
    return request._warning_summary_counts


class SharedSitePagesSummaryItem(PagesSummaryItem):
    """Wagtail's page count, reading the user's site once per request."""

    def get_context_data(self, parent_context):
        site = site_for(self.request)
        root_page, page_count = site["root_page"], 0
        if root_page:
            page_count = summary_counts(self.request)["pages"]
            if root_page.is_root():  # as Wagtail: the tree root is not a real page
                page_count -= 1
                sites = Site.objects.select_related("root_page")[:2]  # the only site, if there is one
                if len(sites) == 1:
                    root_page = sites[0].root_page
        return {"root_page": root_page, "total_pages": page_count, "site_name": site["site_name"]}


class SharedSiteImagesSummaryItem(ImagesSummaryItem):
    def get_context_data(self, parent_context):
        return {
            "total_images": summary_counts(self.request)["images"],
            "site_name": site_for(self.request)["site_name"],
        }


class SharedSiteDocumentsSummaryItem(DocumentsSummaryItem):
    def get_context_data(self, parent_context):
        return {
            "total_docs": summary_counts(self.request)["documents"],
            "site_name": site_for(self.request)["site_name"],
        }


SHARED_SITE_ITEMS = {
    PagesSummaryItem: SharedSitePagesSummaryItem,
    ImagesSummaryItem: SharedSiteImagesSummaryItem,
    DocumentsSummaryItem: SharedSiteDocumentsSummaryItem,
}


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own hooks add their items
def summary_items_read_the_site_once(request, items):
    """Wagtail's summary items with the site read once; the provincial contact's home (the statistics
    page) shows no page count, which there would count the whole tree."""
    provincial = scope_of(request.user).is_provincial
    replaced = []
    for item in items:
        if provincial and isinstance(item, PagesSummaryItem):
            continue
        replaced.append(
            SHARED_SITE_ITEMS.get(type(item), type(item))(request) if type(item) in SHARED_SITE_ITEMS else item
        )
    items[:] = replaced
