"""预警信息 (warning reports) and the two review steps they pass through.

A report is a snippet with WorkflowMixin rather than a page. Reports are not
part of any subsite's page tree: they belong to a point, are reviewed in the
admin and only some of them ever become public (发布到预警工作交流), and then on
the portal's exchange column, not on the point's subsite. A snippet gives us
Wagtail's workflows, revisions, locking and the "awaiting your review" queue
without forcing a place in the page tree, and keeps the public exposure an
explicit decision of the provincial reviewer.

The review rules themselves (who may act, which options combine, what each
action causes) live in warning/review.py; the Task subclasses here only
delegate to it so that the admin, seed_demo and the tests share one path.
"""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    Task,
    WorkflowMixin,
)
from wagtail.search import index

from ..storage import private_storage, report_attachment_name
from ..validators import validate_attachment
from .reference import Industry


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports a user may see: all (province, magazine), a city's, or a point's own."""
        from .profiles import scope_of

        scope = scope_of(user)
        if scope.sees_everything:
            return self
        qs = self.none()
        if scope.is_magazine:
            qs = self.filter(to_magazine=True)
        if scope.city_id:
            qs = qs | self.filter(point__district__city_id=scope.city_id)
        if scope.point_id:
            qs = qs | self.filter(point_id=scope.point_id)
        return qs


class WarningReport(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    class Stage(models.TextChoices):
        DRAFT = "draft", "草稿"
        CITY = "city", "地市审核"
        PROVINCIAL = "provincial", "省级审核"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "不予通过"

    class Decision(models.TextChoices):
        NONE = "", "—"
        PENDING = "pending", "未处理"
        ADOPTED = "adopted", "录用"
        DECLINED = "declined", "不录用"

    point = models.ForeignKey(
        "warning.WarningPoint", on_delete=models.PROTECT, related_name="reports", verbose_name="上报单位"
    )
    title = models.CharField("标题", max_length=200)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name="行业")
    country = CountryField("国别地区", max_length=2)
    author = models.CharField("作者", max_length=50)
    phone = models.CharField("联系电话", max_length=30)
    body = RichTextField("正文")

    stage = models.CharField("审核状态", max_length=20, choices=Stage.choices, default=Stage.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, db_index=True)
    approved_at = models.DateTimeField("省级通过时间", null=True, blank=True)

    # Options chosen with the provincial 通过 and what became of them.
    to_magazine = models.BooleanField("推荐到杂志", default=False)
    to_internal = models.BooleanField("重要信息内部交流", default=False)
    to_exchange = models.BooleanField("发布到预警工作交流", default=False)
    exchange_published_at = models.DateTimeField("外网录用时间", null=True, blank=True)
    magazine_status = models.CharField(
        "杂志录用", max_length=10, choices=Decision.choices, default=Decision.NONE, blank=True
    )
    magazine_decided_at = models.DateTimeField("录用时间", null=True, blank=True)
    internal_status = models.CharField(
        "内部交流", max_length=10, choices=Decision.choices, default=Decision.NONE, blank=True
    )
    internal_decided_at = models.DateTimeField("采纳时间", null=True, blank=True)
    leader_instruction = models.BooleanField("获得厅领导批示", default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The token of the add form that created the report: a double 提交 makes one report (warning/idempotency.py).
    form_token = models.UUIDField("表单标识", null=True, blank=True, unique=True, editable=False)

    objects = ReportQuerySet.as_manager()

    search_fields = [index.SearchField("title"), index.SearchField("body"), index.FilterField("point_id")]

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "预警信息"
        verbose_name_plural = "预警信息"
        permissions = [("review_warningreport", "可以审核预警信息")]
        indexes = [
            # 预警工作交流 lists these newest first (the portal's box, the column, its feed):
            # read straight from this index instead of sorting every report (docs/performance.md).
            models.Index(
                fields=["-exchange_published_at", "-id"],
                name="report_exchange_newest",
                condition=models.Q(to_exchange=True, exchange_published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    # Fields owned by the review workflow (and by the magazine / internal
    # decisions after it), not by what the point wrote. A revision holds the
    # point's text; restoring or publishing one must never roll these back.
    REVIEW_OWNED_FIELDS = (
        "point_id",
        "created_by_id",
        "created_at",
        "stage",
        "submitted_at",
        "approved_at",
        "to_magazine",
        "to_internal",
        "to_exchange",
        "exchange_published_at",
        "magazine_status",
        "magazine_decided_at",
        "internal_status",
        "internal_decided_at",
        "leader_instruction",
        "locked",
        "locked_at",
        "locked_by_id",
        "live_revision_id",
        "last_published_at",
    )

    def with_content_json(self, content):
        """A revision's content on top of this report, keeping the review-owned fields of the database row."""
        obj = super().with_content_json(content)
        for name in self.REVIEW_OWNED_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj


