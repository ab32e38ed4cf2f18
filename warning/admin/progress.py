"""地市审核进度查询 (docs/rules.md §3.5): the provincial contact's view of the city stage, one row per city.

For each city: how many reports wait at 地市审核 now and how old the oldest
one is, and how many reports the city stage approved, returned or rejected
in the chosen year (default: this year). The numbers come from
warning.review.city_review_progress() in a fixed number of queries. Only the
预警工作联系人 reach the screen; a year that is not a sensible number gets a
clear message and the current year is shown instead.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from warning import review
from warning.models import City
from warning.models.profiles import scope_of

from . import MENU_ORDER
from .refusals import deny_with_403

MENU_LABEL = "地市审核进度查询"
FIRST_YEAR = 2010


def may_view(user):
    return user.is_active and scope_of(user).is_provincial


def parse_year(value, current):
    """The year asked for, or None when it is not a number between FIRST_YEAR and next year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= current + 1 else None


def progress_view(request):
    if not may_view(request.user):
        raise PermissionDenied
    current = timezone.localdate().year
    year = current
    if request.GET.get("year"):
        year = parse_year(request.GET["year"], current)
        if year is None:
            messages.error(request, f"年度无效：请输入 {FIRST_YEAR}–{current + 1} 之间的年份。已显示 {current} 年。")
            year = current
    rows = review.city_review_progress(year)
    totals = {
        "waiting": sum(r.waiting for r in rows),
        "approved": sum(r.approved for r in rows),
        "returned": sum(r.returned for r in rows),
        "rejected": sum(r.rejected for r in rows),
    }
    return TemplateResponse(
        request,
        "warning/review/progress.html",
        {
            "rows": rows,
            "table": [(row, progress_cells(row, year)) for row in rows],
            "totals": totals,
            "year": year,
            "years": list(range(current, FIRST_YEAR - 1, -1))[:10],
            "queue_url": reverse("warning_review:index") + "?tab=all",
            "page_title": MENU_LABEL,
            "header_title": MENU_LABEL,
            "header_icon": "time",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": "", "label": MENU_LABEL},
            ],
        },
    )


def progress_cells(row, year):
    """Each number of a city's row with the link to its records (None for a zero)."""
    numbers = {
        "waiting": row.waiting,
        review.APPROVE: row.approved,
        review.RETURN: row.returned,
        review.REJECT: row.rejected,
    }
    return {
        kind: (n, f"{reverse('warning_progress_records', args=[row.city.pk, kind])}?year={year}" if n else None)
        for kind, n in numbers.items()
    }


def progress_records_view(request, city_id, kind):
    """The reports behind one number of the table (review.city_progress_reports, the same conditions)."""
    if not may_view(request.user):
        raise PermissionDenied
    if kind not in review.PROGRESS_KINDS:
        raise Http404("没有这类统计")
    city = get_object_or_404(City, pk=city_id)
    current = timezone.localdate().year
    year = parse_year(request.GET.get("year", current), current) or current
    reports = list(review.city_progress_reports(city.pk, kind, year))
    label = review.PROGRESS_KINDS[kind] if kind == "waiting" else f"{year}年{review.PROGRESS_KINDS[kind]}"
    return TemplateResponse(
        request,
        "warning/review/progress_records.html",
        {
            "reports": [(r, reverse("warning_review:detail", args=[r.pk]) + "?tab=all") for r in reports],
            "city": city,
            "label": label,
            "page_title": f"{city.name} · {label}",
            "header_title": f"{city.name} · {label}（{len(reports)} 条）",
            "header_icon": "time",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "首页"},
                {"url": f"{reverse('warning_progress')}?year={year}", "label": MENU_LABEL},
                {"url": "", "label": f"{city.name} · {label}"},
            ],
        },
    )


class ProgressMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_progress_menu_item():
    return ProgressMenuItem(
        MENU_LABEL, reverse("warning_progress"), name="warning-progress", icon_name="time", order=MENU_ORDER[MENU_LABEL]
    )


@hooks.register("register_admin_urls")
def register_progress_urls():
    return [
        path("review-progress/", deny_with_403(progress_view), name="warning_progress"),
        path(
            "review-progress/<int:city_id>/<str:kind>/",
            deny_with_403(progress_records_view),
            name="warning_progress_records",
        ),
    ]
