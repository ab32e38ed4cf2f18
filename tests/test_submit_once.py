"""Submitting is idempotent: a double 提交 / 下发 / periodic submission makes exactly one item.

The concurrent cases send two requests at the same moment from two threads,
each with its own database connection; they need PostgreSQL (SQLite's test
database serialises writers and is shared in memory), so they skip on SQLite.
The repeated (non-concurrent) post runs on both.
"""

import re
import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.test_reports_admin import form_data
from warning.models import AnnualSummary, Message, Notice, WarningReport

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two truly simultaneous requests need two PostgreSQL connections; SQLite serialises them",
)
ADD = "wagtailsnippets_warning_warningreport:add"


def token_in(response):
    return re.search(r'name="form_token" value="([0-9a-f-]{36})"', response.content.decode()).group(1)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def simultaneously(*calls):
    """Run the calls in threads released together; return their results (closing each thread's connection)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- the report add form -------------------------------------------------------------------


def test_report_add_form_carries_a_fresh_token(point_editor):
    client = logged_in(point_editor)
    assert token_in(client.get(reverse(ADD))) != token_in(client.get(reverse(ADD)))


def test_posting_the_same_report_form_twice_submits_one_report(point, point_editor):
    client = logged_in(point_editor)
    token = token_in(client.get(reverse(ADD)))
    data = {**form_data(), "form_token": token, "action-submit": "1"}
    first = client.post(reverse(ADD), data)
    second = client.post(reverse(ADD), data, follow=True)
    assert first.status_code == 302
    assert "没有重复创建" in second.content.decode()
    report = WarningReport.objects.get()
    assert report.stage == WarningReport.Stage.CITY


def test_a_token_of_another_points_report_is_refused(point, point_editor, other_point_editor):
    token = str(uuid.uuid4())
    logged_in(other_point_editor).post(reverse(ADD), {**form_data(), "form_token": token, "action-submit": "1"})
    response = logged_in(point_editor).post(reverse(ADD), {**form_data(), "form_token": token, "action-submit": "1"})
    assert response.status_code == 200
    assert "表单已失效" in response.content.decode()
    assert WarningReport.objects.count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_of_one_report_form_make_one_report(point, point_editor):
    token = token_in(logged_in(point_editor).get(reverse(ADD)))
    data = {**form_data(), "form_token": token, "action-submit": "1"}
    clients = [logged_in(point_editor), logged_in(point_editor)]
    responses = simultaneously(*(lambda c=c: c.post(reverse(ADD), data) for c in clients))
    assert [r.status_code for r in responses] == [302, 302]
    assert WarningReport.objects.count() == 1
    assert WarningReport.objects.get().stage == WarningReport.Stage.CITY


# --- 下发 of a notice ------------------------------------------------------------------------


def notice_data(token):
    return {"title": "关于报送季度分析的通知", "body": "请按时报送。", "audience": "all", "form_token": token}


def test_posting_the_same_notice_form_twice_issues_one_notice(provincial, point, point_editor):
    client = logged_in(provincial)
    token = token_in(client.get(reverse("warning_notices:add")))
    client.post(reverse("warning_notices:add"), notice_data(token))
    second = client.post(reverse("warning_notices:add"), notice_data(token), follow=True)
    assert "没有重复下发" in second.content.decode()
    assert Notice.objects.count() == 1
    assert Message.objects.filter(recipient=point_editor).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_issues_of_one_notice_form_make_one_notice(provincial, point, point_editor):
    token = str(uuid.uuid4())
    clients = [logged_in(provincial), logged_in(provincial)]
    responses = simultaneously(
        *(lambda c=c: c.post(reverse("warning_notices:add"), notice_data(token)) for c in clients)
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert Notice.objects.count() == 1
    assert Message.objects.filter(recipient=point_editor).count() == 1


# --- periodic reports ----------------------------------------------------------------------


def annual_data():
    return {"title": "年度工作总结", "year": timezone.localdate().year - 1, "content": "全年工作情况。"}


def test_posting_the_same_annual_summary_twice_keeps_one_item(point, point_editor):
    client = logged_in(point_editor)
    for _ in range(2):
        assert client.post(reverse("warning_periodic:annual_submit"), annual_data()).status_code == 302
    assert AnnualSummary.objects.filter(point=point).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_periodic_submissions_make_one_item(point, point_editor):
    clients = [logged_in(point_editor), logged_in(point_editor)]
    responses = simultaneously(
        *(lambda c=c: c.post(reverse("warning_periodic:annual_submit"), annual_data()) for c in clients)
    )
    assert all(r.status_code in (200, 302) for r in responses)
    assert AnnualSummary.objects.filter(point=point).count() == 1
