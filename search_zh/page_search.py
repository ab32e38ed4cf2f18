"""The admin's page search (搜索所有页面) on PostgreSQL at ten times the province.

Wagtail's view joins every page to its index entry through a text cast of
the page id (a scan of the whole page table per query) and, for one
request, counts all hits twice, counts them per page type and ranks all of
them — four passes over 376,000 rows for a word in every title. This view
keeps Wagtail's scope (the pages the user may explore, the `live:` filter
and the page-type filter), its columns and its template, and changes how
the hits are found (docs/search.md, Speed):

- the hits are the user's pages whose autocomplete words hold every query
  word, the newest first (highest page id), at most PAGE_HITS of them; up
  to that many the count and the per-type counts are exact, beyond it the
  page says the list shows the newest PAGE_HITS;
- those hits are ranked as Wagtail ranks them (relevance, then the newer
  page) or ordered by the column the user chose; only the 20 pages shown
  are loaded with Wagtail's annotations.

Other databases (SQLite) and queries Wagtail's parser turns into something
other than plain words keep Wagtail's own view.
"""

from collections import Counter

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText
from wagtail.search.utils import parse_query_string

from .segment import query_terms

PAGE_HITS = 200


class HitList(list):
    """One page of hits; Wagtail's template shows the page-type counts when `supports_facet`."""

    supports_facet = True


class Hits:
    """The ordered hit ids, loaded page by page with the view's annotations (what Paginator slices)."""

    def __init__(self, pks, load):
        self.pks = pks
        self.load = load

    def __len__(self):
        return len(self.pks)

    def count(self):
        return len(self.pks)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.pks[index]
        loaded = {page.pk: page for page in self.load(wanted)}
        return HitList(loaded[pk] for pk in wanted if pk in loaded)


class Counted:
    """Stands for Wagtail's `all_pages` results in the template: its `count`."""

    def __init__(self, count):
        self.count = count


class ChinesePageSearchView(SearchView):
    def annotate_queryset(self, pages):
        """Wagtail's annotations, each page as its specific class without its own table's row.

        Wagtail's listing reads every listed page type's table in a query of its own (up
        to eight here: a search lists the portal, homes, columns, articles, manuals …);
        its columns and buttons read only the page table's fields and the class, so one
        query serves them (`tests/test_admin_list_queries.py`, the same table rendered).
        """
        return super().annotate_queryset(pages).specific(defer=True)

    def _plain_query(self):
        filters, query = parse_query_string(self.search_query or "", operator="and")
        if connection.vendor != "postgresql" or not isinstance(query, PlainText):
            return None, filters
        if not query_terms(query.query_string, last_is_prefix=True):
            return None, filters
        return query, filters

    def get_queryset(self):
        query, filters = self._plain_query()
        if query is None:
            self.capped = False
            pages = super().get_queryset()
            if pages.supports_facet:  # the per-type counts just read add up to the count the page prints
                self.all_pages = Counted(sum(count for _type, count in self.content_types))
            return pages
        scope = Page.objects.all()
        user = self.request.user
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True) and not user.is_superuser:
            scope = self.permission_policy.explorable_instances(user)
        live = (filters.get("live") or filters.get("published") or "").lower()
        if live in ("yes", "true"):
            scope = scope.filter(live=True)
        elif live in ("no", "false"):
            scope = scope.filter(live=False)

        backend = get_search_backend()
        everywhere = backend.page_hits(scope, query.query_string, PAGE_HITS + 1)
        self.capped = len(everywhere) > PAGE_HITS
        everywhere = everywhere[:PAGE_HITS]
        self.all_pages = Counted(len(everywhere))
        self.content_types = [
            (ContentType.objects.get_for_id(content_type_id), count)
            for content_type_id, count in Counter(ct for _pk, ct, _rank in everywhere).most_common()
        ]
        hits = everywhere
        if self.selected_content_type:
            hits = [hit for hit in everywhere if hit[1] == self.selected_content_type.pk]
            if self.capped:  # the newest PAGE_HITS of this type, not of all types
                typed = backend.page_hits(
                    scope.filter(content_type=self.selected_content_type), query.query_string, PAGE_HITS + 1
                )
                hits = typed[:PAGE_HITS]
        if self.ordering:
            order = {
                pk: i
                for i, pk in enumerate(
                    scope.filter(pk__in=[pk for pk, _ct, _rank in hits])
                    .order_by(self.ordering, "-pk")
                    .values_list("pk", flat=True)
                )
            }
            pks = sorted((pk for pk, _ct, _rank in hits), key=order.get)
        else:
            pks = [pk for pk, _ct, _rank in sorted(hits, key=lambda hit: (round(hit[2], 9), hit[0]), reverse=True)]
        base = Page.objects.all()
        if self.show_locale_labels:
            base = base.select_related("locale")
        annotated = self.annotate_queryset(base)
        return Hits(pks, lambda wanted: annotated.filter(pk__in=wanted))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_capped"] = self.capped
        context["search_cap"] = PAGE_HITS
        return context


class ChinesePageViewSet(PageViewSet):
    """Wagtail's page views with the search above (registered in search_zh.wagtail_hooks)."""

    search_view_class = ChinesePageSearchView
