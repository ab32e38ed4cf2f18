"""Paging of every list keeps its tab, filters and search (docs/review.md, "Lists and paging").

Each list is filled past one page with items that match its filter and a few
that do not; page 1 is opened with the filter (and search where the list has
one), its "next" link is followed, and page 2 must show the rest of the
filtered items and nothing else.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.factories import bulk_points
from tests.statistics_factories import (
    make_internal_report,
    make_magazine_report,
    make_quarterly,
    make_report,
    sh,
)
from warning.models import Message, WarningReport
from warning.paging import page_url

pytestmark = pytest.mark.django_db


def next_link(response):
    """The href of the pagination bar's "next" link (Wagtail listings and modeladmin alike)."""
    html = response.content.decode()
    match = re.search(r'<li class="next">\s*<a href="([^"]+)"', html) or re.search(
        r'<a[^>]+href="([^"]+)"[^>]*>\s*(?:<[^>]+>\s*)*下一页', html
    )
    assert match, "no next-page link"
    return unescape(match.group(1))


def follow_next(client, url):
    first = client.get(url)
    assert first.status_code == 200
    link = next_link(first)
    assert link.count("?") == 1, link
    return link, client.get(link)


# --------------------------------------------------------------- the helper itself


def test_page_url_replaces_the_page_and_keeps_other_parameters():
    query = QueryDict("tab=all&q=%E5%8F%8D%E5%80%BE%E9%94%80&p=1&_w_filter_fragment=1")
    assert page_url("/admin/review/", query, 2) == "/admin/review/?tab=all&q=%E5%8F%8D%E5%80%BE%E9%94%80&p=2"


def test_page_url_merges_a_query_string_already_in_the_url():
    # The old bug: "/admin/review/?tab=all" + "?tab=all&p=2".
    assert page_url("/admin/review/?tab=all", QueryDict("tab=all"), 2) == "/admin/review/?tab=all&p=2"
    assert page_url("/admin/internal/?status=", QueryDict(""), 2) == "/admin/internal/?p=2"
    assert page_url("/list/?a=1", QueryDict("a=2&b=3"), 4, page_key="page") == "/list/?a=2&b=3&page=4"


def test_page_url_keeps_repeated_parameters():
    assert page_url("/x/", QueryDict("city=1&city=2"), 3) == "/x/?city=1&city=2&p=3"


# --------------------------------------------------------------- the lists


@pytest.fixture
def reports_25(point):
    reports = [make_report(point, sh(2025, 1, 1 + i), stage=WarningReport.Stage.PROVINCIAL) for i in range(25)]
    return reports  # oldest first; lists show newest first


def test_review_all_tab_page_two(client, provincial, point, reports_25):
    make_report(point, sh(2025, 3, 1), stage=WarningReport.Stage.DRAFT, title="草稿不在全部")
    client.force_login(provincial)
    link, page2 = follow_next(client, reverse("warning_review:index") + "?tab=all")
    assert parse_qs(urlsplit(link).query) == {"tab": ["all"], "p": ["2"]}
    html = page2.content.decode()
    assert 'aria-current="page" aria-selected="true">\n                全部' in html
    for report in reports_25[:5]:
        assert report.title in html
    assert reports_25[5].title not in html
    assert "草稿不在全部" not in html


def test_review_pending_tab_page_two(client, provincial, point, reports_25):
    make_report(point, sh(2025, 3, 1), stage=WarningReport.Stage.APPROVED, title="已通过不在待审")
    client.force_login(provincial)
    link, page2 = follow_next(client, reverse("warning_review:index") + "?tab=pending")
    assert parse_qs(urlsplit(link).query) == {"tab": ["pending"], "p": ["2"]}
    html = page2.content.decode()
    assert reports_25[0].title in html and reports_25[4].title in html
    assert reports_25[5].title not in html


def test_internal_exchange_page_two_with_and_without_status(client, provincial, point):
    pending = [make_internal_report(point, sh(2025, 1, 1 + i), status="pending") for i in range(22)]
    declined = make_internal_report(point, sh(2025, 2, 1), status="declined", title="不采纳的一条")
    client.force_login(provincial)

    link, page2 = follow_next(client, reverse("warning_internal:index") + "?status=pending")
    assert parse_qs(urlsplit(link).query) == {"status": ["pending"], "p": ["2"]}
    html = page2.content.decode()
    assert pending[0].title in html and pending[1].title in html
    assert declined.title not in html

    link, page2 = follow_next(client, reverse("warning_internal:index") + "?status=")
    assert urlsplit(link).query == "p=2"
    html = page2.content.decode()
    assert pending[0].title in html and pending[2].title in html  # 23 items: page 2 holds the 3 oldest
    assert declined.title not in html


