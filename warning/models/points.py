"""预警点 (warning points) and the people and enterprises attached to them.

A point is a ClusterableModel so that its related records (负责人, 工作人员,
联系企业, 领导小组成员) are edited inline in one form and saved together,
which is also what lets the change history compare a whole record.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from .reference import Industry
from .regions import District

phone_validator = RegexValidator(
    r"^(\+?86[- ]?)?(0\d{2,3}[- ]?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|400-?\d{3}-?\d{4})$",
    "请输入有效的电话号码，例如 0571-87654321 或 13800000000",
)
mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请输入有效的 11 位手机号码")


class PointQuerySet(models.QuerySet):
    def official(self):
        """Only 正式 points count in statistics and scoring (docs/rules.md §2)."""
        return self.filter(status=WarningPoint.Status.OFFICIAL)

    def visible_to(self, user):
        """The points a user may see: all for the province, one city's, or one's own."""
        from .profiles import scope_of

        scope = scope_of(user)
        if scope.sees_everything:
            return self
        if scope.city_id:
            return self.filter(district__city_id=scope.city_id)
        if scope.point_id:
            return self.filter(pk=scope.point_id)
        return self.none()


class WarningPoint(ClusterableModel):
    class Category(models.TextChoices):
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        COUNTY = "county", "县级"

    class Status(models.TextChoices):
        PREPARING = "preparing", "筹建"
        OFFICIAL = "official", "正式"
        REVOKED = "revoked", "撤销"

    name = models.CharField("预警点名称", max_length=100, unique=True)
    host_organisation = models.CharField("承办单位名称", max_length=100)
    category = models.CharField("类型", max_length=20, choices=Category.choices, default=Category.PROVINCIAL)
    batch = models.PositiveSmallIntegerField(
        "批次", validators=[MinValueValidator(1), MaxValueValidator(99)], help_text="第几批认定的预警点"
    )
    established_year = models.PositiveSmallIntegerField(
        "成立时间",
        validators=[
            MinValueValidator(1990, "成立时间应为 1990 年至 2100 年之间的年份"),
            MaxValueValidator(2100, "成立时间应为 1990 年至 2100 年之间的年份"),
        ],
        help_text="年份，如 2015",
    )
    approval_number = models.CharField("批准文号", max_length=50, blank=True)
    address = models.CharField("联系地址", max_length=200)
    phone = models.CharField("办公电话", max_length=30, validators=[phone_validator])
    fax = models.CharField("传真", max_length=30, blank=True, validators=[phone_validator])
    website = models.URLField("预警点网址", blank=True)
    email = models.EmailField("电子邮箱")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OFFICIAL)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="points", verbose_name="所在地区")
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="points", verbose_name="所属行业", null=True, blank=True
    )
    has_party_organisation = models.BooleanField(
        "是否成立党建组织", choices=[(True, "是"), (False, "否")], default=None
    )
    party_member_count = models.PositiveIntegerField("党员数量", null=True, blank=True)
    subsite = models.OneToOneField(
        "subsites.SubsiteHomePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="warning_point",
        verbose_name="子网站",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PointQuerySet.as_manager()

    # The fields that must be filled for 基础信息完善 (score item A1).
    BASIC_INFO_FIELDS = ("name", "host_organisation", "address", "phone", "email", "district_id")

    class Meta:
        ordering = ["district__city__sort_order", "district__sort_order", "name"]
        verbose_name = "预警点"
        verbose_name_plural = "预警点管理"

    def __str__(self):
        return self.name

    @property
    def city(self):
        return self.district.city


class PersonBase(Orderable):
    name = models.CharField("姓名", max_length=30)
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("办公电话", max_length=30, blank=True, validators=[phone_validator])
    mobile = models.CharField("手机", max_length=20, blank=True, validators=[mobile_validator])
    email = models.EmailField("电子邮箱", blank=True)

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.name


class ResponsiblePerson(PersonBase):
    point = ParentalKey(WarningPoint, on_delete=models.CASCADE, related_name="responsible_persons")

    class Meta(PersonBase.Meta):
        verbose_name = "预警负责人"
        verbose_name_plural = "预警负责人"


class StaffMember(PersonBase):
    point = ParentalKey(WarningPoint, on_delete=models.CASCADE, related_name="staff_members")

    class Meta(PersonBase.Meta):
        verbose_name = "预警点工作人员"
        verbose_name_plural = "预警点工作人员"


class ContactEnterprise(Orderable):
    point = ParentalKey(WarningPoint, on_delete=models.CASCADE, related_name="enterprises")
    name = models.CharField("企业名称", max_length=100)
    contact = models.CharField("联系人", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[phone_validator])
    products = models.CharField("主要产品", max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "预警点联系企业"
        verbose_name_plural = "预警点联系企业"

    def __str__(self):
        return self.name


class LeadershipMember(Orderable):
    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"
        MEMBER = "member", "成员"

    point = ParentalKey(WarningPoint, on_delete=models.CASCADE, related_name="leadership")
    role = models.CharField("职位", max_length=10, choices=Role.choices, default=Role.MEMBER)
    name = models.CharField("姓名", max_length=30)
    position = models.CharField("职务", max_length=50, blank=True)
    organisation = models.CharField("单位/企业", max_length=100, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"
