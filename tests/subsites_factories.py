"""make_* helpers for the subsites tests: pages made the way the admin makes them (revision, publish)."""

import itertools

from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind

_seq = itertools.count(1)


def column_of(point, kind=ColumnKind.WARNING):
    return ColumnIndexPage.objects.child_of(point.subsite).get(kind=kind)


def make_article(point, kind=ColumnKind.WARNING, *, title=None, publish=True, user=None, **fields):
    """An article in one of the point's columns, saved as a revision and (by default) published."""
    n = next(_seq)
    page = ArticlePage(
        title=title or f"{ColumnKind(kind).label}测试文章{n}",
        slug=fields.pop("slug", f"test-article-{n}"),
        body=fields.pop("body", f"<p>第{n}篇测试文章的正文。</p>"),
        live=False,
        has_unpublished_changes=True,
        **fields,
    )
    column_of(point, kind).add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    page.refresh_from_db()
    return page


def make_private(page):
    """Restrict a page to logged-in users (a Wagtail view restriction)."""
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def make_image(title="会议现场", description=""):
    """A small real JPEG in Wagtail's image library, drawn with Pillow."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (30, 90, 160)).save(buffer, format="JPEG")
    image = get_image_model()(title=title, description=description)
    image.file = ImageFile(buffer, name=f"test-{next(_seq)}.jpg")
    image.save()
    return image


def make_exchange_report(point, *, title=None, to_exchange=True, published=True, **fields):
    """A warning report in the state the provincial 通过 + 发布到预警工作交流 leaves it in."""
    from django.utils import timezone

    from warning.models import Industry, WarningReport

    now = timezone.now()
    defaults = dict(
        point=point,
        title=title or f"预警工作交流测试信息{next(_seq)}",
        industry=Industry.objects.get(name="化工"),
        country="US",
        author="张三",
        phone="0571-87654321",
        body="<p>美国对华化工产品发起反倾销调查，请企业做好应诉准备。</p>",
        stage=WarningReport.Stage.APPROVED,
        submitted_at=now,
        approved_at=now,
        to_exchange=to_exchange,
        exchange_published_at=now if (to_exchange and published) else None,
    )
    defaults.update(fields)
    return WarningReport.objects.create(**defaults)


def article_form(title, slug, action="action-publish"):
    """POST data of the admin's article form (no photos, no attachments), publishing by default."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-11-20",
            "industry": "",
            "country": "",
            "summary": "",
            "body": rich_text("<p>欧盟发布新版 REACH 高关注物质清单。</p>"),
            "gallery_images": inline_formset([]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = "1"
    return data
