"""Lookups that rarely change, kept in the shared cache across requests (docs/performance.md).

Every admin screen with the statistics filters and the public search's filters list the
cities (the search also the industries), the admin home asks which workflow tasks
are active (and loads each as its own type), and every admin screen's 帮助 menu lists
the live user manuals: all of these change seldom, yet each cost a query per request.
They are read from the default cache (Redis in production, shared by every app server)
and dropped by the receivers in warning/signals.py as soon as a city, an industry or a
task or workflow (or a workflow's list of tasks) is saved or deleted, or a page is published, unpublished, moved or deleted (or a
view restriction or a site changes), so the next request reads them afresh.

Wagtail looks up the request's Site (every page served, every admin screen that links a
page) and, on admin screens with privacy marks, the paths of the restricted pages, each in
a query per request; both are kept here too (``WagtailLookupsMiddleware`` hands them to
Wagtail), the sites for each host and port dropped whenever a site is saved or deleted
(with the site names), the paths when a restriction is saved or deleted or a page moves.
Every admin screen hands Wagtail's scripts the list of locales (warning/templatetags/
warning_admin.py); it is kept here too and dropped when a locale is saved or deleted.
Every permission (content type and name), which the site history reads to know the
content types a user holds a permission for, is kept too and dropped after migrations
run or a permission row is saved or deleted.

The page explorer's four filter drawers (owner, editor, site, page type) are
rendered on every explorer screen; their choices are kept here too and dropped
whenever a page, a page's edit log entry, a site or a user is saved or deleted.
"""

import copy
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

CITIES_KEY = "warning:cities:v1"
ACTIVE_TASKS_KEY = "warning:active-tasks:v1"
INDUSTRIES_KEY = "warning:industries:v1"
SPECIFIC_TASKS_KEY = "warning:specific-tasks:v1"
HELP_PAGES_KEY = "warning:help-pages:v1"
SITE_NAMES_KEY = "warning:site-names:v1"
SITES_FOR_HOSTS_KEY = "warning:sites-for-hosts:v1"
MAX_HOSTS = 64  # the hosts a deployment answers (ALLOWED_HOSTS): a bound, not a limit met in use
VIEW_RESTRICTION_PATHS_KEY = "warning:view-restriction-paths:v1"
LOCALES_KEY = "warning:locales:v1"
# The page explorer's filter choices, one entry per filter (warning/admin/explorer.py).
EXPLORER_CHOICES_KEYS = {
    name: f"warning:explorer-choices:{name}:v1" for name in ("owner", "edited_by", "site", "content_type")
}
PERMISSIONS_KEY = "warning:permissions:v1"
logger = logging.getLogger(__name__)
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


def view_restriction_paths():
    """The tree paths of the pages that carry a view restriction (Wagtail's privacy marks)."""
    from wagtail.models import PageViewRestriction

    return cache.get_or_set(
        VIEW_RESTRICTION_PATHS_KEY,
        lambda: list(PageViewRestriction.objects.order_by("pk").values_list("page__path", flat=True)),
        TIMEOUT,
    )


class WagtailLookupsMiddleware:
    """Hands Wagtail two lookups it keeps on the request and otherwise reads per request.

    - The request's Site (``_wagtail_site``, read by every page link): the answer Wagtail
      found for the same host and port before, from the shared cache. On a miss Wagtail
      finds it itself, if the request needs it at all, and the answer is kept afterwards;
      a request that needs no site (a health check, robots.txt, a redirect to the login)
      still touches no database.
    - The paths of the pages with a view restriction (``all_page_view_restriction_paths``,
      read by the admin's privacy marks), read from the cache only if a screen shows one.

    The cache only spares queries: if it cannot be read or written, Wagtail reads the
    database as it would without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = f"{request._get_raw_host()}|{request.get_port()}"  # what Wagtail matches a site on
        sites = _sites_for_hosts()
        if host in sites:
            request._wagtail_site = sites[host]
        request.all_page_view_restriction_paths = SimpleLazyObject(view_restriction_paths)
        response = self.get_response(request)
        if host not in sites and "_wagtail_site" in vars(request):
            _remember_site(sites, host, request._wagtail_site)
        return response


def _sites_for_hosts():
    try:
        return cache.get(SITES_FOR_HOSTS_KEY) or {}
    except Exception:
        logger.warning("共享缓存不可用，本次请求的站点从数据库读取", exc_info=True)
        return {}


def _remember_site(sites, host, site):
    if site is not None:
        site = copy.copy(site)  # the request's own object keeps what it has read
        site._state.fields_cache = {}  # the root page is not kept with it
    kept = sites if len(sites) < MAX_HOSTS else {}
    try:
        cache.set(SITES_FOR_HOSTS_KEY, {**kept, host: site}, TIMEOUT)
    except Exception:
        logger.warning("共享缓存写入失败", exc_info=True)


def locale_codes():
    """The language codes of Wagtail's locales, in Wagtail's order (the admin's script configuration)."""
    from wagtail.models import Locale

    return cache.get_or_set(LOCALES_KEY, lambda: list(Locale.objects.values_list("language_code", flat=True)), TIMEOUT)


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
    cache.delete_many([SITE_NAMES_KEY, SITES_FOR_HOSTS_KEY])


def forget_view_restriction_paths():
    cache.delete(VIEW_RESTRICTION_PATHS_KEY)
    cache.delete(SITE_NAMES_KEY)


def forget_locales():
    cache.delete(LOCALES_KEY)
