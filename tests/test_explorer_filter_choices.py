"""The page explorer's filter drawers keep their choices in the shared cache (docs/performance.md).

Each explorer screen lists, in its four filter drawers, the pages' owners, the users who
edited a page, the sites and the page types. They are read from the cache, and every
change to them shows on the next request: a page given a new owner, a page edited by
someone new, a user renamed, a site added. Filtering by a choice still works.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Site

from subsites.models import ColumnKind
from tests import statistics_factories as sf
from tests.factories import make_user


@pytest.fixture
def explorer(client, point, point_editor):
    article = sf.make_article(point, ColumnKind.WARNING, timezone.now() - timedelta(days=1), title="已有文章")
    client.force_login(point_editor)
    url = reverse("wagtailadmin_explore", args=[sf._column(point, ColumnKind.WARNING).pk])
    return client, url, article


def choice(name, pk):
    return f'name="{name}" value="{pk}"'


def test_a_new_owner_and_a_renamed_one_show_on_the_next_request(explorer, point):
    client, url, article = explorer
    assert "已有文章" in client.get(url).text
    owner = make_user("point", point=point, username="new-owner")
    assert choice("owner", owner.pk) not in client.get(url).text
    article.owner = owner
    article.save()
    text = client.get(url).text
    assert choice("owner", owner.pk) in text and "new-owner" in text
    owner.first_name, owner.last_name = "三", "张"
    owner.save()
    assert "张" in client.get(url).text.split(choice("owner", owner.pk), 1)[1][:600]


def test_a_new_editor_shows_on_the_next_request(explorer, point):
    client, url, article = explorer
    editor = make_user("point", point=point, username="new-editor")
    client.get(url)  # the choices are now cached
    log(instance=article, action="wagtail.edit", user=editor)
    assert choice("edited_by", editor.pk) in client.get(url).text


def test_a_new_site_shows_on_the_next_request(explorer):
    client, url, _article = explorer
    client.get(url)
    site = Site.objects.create(hostname="new.example.com", root_page=Page.get_first_root_node(), site_name="新站点")
    text = client.get(url).text
    assert choice("site", site.pk) in text and "新站点" in text


def test_filtering_by_a_cached_choice_still_filters_and_costs_no_choice_query(explorer, point):
    client, url, article = explorer
    sf.make_article(point, ColumnKind.WARNING, timezone.now() - timedelta(days=2), title="他人文章")
    owner = make_user("point", point=point, username="filter-owner")
    article.owner = owner
    article.save()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        text = client.get(url, {"owner": owner.pk}).text
    assert "已有文章" in text and "他人文章" not in text
    owner_queries = [q["sql"] for q in ctx.captured_queries if 'SELECT DISTINCT U0."owner_id"' in q["sql"]]
    # the choices came from the cache: the one query left checks the chosen value against the database
    assert len(owner_queries) == 1 and f'"auth_user"."id" IN ({owner.pk})' in owner_queries[0]


def test_a_point_editor_is_offered_only_its_own_points_users_and_cannot_name_another(
    client, point, other_point, point_editor, other_point_editor, provincial
):
    """Wagtail's owner and editor drawers name every page owner and editor of the site."""
    mine = sf.make_article(point, ColumnKind.WARNING, timezone.now() - timedelta(days=1), title="本点文章")
    theirs = sf.make_article(other_point, ColumnKind.WARNING, timezone.now() - timedelta(days=1), title="他点文章")
    colleague = make_user("point", point=point, username="colleague-owner")
    stranger = make_user("point", point=other_point, username="stranger-owner")
    mine.owner, theirs.owner = colleague, stranger
    mine.save()
    theirs.save()
    log(instance=theirs, action="wagtail.edit", user=other_point_editor)
    url = reverse("wagtailadmin_explore", args=[sf._column(point, ColumnKind.WARNING).pk])
    client.force_login(point_editor)
    text = client.get(url).text
    assert choice("owner", colleague.pk) in text
    for name, user in (("owner", stranger), ("edited_by", other_point_editor)):
        assert choice(name, user.pk) not in text
    assert "stranger-owner" not in text and other_point_editor.username not in text
    # Naming the stranger in the address filters nothing and does not print the name.
    text = client.get(url, {"owner": stranger.pk}).text
    assert "stranger-owner" not in text
    client.force_login(provincial)
    text = client.get(url).text
    assert choice("owner", stranger.pk) in text and choice("edited_by", other_point_editor.pk) in text
