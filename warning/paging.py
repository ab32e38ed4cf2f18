"""Paging links: "this list, with these filters and this search, at page N".

Every list of the platform (the admin listings through Wagtail's pagination
bar, the public subsites' lists and search) builds its page links with
`page_url`, so a link never loses the filters, the tab or the search of the
list it belongs to, and never carries two query strings (see docs/review.md,
"Lists and paging").
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import QueryDict

# Wagtail's listing asks for the filters fragment with this parameter when it
# refreshes results in place; a page link must open the whole page.
FRAGMENT_PARAMS = ("_w_filter_fragment",)


def page_url(url, query, page, page_key="p"):
    """`url` with `page_key=page`, keeping every other parameter of `query` (the current request's GET).

    `url` may carry its own query string (a tab, a status): its parameters are
    kept unless the current query sets them too. The result has exactly one
    `?`, in the form `path?a=1&b=2&p=3`.
    """
    parts = urlsplit(url or "")
    merged = QueryDict(mutable=True)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        merged.appendlist(key, value)
    current = query if query is not None else QueryDict()
    for key in current:
        merged.setlist(key, current.getlist(key))
    for key in (*FRAGMENT_PARAMS, page_key):
        merged.pop(key, None)
    pairs = [(key, value) for key in merged for value in merged.getlist(key) if value != ""]
    pairs.append((page_key, str(page)))
    return f"{parts.path}?{urlencode(pairs)}"
