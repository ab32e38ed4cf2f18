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

Subsite homes and columns are made by subsites.provisioning when a point is
created, never by hand in the admin (is_creatable = False), so every subsite
has exactly its three columns and every home belongs to a point.

Every listing a visitor sees goes through ``public_pages()``: live pages
without a view restriction. Listings keep a fixed number of queries however
many items they show (select_related / prefetch_related, no per-row lookups).
"""

from html import escape

from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Length, RowNumber, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index

from .serving import ServedPageMixin, navigation

LIST_PAGE_SIZE = 20
UNPUBLISH_INSTEAD = "已发布的子网站信息计入统计，不能删除；如需撤下，请使用“取消发布”。"

LATEST_ON_HOME = 5


class ColumnKind(models.TextChoices):
    WARNING = "warning", "预警信息"
    NEWS = "news", "工作动态"
    NOTICE = "notice", "通知公告"


def public_pages(queryset):
    """Live pages a visitor may see: published and without a view restriction on them or an ancestor.

    The restriction is checked inside the same SQL statement (Wagtail's
    ``.public()`` reads every restriction in a query of its own each time).
    """
    restricted_above = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return queryset.live().filter(~Exists(restricted_above))


def paginate(request, items, per_page=LIST_PAGE_SIZE):
    """One page of ``items`` for the ``?page=`` parameter; a bad number gives the nearest page.

    The page's rows are found by their keys alone (a subquery that skips the
    earlier pages along the ordering's index, without joins), then read with
    their joins: a deep page costs no more than the first.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    start = (page.number - 1) * per_page
    keys = items.prefetch_related(None).values("pk")[start : start + per_page]
    page.object_list = items.filter(pk__in=keys)
    return page


def published_articles():
    """ArticlePages a visitor may see, newest first, with what listings print."""
    return (
        public_pages(ArticlePage.objects.all())
        .select_related("point__district__city", "industry")
        .order_by("-date", "-first_published_at", "-pk")
    )


class SubsiteNavigationMixin(ServedPageMixin):
    """Context shared by every page inside a subsite: its home and its columns for the menu (subsites.serving)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        links = navigation(request, self)
        context["subsite_home"] = links["subsite_home"]
        context["subsite_columns"] = links["columns"]
        return context


def point_links(links):
    """The portal's ``<li>`` links of [(url, name)]."""
    html = "\n".join(f'<li><a href="{escape(url)}">{escape(name)}</a></li>' for url, name in links)
    return mark_safe(html)  # noqa: S308 - both values escaped


