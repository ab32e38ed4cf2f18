"""Site search over published content: pages a visitor may see and the 预警工作交流 reports.

Chinese text has no spaces between words, and Wagtail's database search
backend splits text on spaces and punctuation, so a query such as 反倾销 would
not find 美国对华反倾销调查. The public search therefore matches substrings
(icontains) in titles, summaries and bodies; the page count is bounded by
what the province publishes, which is well within what a LIKE scan handles.
"""

from django.db.models import Q
from wagtail.models import Page

from .exchange import search_exchange_reports
from .models import ArticlePage, ManualPage, public_pages

MAX_QUERY_LENGTH = 100


class SearchQueryError(ValueError):
    """A query the search refuses, with the message to show."""


def clean_query(raw):
    query = " ".join((raw or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"关键词不能超过 {MAX_QUERY_LENGTH} 个字")
    return query


def search_pages(query):
    """Live, unrestricted pages whose title, description, summary or body contains ``query``."""
    article_hits = ArticlePage.objects.filter(Q(body__icontains=query) | Q(summary__icontains=query))
    manual_hits = ManualPage.objects.filter(body__icontains=query)
    return (
        public_pages(Page.objects.filter(depth__gt=1))
        .filter(
            Q(title__icontains=query)
            | Q(search_description__icontains=query)
            | Q(pk__in=article_hits.values("pk"))
            | Q(pk__in=manual_hits.values("pk"))
        )
        .order_by("-first_published_at", "-pk")
    )


def search_reports(query):
    return search_exchange_reports(query)
