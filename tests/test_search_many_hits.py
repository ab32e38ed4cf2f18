"""Searches with many hits on PostgreSQL (docs/search.md, Speed): the newest matches are ranked, the scope holds.

The limits of search_zh.postgres and search_zh.page_search are lowered here
so that a handful of pages stands for the hundred thousand of ten times the
province: the same code paths run (all matches ranked; the newest walked by
key; PostgreSQL's own join after the walk limit; the admin list capped).
"""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from search_zh import page_search
from tests.shared_points import SharedPoints
from tests.subsites_factories import make_article, make_exchange_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL search paths"),
]


def titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return re.findall(r'<h3 class="item-list__title"><a href="[^"]*">(.*?)</a></h3>', html), html


def public_titles(client, **params):
    return [re.sub(r"</?mark>", "", title) for title in titles(client, "/search/", **params)[0]]


def dated_articles(point, count, *, title_hit=()):
    """`count` articles holding 轮胎, one day apart (the last the newest); those in `title_hit` have it in the title."""
    now = timezone.now()
    pages = []
    for i in range(count):
        title = f"巴西轮胎反倾销{i}" if i in title_hit else f"外贸动态{i}"
        page = make_article(point, title=title, body="<p>巴西对华轮胎发起反倾销调查。</p>")
        Page.objects.filter(pk=page.pk).update(first_published_at=now - datetime.timedelta(days=count - i))
        pages.append(page)
    return pages


@pytest.fixture
def small_limits(monkeypatch):
    from search_zh import postgres

    monkeypatch.setattr(postgres, "MANY_HITS", 3)
    monkeypatch.setattr(postgres, "CANDIDATES", 3)
    monkeypatch.setattr(postgres, "WALK_CHUNK", 2)
    monkeypatch.setattr(postgres, "WALK_LIMIT", 100)
    return postgres


class TestSharedWithFewHitsEvery(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_with_few_hits_every_match_is_ranked(self, client, point, small_limits):
        small_limits.MANY_HITS = 100
        dated_articles(point, 6, title_hit={0})
        found = public_titles(client, q="轮胎")
        # The oldest article has the word in its title: it is ranked first although five are newer.
        assert found[0] == "巴西轮胎反倾销0"
        assert len(found) == 6

    def test_with_many_hits_the_newest_are_ranked_title_hits_first(self, client, point, small_limits):
        dated_articles(point, 6, title_hit={0, 4})
        # Six matches are more than MANY_HITS: the three newest (3, 4, 5) are ranked, the title hit first.
        assert public_titles(client, q="轮胎") == ["巴西轮胎反倾销4", "外贸动态5", "外贸动态3"]

    def test_the_walk_limit_hands_over_to_one_query_with_the_same_result(self, client, point, small_limits):
        dated_articles(point, 6, title_hit={0, 4})
        small_limits.WALK_LIMIT = 2  # after the first chunk of two rows, PostgreSQL's join finds the rest
        assert public_titles(client, q="轮胎") == ["巴西轮胎反倾销4", "外贸动态5", "外贸动态3"]


def test_with_many_hits_unpublished_and_other_filters_still_apply(client, point, other_point, small_limits):
    pages = dated_articles(point, 5)
    pages[-1].unpublish()
    other = make_article(other_point, title="外贸动态其他", body="<p>巴西对华轮胎发起反倾销调查。</p>")
    assert "外贸动态4" not in public_titles(client, q="轮胎")
    assert public_titles(client, q="轮胎", point=str(other_point.pk)) == [other.title]


class TestSharedWithManyHitsExchange(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_with_many_hits_exchange_reports_are_walked_newest_first(self, client, point, small_limits):
        now = timezone.now()
        for i in range(5):
            make_exchange_report(
                point,
                title=f"轮胎交流{i}",
                body="<p>巴西对华轮胎发起反倾销调查。</p>",
                exchange_published_at=now - datetime.timedelta(days=10 - i),
            )
        make_exchange_report(point, title="轮胎未发布", body="<p>轮胎</p>", to_exchange=False)
        assert public_titles(client, q="轮胎", column="exchange") == ["轮胎交流4", "轮胎交流3", "轮胎交流2"]

    def test_admin_page_search_over_the_cap_lists_the_newest_and_says_so(self, client, point, provincial, monkeypatch):
        monkeypatch.setattr(page_search, "PAGE_HITS", 2)
        pages = dated_articles(point, 4)
        client.force_login(provincial)
        response = client.get("/admin/pages/search/", {"q": "外贸动态"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "匹配的页面超过 2 个" in html
        shown = [page.title for page in pages if page.title in html]
        assert shown == [pages[2].title, pages[3].title]


class TestSharedAdminPageSearchUnder(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_admin_page_search_under_the_cap_counts_exactly_and_keeps_the_editors_scope(
        self, client, point, other_point, point_editor
    ):
        make_article(point, title="欧盟反倾销终裁")
        make_article(other_point, title="印度反倾销调查")
        client.force_login(point_editor)
        html = client.get("/admin/pages/search/", {"q": "反倾销"}).content.decode()
        assert "欧盟反倾销终裁" in html and "印度反倾销调查" not in html
        assert "超过" not in html

    def test_admin_page_search_over_the_cap_keeps_the_editors_scope(
        self, client, point, other_point, point_editor, monkeypatch
    ):
        from search_zh import postgres

        monkeypatch.setattr(postgres, "MANY_HITS", 1)
        monkeypatch.setattr(postgres, "WALK_CHUNK", 2)
        monkeypatch.setattr(page_search, "PAGE_HITS", 5)
        own = dated_articles(point, 3)
        make_article(other_point, title="外贸动态其他点")
        client.force_login(point_editor)
        html = client.get("/admin/pages/search/", {"q": "外贸动态"}).content.decode()
        assert all(page.title in html for page in own)
        assert "外贸动态其他点" not in html
