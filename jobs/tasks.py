"""The background tasks (besides deliver_mails in jobs/mail.py), each a thin shell over a domain function.

Every task goes through retried_task (jobs/retry.py) and is safe to run
twice; each docstring says why. The domain modules are imported inside the
tasks: they import this module to enqueue, and the worker imports it to run.
"""

from django.core.management import call_command

from .retry import retried_task


@retried_task
def fan_out_notice(notice_id):
    """A 商务局预警信息's messages and mails to every editor of its points (keyed by the notice)."""
    from warning.notices import tell_recipients

    return tell_recipients(notice_id)


@retried_task
def daily_reminders(day):
    """The reminders of one Shanghai day, as of its 09:00 (one message per editor and day: keyed by the day)."""
    from datetime import date, datetime, time

    from warning.periodic import SHANGHAI, send_reminders

    as_of = datetime.combine(date.fromisoformat(day), time(9, 0), tzinfo=SHANGHAI)
    result = send_reminders(now=as_of, daily=True)
    return {"day": day, "points": len(result.rows), "messages": result.messages}


@retried_task
def clean_up(day):
    """The nightly clean-up (deletes by age only)."""
    from .cleanup import clean_up as run

    return run()


@retried_task
def rebuild_search_index():
    """Rebuild every search index from the database (rebuilding twice gives the same index)."""
    call_command("update_index", verbosity=0)
    return "ok"


def _export_failed(export_id):
    from .models import ExportFile

    ExportFile.objects.filter(pk=export_id).exclude(status=ExportFile.Status.DONE).update(
        status=ExportFile.Status.FAILED, error="生成失败，请重新导出；如仍失败请联系系统管理员。"
    )


@retried_task(on_give_up=_export_failed)
def build_export(export_id):
    """Write a requested export's file (writing it again replaces the file)."""
    from .exports import build

    return build(export_id)
