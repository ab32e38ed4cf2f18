"""后台导出 (large exports built by the worker, downloaded later) and the nightly clean-up (docs/tasks.md)."""

import io
from datetime import timedelta
from importlib import import_module
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from jobs.cleanup import clean_up
from jobs.models import ExportFile, MailDelivery
from jobs.tasks import build_export
from tests.factories import make_user
from warning.exports import info_list
from warning.notify import notify_users
from warning.statistics import default_year

pytestmark = pytest.mark.django_db


def sheet_rows(content):
    return [tuple(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def download(client, export):
    response = client.get(reverse("jobs:export_download", args=[export.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def ask_for_info_list(client, **fields):
    return client.post(reverse("jobs:export_request"), {"kind": "info_list", "year": default_year(), **fields})


def test_a_background_export_is_built_by_the_worker_and_downloaded_by_whoever_asked(
    client, run_worker, provincial, point
):
    client.force_login(provincial)
    response = ask_for_info_list(client)
    assert response.status_code == 302 and response.url == reverse("jobs:exports")
    export = ExportFile.objects.get()
    assert (export.requested_by, export.status) == (provincial, ExportFile.Status.PENDING)
    assert "排队中" in client.get(reverse("jobs:exports")).content.decode()
    assert download(client, export)[0].status_code == 404  # not built yet

    run_worker()
    build_export.enqueue(export.pk)  # built twice: the file is replaced, not doubled
    run_worker()

    export.refresh_from_db()
    assert export.status == ExportFile.Status.DONE and export.finished_at
    response, content = download(client, export)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(quote(export.filename))
    expected = io.BytesIO()
    info_list.write_info_list(expected, default_year())
    assert sheet_rows(content) == sheet_rows(expected.getvalue())
    assert any(point.name in (row[0] or "") for row in sheet_rows(content))
    storage = export.file.storage
    assert storage.listdir(f"exports/{export.token}")[1] == [export.file.name.rsplit("/", 1)[1]]  # one file


def test_nobody_else_reaches_an_export(client, provincial, point_editor, city_reviewer):
    export = ExportFile.objects.create(
        requested_by=provincial, kind="info_list", params={"year": 2025}, filename="x.xlsx", status="done"
    )
    export.file.save("x.xlsx", ContentFile(b"data"))
    other_provincial = make_user("province")

    client.force_login(other_provincial)
    assert download(client, export)[0].status_code == 404
    assert list(client.get(reverse("jobs:exports")).context["object_list"]) == []
    for user in (point_editor, city_reviewer):
        client.force_login(user)
        for response in (
            client.get(reverse("jobs:exports")),
            download(client, export)[0],
            ask_for_info_list(client),
        ):
            assert response.status_code == 403
            assert "只有预警工作联系人" in response.content.decode()
    assert ExportFile.objects.count() == 1
    client.logout()
    assert download(client, export)[0].status_code == 302  # to the login page


def test_a_bad_export_request_says_why_and_records_nothing(client, provincial):
    client.force_login(provincial)
    response = ask_for_info_list(client, year="1800")
    assert response.status_code == 302
    assert "导出申请失败：请选择有效的年度" in client.get(response.url).content.decode()
    response = client.post(reverse("jobs:export_request"), {"kind": "everything", "year": default_year()})
    assert "导出申请失败" in client.get(response.url).content.decode()
    assert ExportFile.objects.count() == 0


def test_the_statistics_pages_offer_the_background_export(client, provincial):
    client.force_login(provincial)
    counts = client.get(reverse("warning_statistics:counts")).content.decode()
    scores = client.get(reverse("warning_statistics:scores")).content.decode()
    assert 'data-background-export="info_list"' in counts and "后台生成信息清单" in counts
    assert 'data-background-export="scores"' in scores and "后台生成分数详情" in scores
    assert "导出信息清单" in counts  # the synchronous export stays


def test_the_synchronous_export_still_answers_at_once(client, provincial, point):
    client.force_login(provincial)
    response = client.get(reverse("warning_statistics:export_info_list"), {"year": default_year()})
    assert response.status_code == 200
    assert any(point.name in (row[0] or "") for row in sheet_rows(response.content))
    assert ExportFile.objects.count() == 0


def test_export_list_queries_do_not_grow_with_the_exports(client, provincial, django_assert_max_num_queries):
    client.force_login(provincial)

    def add(n):
        ExportFile.objects.bulk_create(
            ExportFile(requested_by=provincial, kind="scores", params={"year": 2025}, filename=f"{i}.xlsx")
            for i in range(n)
        )

    add(2)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("jobs:exports")).status_code == 200
    add(40)
    with django_assert_max_num_queries(16):
        assert len(client.get(reverse("jobs:exports")).context["object_list"]) == 20


def test_an_export_that_keeps_failing_is_marked_failed(run_worker, settings, provincial):
    settings.JOBS_RETRY_DELAYS = ()  # one attempt only
    export = ExportFile.objects.create(requested_by=provincial, kind="info_list", params={}, filename="x.xlsx")
    build_export.enqueue(export.pk)  # params without a year: the writer fails
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportFile.Status.FAILED and "生成失败" in export.error


def test_the_clean_up_requeues_mails_whose_task_gave_up(run_worker, point_editor, city_reviewer):
    notify_users([point_editor, city_reviewer], "有新的预警信息待审核")
    DBTaskResult.objects.all().delete()  # the sending task gave up long ago
    stuck, fresh = MailDelivery.objects.order_by("pk")
    MailDelivery.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))

    assert clean_up()["mails_requeued"] == 1
    run_worker()

    assert [m.to for m in mail.outbox] == [[stuck.address]]
    assert clean_up()["mails_requeued"] == 0


def test_the_clean_up_deletes_by_age_only(database_queue, provincial):
    now = timezone.now()
    old_export = ExportFile.objects.create(requested_by=provincial, kind="scores", filename="old.xlsx")
    old_export.file.save("old.xlsx", ContentFile(b"old"))
    new_export = ExportFile.objects.create(requested_by=provincial, kind="scores", filename="new.xlsx")
    ExportFile.objects.filter(pk=old_export.pk).update(created_at=now - timedelta(days=8))
    storage, old_name = old_export.file.storage, old_export.file.name

    def result(status, age_days):
        return DBTaskResult(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="jobs.tasks.clean_up",
            backend_name="default",
            run_after=now,
            finished_at=now - timedelta(days=age_days),
        )

    DBTaskResult.objects.bulk_create(
        [
            result(TaskResultStatus.SUCCESSFUL, 15),
            result(TaskResultStatus.SUCCESSFUL, 1),
            result(TaskResultStatus.FAILED, 15),
            result(TaskResultStatus.FAILED, 61),
        ]
    )
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=now - timedelta(days=1))

    assert clean_up(now) == {"task_results": 2, "exports": 1, "records": 0, "mails_requeued": 0}
    assert clean_up(now) == {"task_results": 0, "exports": 0, "records": 0, "mails_requeued": 0}

    assert list(ExportFile.objects.all()) == [new_export]
    assert not storage.exists(old_name)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
    assert not Session.objects.filter(session_key=store.session_key).exists()
