"""Wagtail's reports (工作流, 工作流任务, 站点历史, 页面类型使用情况), with the lookups they repeat done once.

The same screens, columns, filters and exports as Wagtail's; what changes is only
how often the same rows are read (docs/performance.md, "Wagtail's reports"):

- 工作流 (the workflow report): Wagtail's row template asks each workflow state
  for the status of every task of its workflow, one query per row. Here the
  statuses of all the listed states are read at once (the admin home's panel
  does the same, warning/admin/home.py) and handed to the template under the
  name it reads. The 提交人 filter offers the same users, read in one query.
- 工作流任务 (workflow tasks): the 任务 filter names, for each task, the workflows
  using it (one query per task); here one query for all the tasks.
- 站点历史 (site history, scoped by warning/admin/access.py's view): Wagtail
  builds each log model's "viewable by the user" query three times (for the
  list, the action filter and the type filter), each time reading the root page
  and the user's permissions on it; here once per request, and for a
  non-superuser without the deleted pages' part its scope drops anyway. The
  permission rows Wagtail reads for other log entries come from the shared
  cache. The action, type and user filters' choices, with the users' names,
  come from one query (Wagtail: five to seven, and the users twice more). The
  listed entries are read with their users and profiles joined, their content
  types from the process's cache, and the logged pages in one query (Wagtail
  reads each page type on its own: one query per type). The user filter offers
  the users of the entries the viewer may see (Wagtail offered every page
  editor of the site).
- 页面类型使用情况 (page types usage): Wagtail loads each type's last edited page
  as its own type, one query per page type, to show its title and an edit link;
  the base page row carries both, read in one query.

Wagtail's report URLs have no viewset to configure: the `register_admin_urls`
hook below gives their patterns these views (same names and routes; Wagtail's
admin decorators are applied on top right after the hook runs).
"""

from collections import defaultdict

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceIterator
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import (
    ContentTypeFilter,
    FilteredModelChoiceField,
    FilteredModelChoiceFilter,
    WagtailFilterSet,
)
from wagtail.admin.views.reports.audit_logging import SiteHistoryReportFilterSet
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportFilterSet, PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry, Site, Task, WorkflowState, WorkflowTask
from wagtail.permissions import policy_registry

from warning import access, cached

from .access import ScopedLogEntriesView
from .home import tasks_with_status

# --- 工作流 --------------------------------------------------------------------------------


def requested_by_users(request):
    """Whoever submitted something into a workflow: Wagtail's choices, in one query."""
    User = get_user_model()
    return User.objects.filter(pk__in=WorkflowState.objects.values("requested_by_id")).order_by(User.USERNAME_FIELD)


