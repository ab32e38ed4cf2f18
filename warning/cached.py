"""Lookups that rarely change, kept in the shared cache across requests (docs/performance.md).

Every admin screen with the statistics filters and the public search's filters list the
cities (the search also the industries), the admin home asks which workflow tasks
are active (and loads each as its own type), and every admin screen's 帮助 menu lists
the live user manuals: all of these change seldom, yet each cost a query per request.
They are read from the default cache (Redis in production, shared by every app server)
and dropped by the receivers in warning/signals.py as soon as a city, an industry or a
task or workflow (or a workflow's list of tasks) is saved or deleted, or a page is published, unpublished, moved or deleted (or a
view restriction or a site changes), so the next request reads them afresh.

Every permission (content type and name), which the site history reads to know the
content types a user holds a permission for, is kept too and dropped after migrations
run or a permission row is saved or deleted.

The page explorer's four filter drawers (owner, editor, site, page type) are
rendered on every explorer screen; their choices are kept here too and dropped
whenever a page, a page's edit log entry, a site or a user is saved or deleted.
"""

from django.core.cache import cache
from django.db import transaction

CITIES_KEY = "warning:cities:v1"
ACTIVE_TASKS_KEY = "warning:active-tasks:v1"
INDUSTRIES_KEY = "warning:industries:v1"
SPECIFIC_TASKS_KEY = "warning:specific-tasks:v1"
HELP_PAGES_KEY = "warning:help-pages:v1"
SITE_NAMES_KEY = "warning:site-names:v1"
# The page explorer's filter choices, one entry per filter (warning/admin/explorer.py).
EXPLORER_CHOICES_KEYS = {
    name: f"warning:explorer-choices:{name}:v1" for name in ("owner", "edited_by", "site", "content_type")
}
PERMISSIONS_KEY = "warning:permissions:v1"
TIMEOUT = 24 * 3600  # a safety net: the receivers drop the entries on every change


def forget_now_and_after_commit(forget):
    """Run `forget` at once and again when the transaction commits, so a request reading
    between the change and the commit cannot keep the old rows in the cache."""
    forget()
    transaction.on_commit(forget)


def cities():
    """[(id, name)] of every city, in the registry's order."""
    from warning.models import City

    return cache.get_or_set(CITIES_KEY, lambda: list(City.objects.values_list("pk", "name")), TIMEOUT)


def industries():
    """[(id, name)] of every 行业, in the registry's order (the public search's filter lists it)."""
    from warning.models import Industry

    return cache.get_or_set(INDUSTRIES_KEY, lambda: list(Industry.objects.values_list("pk", "name")), TIMEOUT)


def active_tasks():
    """[(task id, content type id)] of the active workflow tasks that belong to an active workflow.

    A task of no active workflow has nothing in progress (Wagtail cancels a workflow's
    states when it is deactivated), so the 待审核 panel need not ask for its states: Wagtail's
    default "Moderators approval" task stays active though its workflow is off
    (subsites/migrations/0005).
    """
    from django.db.models import Exists, OuterRef
    from wagtail.models import Task, WorkflowTask

    in_active_workflow = Exists(WorkflowTask.objects.filter(task=OuterRef("pk"), workflow__active=True))
    return cache.get_or_set(
        ACTIVE_TASKS_KEY,
        lambda: list(
            Task.objects.filter(in_active_workflow, active=True).order_by("pk").values_list("pk", "content_type_id")
        ),
        TIMEOUT,
    )


def specific_tasks():
    """{task id: the task as its own type} of the active workflow tasks (a review step's actions)."""
    from wagtail.models import Task

    return cache.get_or_set(
        SPECIFIC_TASKS_KEY, lambda: {task.pk: task for task in Task.objects.filter(active=True).specific()}, TIMEOUT
    )


def permissions():
    """[(content type id, "app_label.codename")] of every permission.

    The site history asks which content types the user holds any permission for; the
    permissions themselves change only when migrations run (or a permission row is
    saved or deleted)."""
    from django.contrib.auth.models import Permission

    return cache.get_or_set(
        PERMISSIONS_KEY,
        lambda: [
            (content_type_id, f"{app_label}.{codename}")
            for content_type_id, app_label, codename in Permission.objects.values_list(
                "content_type_id", "content_type__app_label", "codename"
            )
        ],
        TIMEOUT,
    )


def help_pages(read):
    """What the 帮助 menu links to, as `read()` returns it (warning/admin/help_menu.py)."""
    return cache.get_or_set(HELP_PAGES_KEY, read, TIMEOUT)


def site_names():
    """{site id: the name the admin shows for it (its site name, else its host name)}."""
    from wagtail.models import Site

    return cache.get_or_set(
        SITE_NAMES_KEY,
        lambda: {
            pk: name or hostname for pk, name, hostname in Site.objects.values_list("pk", "site_name", "hostname")
        },
        TIMEOUT,
    )


def explorer_choices(name, read):
    """The objects the page explorer's filter `name` offers, as `read()` returns them."""
    return cache.get_or_set(EXPLORER_CHOICES_KEYS[name], read, TIMEOUT)


def forget_explorer_choices():
    cache.delete_many(list(EXPLORER_CHOICES_KEYS.values()))


def forget_cities():
    cache.delete(CITIES_KEY)


def forget_industries():
    cache.delete(INDUSTRIES_KEY)


def forget_active_tasks():
    cache.delete_many([ACTIVE_TASKS_KEY, SPECIFIC_TASKS_KEY])


def forget_permissions():
    cache.delete(PERMISSIONS_KEY)


def forget_help_pages():
    cache.delete(HELP_PAGES_KEY)


def forget_site_names():
    cache.delete(SITE_NAMES_KEY)
