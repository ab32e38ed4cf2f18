"""Background work through the real database queue and worker: e-mail, a notice's fan-out, retries,
the failed-task screen, the daily scheduler (docs/tasks.md)."""

import io
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.mail import deliver_mails
from jobs.models import MailDelivery, ScheduledRun
from jobs.retry import WillRetry
from jobs.schedule import DAILY_JOBS, enqueue_due
from jobs.tasks import daily_reminders, fan_out_notice
from tests.factories import bulk_points, make_point, make_user
from tests.shared_points import SharedPoints
from warning.models import Message, Notice, WarningPoint
from warning.notices import issue_notice
from warning.notify import notify_users
from warning.periodic import SHANGHAI, shanghai_now

pytestmark = pytest.mark.django_db

RETRIED = f"{WillRetry.__module__}.{WillRetry.__qualname__}"


def ready_tasks():
    """Our tasks waiting in the queue (Wagtail's own indexing tasks are left out)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path__startswith="jobs.")


def task_paths(queryset):
    return sorted(queryset.values_list("task_path", flat=True))


def make_due():
    """The backoff has elapsed: every waiting attempt may run now."""
    ready_tasks().update(run_after=timezone.now() - timedelta(seconds=1))


# --- e-mail ---------------------------------------------------------------------------------------


class TestSharedARequestWritesThe(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_a_request_writes_the_messages_and_only_the_worker_sends_the_mail(
        self, client, database_queue, run_worker, provincial, point, point_editor
    ):
        client.force_login(provincial)
        response = client.post(
            reverse("warning_notices:add"),
            {"title": "关于开展培训的通知", "body": "请各预警点派员参加。", "audience": "chosen", "points": [point.pk]},
        )

        assert response.status_code == 302
        assert mail.outbox == []
        assert task_paths(ready_tasks()) == ["jobs.tasks.fan_out_notice"]

        run_worker()

        assert [m.to for m in mail.outbox] == [[point_editor.email]]
        assert mail.outbox[0].subject == "关于开展培训的通知"
        assert Message.objects.filter(recipient=point_editor, notice__isnull=False).count() == 1
        assert MailDelivery.objects.get().status == MailDelivery.Status.SENT

    def test_notify_users_writes_messages_at_once_and_queues_the_mail(
        self, database_queue, point_editor, city_reviewer
    ):
        notify_users([point_editor, city_reviewer], "有新的预警信息待审核", "请及时审核")

        assert Message.objects.count() == 2
        assert mail.outbox == []
        assert MailDelivery.objects.filter(status=MailDelivery.Status.PENDING).count() == 2
        assert task_paths(ready_tasks()) == ["jobs.mail.deliver_mails"]

    def test_running_the_mail_task_twice_sends_each_mail_once(self, run_worker, point_editor, city_reviewer):
        notify_users([point_editor, city_reviewer], "有新的预警信息待审核")
        ids = list(MailDelivery.objects.values_list("pk", flat=True))

        run_worker()
        run_worker()
        deliver_mails.enqueue(ids)  # the same work enqueued again (an operator, a duplicate)
        run_worker()

        assert sorted(m.to[0] for m in mail.outbox) == sorted([point_editor.email, city_reviewer.email])
        assert set(MailDelivery.objects.values_list("status", "attempts")) == {(MailDelivery.Status.SENT, 1)}


# --- a notice's fan-out ---------------------------------------------------------------------------


def test_a_notice_to_all_points_fans_out_one_message_per_editor(run_worker, provincial):
    points = bulk_points(6)
    editors = [make_user("point", point=p) for p in points for _ in range(2)]
    revoked = make_point(status=WarningPoint.Status.REVOKED)
    revoked_editor = make_user("point", point=revoked)

    notice = issue_notice(provincial, "出口管制新规提示", "请关注。", Notice.Audience.ALL)
    assert Message.objects.count() == 0  # the request only enqueued the fan-out
    run_worker()
    fan_out_notice.enqueue(notice.pk)  # and once more: nobody is told twice
    run_worker()

    told = list(Message.objects.filter(notice=notice).values_list("recipient_id", flat=True))
    assert sorted(told) == sorted(e.pk for e in editors)
    assert not Message.objects.filter(recipient=revoked_editor).exists()
    assert len(mail.outbox) == len(editors)
    assert set(Message.objects.filter(notice=notice).values_list("created_at", flat=True)) == {notice.issued_at}


# --- retries and the failed-task screen -----------------------------------------------------------


def test_a_failing_task_is_retried_with_backoff_then_shown_failed_to_the_superuser_only(
    client, settings, run_worker, point_editor, provincial
):
    settings.EMAIL_BACKEND = "tests.jobs_helpers.RefusingMailBackend"
    settings.JOBS_RETRY_DELAYS = (60, 300, 1800)
    notify_users([point_editor], "您的预警信息已通过审核")

    for attempt, delay in enumerate(settings.JOBS_RETRY_DELAYS, start=1):
        before = timezone.now()
        run_worker()
        waiting = ready_tasks().get()
        assert waiting.args_kwargs["kwargs"] == {"attempt": attempt + 1}
        assert before + timedelta(seconds=delay - 1) <= waiting.run_after <= timezone.now() + timedelta(seconds=delay)
        assert run_worker() == "" and ready_tasks().count() == 1  # not before the backoff has elapsed
        make_due()
    run_worker()

    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert failed.count() == 4 and not ready_tasks().exists()
    assert failed.filter(exception_class_path=RETRIED).count() == 3
    final = failed.exclude(exception_class_path=RETRIED).get()
    assert final.exception_class_path == "jobs.mail.MailNotSent"
    delivery = MailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (MailDelivery.Status.PENDING, 4)
    assert "ConnectionRefusedError" in delivery.last_error
    assert mail.outbox == []

    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!")
    client.force_login(superuser)
    listing = client.get(reverse("jobs:failed"))
    assert listing.status_code == 200
    assert [r.pk for r in listing.context["object_list"]] == [final.pk]
    assert "发送邮件" in listing.content.decode() and "最终失败" in listing.content.decode()
    assert len(client.get(reverse("jobs:failed") + "?retried=1").context["object_list"]) == 4
    detail = client.get(reverse("jobs:failed_detail", args=[final.pk])).content.decode()
    assert "ConnectionRefusedError" in detail and "MailNotSent" in detail and "Traceback" in detail

    for user in (provincial, point_editor):
        client.force_login(user)
        for url in (reverse("jobs:failed"), reverse("jobs:failed_detail", args=[final.pk])):
            response = client.get(url)
            assert response.status_code == 403
            assert "只有系统管理员可以查看失败的后台任务" in response.content.decode()

    # The mail server is back: the mail goes out once when the work is enqueued again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_mails.enqueue([delivery.pk])
    run_worker()
    run_worker()
    assert [m.to for m in mail.outbox] == [[point_editor.email]]


def test_failed_task_list_queries_do_not_grow_with_the_failures(client, django_assert_max_num_queries):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!")
    client.force_login(superuser)

    def fail(n):
        DBTaskResult.objects.bulk_create(
            DBTaskResult(
                status=TaskResultStatus.FAILED,
                args_kwargs={"args": [[i]], "kwargs": {}},
                task_path="jobs.mail.deliver_mails",
                backend_name="default",
                run_after=timezone.now(),
                finished_at=timezone.now(),
                exception_class_path="jobs.mail.MailNotSent",
                traceback="Traceback (most recent call last):\njobs.mail.MailNotSent: 1 封邮件未能发出",
            )
            for i in range(n)
        )

    fail(2)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("jobs:failed")).status_code == 200
    fail(40)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("jobs:failed"))
    assert len(response.context["object_list"]) == 20


# --- the daily scheduler and reminders ------------------------------------------------------------


def shanghai(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_each_daily_job_is_enqueued_once_per_day(database_queue):
    assert enqueue_due(shanghai(2026, 10, 15, 2, 0)) == []
    assert enqueue_due(shanghai(2026, 10, 15, 8, 0)) == ["clean_up"]
    assert enqueue_due(shanghai(2026, 10, 15, 9, 30)) == ["daily_reminders"]
    assert enqueue_due(shanghai(2026, 10, 15, 23, 59)) == []
    assert enqueue_due(shanghai(2026, 10, 16, 9, 0)) == ["clean_up", "daily_reminders"]

    assert task_paths(ready_tasks()) == ["jobs.tasks.clean_up"] * 2 + ["jobs.tasks.daily_reminders"] * 2
    runs = ScheduledRun.objects.order_by("day", "job")
    assert [(r.job, f"{r.day:%m-%d}") for r in runs] == [
        ("clean_up", "10-15"),
        ("daily_reminders", "10-15"),
        ("clean_up", "10-16"),
        ("daily_reminders", "10-16"),
    ]
    assert all(r.task_result_id for r in runs)


def test_run_scheduler_once_enqueues_todays_due_jobs_and_a_second_pass_nothing(database_queue):
    def due_now():
        return {job.name for job in DAILY_JOBS if shanghai_now().time() >= job.at}

    due_before = due_now()
    call_command("run_scheduler", once=True, stdout=io.StringIO())
    first = set(ScheduledRun.objects.values_list("job", flat=True))
    call_command("run_scheduler", once=True, stdout=io.StringIO())
    second = list(ScheduledRun.objects.values_list("job", flat=True))

    assert due_before <= first <= set(second) <= due_now()
    assert len(second) == len(set(second)) == ready_tasks().count()


def test_daily_reminders_tell_each_editor_once_a_day_about_items_near_their_deadline(run_worker):
    late = make_point(status=WarningPoint.Status.OFFICIAL)
    editor = make_user("point", point=late)

    daily_reminders.enqueue("2026-10-15")  # 2026 Q3 analysis due 20 October: 5 days ahead
    daily_reminders.enqueue("2026-10-15")  # the same day's job twice
    run_worker()
    first = Message.objects.get(recipient=editor)
    assert "2026年第3季度形势分析" in first.body and "2025年度工作总结" not in first.body
    assert len(mail.outbox) == 1

    daily_reminders.enqueue("2026-10-16")  # the next day reminds again
    run_worker()
    assert Message.objects.filter(recipient=editor).count() == 2

    daily_reminders.enqueue("2026-12-15")  # 56 days past the deadline: out of the window
    run_worker()
    assert Message.objects.filter(recipient=editor).count() == 2
