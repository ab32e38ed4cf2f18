"""Integration tokens and the stored answers of idempotent writes (docs/api.md).

The secret itself is Wagtail's ``APIToken`` (hashed with the site's secret
key, shown once, ``last_used_at``, ``revoked_at``); ``IntegrationToken`` adds
what Wagtail's token does not know: the point it acts for and its scopes. A
token acts as the user who created it, and only while that user still
belongs to the token's point (or, for a province token, still is a
provincial contact): the domain functions check that user's scope as they
do in the admin.
"""

from django.db import models
from wagtail.models import APIToken

SCOPE_READ = "read"
SCOPE_REPORTS = "reports"
SCOPE_ARTICLES = "articles"
SCOPE_LABELS = {
    SCOPE_READ: "读取本单位数据",
    SCOPE_REPORTS: "上报预警信息和季度形势分析、年度工作总结",
    SCOPE_ARTICLES: "在本单位子网站发布信息",
}


class IntegrationToken(models.Model):
    api_token = models.OneToOneField(
        APIToken, on_delete=models.CASCADE, related_name="integration", verbose_name="接口令牌"
    )
    # None: a province token, read-only over all points.
    point = models.ForeignKey(
        "warning.WarningPoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="integration_tokens",
        verbose_name="所属预警点",
    )
    scopes = models.JSONField("权限范围", default=list)

    class Meta:
        verbose_name = "对接令牌"
        verbose_name_plural = "对接令牌"

    def __str__(self):
        return self.api_token.name

    @property
    def name(self):
        return self.api_token.name

    @property
    def is_province(self):
        return self.point_id is None

    def allows(self, scope):
        return scope in (self.scopes or [])

    def scope_labels(self):
        return [SCOPE_LABELS[s] for s in SCOPE_LABELS if s in (self.scopes or [])]


class IdempotentRequest(models.Model):
    """One write made with an Idempotency-Key: the key, what was asked, and the answer given.

    The row is written before the write runs (``response_status`` empty while
    it runs), so a second request with the same key waits for nothing: it
    gets the stored answer, or 409 while the first still runs.
    """

    token = models.ForeignKey(IntegrationToken, on_delete=models.CASCADE, related_name="idempotent_requests")
    key = models.CharField("幂等键", max_length=200)
    fingerprint = models.CharField("请求摘要", max_length=64)
    response_status = models.PositiveSmallIntegerField("响应状态", null=True, blank=True)
    response_body = models.JSONField("响应内容", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "幂等请求"
        verbose_name_plural = "幂等请求"
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="one_request_per_token_key")]

    def __str__(self):
        return self.key
