"""seed_demo's 预警信息 step: reports in every state, spread over points and months, reviewed through warning.review."""

import io

import pytest
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision, TaskState

from warning import review
from warning.demo import points as demo_points
from warning.demo import reports as demo_reports
from warning.models import Message, Profile, ReviewRecord, WarningPoint, WarningReport
from warning.models.profiles import GROUP_PROVINCIAL

# The marker makes pytest-django create the test database for this module (the
# module fixture alone would not), and wraps each test in its own transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo points and reports, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to seed a non-test database: {name}"
        demo_points.run(io.StringIO(), per_city=3)
        demo_reports.run(io.StringIO())
        yield
        transaction.set_rollback(True)


def test_every_review_state_is_present(demo):
    assert set(WarningReport.objects.values_list("stage", flat=True)) == set(WarningReport.Stage.values)
    rejected_at = set(ReviewRecord.objects.filter(action=review.REJECT).values_list("stage", flat=True))
    assert rejected_at == {review.CITY, review.PROVINCIAL}
    assert ReviewRecord.objects.filter(round=2, action=review.APPROVE).exists()


def test_approved_reports_carry_each_option_and_what_became_of_it(demo):
    approved = WarningReport.objects.filter(stage=WarningReport.Stage.APPROVED)
    assert approved.filter(to_exchange=True, exchange_published_at__isnull=False).exists()
    assert approved.filter(to_magazine=False, to_internal=False, to_exchange=False).exists()
    assert approved.filter(to_magazine=True, to_exchange=True).exists()
    assert {"pending", "adopted", "declined"} <= set(
        approved.filter(to_magazine=True).values_list("magazine_status", flat=True)
    )
    assert {"pending", "adopted", "declined"} <= set(
        approved.filter(to_internal=True).values_list("internal_status", flat=True)
    )
    assert approved.filter(leader_instruction=True, internal_status="adopted").exists()
    assert not approved.filter(to_internal=True).filter(to_magazine=True).exists()
    assert not approved.filter(to_internal=True).filter(to_exchange=True).exists()


def test_reports_are_spread_over_points_and_months_and_never_in_the_future(demo):
    now = timezone.now()
    submitted = WarningReport.objects.exclude(submitted_at=None)
    assert submitted.values("point").distinct().count() >= WarningPoint.objects.official().count() // 2
    months = {
        (timezone.localtime(t).year, timezone.localtime(t).month)
        for t in submitted.values_list("submitted_at", flat=True)
    }
    local = timezone.localtime(now)
    expected = {(2025, m) for m in range(1, 13)} | {(local.year, m) for m in range(1, local.month + 1)}
    assert expected <= months
    assert not submitted.filter(submitted_at__gt=now).exists()
    assert not ReviewRecord.objects.filter(created_at__gt=now).exists()


def test_decisions_and_wagtails_own_records_carry_the_demo_dates(demo):
    first = WarningReport.objects.exclude(submitted_at=None).order_by("submitted_at").first()
    assert timezone.localtime(first.submitted_at).year == 2025
    states = TaskState.objects.filter(workflow_state__object_id=str(first.pk))
    assert all(timezone.localtime(s.started_at).year == 2025 for s in states)
    for record in first.reviews.all():
        assert record.created_at >= first.submitted_at


def test_each_decision_was_taken_by_someone_allowed_to(demo):
    city_of_reviewer = dict(Profile.objects.exclude(city=None).values_list("user_id", "city_id"))
    records = ReviewRecord.objects.select_related("report__point__district", "user")
    for record in records.filter(stage=review.CITY):
        assert city_of_reviewer[record.user_id] == record.report.point.district.city_id
    for record in records.filter(stage=review.PROVINCIAL):
        assert record.user.groups.filter(name=GROUP_PROVINCIAL).exists()
    for report in WarningReport.objects.filter(stage=WarningReport.Stage.APPROVED):
        last_round = max(r.round for r in report.reviews.all())
        stages = {r.stage for r in report.reviews.filter(round=last_round, action=review.APPROVE)}
        assert {review.CITY, review.PROVINCIAL} <= stages


def test_waiting_reports_are_in_their_reviewers_queues(demo):
    waiting = WarningReport.objects.filter(stage=WarningReport.Stage.CITY)
    assert waiting.exists()
    for report in waiting:
        reviewer = Profile.objects.get(city_id=report.point.district.city_id, user__username__startswith="city").user
        assert report in review.queue_for(reviewer)
        assert review.current_task_state(report).task.specific.review_stage == review.CITY


def test_running_the_step_again_changes_nothing(demo):
    models = (WarningReport, ReviewRecord, Message, TaskState, Revision, ModelLogEntry)
    before = {m.__name__: m.objects.count() for m in models}
    demo_reports.run(io.StringIO())
    assert {m.__name__: m.objects.count() for m in models} == before


def test_demo_reports_are_in_the_search_index_though_indexed_in_bulk(demo):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    report_type = ContentType.objects.get_for_model(WarningReport)
    indexed = set(IndexEntry.objects.filter(content_type=report_type).values_list("object_id", flat=True))
    assert indexed == {str(pk) for pk in WarningReport.objects.values_list("pk", flat=True)}
