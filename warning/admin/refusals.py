"""One refusal page for every admin screen of ours.

A view that raises PermissionDenied in the Wagtail admin is answered with a
redirect to the dashboard and a flash message; a role reaching for another's
screen or item should instead get a real 403 in the admin's frame, saying why.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

DEFAULT_REASON = "您没有权限访问此页面。"


def forbidden(request, reason=""):
    """The 403 page, with the reason in Chinese."""
    return TemplateResponse(
        request,
        "warning/forbidden.html",
        {
            "reason": reason or DEFAULT_REASON,
            "page_title": "无权访问",
            "header_title": "无权访问",
            "header_icon": "warning",
            "breadcrumbs_items": [{"url": reverse("wagtailadmin_home"), "label": "首页"}],
        },
        status=403,
    )


def deny_with_403(view):
    """Turn a PermissionDenied raised by a view (or a domain rule it calls) into the 403 page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc))

    return wrapped
