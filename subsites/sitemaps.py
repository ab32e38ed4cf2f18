"""The sitemap: an index at /sitemap.xml and its sections, each a fixed slice of primary keys.

At ten times the province the site has some 376,000 public addresses. The sitemap
protocol allows 50,000 per file, so the index lists sections, and a section
``/sitemap-<name>.xml?p=N`` holds the rows whose primary key lies in
``[(N-1)·SECTION_SIZE + 1, N·SECTION_SIZE]``:

- ``pages``: the live public Wagtail pages of the request's site;
- ``exchange``: the reports published to 预警工作交流 (subsites.exchange), each as
  the address of its page under the exchange column; none while that column is not
  public.

Slicing by key rather than by position keeps every response's cost fixed: the index
needs only each section's highest key (one index lookup, no count of the site), and a
section reads its own key range along the primary key (no OFFSET past the sections
before it). A row keeps its section for life, so a crawler's copy of the other
sections stays valid. A range may hold fewer rows than SECTION_SIZE, or none (pages
deleted, still drafts, restricted, or reports not on the exchange); an empty section is
an empty ``<urlset>``.

The XML is written directly: rendering Django's sitemap template once per address
took most of a section's time (190 of 340 ms for 2,000 addresses). A page's address is
its site root's address followed by its ``url_path`` below the root, as Wagtail builds
it (``tests/test_sitemaps.py`` compares each address with Wagtail's ``full_url``).
Every response is kept by the page cache (pagecache/) like any anonymous page.

``/robots.txt`` points crawlers at the index and keeps them out of the admin.
"""

from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.functional import cached_property
from django.utils.html import escape
from wagtail.models import Page, Site

from .exchange import exchange_reports
from .models import ExchangeIndexPage, public_pages

SECTION_SIZE = 2000
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


class PageSection:
    """Live public pages of the request's site, by page id."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def root(self):
        site = Site.find_for_request(self.request) or Site.objects.filter(is_default_site=True).first()
        return None if site is None else Page.objects.filter(pk=site.root_page_id).first()

    def last_key(self):
        if self.root is None:
            return None
        return Page.objects.aggregate(last=Max("pk"))["last"]

    def entries(self, first, last):
        if self.root is None:
            return []
        base = self.root.get_full_url(self.request)
        below = len(self.root.url_path)
        rows = (
            public_pages(Page.objects.filter(pk__range=(first, last), path__startswith=self.root.path))
            .order_by("pk")
            .values_list("url_path", Coalesce(F("last_published_at"), F("latest_revision_created_at")))
        )
        return [(base + iri_to_uri(url_path[below:]), changed) for url_path, changed in rows]


class ExchangeSection:
    """Reports published to 预警工作交流, by report id."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def column(self):
        return public_pages(ExchangeIndexPage.objects.all()).first()

    def _reports(self):
        return exchange_reports().order_by()

    def last_key(self):
        if self.column is None:
            return None
        return self._reports().aggregate(last=Max("pk"))["last"]

    def entries(self, first, last):
        if self.column is None:
            return []
        base = self.column.get_full_url(self.request)
        rows = self._reports().filter(pk__range=(first, last)).order_by("pk").values_list("pk", "exchange_published_at")
        return [(base + self.column.reverse_subpage("report", args=[pk]), published) for pk, published in rows]


SECTIONS = {"pages": PageSection, "exchange": ExchangeSection}


def _xml(body):
    response = HttpResponse(XML_HEAD + body, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views
    return response


def section_count(last_key):
    """How many sections the keys 1…last_key fill (at least one: an empty first section)."""
    return max(1, -(-(last_key or 0) // SECTION_SIZE))


def sitemap_index(request):
    parts = [f'<sitemapindex xmlns="{NAMESPACE}">']
    for name, section in SECTIONS.items():
        last_key = section(request).last_key()
        if last_key is None:
            continue
        address = escape(request.build_absolute_uri(reverse("sitemap_section", args=[name])))
        parts += [f"<sitemap><loc>{address}?p={n}</loc></sitemap>" for n in range(1, section_count(last_key) + 1)]
    parts.append("</sitemapindex>\n")
    return _xml("\n".join(parts))


def sitemap_section(request, section):
    if section not in SECTIONS:
        raise Http404("没有这个站点地图分节")
    number = request.GET.get("p", "1")
    if not number.isdigit() or int(number) < 1:
        raise Http404("站点地图分节的页码无效")
    number = int(number)
    section = SECTIONS[section](request)
    if number > 1 and number > section_count(section.last_key()):
        raise Http404("站点地图分节的页码超出范围")
    first = (number - 1) * SECTION_SIZE + 1
    parts = [f'<urlset xmlns="{NAMESPACE}">']
    for location, changed in section.entries(first, first + SECTION_SIZE - 1):
        lastmod = f"<lastmod>{timezone.localdate(changed).isoformat()}</lastmod>" if changed else ""
        parts.append(f"<url><loc>{escape(location)}</loc>{lastmod}</url>")
    parts.append("</urlset>\n")
    return _xml("\n".join(parts))


def robots_txt(request):
    index = request.build_absolute_uri(reverse("sitemap_index"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {index}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
