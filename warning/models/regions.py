"""Regions: the 11 prefecture cities (地市) of Zhejiang and their districts/counties."""

from django.db import models


class City(models.Model):
    name = models.CharField("地市名称", max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "地市"
        verbose_name_plural = "地市"

    def __str__(self):
        return self.name


class District(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts", verbose_name="所属地市")
    name = models.CharField("区县名称", max_length=30)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["city__sort_order", "sort_order", "id"]
        unique_together = [("city", "name")]
        verbose_name = "区县"
        verbose_name_plural = "区县"

    def __str__(self):
        return self.name
