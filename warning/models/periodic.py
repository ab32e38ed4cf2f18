"""季度形势分析 (quarterly analyses) and 年度工作总结 (annual summaries)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ..storage import private_storage

year_validators = [
    MinValueValidator(2000, "年度应为 2000 至 2100 之间的年份"),
    MaxValueValidator(2100, "年度应为 2000 至 2100 之间的年份"),
]


class PeriodicQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .profiles import scope_of

        scope = scope_of(user)
        if scope.sees_everything or scope.is_magazine:
            return self
        if scope.city_id:
            return self.filter(point__district__city_id=scope.city_id)
        if scope.point_id:
            return self.filter(point_id=scope.point_id)
        return self.none()


class PeriodicReport(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "未处理"
        ADOPTED = "adopted", "录用"
        DECLINED = "declined", "不录用"

    point = models.ForeignKey("warning.WarningPoint", on_delete=models.PROTECT, verbose_name="提交单位")
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    # Private storage, random name (warning/storage.py); downloaded under the title.
    attachment = models.FileField("附件", upload_to="periodic/%Y/", storage=private_storage, blank=True)
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PeriodicQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.title


class QuarterlyAnalysis(PeriodicReport):
    quarter = models.PositiveSmallIntegerField(
        "季度",
        validators=[MinValueValidator(1, "季度应为 1 至 4"), MaxValueValidator(4, "季度应为 1 至 4")],
    )
    magazine_status = models.CharField(
        "杂志录用", max_length=10, choices=PeriodicReport.Decision.choices, default=PeriodicReport.Decision.PENDING
    )
    magazine_decided_at = models.DateTimeField("录用时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(PeriodicReport.Meta):
        verbose_name = "季度形势分析"
        verbose_name_plural = "季度形势分析"
        constraints = [
            models.UniqueConstraint(fields=["point", "year", "quarter"], name="one_quarterly_per_point_quarter")
        ]


class AnnualSummary(PeriodicReport):
    class Meta(PeriodicReport.Meta):
        verbose_name = "年度工作总结"
        verbose_name_plural = "年度工作总结"
        constraints = [models.UniqueConstraint(fields=["point", "year"], name="one_summary_per_point_year")]
