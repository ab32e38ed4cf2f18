"""The sitemap: an index at /sitemap.xml and its sections in pages of SECTION_SIZE addresses.

One sitemap of every address (tens of thousands at ten times the province) was one
response of megabytes built from every row at once. Instead, Django's sitemap index
lists each section's pages, ``/sitemap-<section>.xml?p=N``, and each such page reads
only its own slice:

- ``pages``: every live public Wagtail page of the site, in tree order;
- ``exchange``: every report published to 预警工作交流 (subsites.exchange), as the
  address of its page under the exchange column; none while that column is not public.

Each response costs a fixed number of queries whatever the data (the index: a count
and a latest date per section; a section page: its count and its slice), and all of
them are kept by the page cache (pagecache/) like any anonymous page.
"""

from django.db.models import Max
from django.utils.functional import cached_property
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import index, sitemap
from wagtail.models import Page

from warning.models import WarningReport

from .exchange import exchange_reports
from .models import ExchangeIndexPage, public_pages

SECTION_SIZE = 2000


class PageSitemap(Sitemap):
    """Live public pages, as plain Page rows: each one's address needs nothing of its specific type."""

    limit = SECTION_SIZE

    @cached_property
    def _pages(self):
        root = Page.objects.filter(sites_rooted_here=self.get_wagtail_site()).first()
        if root is None:
            return Page.objects.none()
        return public_pages(Page.objects.descendant_of(root, inclusive=True)).order_by("path")

    def items(self):
        return self._pages

    def get_latest_lastmod(self):
        return self.items().order_by().aggregate(latest=Max("last_published_at"))["latest"]


class ExchangeSitemap(Sitemap):
    """Reports published to 预警工作交流, oldest first (a report keeps its place and its sitemap page)."""

    limit = SECTION_SIZE

    @cached_property
    def exchange(self):
        return public_pages(ExchangeIndexPage.objects.all()).first()

    @cached_property
    def _reports(self):
        if self.exchange is None:
            return WarningReport.objects.none()
        return exchange_reports().select_related(None).only("pk", "exchange_published_at").order_by("pk")

    def items(self):
        return self._reports

    def get_latest_lastmod(self):
        return self.items().order_by().aggregate(latest=Max("exchange_published_at"))["latest"]

    def _urls(self, page, protocol, domain):
        reports = list(self.paginator.page(page).object_list)
        if not reports:
            return []
        base = self.exchange.get_full_url(self.request)
        return [
            {
                "location": base + self.exchange.reverse_subpage("report", args=[report.pk]),
                "lastmod": report.exchange_published_at,
            }
            for report in reports
        ]


SECTIONS = {"pages": PageSitemap, "exchange": ExchangeSitemap}


def sitemap_index(request):
    return index(request, SECTIONS, sitemap_url_name="sitemap_section")


def sitemap_section(request, section):
    return sitemap(request, SECTIONS, section=section)
