"""make_* helpers for the subsites tests: pages made the way the admin makes them (revision, publish)."""

import itertools

from wagtail.models import PageViewRestriction

from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind

_seq = itertools.count(1)


def column_of(point, kind=ColumnKind.WARNING):
    return ColumnIndexPage.objects.child_of(point.subsite).get(kind=kind)


def make_article(point, kind=ColumnKind.WARNING, *, title=None, publish=True, user=None, **fields):
    """An article in one of the point's columns, saved as a revision and (by default) published."""
    n = next(_seq)
    page = ArticlePage(
        title=title or f"{ColumnKind(kind).label}测试文章{n}",
        slug=f"test-article-{n}",
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
