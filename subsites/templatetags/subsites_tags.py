"""Template tags of the public site: the portal-wide navigation and breadcrumbs (from subsites.serving),
and the search filter's options."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

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


@register.simple_tag
def select_options(choices, selected):
    """The ``<option>``s of [(value, label)], the one equal to ``selected`` marked, in one join.

    The markup and escaping of ``<option value="{{ value }}"{% if selected == value %} selected{% endif %}>
    {{ label }}</option>`` in a loop (html.escape is what Django's escaping calls), without the
    template's three lookups per option: the search form offers every point, a thousand at ten
    times the province (docs/performance.md).
    """
    html = "".join(
        f'<option value="{escape(str(value))}"{" selected" if selected == value else ""}>{escape(str(label))}</option>'
        for value, label in choices
    )
    return mark_safe(html)  # noqa: S308 - value and label escaped