class ReportAttachment(Orderable):
    """A file of a report, in private storage under a random name (warning/storage.py)."""

    report = ParentalKey(WarningReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        "附件",
        upload_to=report_attachment_name,
        storage=private_storage,
        max_length=200,
        validators=[validate_attachment],
    )
    name = models.CharField("文件名", max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.name or self.file.name

    def save(self, *args, **kwargs):
        # The uploader's name is kept here (for the download); the stored name is random.
        if self.file and not self.file._committed and not self.name:
            self.name = PurePath(self.file.name).name[: self._meta.get_field("name").max_length]
        super().save(*args, **kwargs)

    def download_name(self):
        """The name a download is saved under: the given name, with the stored file's extension if it lacks one."""
        ext = PurePath(self.file.name).suffix.lower()
        name = self.name or f"附件{ext}"
        return name if PurePath(name).suffix.lower() == ext else f"{name}{ext}"


class ReviewRecord(models.Model):
    """One reviewer's action on a report: the audit trail of docs/rules.md §7, shown per round."""

    class Stage(models.TextChoices):
        CITY = "city", "地市审核"
        PROVINCIAL = "provincial", "省级审核"
        MAGAZINE = "magazine", "杂志录用"
        INTERNAL = "internal", "内部交流"

    class Action(models.TextChoices):
        APPROVE = "approve", "通过"
        RETURN = "return", "退回修改"
        REJECT = "reject", "不予通过"
        ADOPT = "adopt", "录用/采纳"
        DECLINE = "decline", "不录用/不采纳"
        LEADER = "leader", "获得厅领导批示"

    report = models.ForeignKey(WarningReport, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    stage = models.CharField("审核环节", max_length=20, choices=Stage.choices)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    options = models.JSONField("选项", default=list, blank=True)
    comment = models.TextField("审核意见", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审核人"
    )
    created_at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"

    def __str__(self):
        return f"{self.get_stage_display()} {self.get_action_display()}"


class ReviewTaskMixin:
    """What both review steps share: every rule is asked of warning.review.

    Actions are 通过 (approve), 退回修改 (return: Wagtail's "request changes",
    the workflow waits for the point to resubmit) and 不予通过 (reject: final).
    A report under review is locked for everyone: reviewers decide, they do
    not rewrite, and the point edits only once it is returned.
    """

    review_stage = None

    def start(self, workflow_state, user=None):
        from warning import review

        task_state = super().start(workflow_state, user=user)
        review.on_stage_started(task_state, self.review_stage)
        return task_state

    def get_actions(self, obj, user):
        from warning import review

        return review.actions_for(user, obj, self.review_stage)

    def on_action(self, task_state, user, action_name, **kwargs):
        """Apply a decision through warning.review; returns the URL to go to next (the review queue)."""
        from warning import review

        review.apply_action(
            int(task_state.workflow_state.object_id), user, action_name, task_state_id=task_state.pk, **kwargs
        )
        return review.queue_url()

    def transition(self, task_state, user, action_name, **kwargs):
        """Wagtail's own state change ("approve" or "reject" = request changes), called by warning.review."""
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_form_for_action(self, action):
        from warning.admin.review import decision_form_class

        return decision_form_class(self.review_stage, action)

    def locked_for_user(self, obj, user):
        return True

    def user_can_access_editor(self, obj, user):
        return False

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from warning import review

        return review.task_states_user_can_moderate(self, user)


class CityReviewTask(ReviewTaskMixin, Task):
    """地市审核: only reviewers bound to the report's own city may act."""

    review_stage = "city"

    @classmethod
    def get_description(cls):
        return "预警点所在地市的地市审核员初审：通过、退回修改或不予通过"

    class Meta:
        verbose_name = "地市审核"
        verbose_name_plural = "地市审核"


class ProvincialReviewTask(ReviewTaskMixin, Task):
    """省级审核: the 预警工作联系人 approve with options, return or reject."""

    review_stage = "provincial"

    @classmethod
    def get_description(cls):
        return "预警工作联系人终审：通过（可推荐到杂志、重要信息内部交流、发布到预警工作交流）、退回修改或不予通过"

    class Meta:
        verbose_name = "省级审核"
        verbose_name_plural = "省级审核"
