"""Page types of the provincial portal and of every warning point's subsite.

Tree:  PortalHomePage
         ├── SubsiteHomePage (one per 预警点)
         │     └── ColumnIndexPage (预警信息 / 工作动态 / 通知公告)
         │           └── ArticlePage
         ├── ExchangeIndexPage (预警工作交流: approved reports, not pages)
         └── HelpIndexPage → ManualPage (one per role)

ArticlePage keeps its point and column kind in its own columns (set on save
from its ancestors) so the statistics can count pages per point and column
with one aggregate query instead of walking the tree.
"""

from django.db import models
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index


class ColumnKind(models.TextChoices):
    WARNING = "warning", "预警信息"
    NEWS = "news", "工作动态"
    NOTICE = "notice", "通知公告"


class PortalHomePage(Page):
    intro = RichTextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["subsites.SubsiteHomePage", "subsites.ExchangeIndexPage", "subsites.HelpIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "省级门户首页"


class SubsiteHomePage(Page):
    intro = RichTextField("预警点简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["subsites.ColumnIndexPage"]
    parent_page_types = ["subsites.PortalHomePage"]

    class Meta:
        verbose_name = "预警点子网站首页"


class ColumnIndexPage(Page):
    kind = models.CharField("栏目类型", max_length=10, choices=ColumnKind.choices)
    intro = RichTextField("栏目说明", blank=True)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro")]
    subpage_types = ["subsites.ArticlePage"]
    parent_page_types = ["subsites.SubsiteHomePage"]

    class Meta:
        verbose_name = "子网站栏目"


class ArticlePage(Page):
    date = models.DateField("发布日期")
    industry = models.ForeignKey(
        "warning.Industry", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="行业"
    )
    country = CountryField("国别地区", max_length=2, blank=True)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = RichTextField("正文")
    # Denormalised from the ancestors on save; see the module docstring.
    point = models.ForeignKey(
        "warning.WarningPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="articles",
    )
    column_kind = models.CharField(max_length=10, choices=ColumnKind.choices, blank=True, editable=False, db_index=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("industry"), FieldPanel("country")])], heading="预警信息分类"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("gallery_images", label="图片集（工作动态）"),
        InlinePanel("attachments", label="附件"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body"), index.SearchField("summary")]
    subpage_types = []
    parent_page_types = ["subsites.ColumnIndexPage"]

    class Meta:
        verbose_name = "文章"

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.path else None
        if parent is not None:
            from warning.models import WarningPoint

            self.column_kind = getattr(parent.specific, "kind", "")
            self.point_id = (
                WarningPoint.objects.filter(subsite_id=parent.get_parent().pk).values_list("pk", flat=True).first()
            )
        return super().save(*args, **kwargs)


class ArticleGalleryImage(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name="图片")
    caption = models.CharField("说明", max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name="附件"
    )

    panels = [FieldPanel("document")]


class ExchangeIndexPage(Page):
    """预警工作交流: lists the reports the provincial reviewer published here."""

    intro = RichTextField("栏目说明", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = []
    parent_page_types = ["subsites.PortalHomePage"]
    max_count = 1

    class Meta:
        verbose_name = "预警工作交流"


class HelpIndexPage(Page):
    intro = RichTextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["subsites.ManualPage"]
    parent_page_types = ["subsites.PortalHomePage"]
    max_count = 1

    class Meta:
        verbose_name = "帮助中心"


class ManualPage(Page):
    role = models.CharField("适用角色", max_length=30)
    body = RichTextField("使用指南")

    content_panels = Page.content_panels + [FieldPanel("role"), FieldPanel("body")]
    subpage_types = []
    parent_page_types = ["subsites.HelpIndexPage"]

    class Meta:
        verbose_name = "用户手册"
