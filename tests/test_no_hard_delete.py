"""Nothing submitted is ever lost: a hard delete is refused whatever the path."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from warning.models import AnnualSummary, QuarterlyAnalysis, WarningReport


def _report(point, submitted):
    from warning.models import Industry

    return WarningReport.objects.create(
        point=point,
        title="欧盟对华铝型材反倾销立案",
        industry=Industry.objects.get(name="机电"),
        country="EU",
        author="张三",
        phone="0571-87654321",
        body="<p>正文</p>",
        submitted_at=timezone.now() if submitted else None,
    )


def test_submitted_report_cannot_be_deleted(point):
    report = _report(point, submitted=True)
    # Deletion runs without a savepoint of its own; the test's own atomic
    # block stands in for the request's transaction.
    with pytest.raises(ProtectedError), transaction.atomic():
        report.delete()
    assert WarningReport.objects.filter(pk=report.pk).exists()


def test_unsubmitted_draft_is_not_protected_by_the_guard(point):
    report = _report(point, submitted=False)
    report.delete()
    assert not WarningReport.objects.filter(pk=report.pk).exists()


@pytest.mark.parametrize("model", [QuarterlyAnalysis, AnnualSummary])
def test_periodic_reports_cannot_be_deleted(point, model):
    extra = {"quarter": 1} if model is QuarterlyAnalysis else {}
    item = model.objects.create(
        point=point, year=2026, title="分析", content="内容", submitted_at=timezone.now(), **extra
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        item.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        model.objects.filter(pk=item.pk).delete()
    assert model.objects.filter(pk=item.pk).exists()
