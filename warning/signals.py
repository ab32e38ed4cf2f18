"""Signal receivers of the warning app, connected in WarningConfig.ready().

Nothing submitted or counted is ever lost (docs/review.md, "Nothing is
hard-deleted"): the admin offers no delete for these records, and the
pre_delete receivers below refuse a hard delete from any other path too
(shell, scripts, querysets, cascades), so the guarantee does not rest on the
admin alone. What is guarded:

- a 预警信息 once submitted (it has a 提交时间);
- an attachment of a report under review or decided (the point replaces its
  files only while the report is a draft or returned for changes);
- every 审核记录 (ReviewRecord);
- 季度形势分析 and 年度工作总结;
- every 商务局预警信息 notice, its recipients (the read record) and every
  消息中心 message;
- live subsite articles (subsites/signals.py, the same mechanism): they are
  unpublished instead.

allow_hard_delete() lifts the guard inside one block of code, for the test
suite's rebuilds of demo data; no view or command uses it.
"""

import contextlib
import contextvars

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Locale, Page, PageLogEntry, PageViewRestriction, Site, Task, Workflow, WorkflowTask
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cached
from .models import (
    AnnualSummary,
    City,
    Industry,
    Message,
    Notice,
    NoticeRecipient,
    QuarterlyAnalysis,
    ReportAttachment,
    ReviewRecord,
    WarningReport,
)

_lifted = contextvars.ContextVar("hard_delete_allowed", default=False)

# Stages at which a report's attachments are part of what was submitted.
DRAFTING_STAGES = (WarningReport.Stage.DRAFT, WarningReport.Stage.RETURNED)


@contextlib.contextmanager
def allow_hard_delete():
    """Within this block the guards below let deletes through (test fixtures only)."""
    token = _lifted.set(True)
    try:
        yield
    finally:
        _lifted.reset(token)


def refuse_delete(message, instance):
    """Raise the ProtectedError every guard uses, unless allow_hard_delete() is active."""
    if not _lifted.get():
        raise ProtectedError(message, {instance})


def user_holds_records(user):
    """Whether deleting a user would take guarded records with it (messages, review records, notices)."""
    return (
        Message.objects.filter(recipient=user).exists()
        or ReviewRecord.objects.filter(user=user).exists()
        or Notice.objects.filter(issued_by=user).exists()
    )


@receiver(pre_delete, sender=WarningReport)
def keep_submitted_reports(sender, instance, **kwargs):
    if instance.submitted_at is not None:
        refuse_delete("已提交的预警信息不能删除", instance)


@receiver(pre_delete, sender=ReportAttachment)
def keep_submitted_attachments(sender, instance, **kwargs):
    stage = WarningReport.objects.filter(pk=instance.report_id).values_list("stage", flat=True).first()
    if stage is not None and stage not in DRAFTING_STAGES:
        refuse_delete("已提交审核的预警信息的附件不能删除", instance)


@receiver(pre_delete, sender=ReviewRecord)
def keep_review_records(sender, instance, **kwargs):
    refuse_delete("审核记录不能删除", instance)


@receiver(pre_delete, sender=QuarterlyAnalysis)
@receiver(pre_delete, sender=AnnualSummary)
def keep_periodic_reports(sender, instance, **kwargs):
    refuse_delete(f"已提交的{sender._meta.verbose_name}不能删除", instance)


@receiver(pre_delete, sender=Notice)
def keep_notices(sender, instance, **kwargs):
    refuse_delete("已下发的商务局预警信息不能删除", instance)


@receiver(pre_delete, sender=NoticeRecipient)
def keep_notice_recipients(sender, instance, **kwargs):
    refuse_delete("商务局预警信息的接收记录不能删除", instance)


@receiver(pre_delete, sender=Message)
def keep_messages(sender, instance, **kwargs):
    refuse_delete("消息中心的消息不能删除", instance)


# --- cached lookups (warning/cached.py): dropped when what they hold changes ----------------


@receiver(post_save, sender=City, dispatch_uid="warning_forget_cities_on_save")
@receiver(post_delete, sender=City, dispatch_uid="warning_forget_cities_on_delete")
def forget_cities(sender, **kwargs):
    cached.forget_cities()


