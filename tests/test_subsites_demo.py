"""seed_demo's subsites step: a realistic, dated year of pages per demo point, idempotent and deterministic."""

import datetime
import io
import random
from collections import Counter
from types import SimpleNamespace

import pytest
from django.utils import timezone

from subsites import demo
from subsites.models import ArticlePage, ColumnKind
from tests.factories import make_point, make_user
from warning.models import WarningPoint
from warning.signals import allow_hard_delete

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def demo_points(db):
    points = [
        make_point(name="建德精细化工产品对外贸易预警示范点"),
        make_point(name="庆元铅笔对外贸易预警示范点", district_name="庆元县"),
        make_point(name="温州市鞋产品对外贸易预警示范点", district_name="鹿城区"),
    ]
    make_user("point", point=points[0])
    return points


def run_demo():
    out = io.StringIO()
    demo.run(out)
    return out.getvalue()


def snapshot():
    return sorted(ArticlePage.objects.values_list("point__name", "column_kind", "title", "first_published_at", "date"))


def test_every_demo_subsite_gets_published_pages_in_both_years(demo_points):
    run_demo()
    for point in demo_points:
        articles = ArticlePage.objects.filter(point=point)
        years = {timezone.localtime(a.first_published_at).year for a in articles}
        assert years == {2025, 2026}
        assert all(a.live for a in articles)


def test_demo_pages_are_published_through_revisions_by_the_points_editor(demo_points):
    run_demo()
    editor = demo_points[0].editor_profiles.get().user
    articles = ArticlePage.objects.filter(point=demo_points[0])
    assert articles.exists()
    for article in articles:
        assert article.live_revision is not None
        assert article.live_revision.user == editor
        local = timezone.localtime(article.first_published_at)
        assert article.date == local.date()
        assert article.live_revision.created_at == article.first_published_at
        assert article.first_published_at <= timezone.now()


def test_demo_news_pages_carry_locally_drawn_photos(demo_points):
    run_demo()
    news = ArticlePage.objects.filter(column_kind=ColumnKind.NEWS).prefetch_related("gallery_images__image")
    assert news.exists()
    for page in news:
        images = [item.image for item in page.gallery_images.all()]
        assert images and all(image.width == 960 and image.description for image in images)


def test_demo_warning_pages_have_industry_country_and_realistic_text(demo_points):
    run_demo()
    for page in ArticlePage.objects.filter(column_kind=ColumnKind.WARNING):
        assert page.industry is not None and page.country
        assert "应对建议" in page.body and page.summary


def test_second_run_changes_nothing(demo_points):
    run_demo()
    before = snapshot()
    revisions = sum(page.revisions.count() for page in ArticlePage.objects.all())
    run_demo()
    assert snapshot() == before
    assert sum(page.revisions.count() for page in ArticlePage.objects.all()) == revisions


def test_demo_is_deterministic(demo_points):
    run_demo()
    first = snapshot()
    with allow_hard_delete():  # a rebuild from scratch; nothing else may delete live articles
        for page in ArticlePage.objects.all():
            page.delete()
    run_demo()
    assert snapshot() == first


def test_retired_points_get_no_demo_pages(db):
    retired = make_point(status=WarningPoint.Status.REVOKED)
    run_demo()
    assert not ArticlePage.objects.filter(point=retired).exists()


def test_activity_levels_keep_a_few_very_active_points_and_most_light():
    points = [SimpleNamespace(pk=n, name=f"预警点{n}") for n in range(106)]
    levels = Counter(name for name, _ in demo.activity_levels(points).values())
    assert levels == {"very_active": 2, "active": 2, "regular": 2, "light": 16, "dormant": 84}


def test_a_very_active_point_reaches_the_top_score_bands():
    rates = dict((name, rates) for name, _, rates in demo.LEVELS)["very_active"]
    plan = demo.plan_publications(random.Random("very"), rates, TODAY)
    in_2025 = Counter(kind for kind, moment in plan if timezone.localtime(moment).year == 2025)
    assert in_2025[ColumnKind.WARNING] / 12 >= 7  # A2: ≥7 a month → 5
    assert in_2025[ColumnKind.NEWS] / 12 >= 3  # A3: ≥3 a month → 5
    months = {(timezone.localtime(m).year, timezone.localtime(m).month) for _, m in plan}
    assert len(months) == 12 + TODAY.month  # every month has something
    assert max(timezone.localtime(m).date() for _, m in plan) < TODAY


def test_a_dormant_point_still_shows_life_every_year():
    plan = demo.plan_publications(random.Random("dormant"), (0, 0, 0), TODAY)
    assert {timezone.localtime(moment).year for _, moment in plan} == {2025, 2026}
