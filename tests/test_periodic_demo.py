"""The seed_demo step for 季度形势分析 / 年度工作总结: realistic, through the domain rules, idempotent, deterministic."""

import io

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_point, make_user
from warning.demo import periodic as demo
from warning.models import AnnualSummary, Message, QuarterlyAnalysis, WarningPoint
from warning.periodic import annual_on_time, end_of_day, in_quarterly_window, quarterly_due_date

# The marker makes pytest-django create the test database for this module (the
# module fixture alone would not), and wraps each test in its own transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker):
    """25 points with their editors, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to build on a non-test database: {name}"
        points = [make_point(name=f"演示{i:02d}号对外贸易预警点", responsible=0) for i in range(24)]
        editors = [make_user("point", point=p, username=f"demo_point{i:02d}") for i, p in enumerate(points)]
        preparing = make_point(name="演示筹建预警点", status=WarningPoint.Status.PREPARING, responsible=0)
        make_user("point", point=preparing, username="demo_preparing")
        magazine_editor = make_user("magazine", username="demo_magazine")
        yield points, editors, preparing, magazine_editor
        transaction.set_rollback(True)


def snapshot():
    quarterlies = QuarterlyAnalysis.objects.order_by("point__name", "year", "quarter").values_list(
        "point__name", "year", "quarter", "title", "submitted_at", "magazine_status", "magazine_decided_at"
    )
    summaries = AnnualSummary.objects.order_by("point__name", "year").values_list(
        "point__name", "year", "title", "submitted_at"
    )
    return list(quarterlies), list(summaries)


def run():
    out = io.StringIO()
    demo.run(out)
    return out.getvalue()


def test_demo_files_a_year_of_analyses_and_summaries_with_late_ones(demo_province):
    points, editors, preparing, _ = demo_province
    run()
    quarterlies = list(QuarterlyAnalysis.objects.all())
    summaries = list(AnnualSummary.objects.all())
    assert {q.year for q in quarterlies} == {2025, 2026}
    assert {s.year for s in summaries} == {2024, 2025}
    assert not QuarterlyAnalysis.objects.filter(point=preparing).exists()
    assert all(q.submitted_by in editors for q in quarterlies)
    late = [q for q in quarterlies if q.submitted_at >= end_of_day(quarterly_due_date(q.year, q.quarter))]
    assert late and len(late) < len(quarterlies) / 3
    assert any(not in_quarterly_window(q) for q in quarterlies)  # a 2025 Q4 filed after 20 January 2026
    assert any(not annual_on_time(s) for s in summaries) and any(annual_on_time(s) for s in summaries)
    assert any(q.attachment for q in quarterlies)
    assert all(q.submitted_at <= timezone.now() for q in quarterlies)


def test_demo_magazine_decisions_go_through_the_magazine_rules(demo_province):
    *_, magazine_editor = demo_province
    run()
    decided = QuarterlyAnalysis.objects.exclude(magazine_status=QuarterlyAnalysis.Decision.PENDING)
    assert decided.filter(magazine_status=QuarterlyAnalysis.Decision.ADOPTED).exists()
    assert decided.filter(magazine_status=QuarterlyAnalysis.Decision.DECLINED).exists()
    assert QuarterlyAnalysis.objects.filter(magazine_status=QuarterlyAnalysis.Decision.PENDING).exists()
    assert all(q.decided_by == magazine_editor and q.magazine_decided_at > q.submitted_at for q in decided)
    assert Message.objects.filter(title__startswith="季度形势分析", title__contains="录用").count() == decided.count()
    # every analysis filed told the magazine editor that it waits in the queue
    told = set(
        Message.objects.filter(recipient=magazine_editor, title__startswith="待杂志录用").values_list("url", flat=True)
    )
    assert told == {reverse("warning_magazine:quarterly_detail", args=[q.pk]) for q in QuarterlyAnalysis.objects.all()}


def test_demo_leaves_some_points_missing_what_is_due(demo_province):
    from warning.periodic import missing_submissions

    run()
    assert 0 < len(missing_submissions()) < 24


def test_demo_is_idempotent(demo_province):
    run()
    before = snapshot()
    messages = Message.objects.count()
    out = run()
    assert snapshot() == before
    assert Message.objects.count() == messages
    assert "新增 0 份" in out


def test_demo_is_deterministic(demo_province):
    # Submitted items cannot be deleted, so the first run is rolled back instead.
    with transaction.atomic():
        run()
        first = snapshot()
        transaction.set_rollback(True)
    assert not QuarterlyAnalysis.objects.exists()
    run()
    assert snapshot() == first
