"""Lookups that rarely change, kept in the shared cache across requests (docs/performance.md).

Every admin screen with the statistics filters and the public search's filters list the
cities (the search also the industries), and the admin home asks which workflow tasks
are active: both change perhaps once a year, yet each cost
a query per request. They are read from the default cache (Redis in production,
shared by every app server) and dropped by the receivers in warning/signals.py as soon
as a city, an industry or a task is saved or deleted, so the next request reads them afresh.
"""

from django.core.cache import cache

CITIES_KEY = "warning:cities:v1"
ACTIVE_TASKS_KEY = "warning:active-tasks:v1"
INDUSTRIES_KEY = "warning:industries:v1"
TIMEOUT = 24 * 3600  # a safety net: the receivers drop the entries on every change


def cities():
    """[(id, name)] of every city, in the registry's order."""
    from warning.models import City

    return cache.get_or_set(CITIES_KEY, lambda: list(City.objects.values_list("pk", "name")), TIMEOUT)


def industries():
    """[(id, name)] of every 行业, in the registry's order (the public search's filter lists it)."""
    from warning.models import Industry

    return cache.get_or_set(INDUSTRIES_KEY, lambda: list(Industry.objects.values_list("pk", "name")), TIMEOUT)


def active_tasks():
    """[(task id, content type id)] of the active workflow tasks."""
    from wagtail.models import Task

    return cache.get_or_set(
        ACTIVE_TASKS_KEY,
        lambda: list(Task.objects.filter(active=True).order_by("pk").values_list("pk", "content_type_id")),
        TIMEOUT,
    )


def forget_cities():
    cache.delete(CITIES_KEY)


def forget_industries():
    cache.delete(INDUSTRIES_KEY)


def forget_active_tasks():
    cache.delete(ACTIVE_TASKS_KEY)
