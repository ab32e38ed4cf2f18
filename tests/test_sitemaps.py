"""The sitemap index and its sections (subsites/sitemaps.py): key-range sections, a fixed number of queries each."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from subsites import sitemaps
from subsites.models import ExchangeIndexPage, public_pages
from tests.subsites_factories import make_article, make_exchange_report, make_private
from warning.models import WarningReport


def locations(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def count_queries(client, url):
    client.get(url)  # warm the site root paths
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def small_sections(monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 3)


def every_listed(client, name):
    index = [loc for loc in locations(client.get("/sitemap.xml")) if f"sitemap-{name}.xml" in loc]
    listed = []
    for loc in index:
        listed += locations(client.get(loc.replace("http://testserver", "")))
    return index, listed


def test_the_sections_list_every_public_page_once_at_wagtails_own_address(client, point, small_sections):
    for n in range(5):
        make_article(point, title=f"站点地图文章{n}")
    chinese = make_article(point, title="中文地址的文章", slug="中文地址")
    draft = make_article(point, title="草稿", publish=False)
    private = make_private(make_article(point, title="仅登录可见")).page
    index, listed = every_listed(client, "pages")

    top = Page.objects.order_by("-pk").first().pk
    assert index == [f"http://testserver/sitemap-pages.xml?p={n}" for n in range(1, (top + 2) // 3 + 1)]
    expected = {page.get_full_url() for page in public_pages(Page.objects.all()) if page.get_full_url()}
    assert len(listed) == len(set(listed)) and set(listed) == expected
    assert chinese.get_full_url() in listed and "%E4%B8%AD%E6%96%87" in chinese.get_full_url()
    assert draft.get_full_url() not in listed and private.get_full_url() not in listed


def test_the_exchange_sections_list_each_published_report_once(client, point, small_sections):
    reports = [make_exchange_report(point) for _ in range(4)]
    make_exchange_report(point, to_exchange=False)  # approved but not on the exchange
    index, listed = every_listed(client, "exchange")
    last = WarningReport.objects.order_by("-pk").first().pk
    assert len(index) == (last + 2) // 3
    column = ExchangeIndexPage.objects.get()
    assert sorted(listed) == sorted(column.full_url + column.reverse_subpage("report", args=[r.pk]) for r in reports)


def test_a_section_page_outside_the_keys_or_malformed_is_not_found(client, point, small_sections):
    report = make_exchange_report(point)
    last = sitemaps.section_count(report.pk)  # the section holding the highest report id
    assert client.get(f"/sitemap-exchange.xml?p={last}").status_code == 200
    for address in [
        f"/sitemap-exchange.xml?p={last + 1}",
        "/sitemap-pages.xml?p=0",
        "/sitemap-pages.xml?p=abc",
        "/sitemap-nothing.xml",
    ]:
        assert client.get(address).status_code == 404, address


def test_no_report_is_listed_while_the_exchange_column_is_not_public(client, point):
    make_exchange_report(point)
    ExchangeIndexPage.objects.get().unpublish()
    assert locations(client.get("/sitemap-exchange.xml")) == []
    assert not [loc for loc in locations(client.get("/sitemap.xml")) if "sitemap-exchange" in loc]


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-exchange.xml"])
def test_each_sitemap_response_costs_the_same_queries_at_two_sizes(client, point, url):
    make_article(point)
    make_exchange_report(point)
    small = count_queries(client, url)
    for n in range(12):
        make_article(point, title=f"更多文章{n}")
        make_exchange_report(point)
    assert count_queries(client, url) == small
    assert small <= 5  # the index: site, root, last page, exchange column, last report


def test_robots_txt_names_the_sitemap_index_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines and "Disallow: /admin/" in lines