class PortalHomePage(ServedPageMixin, Page):
    intro = RichTextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["subsites.SubsiteHomePage", "subsites.ExchangeIndexPage", "subsites.HelpIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "省级门户首页"

    def get_context(self, request, *args, **kwargs):
        from warning.models import City, WarningPoint

        from .exchange import exchange_reports

        context = super().get_context(request, *args, **kwargs)
        # Names and addresses only: a thousand points are a thousand links, not a thousand page objects.
        # A subsite sits right under the portal, so its address is the portal's plus its own slug.
        portal_url = self.get_url(request) or "/"
        points = (
            WarningPoint.objects.filter(subsite__live=True)
            .order_by("district__city__sort_order", "name")
            .values_list("name", "district__city_id", "subsite__url_path")
        )
        # A thousand links are written here, escaped as the template would (html.escape, which is
        # what Django's escaping calls), in one join: through the template's loop they cost two
        # variable lookups and renders each, ~30 ms at 1,000 points (docs/performance.md).
        by_city = {}
        for name, city_id, url_path in points:
            by_city.setdefault(city_id, []).append((portal_url + url_path[len(self.url_path) :], name))
        context["cities"] = [
            (city, len(links), point_links(links))
            for city in City.objects.all()
            for links in [by_city.get(city.pk, [])]
        ]
        context["latest_articles"] = published_articles()[:10]
        context["latest_reports"] = exchange_reports()[:5]
        links = navigation(request, self)
        context["exchange_page"] = links["exchange_page"]
        context["help_page"] = links["help_page"]
        return context


class SubsiteHomePage(SubsiteNavigationMixin, Page):
    intro = RichTextField("预警点简介", blank=True)

    # The title is the point's name, kept in step by provisioning.
    content_panels = [
        FieldPanel("title", read_only=True, help_text="与预警点名称一致，请在“预警点管理”中修改预警点名称"),
        FieldPanel("intro"),
    ]
    subpage_types = ["subsites.ColumnIndexPage"]
    parent_page_types = ["subsites.PortalHomePage"]
    is_creatable = False
    api_fields = [APIField("intro"), APIField("point_info")]

    class Meta:
        verbose_name = "预警点子网站首页"

    @classmethod
    def serving_queryset(cls, queryset):
        """The home read with its point (subsites.serving)."""
        return queryset.select_related("warning_point__district__city")

    @cached_property
    def point(self):
        from warning.models import WarningPoint

        try:
            return self.warning_point
        except WarningPoint.DoesNotExist:
            return None

    @property
    def point_info(self):
        """The point's public basic information (the API and the home page show the same)."""
        point = self.point
        if point is None:
            return None
        return {
            "id": point.pk,
            "name": point.name,
            "host_organisation": point.host_organisation,
            "city": point.district.city.name,
            "district": point.district.name,
            "address": point.address,
            "phone": point.phone,
            "fax": point.fax,
            "email": point.email,
            "website": point.website,
            "status": point.get_status_display(),
        }

    def route(self, request, path_components):
        # A retired point's subsite is unpublished as a whole; refusing here as
        # well means no page below an unpublished home is ever served, even one
        # somebody published later.
        if not self.live and not getattr(request, "is_preview", False):
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["point"] = self.point
        latest = {}
        if self.point:
            # The newest LATEST_ON_HOME of every column in one query: numbered per column, newest first.
            ranked = (
                published_articles()
                .filter(point=self.point)
                .annotate(
                    position=models.Window(
                        RowNumber(),
                        partition_by=[F("column_kind")],
                        order_by=[F("date").desc(), F("first_published_at").desc(), F("pk").desc()],
                    )
                )
            )
            for article in ranked.filter(position__lte=LATEST_ON_HOME):
                latest.setdefault(article.column_kind, []).append(article)
        context["column_latest"] = [(column, latest.get(column.kind, [])) for column in context["subsite_columns"]]
        return context


class ColumnIndexPage(RoutablePageMixin, SubsiteNavigationMixin, Page):
    kind = models.CharField("栏目类型", max_length=10, choices=ColumnKind.choices)
    intro = RichTextField("栏目说明", blank=True)

    # The kind (and its title) is fixed when provisioning makes the column: it
    # decides what the statistics count, so an editor may not turn 通知公告
    # into 预警信息.
    content_panels = [FieldPanel("title", read_only=True), FieldPanel("intro")]
    subpage_types = ["subsites.ArticlePage"]
    parent_page_types = ["subsites.SubsiteHomePage"]
    is_creatable = False
    api_fields = [APIField("kind"), APIField("intro")]

    class Meta:
        verbose_name = "子网站栏目"

    def articles(self):
        queryset = public_pages(ArticlePage.objects.child_of(self)).select_related("industry")
        if self.kind == ColumnKind.NEWS:
            queryset = queryset.prefetch_related(
                Prefetch(
                    "gallery_images",
                    queryset=ArticleGalleryImage.objects.select_related("image")
                    .prefetch_related("image__renditions")
                    .order_by("sort_order"),
                )
            )
        return queryset.order_by("-date", "-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(request, self.articles())
        context["show_thumbs"] = self.kind == ColumnKind.NEWS
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import ColumnFeed

        return ColumnFeed(self)(request)


class ArticlePage(SubsiteNavigationMixin, Page):
    date = models.DateField("发布日期", default=timezone.localdate)
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
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.SearchField("summary"),
        index.FilterField("column_kind"),
        index.FilterField("point"),
    ]
    subpage_types = []
    parent_page_types = ["subsites.ColumnIndexPage"]
    api_fields = [
        APIField("date"),
        APIField("point"),
        APIField("point_name"),
        APIField("column_kind"),
        APIField("industry"),
        APIField("industry_name"),
        # A CountryField holds a Country object; both APIs print its ISO code.
        APIField("country", serializer=serializers.CharField(source="country.code")),
        APIField("country_name"),
        APIField("summary"),
        APIField("body"),
        APIField("gallery_images"),
        APIField("attachments"),
    ]

    class Meta:
        verbose_name = "文章"
        indexes = [
            # Every public listing shows the newest first (the portal's 最新发布 over all
            # articles): read from this index instead of sorting them all (docs/performance.md).
            models.Index(fields=["-date"], name="article_newest"),
        ]

    def permissions_for_user(self, user):
        """Wagtail's page permissions, except that a live (counted) article is never deleted: it is unpublished."""
        return CountedArticlePermissionTester(user, self)

    @property
    def point_name(self):
        return self.point.name if self.point_id else ""

    @property
    def industry_name(self):
        return self.industry.name if self.industry_id else ""

    @property
    def country_name(self):
        return self.country.name if self.country else ""

    def save(self, *args, **kwargs):
        # One query reads the column's kind and its subsite's point from the
        # tree paths; remembered per path, so the several saves of one
        # publication (create, revision, publish) look it up once.
        if self.path and getattr(self, "_placement_path", None) != self.path:
            from warning.models import WarningPoint

            column_path = self.path[: -self.steplen]
            home_path = column_path[: -self.steplen]
            placement = (
                Page.objects.filter(path=column_path)
                .annotate(
                    kind=models.Subquery(ColumnIndexPage.objects.filter(path=column_path).values("kind")[:1]),
                    point_pk=models.Subquery(WarningPoint.objects.filter(subsite__path=home_path).values("pk")[:1]),
                )
                .values_list("kind", "point_pk")
                .first()
            )
            self.column_kind, self.point_id = (placement[0] or "", placement[1]) if placement else ("", None)
            self._placement_path = self.path
        return super().save(*args, **kwargs)

    @classmethod
    def serving_queryset(cls, queryset):
        """The article read with what its page prints besides its photos and attachments (subsites.serving)."""
        return queryset.select_related("point", "industry")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["gallery"] = list(
            self.gallery_images.select_related("image").prefetch_related("image__renditions").order_by("sort_order")
        )
        context["documents"] = list(self.attachments.select_related("document").order_by("sort_order"))
        return context


class PhotoManager(models.Manager):
    """An article's photos are read with their image: every reader (page, both APIs, admin) prints it,
    so a page's query count does not grow with its photos."""

    def get_queryset(self):
        return super().get_queryset().select_related("image")


class AttachmentManager(models.Manager):
    """An article's attachments are read with their document (as PhotoManager)."""

    def get_queryset(self):
        return super().get_queryset().select_related("document")


class ArticleGalleryImage(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name="图片")
    caption = models.CharField("说明", max_length=200, blank=True)

    objects = PhotoManager()

    panels = [FieldPanel("image"), FieldPanel("caption")]
    api_fields = [
        APIField("caption"),
        APIField("image"),
        APIField("thumbnail", serializer=ImageRenditionField("fill-480x320", source="image")),
    ]

    @property
    def alt_text(self):
        """What a screen reader says: the caption, else the image's own description or title."""
        return self.caption or self.image.description or self.image.title


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name="附件"
    )

    objects = AttachmentManager()

    panels = [FieldPanel("document")]
    api_fields = [APIField("document"), APIField("title"), APIField("url")]

    @property
    def title(self):
        return self.document.title

    @property
    def url(self):
        return self.document.url


