"""The sitemap index and its sections (subsites/sitemaps.py): split in pages, a fixed number of queries each."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subsites import sitemaps
from subsites.models import ExchangeIndexPage
from tests.subsites_factories import make_article, make_exchange_report


def locations(response):
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def count_queries(client, url):
    client.get(url)  # warm the site root paths
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def small_sections(monkeypatch):
    for section in sitemaps.SECTIONS.values():
        monkeypatch.setattr(section, "limit", 3)


def test_the_index_lists_every_page_of_every_section(client, point, small_sections):
    for n in range(5):
        make_article(point, title=f"站点地图文章{n}")
    for _ in range(4):
        make_exchange_report(point)
    index = locations(client.get("/sitemap.xml"))
    assert "http://testserver/sitemap-exchange.xml?p=2" in index
    assert "http://testserver/sitemap-pages.xml?p=2" in index
    pages = [loc for loc in index if "sitemap-pages" in loc]
    everything = []
    for loc in pages:
        everything += locations(client.get(loc.replace("http://testserver", "")))
    # Every live public page once: the portal tree and the point's subsite.
    assert len(everything) == len(set(everything))
    assert any("test-article" in loc for loc in everything)
    reports = locations(client.get("/sitemap-exchange.xml")) + locations(client.get("/sitemap-exchange.xml?p=2"))
    exchange_url = ExchangeIndexPage.objects.get().full_url
    assert len(reports) == 4 and all(loc.startswith(exchange_url) for loc in reports)
    assert client.get("/sitemap-exchange.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_no_report_is_listed_while_the_exchange_column_is_not_public(client, point):
    make_exchange_report(point)
    ExchangeIndexPage.objects.get().unpublish()
    assert locations(client.get("/sitemap-exchange.xml")) == []


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-exchange.xml"])
def test_each_sitemap_response_costs_the_same_queries_at_two_sizes(client, point, url):
    make_article(point)
    make_exchange_report(point)
    small = count_queries(client, url)
    for n in range(12):
        make_article(point, title=f"更多文章{n}")
        make_exchange_report(point)
    assert count_queries(client, url) == small
    assert small <= 9  # the index: site, root, restrictions, newest date and count of each section
