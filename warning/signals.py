"""Signal receivers of the warning app, connected in WarningConfig.ready().

Nothing submitted is ever lost (docs/rules.md §7): the admin offers no delete for
submitted items, and these receivers refuse a hard delete from any other
path too (shell, scripts, cascades), so the guarantee does not rest on the
admin alone.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .models import AnnualSummary, QuarterlyAnalysis, WarningReport


@receiver(pre_delete, sender=WarningReport)
def keep_submitted_reports(sender, instance, **kwargs):
    if instance.submitted_at is not None:
        raise ProtectedError("已提交的预警信息不能删除", {instance})


@receiver(pre_delete, sender=QuarterlyAnalysis)
@receiver(pre_delete, sender=AnnualSummary)
def keep_periodic_reports(sender, instance, **kwargs):
    raise ProtectedError(f"已提交的{sender._meta.verbose_name}不能删除", {instance})
