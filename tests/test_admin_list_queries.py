"""Every admin list runs at most 15 queries, the same number at two sizes (docs/performance.md).

For each role (the provincial contact, a point editor, the superuser) every list screen
the role may open is requested with a few rows in each list, then again after each list
has grown: the number of queries must stay within 15 and must not grow with the rows.
Screens a role may not open (403/404/redirect) are left out for that role; each role
must open its core lists (asserted below).
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.log_actions import log

from subsites.models import ColumnKind
from tests import statistics_factories as sf
from tests.factories import make_user
from tests.review_factories import decide
from tests.review_factories import make_report as submit_report
from tests.subsites_factories import make_image
from warning import review
from warning.models import Message, WarningReport

LIMIT = 15
User = get_user_model()

LISTS = [
    "wagtailadmin_home",
    "wagtailsnippets_warning_warningreport:list",  # 我的预警信息 / every report
    "warning_review:index",  # 地市审核 / 省级审核 queues
    "warning_progress",
    "warning_magazine:report_index",  # 期刊杂志
    "warning_magazine:quarterly_index",
    "warning_internal:index",  # 内部交流
    "warning_warningpoint_modeladmin_index",  # 预警点 registry
    "warning_messages:index",  # 消息中心
    "warning_messages:notices",
    "warning_notices:index",  # 商务局预警信息
    "warning_periodic:quarterly_index",  # 季度形势分析
    "warning_periodic:annual_index",  # 年度工作总结
    "warning_periodic:deadlines",
    "subsites_publications:index",  # 子网站信息发布
    "wagtailadmin_explore_root",
    "wagtailadmin_pages:search",  # 搜索所有页面, no query: every page the user may explore
    "wagtailadmin_pages:search_results",
    "explore_column",  # the point's 预警信息 column in the page explorer
    "wagtailsnippets:index",
    "wagtailusers_users:index",
    "wagtailusers_groups:index",
    "wagtailimages:index",
    "wagtaildocs:index",
    "jobs:failed",
    "jobs:exports",
    # The choosers' modals and their result pages (a list each).
    "wagtailadmin_choose_page",
    "choose_column",  # the page chooser inside the point's 预警信息 column
    "wagtailadmin_choose_page_search",
    "choose_page_search_hits",  # the page chooser's search, with hits
    "column_history",  # the 预警信息 column's history (its articles are added under it)
    "report_history",  # the oldest report's history
    "report_usage",
    "wagtailsnippetchoosers_warning_warningreport:choose",
    "wagtailsnippetchoosers_warning_warningreport:choose_results",
    "wagtailimages_chooser:choose",
    "wagtailimages_chooser:choose_results",
    "wagtaildocs_chooser:choose",
    "wagtaildocs_chooser:choose_results",
    # Wagtail's reports (warning/admin/wagtail_reports.py): workflow states, log entries, page types
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:aging_pages_results",
]

# Lists each role must be able to open (the rest are measured where the role may open them).
MUST_OPEN = {
    "province": {
        "wagtailadmin_home",
        "warning_review:index",
        "warning_internal:index",
        "warning_warningpoint_modeladmin_index",
        "warning_messages:index",
        "warning_notices:index",
        "warning_periodic:quarterly_index",
        "warning_periodic:annual_index",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:site_history_results",
    },
    "point": {
        "wagtailadmin_home",
        "wagtailsnippets_warning_warningreport:list",
        "warning_messages:index",
        "warning_periodic:quarterly_index",
        "warning_periodic:annual_index",
        "explore_column",
    },
    "superuser": {
        "wagtailusers_users:index",
        "wagtailimages:index",
        "wagtaildocs:index",
        "jobs:failed",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:page_types_usage",
    },
}

_years = iter(range(2000, 2100))


def grow(point, editor, city_reviewer, users, n):
    """n more rows in every list: reports (own, waiting, magazine, internal) with their workflow
    states and log entries, periodic, notices, messages, articles (each edit logged), images,
    documents, points, users."""
    now = timezone.now()
    for i in range(n):
        decide(submit_report(point, editor), city_reviewer, review.APPROVE, comment="")  # waiting at 省级审核
        sf.make_magazine_report(point, now - timedelta(days=i + 1), status="pending")
        sf.make_internal_report(point, now - timedelta(days=i + 1), status="pending")
        year = next(_years)
        sf.make_quarterly(point, year, 1, sf.sh(year + 1, 1, 5))
        sf.make_summary(point, year, sf.sh(year + 1, 1, 5))
        sf.make_notice(now - timedelta(hours=i + 1), [point])
        article = sf.make_article(point, ColumnKind.WARNING, now - timedelta(hours=i + 1))
        log(instance=article, action="wagtail.edit", user=editor)  # site history lists page edits too
        make_image(title=f"图片{i}")
        get_document_model().objects.create(title=f"文件{i}", file=ContentFile(b"%PDF-1.4", name=f"f{i}.pdf"))
        make_user("magazine", username=f"grown-{year}")
        for user in users:
            Message.objects.create(recipient=user, title=f"消息{year}", body="内容")
        for logged in (sf._column(point, ColumnKind.WARNING), WarningReport.objects.filter(point=point).first()):
            log(logged, "wagtail.edit", user=editor)  # the histories grow too
    sf.make_points_bulk(n)


def url_of(name, point):
    if name == "explore_column":
        return reverse("wagtailadmin_explore", args=[sf._column(point, ColumnKind.WARNING).pk])
    if name == "choose_column":
        return reverse("wagtailadmin_choose_page_child", args=[sf._column(point, ColumnKind.WARNING).pk])
    if name == "column_history":
        return reverse("wagtailadmin_pages:history", args=[sf._column(point, ColumnKind.WARNING).pk])
    if name in ("report_history", "report_usage"):
        report = WarningReport.objects.filter(point=point).order_by("pk").first()
        return reverse(f"wagtailsnippets_warning_warningreport:{name[7:]}", args=[report.pk])
    if name == "choose_page_search_hits":
        return reverse("wagtailadmin_choose_page_search") + "?q=预警信息"
    return reverse(name)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["province", "point", "superuser"])
def test_every_admin_list_stays_within_15_queries_at_two_sizes(client, role, point, point_editor, city_reviewer):
    provincial = make_user("province")
    superuser = User.objects.create_superuser("root", "root@example.com", "pass12345!")
    user = {"province": provincial, "point": point_editor, "superuser": superuser}[role]
    grow(point, point_editor, city_reviewer, [provincial, point_editor, superuser], 2)
    client.force_login(user)

    small = {}
    for name in LISTS:
        url = url_of(name, point)
        status, _ = count_queries(client, url)  # warm the process's caches (content types, site root paths)
        if status == 200:
            small[name] = count_queries(client, url)[1]
    assert MUST_OPEN[role] <= set(small), f"{role} cannot open {MUST_OPEN[role] - set(small)}"

    grow(point, point_editor, city_reviewer, [provincial, point_editor, superuser], 6)
    large = {}
    for name in small:
        client.get(url_of(name, point))  # new images get their thumbnails made once, as for any user
        large[name] = count_queries(client, url_of(name, point))
    report = io.StringIO()
    for name in small:
        status, n = large[name]
        if status != 200 or n > LIMIT or n > small[name]:
            report.write(f"\n{name}: {small[name]} queries with 2 rows, {n} with 8 (HTTP {status})")
    assert not report.getvalue(), f"{role}:{report.getvalue()}"