@receiver(post_save, sender=Industry, dispatch_uid="warning_forget_industries_on_save")
@receiver(post_delete, sender=Industry, dispatch_uid="warning_forget_industries_on_delete")
def forget_industries(sender, **kwargs):
    cached.forget_industries()


@receiver(post_save, dispatch_uid="warning_forget_tasks_on_save")
@receiver(post_delete, dispatch_uid="warning_forget_tasks_on_delete")
def forget_active_tasks(sender, instance=None, **kwargs):
    """Any task model (Wagtail's and ours are subclasses of Task, each its own signal sender), a workflow
    (activated, deactivated) or a workflow's task link."""
    if isinstance(instance, (Task, Workflow, WorkflowTask)):
        cached.forget_active_tasks()


@receiver(page_published, dispatch_uid="warning_forget_help_pages_on_publish")
@receiver(page_unpublished, dispatch_uid="warning_forget_help_pages_on_unpublish")
@receiver(post_page_move, dispatch_uid="warning_forget_help_pages_on_move")
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="warning_forget_help_pages_on_restriction")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="warning_forget_help_pages_on_unrestriction")
@receiver(post_save, sender=Site, dispatch_uid="warning_forget_help_pages_on_site_save")
@receiver(post_delete, sender=Site, dispatch_uid="warning_forget_help_pages_on_site_delete")
def forget_help_pages(sender, **kwargs):
    """The 帮助 menu's manuals: their titles, addresses and visibility change with these events."""
    cached.forget_now_and_after_commit(cached.forget_help_pages)


@receiver(post_delete, dispatch_uid="warning_forget_help_pages_on_page_delete")
def forget_help_pages_of_deleted_page(sender, instance=None, **kwargs):
    if isinstance(instance, Page):
        forget_help_pages(sender)


@receiver(post_migrate, dispatch_uid="warning_forget_permissions_after_migrate")
@receiver(post_save, sender=Permission, dispatch_uid="warning_forget_permissions_on_save")
@receiver(post_delete, sender=Permission, dispatch_uid="warning_forget_permissions_on_delete")
def forget_permissions(sender, **kwargs):
    cached.forget_now_and_after_commit(cached.forget_permissions)


@receiver(post_save, sender=Site, dispatch_uid="warning_forget_site_names_on_save")
@receiver(post_delete, sender=Site, dispatch_uid="warning_forget_site_names_on_delete")
def forget_site_names(sender, **kwargs):
    cached.forget_now_and_after_commit(cached.forget_site_names)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="warning_forget_restriction_paths_on_save")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="warning_forget_restriction_paths_on_delete")
@receiver(post_page_move, dispatch_uid="warning_forget_restriction_paths_on_move")
def forget_view_restriction_paths(sender, **kwargs):
    """The paths of the restricted pages (the page explorer's privacy marks): a restriction added or
    removed (a deleted page's go with it, each signalled), or a page moved (the paths change)."""
    cached.forget_now_and_after_commit(cached.forget_view_restriction_paths)


@receiver(post_save, sender=Locale, dispatch_uid="warning_forget_locales_on_save")
@receiver(post_delete, sender=Locale, dispatch_uid="warning_forget_locales_on_delete")
@receiver(post_migrate, dispatch_uid="warning_forget_locales_after_migrate")
def forget_locales(sender, **kwargs):
    """The admin scripts' locales (a migration writes locales through its own model: no Locale signal)."""
    cached.forget_now_and_after_commit(cached.forget_locales)


@receiver(post_save, dispatch_uid="warning_forget_explorer_choices_on_save")
@receiver(post_delete, dispatch_uid="warning_forget_explorer_choices_on_delete")
def forget_explorer_choices(sender, instance=None, update_fields=None, **kwargs):
    """The explorer's filter choices: page owners and page types (any page model, each its own
    sender), the users who edited a page, the sites, and the users' names shown for them.
    A login (only last_login saved) changes none of them."""
    if isinstance(instance, get_user_model()) and update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if isinstance(instance, (Page, PageLogEntry, Site, get_user_model())):
        cached.forget_now_and_after_commit(cached.forget_explorer_choices)
