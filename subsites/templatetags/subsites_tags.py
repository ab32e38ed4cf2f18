"""Template tags of the public site: the portal-wide navigation and breadcrumbs (from subsites.serving)."""

from django import template

from subsites.serving import ServedPageMixin, navigation

register = template.Library()


def _links(context):
    page = context.get("page")
    return navigation(context["request"], page if isinstance(page, ServedPageMixin) else None)


@register.inclusion_tag("subsites/includes/site_nav.html", takes_context=True)
def site_nav(context):
    links = _links(context)
    current = context.get("page")
    return {
        "request": context["request"],
        "portal": links["portal"],
        "sections": links["sections"],
        "current_path": current.path if current else "",
    }


@register.simple_tag(takes_context=True)
def portal_home(context):
    return _links(context)["portal"]


@register.inclusion_tag("subsites/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, current_label=None):
    """Ancestors from the portal home down to ``page``; ``current_label`` adds a last crumb below it (a routed view)."""
    if page.depth <= 2:
        ancestors = []
    elif isinstance(page, ServedPageMixin):
        ancestors = [ancestor for ancestor in page.serving_ancestors() if ancestor.depth >= 2]
    else:
        ancestors = list(page.get_ancestors().filter(depth__gte=2))
    return {
        "request": context["request"],
        "ancestors": ancestors,
        "page": page,
        "current_label": current_label,
    }