def test_magazine_reports_page_two_with_status_and_point_filter(client, magazine_editor, point, other_point):
    ours = [make_magazine_report(point, sh(2025, 1, 1 + i), status="pending") for i in range(21)]
    make_magazine_report(other_point, sh(2025, 2, 1), status="pending", title="别的预警点")
    make_magazine_report(point, sh(2025, 2, 2), status="adopted", title="已录用的一条")
    client.force_login(magazine_editor)
    url = reverse("warning_magazine:report_index") + "?status=pending&point_name=" + "建德"
    link, page2 = follow_next(client, url)
    assert parse_qs(urlsplit(link).query) == {"status": ["pending"], "point_name": ["建德"], "p": ["2"]}
    html = page2.content.decode()
    assert ours[0].title in html
    assert ours[1].title not in html
    assert "别的预警点" not in html and "已录用的一条" not in html


def test_quarterly_list_page_two_with_year_filter(client, provincial, point):
    ours = [make_quarterly(p, 2024, 1, sh(2024, 1, 1 + i)) for i, p in enumerate(bulk_points(21))]
    make_quarterly(point, 2023, 1, sh(2023, 3, 1), title="去年的季度分析")
    client.force_login(provincial)
    link, page2 = follow_next(client, reverse("warning_periodic:quarterly_index") + "?year=2024")
    assert parse_qs(urlsplit(link).query) == {"year": ["2024"], "p": ["2"]}
    assert page2.status_code == 200
    html = page2.content.decode()
    assert sum(item.title in html for item in ours) == 1
    assert "去年的季度分析" not in html


def test_message_centre_unread_page_two(client, point_editor):
    for i in range(25):
        Message.objects.create(recipient=point_editor, title=f"未读消息{i:02d}")
    Message.objects.create(recipient=point_editor, title="已读消息", read_at=sh(2025, 1, 1))
    client.force_login(point_editor)
    link, page2 = follow_next(client, reverse("warning_messages:index") + "?status=unread")
    assert parse_qs(urlsplit(link).query) == {"status": ["unread"], "p": ["2"]}
    html = page2.content.decode()
    assert "已读消息" not in html
    assert html.count("未读消息") >= 5


def test_points_registry_page_two_with_search_and_filter(client, provincial):
    bulk_points(55, name="批量丝绸预警点{i}")
    bulk_points(3, name="其他预警点{i}")
    client.force_login(provincial)
    url = reverse("warning_warningpoint_modeladmin_index") + "?q=丝绸&batch=1"
    first = client.get(url)
    assert first.status_code == 200
    match = re.search(r'href="(\?[^"]*p=1[^"]*)"', first.content.decode())
    assert match, "no page-2 link"
    link = unescape(match.group(1))
    params = parse_qs(urlsplit(link).query)
    assert params["q"] == ["丝绸"] and params["batch"] == ["1"]
    page2 = client.get(reverse("warning_warningpoint_modeladmin_index") + link)
    html = page2.content.decode()
    assert html.count("批量丝绸预警点") >= 5
    assert "其他预警点" not in html


def test_notices_page_two_with_search(client, provincial, point):
    from tests.statistics_factories import make_notice

    for i in range(22):
        make_notice(sh(2025, 1, 1 + i), [point], title=f"反倾销通知{i:02d}")
    make_notice(sh(2025, 2, 1), [point], title="其他通知")
    client.force_login(provincial)
    link, page2 = follow_next(client, reverse("warning_notices:index") + "?q=反倾销")
    assert parse_qs(urlsplit(link).query) == {"q": ["反倾销"], "p": ["2"]}
    html = page2.content.decode()
    assert "反倾销通知00" in html and "反倾销通知01" in html
    assert "反倾销通知05" not in html and "其他通知" not in html


def test_public_pagination_keeps_the_search_query(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/search/", {"q": "反倾销", "page": "1"})
    html = render_to_string(
        "subsites/includes/pagination.html",
        {"items": Paginator(range(50), 20).get_page(1), "request": request},
    )
    link = unescape(re.search(r'href="([^"]+)" rel="next"', html).group(1))
    assert link == "/search/?q=%E5%8F%8D%E5%80%BE%E9%94%80&page=2"
