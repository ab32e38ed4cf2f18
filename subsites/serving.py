"""Serving a public page in a fixed number of queries, however deep it sits (docs/performance.md).

Wagtail finds a page by walking the tree one level at a time: for
``/point-12/warning/some-article/`` it reads the portal, then each child by
its slug and then each child's specific row (two queries per level), and
its view-restriction check reads the ancestors once more. Here the route is
found from Wagtail's own ``url_path`` column instead:

- one query reads every page on the way (the tree's ancestors of the site
  root, the root, and each page whose ``url_path`` is a prefix of the
  requested path), each with a flag saying whether a view restriction sits
  on it (or on the page it is an alias of);
- one query reads the page served, as its specific type, with what its
  template prints (``serving_queryset()`` of the page class).

The route found is the one Wagtail's own ``Page.route()`` would find: a
routable page (RoutablePageMixin) answers its sub-URLs before its children
are looked up, a page that is not live is a 404, and nothing below an
unpublished subsite home is served (SubsiteHomePage.route). The result is
handed to Wagtail's own ``serve`` view, which runs the serving hooks (view
restrictions included) exactly as before; when no view restriction lies on
the way, ``get_view_restrictions()`` answers from the flags without a query.

``navigation(request, page)`` is the rest every public page prints: the
portal's sections (预警工作交流, 帮助中心) and, inside a subsite, its home
and columns, in one query per request.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site


def serve(request, path):
    """Wagtail's page view, with the route found by ``find_route()`` (see the module docstring)."""
    from wagtail import views as wagtail_views

    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) and not hasattr(request, "_wagtail_route_for_request"):
        # Page.route_for_request() keeps its answer on the request under this name and
        # reuses it: Wagtail's serve view (and anything else asking) gets this route.
        request._wagtail_route_for_request = find_route(request, path)
    return wagtail_views.serve(request, path)


def find_route(request, path):
    """Wagtail's RouteResult for ``path`` on the request's site, or None (a 404)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    try:
        return route(request, site.root_page, [component for component in path.split("/") if component])
    except Http404:
        return None


def _restricted():
    """True for a page with a view restriction of its own (an alias: of the page it copies)."""
    return Exists(PageViewRestriction.objects.filter(page_id=Coalesce(OuterRef("alias_of_id"), OuterRef("pk"))))


def route(request, root, components):
    """The route from ``root`` along ``components`` in two queries (see the module docstring)."""
    steplen = Page.steplen
    above_root = [root.path[: steplen * depth] for depth in range(1, root.depth)]
    url_paths = [root.url_path + "".join(f"{part}/" for part in components[:n]) for n in range(1, len(components) + 1)]
    rows = list(
        Page.objects.filter(
            Q(path__in=above_root) | Q(pk=root.pk) | Q(url_path__in=url_paths, path__startswith=root.path)
        )
        .annotate(restricted=_restricted())
        .order_by("depth")
    )
    by_url_path = {row.url_path: row for row in rows if row.depth > root.depth}
    chain = [row for row in rows if row.depth <= root.depth]
    if not chain or chain[-1].pk != root.pk:
        raise Http404

    current, remaining = chain[-1], list(components)
    while True:
        page_class = current.specific_class
        if page_class is None:
            raise Http404
        if _is_subsite_home(page_class) and not current.live and not getattr(request, "is_preview", False):
            raise Http404
        if not remaining or (
            issubclass(page_class, RoutablePageMixin) and current.live and _resolves(page_class, remaining)
        ):
            break
        child = by_url_path.get(current.url_path + remaining[0] + "/")
        if child is None or child.depth != current.depth + 1:
            raise Http404
        child._cached_parent_obj = current
        chain.append(child)
        current, remaining = child, remaining[1:]

    page = _specific(current)
    page._serving_ancestors = chain[:-1]
    page._serving_restricted = any(row.restricted for row in chain)
    if len(chain) > 1:
        page._cached_parent_obj = chain[-2]
    return page.route(request, remaining)


def _is_subsite_home(page_class):
    from .models import SubsiteHomePage

    return issubclass(page_class, SubsiteHomePage)


def _resolves(page_class, components):
    """Whether a routable page class has a sub-URL for ``components`` (RoutablePageMixin.route's first try)."""
    try:
        page_class.get_resolver().resolve("/" + "".join(f"{part}/" for part in components))
    except Http404:
        return False
    return True


def _specific(page):
    """``page`` as its specific type, read with what its template prints."""
    page_class = page.specific_class
    queryset = page_class._default_manager.filter(pk=page.pk)
    if hasattr(page_class, "serving_queryset"):
        queryset = page_class.serving_queryset(queryset)
    specific = queryset.first()
    if specific is None:
        raise Http404
    return specific


class ServedPageMixin:
    """What a page found by ``route()`` already knows: its ancestors and whether a view restriction applies."""

    def get_view_restrictions(self):
        if getattr(self, "_serving_restricted", None) is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def serving_ancestors(self):
        """The page's ancestors (root first) as base pages, from the route if it found them."""
        ancestors = getattr(self, "_serving_ancestors", None)
        if ancestors is None:
            ancestors = list(self.get_ancestors())
            self._serving_ancestors = ancestors
        return ancestors


def navigation(request, page=None):
    """The portal, its sections and (inside a subsite) the subsite home and its columns, once per request.

    Sections and columns are live pages without a view restriction, read in
    one query; columns carry their ``kind``.
    """
    from .models import ColumnIndexPage, ExchangeIndexPage, HelpIndexPage, SubsiteHomePage, public_pages

    key = page.pk if page is not None else None
    cached = getattr(request, "_subsites_navigation", None)
    if cached is not None and cached[0] == key:
        return cached[1]

    site = Site.find_for_request(request)
    root = site.root_page if site else None
    home = None
    if page is not None:
        if isinstance(page, SubsiteHomePage):
            home = page
        elif page.depth > 3 and root is not None:
            ancestors = page.serving_ancestors() if isinstance(page, ServedPageMixin) else list(page.get_ancestors())
            homes = [row for row in ancestors if row.specific_class and _is_subsite_home(row.specific_class)]
            home = homes[-1] if homes else None

    wanted = Q(pk__in=[])
    if root is not None:
        wanted |= Q(depth=root.depth + 1, path__startswith=root.path) & Page.objects.type_q(
            ExchangeIndexPage, HelpIndexPage
        )
    if home is not None:
        wanted |= Q(depth=home.depth + 1, path__startswith=home.path) & Page.objects.type_q(ColumnIndexPage)
    rows = list(
        public_pages(Page.objects.filter(wanted))
        .annotate(kind=Subquery(ColumnIndexPage.objects.filter(pk=OuterRef("pk")).values("kind")[:1]))
        .order_by("path")
    )
    links = {
        "portal": root,
        "sections": [row for row in rows if root is not None and row.depth == root.depth + 1],
        "subsite_home": home,
        "columns": [row for row in rows if home is not None and row.depth == home.depth + 1],
    }
    links["exchange_page"] = next((row for row in links["sections"] if _is(row, "exchange")), None)
    links["help_page"] = next((row for row in links["sections"] if _is(row, "help")), None)
    request._subsites_navigation = (key, links)
    return links


def _is(row, what):
    from .models import ExchangeIndexPage, HelpIndexPage

    return row.specific_class is {"exchange": ExchangeIndexPage, "help": HelpIndexPage}[what]
