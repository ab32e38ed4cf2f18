"""The summary shown under a search hit: an excerpt around the first hit, every query word in <mark>.

The text is stripped of markup and escaped before the <mark> tags are
added, so nothing a page or a report contains can inject HTML.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .segment import plain_text, query_terms

BEFORE = 30
WIDTH = 140


def _pattern(query):
    needles = sorted({term.text for term in query_terms(query)}, key=len, reverse=True)
    if not needles:
        return None
    return re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)


def _marked(text, pattern):
    pieces = []
    position = 0
    for match in pattern.finditer(text) if pattern else ():
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def summary(text, query, width=WIDTH):
    """Safe HTML: about `width` characters of `text` around the first query word, the words marked."""
    text = " ".join(plain_text(text).split())
    if not text:
        return ""
    pattern = _pattern(query)
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - BEFORE) if first else 0
    excerpt = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + _marked(excerpt, pattern) + suffix)  # noqa: S308 - every piece is escaped


def mark(text, query):
    """Safe HTML: the whole of a short `text` (a title), the query words marked."""
    return mark_safe(_marked(text or "", _pattern(query)))  # noqa: S308 - every piece is escaped
