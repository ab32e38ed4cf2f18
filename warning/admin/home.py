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
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page, Revision, TaskState, WorkflowTask


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
            for state in TaskState.objects.reviewable_by(request.user)
            .select_related("revision", "revision__user", "workflow_state", "workflow_state__workflow", "task")
            .prefetch_related("revision__content_object", "revision__content_object__latest_revision")
            .order_by("-started_at")
            .annotate(previous_revision_id=Revision.objects.previous_revision_id_subquery())
            # a task state whose object was deleted has nothing to show (as in Wagtail's panel)
            if state.revision.content_object
        ]
        tasks = tasks_with_status([state.workflow_state for state in states])
        specific_tasks = {}  # Task.specific costs a query per instance: one per task is enough
        for state in states:
            if state.task_id not in specific_tasks:
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


@hooks.register("construct_homepage_panels")
def use_review_awaiting_panel(request, panels):
    for index, panel in enumerate(panels):
        if type(panel) is WorkflowObjectsToModeratePanel:
            panels[index] = ReviewAwaitingPanel()