class ExchangeIndexPage(ServedPageMixin, RoutablePageMixin, Page):
    """预警工作交流: lists the reports the provincial reviewer published here.

    The reports are snippets, not pages, so this page routes to them itself:
    ``<id>/`` shows one report, ``feed/`` is the column's Atom feed (the sitemap
    lists the reports in its own section, subsites/sitemaps.py). Only
    reports published to the exchange (subsites.exchange.exchange_reports)
    are ever found; any other id is a 404.
    """

    intro = RichTextField("栏目说明", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = []
    parent_page_types = ["subsites.PortalHomePage"]
    max_count = 1
    api_fields = [APIField("intro"), APIField("latest_reports")]

    class Meta:
        verbose_name = "预警工作交流"

    @property
    def latest_reports(self):
        from .exchange import exchange_reports, report_summary

        return [report_summary(report) for report in exchange_reports()[:LIST_PAGE_SIZE]]

    def report_url(self, report, request=None):
        return self.get_url(request) + self.reverse_subpage("report", args=[report.pk])

    @path("")
    def index_route(self, request):
        from .exchange import exchange_reports

        return self.render(request, context_overrides={"reports": paginate(request, exchange_reports())})

    @path("<int:report_id>/", name="report")
    def report_route(self, request, report_id):
        from .exchange import exchange_reports

        report = get_object_or_404(exchange_reports(), pk=report_id)
        return self.render(
            request,
            template="subsites/exchange_report.html",
            context_overrides={"report": report},
        )

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import ExchangeFeed

        return ExchangeFeed(self)(request)


class HelpIndexPage(ServedPageMixin, Page):
    intro = RichTextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["subsites.ManualPage"]
    parent_page_types = ["subsites.PortalHomePage"]
    max_count = 1
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "帮助中心"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["manuals"] = public_pages(ManualPage.objects.child_of(self)).order_by("path")
        return context


class ManualPage(ServedPageMixin, Page):
    role = models.CharField("适用角色", max_length=30)
    body = RichTextField("使用指南")

    content_panels = Page.content_panels + [FieldPanel("role"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    subpage_types = []
    parent_page_types = ["subsites.HelpIndexPage"]
    api_fields = [APIField("role"), APIField("body")]

    class Meta:
        verbose_name = "用户手册"


class SubsiteProvision(models.Model):
    """What provisioning made for one point besides its pages.

    ``editors`` is the point's own group, holding Wagtail page permissions on
    its subsite only (and image/document permissions on its collection); the
    role group 预警点用户 holds no page permission at all. When the point is
    retired, ``suspended_revisions`` remembers which pages were live with which
    revision, so reinstating the point republishes exactly those.
    """

    point = models.OneToOneField(
        "warning.WarningPoint", on_delete=models.CASCADE, related_name="subsite_provision", verbose_name="预警点"
    )
    editors = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="subsite_provision", verbose_name="子网站编辑组"
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="图片与文档集合",
    )
    suspended_revisions = models.JSONField("撤销时下线的页面", default=dict, blank=True)

    class Meta:
        verbose_name = "子网站开通记录"
        verbose_name_plural = "子网站开通记录"

    def __str__(self):
        return str(self.point)


class CountedArticlePermissionTester(PagePermissionTester):
    """A live article counts in the statistics (docs/statistics.md): nobody deletes it, it is unpublished."""

    def can_delete(self, ignore_bulk=False):
        return not self.page.live and super().can_delete(ignore_bulk=ignore_bulk)


def live_articles_under(page):
    """The live articles in a page's subtree (the page included): what a delete would lose from the counts."""
    return ArticlePage.objects.live().descendant_of(page, inclusive=True)
