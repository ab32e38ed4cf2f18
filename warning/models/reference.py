"""Reference lists the provincial contact edits: industries and review-opinion presets."""

from django.db import models
from wagtail.models import Orderable


class Industry(models.Model):
    name = models.CharField("行业名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "所属行业"
        verbose_name_plural = "所属行业"

    def __str__(self):
        return self.name


class ReviewOpinion(Orderable):
    """A preset 审核意见 offered in the reviewer's 请选择意见 drop-down."""

    text = models.CharField("审核意见", max_length=200)

    class Meta(Orderable.Meta):
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见配置"

    def __str__(self):
        return self.text
