"""The `page_url` template tag: a page link that keeps the list's filters (warning.paging)."""

from django import template

from warning.paging import page_url as build_page_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, url, page, page_key="p"):
    """`url` at page `page`, keeping the current request's other query parameters."""
    request = context.get("request")
    return build_page_url(url, request.GET if request else None, page, page_key)
