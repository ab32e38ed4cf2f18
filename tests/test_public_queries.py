"""Every anonymous page runs a fixed number of queries, at most 10, whatever the data (docs/performance.md).

Each page kind is fetched at two sizes (a point with a few items per list,
and three points with more items per list than a page holds) and must stay
within PUBLIC_QUERY_LIMIT at both, and still show what it is there for: the
newest and oldest items, an article's photo, attachment and rich-text links,
and never a draft. Speed is measured by scripts/public_pages_bench.py, not here.
"""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from subsites.models import (
    ArticleAttachment,
    ArticleGalleryImage,
    ArticlePage,
    ColumnKind,
    ExchangeIndexPage,
    HelpIndexPage,
    ManualPage,
)
from tests.factories import make_point
from tests.subsites_factories import column_of, make_exchange_report, make_image, make_private
from warning.demo.indexing import indexing_deferred
from warning.models import WarningReport

PUBLIC_QUERY_LIMIT = 10
SIZES = {"few": (1, 3), "many": (3, 23)}  # (points, items per column and in 预警工作交流); a page holds 20


def _article(column, n, kind, *, image, document, link_to, live=True):
    body = (
        f'<p>第{n}篇正文，详见<a linktype="page" id="{link_to.pk}">子网站首页</a>和'
        f'<a linktype="document" id="{document.pk}">附件说明</a>。</p>'
        f'<embed embedtype="image" id="{image.pk}" format="left" alt="正文插图{n}"/>'
    )
    page = ArticlePage(
        title=f"{kind.label}公开文章{n:02d}" if live else f"{kind.label}草稿{n:02d}",
        slug=f"article-{kind.value}-{n}",
        date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        summary=f"第{n}篇摘要",
        body=body,
        live=live,
        first_published_at=timezone.now() if live else None,
        gallery_images=[ArticleGalleryImage(image=image, caption=f"照片{n}")] if kind == ColumnKind.NEWS else [],
        attachments=[ArticleAttachment(document=document)],
    )
    column.add_child(instance=page)
    return page


@pytest.fixture(scope="module", params=list(SIZES), ids=list(SIZES))
def world(request, django_db_setup, django_db_blocker):
    """Points with live articles in every column (photos, attachments, links), a draft, a private
    article and 预警工作交流 reports; built once per size, rolled back after the module."""
    points_count, items = SIZES[request.param]
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to build data in a non-test database: {name}"
        image = make_image(title="会议现场照片")
        document = get_document_model()(title="反倾销应诉指南")
        document.file.save("guide.pdf", ContentFile(b"%PDF-1.4\n%test\n"), save=False)
        document.save()
        with indexing_deferred():
            points = [make_point(name=f"查询测试{i}号预警点") for i in range(points_count)]
            point = points[0]
            for kind in ColumnKind:
                column = column_of(point, kind)
                for n in range(1, items + 1):
                    _article(column, n, kind, image=image, document=document, link_to=point.subsite)
            column = column_of(point)
            _article(column, 99, ColumnKind.WARNING, image=image, document=document, link_to=point.subsite, live=False)
            private = _article(column, 98, ColumnKind.WARNING, image=image, document=document, link_to=point.subsite)
            private.title = "内部文章不公开"
            private.save()
            make_private(private)
        now = timezone.now()
        for n in range(1, items + 1):
            make_exchange_report(
                point, title=f"交流信息{n:02d}", exchange_published_at=now + datetime.timedelta(minutes=n)
            )
        make_exchange_report(point, title="未发布到交流的信息", to_exchange=False)
        yield {
            "point": point,
            "points": points,
            "items": items,
            "news": ArticlePage.objects.get(slug=f"article-news-{items}"),
            "oldest_report": WarningReport.objects.get(title="交流信息01"),
            "image": image,
            "document": document,
        }
        transaction.set_rollback(True)


def _newest(kind, world):
    return f"{kind.label}公开文章{world['items']:02d}"


def _oldest(kind):
    return f"{kind.label}公开文章01"


