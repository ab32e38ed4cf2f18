"""The APIs' total_count is exact, and an unfiltered list of one page type counts the page table alone.

subsites/api_counts.py replaces the count of a one-type list (a join of the type's
table with the page table) by a count of the page table by content type whenever every
condition is one on the page table; these tests compare every list form's total with
the number of items a visitor can actually page through, with drafts, withdrawn,
restricted pages and a live page outside the site in the data, and check which table
the count read.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.models import Page

from subsites.api_counts import api_total, page_table_count_queryset
from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind, SubsiteHomePage
from tests.subsites_factories import column_of, make_article, make_private

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(point, other_point):
    """Articles of two points, and pages a visitor must not be counted: a draft, a withdrawn
    article, a restricted column with its articles, and a live article outside the site."""
    for n in range(3):
        make_article(point, title=f"公开预警信息{n}")
        make_article(other_point, ColumnKind.NEWS, title=f"公开工作动态{n}")
    make_article(point, ColumnKind.NOTICE, title="公开通知")
    make_article(point, title="草稿", publish=False)
    make_article(point, title="已撤回").unpublish()
    make_private(column_of(other_point, ColumnKind.NOTICE))
    make_article(other_point, ColumnKind.NOTICE, title="受限栏目里的通知")
    outside = Page.objects.get(depth=1).add_child(instance=Page(title="站外容器", slug="outside", live=True))
    outside.add_child(instance=ArticlePage(title="站外文章", slug="outside-article", body="<p>站外</p>", live=True))
    return point, other_point


def _all_items(client, url, params, *, v3):
    """Every item of a list, paged through 20 at a time, and the total it announced on its first page."""
    items, offset, total = [], 0, None
    while True:
        data = client.get(url, {**params, "limit": 20, "offset": offset}).json()
        if total is None:
            total = data["count"] if v3 else data["meta"]["total_count"]
        items += data["items"]
        if len(data["items"]) < 20:
            return total, items
        offset += 20


LISTS = [
    ("v2 every page", "/api/v2/pages/", {}, False),
    ("v2 articles", "/api/v2/pages/", {"type": "subsites.ArticlePage"}, False),
    ("v2 articles, every field", "/api/v2/pages/", {"type": "subsites.ArticlePage", "fields": "*"}, False),
    ("v2 subsite homes", "/api/v2/pages/", {"type": "subsites.SubsiteHomePage"}, False),
    ("v2 columns", "/api/v2/pages/", {"type": "subsites.ColumnIndexPage"}, False),
    ("v2 two types", "/api/v2/pages/", {"type": "subsites.ArticlePage,subsites.ColumnIndexPage"}, False),
    ("v2 a point's articles", "/api/v2/pages/", {"type": "subsites.ArticlePage", "point": "{point}"}, False),
    ("v2 news articles", "/api/v2/pages/", {"type": "subsites.ArticlePage", "column_kind": "news"}, False),
    ("v2 articles of a column", "/api/v2/pages/", {"type": "subsites.ArticlePage", "child_of": "{column}"}, False),
    ("v3 every page", "/api/v3/pages/", {}, True),
    ("v3 articles", "/api/v3/pages/", {"type": "subsites.ArticlePage"}, True),
    ("v3 subsite homes", "/api/v3/pages/", {"type": "subsites.SubsiteHomePage"}, True),
    ("v3 a subsite's articles", "/api/v3/pages/", {"type": "subsites.ArticlePage", "descendant_of": "{home}"}, True),
    ("v3 a point's news", "/api/v3/pages/", {"type": "subsites.ArticlePage", "column_kind": "news"}, True),
]


@pytest.mark.parametrize(("name", "url", "params", "is_v3"), LISTS, ids=[item[0] for item in LISTS])
def test_every_list_announces_exactly_the_number_of_items_it_gives(client, pages, name, url, params, is_v3):
    point, _other = pages
    values = {"point": point.pk, "column": column_of(point).pk, "home": point.subsite_id}
    params = {key: value.format(**values) for key, value in params.items()}
    total, items = _all_items(client, url, params, v3=is_v3)
    titles = {item["title"] for item in items}
    assert total == len(items) == len({item["id"] for item in items}), name
    assert not titles & {"草稿", "已撤回", "受限栏目里的通知", "站外文章", "站外容器"}, name


def test_the_article_totals_are_the_published_public_articles_of_the_site(client, pages):
    v2 = client.get("/api/v2/pages/", {"type": "subsites.ArticlePage"}).json()["meta"]["total_count"]
    v3 = client.get("/api/v3/pages/", {"type": "subsites.ArticlePage"}).json()["count"]
    assert v2 == v3 == 7  # 3 + 3 + the notice; not the draft, the withdrawn, the restricted, the outside one


def _count_sql(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1, counts
    return counts[0]


@pytest.mark.parametrize("url", ["/api/v2/pages/", "/api/v3/pages/"])
def test_an_unfiltered_list_of_one_type_counts_the_page_table_alone(client, pages, url):
    sql = _count_sql(client, url, {"type": "subsites.ArticlePage"})
    assert ArticlePage._meta.db_table not in sql
    assert "content_type_id" in sql and Page._meta.db_table in sql


def test_a_filter_on_the_types_own_fields_is_counted_with_its_table(client, pages):
    sql = _count_sql(client, "/api/v2/pages/", {"type": "subsites.ArticlePage", "column_kind": "news"})
    assert ArticlePage._meta.db_table in sql


def test_the_count_queryset_keeps_every_page_table_condition_and_refuses_the_rest(pages):
    point, _other = pages
    public = ArticlePage.objects.live().descendant_of(point.subsite)
    counted = page_table_count_queryset(public)
    assert counted.model is Page and counted.count() == public.count() == 4
    assert page_table_count_queryset(public.filter(column_kind=ColumnKind.NOTICE)) is None
    assert page_table_count_queryset(ArticlePage.objects.filter(point=point)) is None
    assert page_table_count_queryset(Page.objects.live()) is None  # already the page table
    wagtails_v2_form = ArticlePage.objects.filter(pk__in=Page.objects.live().values_list("pk", flat=True))
    # Every live article, wherever it is:
    assert page_table_count_queryset(wagtails_v2_form).count() == wagtails_v2_form.count() == 9
    assert api_total(SubsiteHomePage.objects.live()) == 2
    assert api_total(ColumnIndexPage.objects.live().not_descendant_of(point.subsite)) == 3


def test_wagtails_v3_paginator_counts_with_api_total():
    # Fails if a Wagtail upgrade renames the hook subsites.api patches (count_v3_lists_with_api_total).
    assert getattr(WagtailLimitOffsetPagination._items_count, "counts_with_api_total", False)
