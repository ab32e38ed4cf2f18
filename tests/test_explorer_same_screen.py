"""The page explorer reads fewer rows and shows exactly what Wagtail's own explorer shows.

warning/admin/explorer.py serves the explorer through Wagtail's listing with the rows it
reads shared or taken from caches (docs/performance.md). Each screen is rendered twice in
the same state: by our view and by Wagtail's ExplorableIndexView, swapped into the same
viewset; the two pages must be identical but for the CSRF token. The column explored has a
draft with a scheduled publication (the status panel's schedule, the breadcrumb's draft
title), the subsite's home a draft not scheduled; the column's pages include a draft, a
locked page and a private one. Our view must also run
fewer queries, and what it caches must follow changes: a new view restriction and a new
site show on the next request exactly as Wagtail shows them.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, PageViewRestriction, Site

from subsites.models import ColumnKind
from tests import statistics_factories as sf
from tests.factories import make_user

TOKENS = re.compile(r'("CSRF_TOKEN": "|name="csrfmiddlewaretoken" value=")[^"]+"')


def _normal(response):
    assert response.status_code == 200
    return TOKENS.sub(r"\1…", response.content.decode())


@pytest.fixture
def wagtails_view(monkeypatch):
    """Render with Wagtail's own ExplorableIndexView (same viewset, filters and columns) inside the block."""
    reverse("wagtailadmin_explore_root")  # the admin's URLs load (and register) the viewsets
    viewset = page_viewset_registry.get_by_type(Page)
    kwargs = viewset.get_index_view_kwargs()
    views = {
        "index": viewset.construct_view(ExplorableIndexView, **kwargs),
        "index_results": viewset.construct_view(ExplorableIndexView, **kwargs, results_only=True),
    }

    class Swapped:
        def __enter__(self):
            for name, view in views.items():
                monkeypatch.setitem(viewset.views, name, view)

        def __exit__(self, *exc):
            monkeypatch.undo()

    return Swapped


def both(client, url, wagtails_view):
    """(ours, Wagtail's) normalised HTML of `url`, and the number of queries each ran."""
    client.get(url)  # warm the process's caches for both
    with CaptureQueriesContext(connection) as ours:
        mine = _normal(client.get(url))
    with wagtails_view():
        client.get(url)
        with CaptureQueriesContext(connection) as theirs:
            wagtails = _normal(client.get(url))
    return mine, wagtails, len(ours.captured_queries), len(theirs.captured_queries)


@pytest.fixture
def column(point, point_editor):
    """The point's 预警信息 column: a draft scheduled to go live, over a draft, a locked and a private page."""
    now = timezone.now()
    pages = [sf.make_article(point, ColumnKind.WARNING, now - timedelta(days=i + 1)) for i in range(4)]
    draft = pages[0]
    draft.title = "草稿标题"
    draft.save_revision(user=point_editor)
    Page.objects.filter(pk=pages[1].pk).update(locked=True, locked_by=point_editor, locked_at=now)
    PageViewRestriction.objects.create(page=pages[2], restriction_type=PageViewRestriction.LOGIN)
    column = sf._column(point, ColumnKind.WARNING)
    column.save_revision(user=point_editor)  # published once, then a scheduled draft
    column.get_latest_revision().publish()
    column.refresh_from_db()
    column.title = "预警信息（待发布）"
    column.go_live_at = now + timedelta(days=3)
    column.save_revision(user=point_editor, approved_go_live_at=now + timedelta(days=3))
    home = point.subsite.specific  # a draft not scheduled
    home.title = "预警点（草稿）"
    home.save_revision(user=point_editor)
    return column, pages


@pytest.mark.parametrize("role", ["province", "point", "superuser"])
def test_a_column_shows_what_wagtails_explorer_shows_in_fewer_queries(
    client, role, point, point_editor, column, wagtails_view
):
    user = {
        "province": lambda: make_user("province"),
        "point": lambda: point_editor,
        "superuser": lambda: get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!"),
    }[role]()
    client.force_login(user)
    page, articles = column
    url = reverse("wagtailadmin_explore", args=[page.pk])

    mine, wagtails, queries, wagtails_queries = both(client, url, wagtails_view)
    assert mine == wagtails
    assert queries < wagtails_queries
    # The screen's parts: breadcrumbs with the draft title, the status panel with its schedule,
    # usage count and history, the listed pages with the type column, the lock and privacy marks.
    for part in ("预警信息（待发布）", 'data-side-panel="status"', "w-status", articles[0].title, "草稿标题"):
        assert part in mine, part
    for variant in ("?ordering=title", "?q=预警", "?has_child_pages=false"):
        mine, wagtails, _, _ = both(client, url + variant, wagtails_view)
        assert mine == wagtails, variant
    results = reverse("wagtailadmin_explore_results", args=[page.pk])
    mine, wagtails, _, _ = both(client, results, wagtails_view)
    assert mine == wagtails
    mine, wagtails, _, _ = both(client, reverse("wagtailadmin_explore", args=[point.subsite_id]), wagtails_view)
    assert mine == wagtails
    assert "预警点（草稿）" in mine


def test_a_new_restriction_and_a_new_site_show_on_the_next_request(client, point, column, wagtails_view):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!")
    client.force_login(superuser)
    page, articles = column
    url = reverse("wagtailadmin_explore", args=[page.pk])
    before, _, _, _ = both(client, url, wagtails_view)

    PageViewRestriction.objects.create(page=articles[3], restriction_type=PageViewRestriction.LOGIN)
    restricted, wagtails, _, _ = both(client, url, wagtails_view)
    assert restricted != before
    assert restricted == wagtails

    Site.objects.create(hostname="testserver", port=80, root_page=point.subsite, site_name="预警点站")
    with_site, wagtails, _, _ = both(client, url, wagtails_view)
    assert with_site != restricted
    assert with_site == wagtails

    PageViewRestriction.objects.filter(page=articles[3]).delete()
    unrestricted, wagtails, _, _ = both(client, url, wagtails_view)
    assert unrestricted != with_site
    assert unrestricted == wagtails


def test_the_superusers_root_shows_what_wagtails_explorer_shows(client, point, column, wagtails_view):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!"))
    mine, wagtails, queries, wagtails_queries = both(client, reverse("wagtailadmin_explore_root"), wagtails_view)
    assert mine == wagtails
    assert queries < wagtails_queries
