"""Lookups that rarely change, kept in the shared cache across requests (docs/performance.md).

Every admin screen with the statistics filters lists the cities, and the admin home
asks which workflow tasks are active: both change perhaps once a year, yet each cost
a query per request. They are read from the default cache (Redis in production,
shared by every app server) and dropped by the receivers in warning/signals.py as soon
as a city or a task is saved or deleted, so the next request reads them afresh.
"""

from django.core.cache import cache

CITIES_KEY = "warning:cities:v1"
ACTIVE_TASKS_KEY = "warning:active-tasks:v1"
TIMEOUT = 24 * 3600  # a safety net: the receivers drop the entries on every change


def cities():
    """[(id, name)] of every city, in the registry's order."""
    from warning.models import City

    value = cache.get(CITIES_KEY)
    if value is None:
        value = list(City.objects.values_list("pk", "name"))
        cache.set(CITIES_KEY, value, TIMEOUT)
    return value


def active_tasks():
    """[(task id, content type id)] of the active workflow tasks."""
    from wagtail.models import Task

    value = cache.get(ACTIVE_TASKS_KEY)
    if value is None:
        value = list(Task.objects.filter(active=True).order_by("pk").values_list("pk", "content_type_id"))
        cache.set(ACTIVE_TASKS_KEY, value, TIMEOUT)
    return value


def forget_cities():
    cache.delete(CITIES_KEY)


def forget_active_tasks():
    cache.delete(ACTIVE_TASKS_KEY)
