"""The webhook records: where to send (WebhookEndpoint) and every sending (WebhookDelivery).

An endpoint belongs to one point (it receives that point's events) or, with
no point, to the province (it receives the events of every point). It is
never deleted, only disabled, so its deliveries stay readable. The secret is
kept as it is, not hashed: signing each delivery needs it (docs/webhooks.md).

A delivery is one event for one endpoint: the exact body sent (so every
attempt sends the same bytes under the same X-Yujing-Delivery id), its state
and the trace of its attempts.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models

SECRET_PREFIX = "whsec_"


def new_secret():
    """A fresh signing secret: 32 random bytes, URL-safe, with a recognisable prefix."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    point = models.ForeignKey(
        "warning.WarningPoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name="预警点",
        help_text="为空表示全省（接收所有预警点的事件）",
    )
    name = models.CharField("名称", max_length=100)
    url = models.URLField("接收地址", max_length=500)
    events = models.JSONField("订阅的事件", default=list)
    secret = models.CharField("签名密钥", max_length=100, default=new_secret, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    secret_rotated_at = models.DateTimeField("密钥更换时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "推送地址"
        verbose_name_plural = "推送地址"

    def __str__(self):
        return self.name

    def receives(self, event_type):
        return self.is_active and event_type in (self.events or [])


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待投递"
        SENDING = "sending", "投递中"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "失败"

    uuid = models.UUIDField("投递编号", default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name="推送地址"
    )
    event_id = models.UUIDField("事件编号")
    event_type = models.CharField("事件", max_length=50)
    point = models.ForeignKey(
        "warning.WarningPoint", on_delete=models.CASCADE, null=True, related_name="+", verbose_name="预警点"
    )
    body = models.TextField("内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    # Attempts since the delivery was (re)queued: the retry wrapper's count, reset by 重试.
    round_attempts = models.PositiveSmallIntegerField("本轮尝试次数", default=0)
    last_status_code = models.PositiveSmallIntegerField("最近状态码", null=True, blank=True)
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_attempt_at = models.DateTimeField("最近尝试时间", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "投递记录"
        verbose_name_plural = "投递记录"
        indexes = [models.Index(fields=["endpoint", "-created_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint}"
