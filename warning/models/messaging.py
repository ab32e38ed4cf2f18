"""消息中心 messages and 商务局预警信息 notices issued to points."""

from django.conf import settings
from django.db import models


class Notice(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", "全部预警点"
        CITY = "city", "某地市的预警点"
        CHOSEN = "chosen", "指定预警点"

    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    audience = models.CharField("下发范围", max_length=10, choices=Audience.choices, default=Audience.ALL)
    city = models.ForeignKey("warning.City", on_delete=models.PROTECT, null=True, blank=True, verbose_name="地市")
    points = models.ManyToManyField(
        "warning.WarningPoint", through="NoticeRecipient", related_name="notices", verbose_name="接收预警点"
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("下发时间", db_index=True)
    # The token of the form that issued it: a double 下发 makes one notice (warning/idempotency.py).
    form_token = models.UUIDField("表单标识", null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "商务局预警信息"
        verbose_name_plural = "商务局预警信息"

    def __str__(self):
        return self.title


class NoticeRecipient(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    point = models.ForeignKey("warning.WarningPoint", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        unique_together = [("notice", "point")]
        verbose_name = "接收预警点"
        verbose_name_plural = "接收预警点"

    def __str__(self):
        return f"{self.notice} → {self.point}"


class Message(models.Model):
    """One entry in a user's 消息中心. E-mail goes out alongside it (warning/notify.py)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, null=True, blank=True, related_name="messages")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # Set by work that may run twice (a notice's fan-out, the daily reminders): one message
    # per recipient and key, so a second run tells nobody again (docs/tasks.md).
    key = models.CharField("去重键", max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "消息"
        verbose_name_plural = "消息中心"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="warning_message_once_per_key"
            )
        ]

    def __str__(self):
        return self.title
