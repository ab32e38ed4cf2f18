"""The nightly clean-up: what piles up and is no longer needed.

- expired sessions (what `manage.py clearsessions` does);
- finished task results of the database queue: successful ones after
  TASK_RESULTS_KEEP_DAYS, failed ones after FAILED_RESULTS_KEEP_DAYS (the
  superuser's 失败的任务 screen shows them until then);
- background exports after EXPORT_KEEP_DAYS, file and row;
- sent mail deliveries, delivered webhooks and daily-job records after
  RECORDS_KEEP_DAYS;
and one thing that must not pile up: mails still unsent an hour after they
were queued (their task gave up) are enqueued again.

Every step deletes by age, so running the clean-up twice deletes nothing
more; a requeued mail is sent once however often it is enqueued (jobs/mail.py).
"""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .exports import EXPORT_KEEP_DAYS
from .mail import requeue_pending
from .models import ExportFile, MailDelivery, ScheduledRun

TASK_RESULTS_KEEP_DAYS = 14
FAILED_RESULTS_KEEP_DAYS = 60
RECORDS_KEEP_DAYS = 90


def clear_expired_sessions():
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def prune_task_results(now):
    """Delete old finished results of every database-queue backend; return how many."""
    aliases = [alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)]
    if not aliases:
        return 0
    results = DBTaskResult.objects.filter(backend_name__in=aliases)
    deleted, _ = results.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - timedelta(days=TASK_RESULTS_KEEP_DAYS)
    ).delete()
    failed, _ = results.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=FAILED_RESULTS_KEEP_DAYS)
    ).delete()
    return deleted + failed


def prune_exports(now):
    old = ExportFile.objects.filter(created_at__lt=now - timedelta(days=EXPORT_KEEP_DAYS))
    count = 0
    for export in old:
        if export.file:
            export.file.storage.delete(export.file.name)
        export.delete()
        count += 1
    return count


def prune_records(now):
    cutoff = now - timedelta(days=RECORDS_KEEP_DAYS)
    mails, _ = MailDelivery.objects.filter(status=MailDelivery.Status.SENT, sent_at__lt=cutoff).delete()
    runs, _ = ScheduledRun.objects.filter(enqueued_at__lt=cutoff).delete()
    from webhooks.models import WebhookDelivery

    hooks, _ = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED, delivered_at__lt=cutoff).delete()
    return mails + runs + hooks


def clean_up(now=None):
    """Run every step; return {step: rows deleted} (sessions are not counted by Django)."""
    now = now or timezone.now()
    clear_expired_sessions()
    return {
        "task_results": prune_task_results(now),
        "exports": prune_exports(now),
        "records": prune_records(now),
        "mails_requeued": requeue_pending(now - timedelta(hours=1)),
    }
