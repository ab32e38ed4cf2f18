"""The scheduler: which jobs run every day, and enqueueing each once per Shanghai calendar day.

`python manage.py run_scheduler` calls enqueue_due() every minute (or once,
with --once, e.g. from cron). A job is due once the day's Shanghai clock has
passed its time; enqueue_due() then records a ScheduledRun (job, day) and
enqueues the job's task in one transaction. The pair is unique, so a second
pass — or a second scheduler on another server — finds the row and enqueues
nothing: each job is enqueued once per day. A day on which no scheduler ran
is not made up later; the next day's run covers it (the reminders name
everything still missing; the clean-up deletes by age).
"""

from dataclasses import dataclass
from datetime import time

from django.db import transaction

from warning.periodic import shanghai_now

from . import tasks
from .models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    label: str
    at: time  # Shanghai time after which the day's run is due
    task: object


DAILY_JOBS = (
    DailyJob("clean_up", "清理过期数据", time(3, 0), tasks.clean_up),
    DailyJob("daily_reminders", "截止日期提醒", time(9, 0), tasks.daily_reminders),
)


def enqueue_due(now=None):
    """Enqueue every daily job that is due today and not yet enqueued; return the names enqueued."""
    local = shanghai_now(now)
    day = local.date()
    enqueued = []
    for job in DAILY_JOBS:
        if local.time() < job.at:
            continue
        with transaction.atomic():
            run, created = ScheduledRun.objects.get_or_create(job=job.name, day=day)
            if not created:
                continue
            result = job.task.enqueue(day.isoformat())
            ScheduledRun.objects.filter(pk=run.pk).update(task_result_id=str(result.id))
        enqueued.append(job.name)
    return enqueued