def _pages(world):
    """(name, url, texts the response must contain, texts it must not) for every anonymous page kind."""
    point, items, news = world["point"], world["items"], world["news"]
    warning, exchange = column_of(point), ExchangeIndexPage.objects.get()
    manual = ManualPage.objects.order_by("path").first()
    hidden = [f"{ColumnKind.WARNING.label}草稿99", "内部文章不公开", "未发布到交流的信息"]
    newest_report = f"交流信息{items:02d}"
    return [
        ("portal", "/", [_newest(kind, world) for kind in ColumnKind] + [newest_report, point.name], hidden),
        ("subsite home", point.subsite.url, [_newest(kind, world) for kind in ColumnKind] + [point.address], hidden),
        ("column", warning.url, [_newest(ColumnKind.WARNING, world), "第 1 页" if items > 20 else ""], hidden),
        ("column, last page", f"{warning.url}?page=2", [_oldest(ColumnKind.WARNING)], hidden),
        ("news column (photos)", column_of(point, ColumnKind.NEWS).url, [_newest(ColumnKind.NEWS, world), "<img"], []),
        ("notice column", column_of(point, ColumnKind.NOTICE).url, [_newest(ColumnKind.NOTICE, world)], []),
        (
            "article",
            news.url,
            [news.title, "反倾销应诉指南", f"照片{items}", f'href="{point.subsite.url}"', "正文插图", "发布单位"],
            [],
        ),
        ("exchange", exchange.url, [newest_report], hidden),
        ("exchange, last page", f"{exchange.url}?page=2", ["交流信息01"], hidden),
        ("exchange report", f"{exchange.url}{world['oldest_report'].pk}/", ["交流信息01", point.name], []),
        ("help", HelpIndexPage.objects.get().url, [manual.title], []),
        ("manual", manual.url, [manual.title], []),
        ("column feed", f"{warning.url}feed/", [_newest(ColumnKind.WARNING, world)], hidden),
        ("news feed", f"{column_of(point, ColumnKind.NEWS).url}feed/", [_newest(ColumnKind.NEWS, world)], []),
        ("exchange feed", f"{exchange.url}feed/", [newest_report], hidden),
        ("search", "/search/?q=摘要", ["搜索结果", "公开文章"], hidden),
    ]


def _api(world):
    """(name, url, texts the JSON must contain, texts it must not) for both APIs' lists and details."""
    point, news, image, document = world["point"], world["news"], world["image"], world["document"]
    hidden = [f"{ColumnKind.WARNING.label}草稿99", "内部文章不公开", "未发布到交流的信息"]
    newest = _newest(ColumnKind.WARNING, world)
    return [
        ("v2 pages", "/api/v2/pages/?limit=20", ["浙江省对外贸易预警平台"], []),
        ("v2 pages, every field", "/api/v2/pages/?fields=*&limit=20", ["浙江省对外贸易预警平台"], []),
        (
            "v2 articles, every field",
            "/api/v2/pages/?type=subsites.ArticlePage&fields=*&limit=20&order=-date",
            [newest, "thumbnail", point.name, "反倾销应诉指南"],
            hidden,
        ),
        (
            "v2 subsite homes, every field",
            "/api/v2/pages/?type=subsites.SubsiteHomePage&fields=*",
            [p.name for p in world["points"]] + ["point_info"],
            [],
        ),
        ("v2 columns, every field", "/api/v2/pages/?type=subsites.ColumnIndexPage&fields=*", ["notice"], []),
        ("v2 exchange, every field", "/api/v2/pages/?type=subsites.ExchangeIndexPage&fields=*", ["交流信息"], hidden),
        ("v2 article", f"/api/v2/pages/{news.pk}/", [news.title, "照片", "反倾销应诉指南", point.name], []),
        ("v2 subsite home", f"/api/v2/pages/{point.subsite_id}/", [point.name, point.address], []),
        ("v2 images", "/api/v2/images/?fields=*", ["会议现场照片"], []),
        ("v2 image", f"/api/v2/images/{image.pk}/", ["会议现场照片"], []),
        ("v2 documents", "/api/v2/documents/?fields=*", ["反倾销应诉指南"], []),
        ("v2 document", f"/api/v2/documents/{document.pk}/", ["反倾销应诉指南"], []),
        ("v3 pages", "/api/v3/pages/?limit=20", ["浙江省对外贸易预警平台"], []),
        ("v3 articles", "/api/v3/pages/?type=subsites.ArticlePage&limit=20", ["公开文章"], hidden),
        ("v3 article", f"/api/v3/pages/{news.pk}/", [news.title, "照片", point.name], []),
        ("v3 subsite home", f"/api/v3/pages/{point.subsite_id}/", [point.name], []),
        ("v3 images", "/api/v3/images/", ["会议现场照片"], []),
        ("v3 image", f"/api/v3/images/{image.pk}/", ["会议现场照片"], []),
        ("v3 documents", "/api/v3/documents/", ["反倾销应诉指南"], []),
        ("v3 document", f"/api/v3/documents/{document.pk}/", ["反倾销应诉指南"], []),
    ]


