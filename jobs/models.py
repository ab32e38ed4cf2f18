"""The records that make background work safe to run twice.

A task may run more than once: the worker retries a failed attempt, an
operator may enqueue a job again, two schedulers may race. Each kind of work
therefore leaves a row keyed so that the second run finds the first one's
trace and does nothing more.
"""

import uuid

from django.conf import settings
from django.db import models


class MailDelivery(models.Model):
    """The e-mail of one 消息中心 message: created with the message, sent by the worker once."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"

    message = models.OneToOneField(
        "warning.Message", on_delete=models.CASCADE, related_name="mail_delivery", verbose_name="消息"
    )
    address = models.EmailField("收件地址")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "邮件投递"
        verbose_name_plural = "邮件投递"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.address}（{self.get_status_display()}）"


class ScheduledRun(models.Model):
    """One daily job enqueued for one Shanghai calendar day; the unique pair is the idempotency key."""

    job = models.CharField("任务", max_length=50)
    day = models.DateField("日期")
    enqueued_at = models.DateTimeField("加入队列时间", auto_now_add=True)
    task_result_id = models.CharField("任务结果编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="jobs_scheduledrun_once_per_day")]

    def __str__(self):
        return f"{self.job} {self.day:%Y-%m-%d}"


def export_upload_to(instance, filename):
    return f"exports/{instance.token}/{filename}"


class ExportFile(models.Model):
    """A large export asked for in the admin, built by the worker, downloaded later by whoever asked."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="申请人"
    )
    kind = models.CharField("导出内容", max_length=20)
    params = models.JSONField("导出条件", default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", upload_to=export_upload_to, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "后台导出"
        verbose_name_plural = "后台导出"

    def __str__(self):
        return self.filename or self.kind
