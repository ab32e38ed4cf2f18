"""确认年度结果: a year's scores as the province confirmed them (docs/statistics.md, "确认年度结果").

A `YearConfirmation` is one act of confirming a year; it holds who confirmed
it and when, and — once the year is re-opened — who re-opened it, when and
why. At most one confirmation of a year is in force (not re-opened) at a time:
a database constraint, so two provincial contacts confirming at once make one.
Its `PointYearSnapshot` rows are every 正式 point's counts, score items, total
and rank at that moment, copied, so nothing done later (an article
unpublished, a point revoked, a rule of counting changed) alters them.
The rules live in warning/yearclose.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class YearConfirmation(models.Model):
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    months = models.PositiveSmallIntegerField("计分月数")
    confirmed_at = models.DateTimeField("确认时间")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="确认人"
    )
    # The name as shown at the time, so the record still reads right if the account goes.
    confirmed_by_name = models.CharField("确认人姓名", max_length=150)
    reopened_at = models.DateTimeField("重新开放时间", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重新开放人",
    )
    reopened_by_name = models.CharField("重新开放人姓名", max_length=150, blank=True)
    reopen_reason = models.TextField("重新开放原因", blank=True)
    # The token of the 确认 form: a double click makes one confirmation (warning/idempotency.py).
    form_token = models.UUIDField("表单标识", null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-year", "-confirmed_at"]
        verbose_name = "年度结果确认"
        verbose_name_plural = "年度结果确认"
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(reopened_at__isnull=True), name="warning_one_confirmation_in_force"
            )
        ]

    def __str__(self):
        return f"{self.year}年度结果确认"

    @property
    def in_force(self):
        return self.reopened_at is None


class PointYearSnapshot(models.Model):
    """One 正式 point's year as confirmed: what the score tables showed for it at that moment."""

    confirmation = models.ForeignKey(YearConfirmation, on_delete=models.CASCADE, related_name="rows")
    point = models.ForeignKey("warning.WarningPoint", on_delete=models.PROTECT, related_name="+")
    # The registry's order at the time (city, district, name): ties keep it.
    position = models.PositiveIntegerField("顺序")
    point_name = models.CharField("预警点名称", max_length=200)
    city = models.ForeignKey("warning.City", on_delete=models.PROTECT, related_name="+")
    city_name = models.CharField("所属地市", max_length=50)
    counts = models.JSONField("各类条数", default=dict)  # {statistics.KINDS key: n}
    year_counts = models.JSONField("评分依据", default=dict)  # the fields of scoring.PointYearCounts
    monthly = models.JSONField("月度数据", default=dict)  # {series key: [12 counts]}
    enterprises = models.PositiveIntegerField("联系企业数", default=0)
    basic_missing = models.JSONField("缺少的基础信息", default=list)
    a1 = models.PositiveSmallIntegerField("A1")
    a2 = models.PositiveSmallIntegerField("A2")
    a3 = models.PositiveSmallIntegerField("A3")
    b1 = models.PositiveSmallIntegerField("B1")
    b2 = models.PositiveSmallIntegerField("B2")
    b3 = models.PositiveSmallIntegerField("B3")
    c = models.PositiveSmallIntegerField("C")
    total = models.PositiveSmallIntegerField("总分")
    rank = models.PositiveIntegerField("排名")
    lacks = models.JSONField("距下一档", default=list)

    class Meta:
        ordering = ["confirmation", "position"]
        verbose_name = "年度结果快照"
        verbose_name_plural = "年度结果快照"
        constraints = [models.UniqueConstraint(fields=["confirmation", "point"], name="warning_one_snapshot_per_point")]

    def __str__(self):
        return f"{self.point_name} · {self.confirmation.year}"
