"""make_* helpers for the statistics, scoring and export tests: finished items made straight with the ORM.

They write the end state the review and periodic-report flows leave behind
(stage approved, magazine/internal decisions, live pages), so the counting
can be tested without driving those flows.
"""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from wagtail.models import Page

from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind, PortalHomePage, SubsiteHomePage
from warning.models import (
    AnnualSummary,
    ContactEnterprise,
    District,
    Industry,
    Notice,
    NoticeRecipient,
    QuarterlyAnalysis,
    ResponsiblePerson,
    WarningPoint,
    WarningReport,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def sh(year, month, day, hour=12, minute=0, second=0):
    """An aware datetime read on a Shanghai clock."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def make_report(point, submitted_at, *, stage=WarningReport.Stage.APPROVED, title=None, **fields):
    """A warning report in its final state; pass exchange/magazine/internal outcome fields as needed."""
    defaults = dict(
        point=point,
        title=title or f"预警信息{next(_seq)}",
        industry=Industry.objects.get(name="化工"),
        country="US",
        author="张三",
        phone="0571-87654321",
        body="<p>正文</p>",
        stage=stage,
        submitted_at=submitted_at,
        approved_at=submitted_at if stage == WarningReport.Stage.APPROVED else None,
    )
    defaults.update(fields)
    return WarningReport.objects.create(**defaults)


def make_exchange_report(point, submitted_at, published_at=None, **fields):
    return make_report(
        point, submitted_at, to_exchange=True, exchange_published_at=published_at or submitted_at, **fields
    )


def make_magazine_report(point, submitted_at, decided_at=None, status="adopted", **fields):
    return make_report(
        point,
        submitted_at,
        to_magazine=True,
        magazine_status=status,
        magazine_decided_at=decided_at or submitted_at,
        **fields,
    )


def make_internal_report(point, submitted_at, decided_at=None, status="adopted", leader=False, **fields):
    return make_report(
        point,
        submitted_at,
        to_internal=True,
        internal_status=status,
        internal_decided_at=decided_at or submitted_at,
        leader_instruction=leader,
        **fields,
    )


def make_quarterly(point, year, quarter, submitted_at, *, magazine_status="pending", decided_at=None, title=None):
    return QuarterlyAnalysis.objects.create(
        point=point,
        year=year,
        quarter=quarter,
        title=title or f"{year}年第{quarter}季度形势分析{next(_seq)}",
        content="分析",
        submitted_at=submitted_at,
        magazine_status=magazine_status,
        magazine_decided_at=decided_at if decided_at else (submitted_at if magazine_status == "adopted" else None),
    )


def make_summary(point, year, submitted_at, title=None):
    return AnnualSummary.objects.create(
        point=point,
        year=year,
        title=title or f"{year}年度工作总结{next(_seq)}",
        content="总结",
        submitted_at=submitted_at,
    )


def make_enterprises(point, n):
    ContactEnterprise.objects.bulk_create(
        [ContactEnterprise(point=point, name=f"联系企业{next(_seq)}", sort_order=i) for i in range(n)]
    )


def _portal():
    portal = PortalHomePage.objects.first()
    if portal is None:
        portal = Page.get_first_root_node().add_child(instance=PortalHomePage(title="门户", slug="portal-stats"))
    return portal


def _column(point, kind):
    if point.subsite_id is None:
        home = _portal().add_child(instance=SubsiteHomePage(title=point.name, slug=f"point-{point.pk}"))
        WarningPoint.objects.filter(pk=point.pk).update(subsite=home)
        point.subsite = home
    column = ColumnIndexPage.objects.child_of(point.subsite).filter(kind=kind).first()
    if column is None:
        column = point.subsite.add_child(
            instance=ColumnIndexPage(title=ColumnKind(kind).label, slug=f"column-{kind}", kind=kind)
        )
    return column


def make_article(point, kind, published_at, *, live=True, title=None):
    """A subsite page in one of the point's columns, first published at `published_at`."""
    n = next(_seq)
    page = ArticlePage(
        title=title or f"{ColumnKind(kind).label}{n}",
        slug=f"article-{n}",
        date=published_at.date(),
        body="<p>内容</p>",
        live=live,
        first_published_at=published_at,
        last_published_at=published_at,
    )
    _column(point, kind).add_child(instance=page)
    return page


def make_notice(issued_at, points, title=None):
    issuer = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        f"issuer{next(_seq)}", "issuer@example.com", "pass12345!"
    )
    notice = Notice.objects.create(
        title=title or f"通知{next(_seq)}", body="内容", issued_by=issuer, issued_at=issued_at
    )
    NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, point=p) for p in points])
    return notice


def make_points_bulk(n, district_name="建德市", prefix="批量"):
    """n 正式 points with one responsible person each, in few queries."""
    district = District.objects.get(name=district_name)
    start = next(_seq) * 10_000
    points = WarningPoint.objects.bulk_create(
        [
            WarningPoint(
                name=f"{prefix}{start + i}号对外贸易预警点",
                host_organisation="协会",
                batch=1,
                established_year=2015,
                address="地址",
                phone="0571-87654321",
                email=f"bulk{start + i}@example.com",
                district=district,
                has_party_organisation=False,
            )
            for i in range(n)
        ]
    )
    ResponsiblePerson.objects.bulk_create([ResponsiblePerson(point=p, name="负责人") for p in points])
    return points