class WorkflowFilterSet(WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(field_name="requested_by", queryset=requested_by_users)


class WorkflowReportView(WorkflowView):
    """Wagtail's workflow report, with every row's task statuses read in two queries for the page."""

    filterset_class = WorkflowFilterSet

    def decorate_paginated_queryset(self, object_list):
        states = super().decorate_paginated_queryset(object_list)
        if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
            return states  # the statuses then depend on each object's latest revision: Wagtail's own way
        tasks = tasks_with_status(states)
        for state in states:
            # The template reads `workflow_state.all_tasks_with_status`: the list, set on the
            # instance, is what it finds instead of the method that would query.
            state.all_tasks_with_status = tasks[state.pk]
        return states


# --- 工作流任务 ------------------------------------------------------------------------------


class TaskChoiceField(FilteredModelChoiceField):
    """The 任务 filter's field: each task option names its workflows (for the 工作流 filter to
    narrow the options), read for all the tasks at once instead of one query per task."""

    def get_filter_value(self, obj):
        if not hasattr(self, "workflow_ids"):
            self.workflow_ids = defaultdict(list)
            for task_id, workflow_id in WorkflowTask.objects.order_by("workflow_id").values_list(
                "task_id", "workflow_id"
            ):
                self.workflow_ids[task_id].append(workflow_id)
        return self.workflow_ids.get(obj.pk, [])


class TaskFilter(FilteredModelChoiceFilter):
    field_class = TaskChoiceField


class WorkflowTasksFilterSet(WorkflowTasksReportFilterSet):
    task = TaskFilter(queryset=Task.objects.all(), filter_field="id_workflow", filter_accessor="workflows")


class WorkflowTasksReportView(WorkflowTasksView):
    filterset_class = WorkflowTasksFilterSet


# --- 站点历史 --------------------------------------------------------------------------------


def viewable_entries(request, log_model):
    """`log_model`'s entries Wagtail lets the user view, built once per request.

    Wagtail's rule for page log entries is the entries of the user's explorable pages,
    plus those of deleted pages for a user with rights at the root (which costs reading
    the root page and the user's rights on it: two queries). A non-superuser's site
    history keeps only entries of existing pages it may choose
    (warning.access.visible_log_entries), never a deleted page's, so that part is not
    built for them: the list is the same, and the filters offer no action of an entry
    the user could never see.
    """
    memo = request.__dict__.setdefault("_viewable_log_entries", {})
    if log_model not in memo:
        user = request.user
        if issubclass(log_model, PageLogEntry) and not user.is_superuser:
            explorable = policy_registry.get_by_type(Page).explorable_instances(user)
            memo[log_model] = log_model.objects.filter(page__in=explorable.values_list("pk", flat=True))
        else:
            if not user.is_superuser and not hasattr(user, "_allowed_content_type_ids"):
                # Wagtail's rule for other log entries: the content types the user holds any
                # permission for, which it reads from every permission row on each request
                # (kept on the user for the request under this name). The rows come from the
                # shared cache (warning/cached.py); the check is Wagtail's, user.has_perm.
                allowed = set()
                for content_type_id, permission in cached.permissions():
                    if content_type_id not in allowed and user.has_perm(permission):
                        allowed.add(content_type_id)
                user._allowed_content_type_ids = allowed
            memo[log_model] = log_model.objects.viewable_by_user(user)
    return memo[log_model]


ACTION, TYPE, USER = "action", "type", "user"
SEPARATOR = "\x1f"  # between a user's id, username and names in the choices query


def _kind(queryset, kind, value):
    return (
        queryset.order_by()
        .annotate(choice_kind=Value(kind, output_field=CharField()), choice_value=value)
        .values_list("choice_kind", "choice_value")
    )


def _user(value):
    pk, username, first_name, last_name = value.split(SEPARATOR, 3)
    return get_user_model()(pk=int(pk), username=username, first_name=first_name, last_name=last_name)


def filter_choices(request):
    """{ACTION: actions, TYPE: content type ids, USER: users} offered by the filters, in one query.

    As Wagtail's: the actions and object types of the entries the user may view (every
    page type counts as one type, Page). The users are those of the entries the user's
    scope lets it see in the list (warning.access.visible_log_entries), with what their
    names are shown from (username, first and last name), in username order.
    """
    memo = request.__dict__.get("_site_history_choices")
    if memo is not None:
        return memo
    page_type_id = ContentType.objects.get_for_model(Page).pk
    user_fields = [Cast("user_id", CharField())]
    for field in ("username", "first_name", "last_name"):
        user_fields += [Value(SEPARATOR), f"user__{field}"]
    parts = []
    for log_model in log_action_registry.get_log_entry_models():
        viewable = viewable_entries(request, log_model)
        parts.append(_kind(viewable, ACTION, Cast("action", CharField())))
        if issubclass(log_model, PageLogEntry):
            parts.append(_kind(viewable, TYPE, Value(str(page_type_id), output_field=CharField())))
        else:
            parts.append(_kind(viewable, TYPE, Cast("content_type_id", CharField())))
        # an entry's user may have been deleted (no constraint): only existing users (a join)
        visible = access.visible_log_entries(viewable, request.user).filter(user__username__isnull=False)
        parts.append(_kind(visible, USER, Concat(*user_fields, output_field=CharField())))
    choices = {ACTION: set(), TYPE: set(), USER: []}
    for kind, value in parts[0].union(*parts[1:]):  # UNION: each distinct pair once
        if kind == USER:
            choices[USER].append(_user(value))
        else:
            choices[kind].add(value if kind == ACTION else int(value))
    choices[USER].sort(key=lambda user: user.get_username())
    request._site_history_choices = choices
    return choices


def object_types(request):
    return ContentType.objects.filter(pk__in=filter_choices(request)[TYPE]).order_by("model")


class PreloadedChoices(ModelChoiceIterator):
    """A filter field's choices: the objects the filter set has already read (`field.preloaded`),
    rendered as the field's own iterator would render its queryset's rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.preloaded:
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (getattr(self.field, "null_label", None) is not None)
        return len(self.field.preloaded) + extra

    def __bool__(self):
        return len(self) > 0


class SiteHistoryFilterSet(SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(label=_("Type"), method="filter_object_type", queryset=object_types)

    def __init__(self, *args, **kwargs):
        # What Wagtail's HistoryFilterSet.__init__ does (actions and users offered, a filter
        # without choices dropped), from the one choices query: Wagtail asks whether any user
        # exists and reads the users again to render them.
        WagtailFilterSet.__init__(self, *args, **kwargs)
        choices = filter_choices(self.request)
        actions = self.get_action_choices()
        if not actions:
            del self.filters["action"]
        else:
            self.filters["action"].extra["choices"] = actions
        if not choices[USER]:
            del self.filters["user"]
        else:
            User = get_user_model()
            pks = [user.pk for user in choices[USER]]
            # the queryset checks a chosen user; the drawer is rendered from the rows read
            self.filters["user"].extra["queryset"] = User.objects.filter(pk__in=pks).order_by(User.USERNAME_FIELD)
        preloaded = {"user": choices[USER], "object_type": self.type_objects()}
        for name, objects in preloaded.items():
            if name in self.filters:
                field = self.filters[name].field  # the field the form copies (with these attributes)
                field.preloaded = objects
                field.iterator = PreloadedChoices

    def type_objects(self):
        """The offered content types, from the process's cache, in Wagtail's order (by model name)."""
        types = []
        for pk in filter_choices(self.request)[TYPE]:
            try:
                types.append(ContentType.objects.get_for_id(pk))
            except ContentType.DoesNotExist:
                continue
        return sorted(types, key=lambda content_type: content_type.model)

    def get_action_choices(self):
        actions = filter_choices(self.request)[ACTION]
        return [action for action in log_action_registry.get_choices() if action[0] in actions]


class SiteHistoryView(ScopedLogEntriesView):
    """The scoped site history, its repeated lookups done once."""

    filterset_class = SiteHistoryFilterSet

    def get_filtered_queryset(self):
        # Wagtail's union of each log model's (pk, timestamp), with the viewable entries built once.
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            part = (
                viewable_entries(self.request, log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            part = self.filter_queryset(part).order_by()
            queryset = part if queryset is None else queryset.union(part, all=True)
        return queryset.order_by("-timestamp")

    def decorate_paginated_queryset(self, queryset):
        rows = list(queryset)
        pks_by_index = defaultdict(list)
        for row in rows:
            pks_by_index[row["log_model_index"]].append(row["pk"])
        url_finder = AdminURLFinder(self.request.user)
        lookup = {}
        for index, pks in pks_by_index.items():
            log_model = self.log_models[index]
            entries = list(log_model.objects.select_related("user__wagtail_userprofile").filter(pk__in=pks))
            instances = self.logged_objects(log_model, entries)
            for entry in entries:
                entry.content_type = ContentType.objects.get_for_id(entry.content_type_id)  # the process's cache
                instance = instances.get((entry.content_type_id, str(entry.object_id)))
                entry.edit_url = url_finder.get_edit_url(instance)
                lookup[index, entry.pk] = entry
        return [lookup[row["log_model_index"], row["pk"]] for row in rows]

    @staticmethod
    def logged_objects(log_model, entries):
        """{(content type id, object id as text): the logged object, or None if it is gone}.

        Pages are read as base pages in one query (the edit link needs only the page's
        id, path, owner and lock); other objects once per model, as Wagtail does.
        """
        ids_by_type = defaultdict(set)
        for entry in entries:
            ids_by_type[entry.content_type_id].add(entry.object_id)
        found = {}
        if issubclass(log_model, PageLogEntry):
            pages = Page.objects.in_bulk({object_id for ids in ids_by_type.values() for object_id in ids})
            for type_id, ids in ids_by_type.items():
                for object_id in ids:
                    found[type_id, str(object_id)] = pages.get(int(object_id))
            return found
        for type_id, ids in ids_by_type.items():
            try:
                model = ContentType.objects.get_for_id(type_id).model_class()
            except ContentType.DoesNotExist:
                model = None
            if model is None:
                continue
            for pk, instance in model.objects.in_bulk(ids).items():
                found[type_id, str(pk)] = instance
        return found


# --- 页面类型使用情况 ------------------------------------------------------------------------


class PageTypesUsageFilterSet(PageTypesUsageReportFilterSet):
    def __init__(self, *args, **kwargs):
        # Wagtail's __init__ reads the sites, then their root pages (a second query); one join here.
        WagtailFilterSet.__init__(self, *args, **kwargs)
        self.sites = {site.pk: site for site in Site.objects.select_related("root_page")}
        self.sites_filter_enabled = len(self.sites) > 1
        if not self.sites_filter_enabled:
            del self.filters["site"]


class PageTypesUsageView(PageTypesUsageReportView):
    """Wagtail's page types usage, each type's last edited page read as a base page, all in one query."""

    filterset_class = PageTypesUsageFilterSet

    def decorate_paginated_queryset(self, page_types):
        pages = Page.objects.in_bulk([item.last_edited_page_id for item in page_types if item.last_edited_page_id])
        for item in page_types:
            item.last_edited_page = pages.get(item.last_edited_page_id) if item.last_edited_page_id else None
        return page_types


# --- wiring ----------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def use_these_report_views():
    from wagtail.admin.urls import reports as report_urls

    views = {
        "workflow": WorkflowReportView.as_view(),
        "workflow_results": WorkflowReportView.as_view(results_only=True),
        "workflow_tasks": WorkflowTasksReportView.as_view(),
        "workflow_tasks_results": WorkflowTasksReportView.as_view(results_only=True),
        "site_history": SiteHistoryView.as_view(),
        "site_history_results": SiteHistoryView.as_view(results_only=True),
        "page_types_usage": PageTypesUsageView.as_view(),
        "page_types_usage_results": PageTypesUsageView.as_view(results_only=True),
    }
    for pattern in report_urls.urlpatterns:
        if pattern.name in views:
            pattern.callback = views[pattern.name]
    return []
