"""Template tags of the public site: the portal-wide navigation and breadcrumbs."""

from django import template
from wagtail.models import Site

from subsites.models import ExchangeIndexPage, HelpIndexPage, public_pages

register = template.Library()


def _portal_links(request):
    """The portal home and its two sections, looked up once per request."""
    cached = getattr(request, "_subsites_portal_links", None)
    if cached is None:
        site = Site.find_for_request(request)
        root = site.root_page if site else None
        sections = (
            list(public_pages(root.get_children().type(ExchangeIndexPage, HelpIndexPage)).order_by("path"))
            if root
            else []
        )
        cached = {"portal": root, "sections": sections}
        request._subsites_portal_links = cached
    return cached


@register.inclusion_tag("subsites/includes/site_nav.html", takes_context=True)
def site_nav(context):
    request = context["request"]
    links = _portal_links(request)
    current = context.get("page")
    return {
        "request": request,
        "portal": links["portal"],
        "sections": links["sections"],
        "current_path": current.path if current else "",
    }


@register.simple_tag(takes_context=True)
def portal_home(context):
    return _portal_links(context["request"])["portal"]


@register.inclusion_tag("subsites/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, current_label=None):
    """Ancestors from the portal home down to ``page``; ``current_label`` adds a last crumb below it (a routed view)."""
    ancestors = list(page.get_ancestors().filter(depth__gte=2)) if page.depth > 2 else []
    return {
        "request": context["request"],
        "ancestors": ancestors,
        "page": page,
        "current_label": current_label,
    }