PAGE_NAMES = [
    "portal",
    "subsite home",
    "column",
    "column, last page",
    "news column (photos)",
    "notice column",
    "article",
    "exchange",
    "exchange, last page",
    "exchange report",
    "help",
    "manual",
    "column feed",
    "news feed",
    "exchange feed",
    "search",
]
API_NAMES = [
    "v2 pages",
    "v2 pages, every field",
    "v2 articles, every field",
    "v2 subsite homes, every field",
    "v2 columns, every field",
    "v2 exchange, every field",
    "v2 article",
    "v2 subsite home",
    "v2 images",
    "v2 image",
    "v2 documents",
    "v2 document",
    "v3 pages",
    "v3 articles",
    "v3 article",
    "v3 subsite home",
    "v3 images",
    "v3 image",
    "v3 documents",
    "v3 document",
]


def _fetch(client, url, django_assert_max_num_queries):
    client.get(url)  # the site's root paths and the photos' renditions exist, as on a running site
    with django_assert_max_num_queries(PUBLIC_QUERY_LIMIT):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_public_page_runs_a_fixed_number_of_queries_and_shows_its_content(
    client, world, name, django_assert_max_num_queries
):
    _name, url, shown, hidden = next(page for page in _pages(world) if page[0] == name)
    html = _fetch(client, url, django_assert_max_num_queries).content.decode().replace("<mark>", "")
    html = html.replace("</mark>", "")
    for text in shown:
        assert text in html, (name, text)
    for text in hidden:
        assert text not in html, (name, text)


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_NAMES)
def test_every_api_list_and_detail_runs_a_fixed_number_of_queries_and_gives_its_content(
    client, world, name, django_assert_max_num_queries
):
    _name, url, shown, hidden = next(item for item in _api(world) if item[0] == name)
    data = json.dumps(_fetch(client, url, django_assert_max_num_queries).json(), ensure_ascii=False)
    for text in shown:
        assert text in data, (name, text)
    for text in hidden:
        assert text not in data, (name, text)


@pytest.mark.django_db
def test_a_list_of_articles_in_the_api_holds_a_full_page_at_the_larger_size(client, world):
    params = {"type": "subsites.ArticlePage", "fields": "*", "limit": 20, "order": "-date"}
    items = client.get("/api/v2/pages/", params).json()["items"]
    assert len(items) == min(20, 3 * world["items"])
    news = [item for item in items if item["column_kind"] == "news"]
    assert news and all(item["gallery_images"][0]["thumbnail"]["url"] for item in news)
    assert all(item["attachments"][0]["title"] == "反倾销应诉指南" for item in items)


@pytest.mark.django_db
def test_a_page_under_a_view_restriction_is_still_refused_to_a_visitor(client, world):
    private = ArticlePage.objects.get(title="内部文章不公开")
    response = client.get(private.url)
    assert response.status_code == 302 and "/_util/login/" in response["Location"]
