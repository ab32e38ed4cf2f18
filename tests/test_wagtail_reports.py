"""Wagtail's reports served by warning/admin/wagtail_reports.py show what Wagtail's own views show
(docs/performance.md, "Admin lists"): the same rows, cells and links, read in fewer queries.

Each screen is rendered twice on the same data: through its URL (our view) and by Wagtail's
own view class called directly (for the province: the scoped view of warning/admin/access.py
as it was before the lookups were shared). The results must be the same HTML.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from wagtail.actions.delete_page import DeletePageAction
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksReportFilterSet, WorkflowTasksView, WorkflowView
from wagtail.log_actions import log
from wagtail.models import Site

from tests.factories import make_user
from tests.review_factories import decide, make_report
from tests.subsites_factories import make_article
from tests.test_wagtail_screens_access import build_world, login
from warning import review
from warning.admin.access import ScopedLogEntriesView
from warning.admin.wagtail_reports import WorkflowTasksFilterSet

pytestmark = pytest.mark.django_db
HIDDEN_EDITOR = "hidden-editor"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """build_world's points, users and reports; one report past 地市审核; an editor whose only
    logged action is on another point's draft report (the province may not see it); a
    deleted article (its log entries stay); an unpublished article, the last page edited."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        reviewer = world["city_reviewer"]
        reviewer.first_name, reviewer.last_name = "伟", "张"  # shown 张伟 (warning/names.py)
        reviewer.save()
        decide(world["submitted"], world["city_reviewer"], review.APPROVE, comment="")
        hidden = make_user("point", point=world["neighbour"], username=HIDDEN_EDITOR)
        draft = make_report(world["neighbour"], hidden, title="他点未提交草稿庚", submit=False)
        log(instance=draft, action="wagtail.create", user=hidden)  # as the admin's create view does
        world["root"] = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!")
        gone = make_article(world["neighbour"], title="已删除文章辛", publish=False)  # a draft may be deleted
        DeletePageAction(gone, user=world["root"]).execute(
            skip_permission_checks=True
        )  # its log entries stay, marked deleted
        page = make_article(world["neighbour"], title="他点未发布文章己", publish=False)
        world["hidden"] = hidden
        world["hidden_page"] = page
        yield world
        transaction.set_rollback(True)


def wagtails_results(view_class, user, url):
    """The results fragment as `view_class` itself renders it (no URL, no hook)."""
    request = RequestFactory().get(url)
    request.user = user
    response = view_class.as_view(results_only=True)(request)
    return response.render().content.decode()


def ours(user, url):
    response = login(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_workflow_report_rows_are_wagtails_with_each_tasks_status(world):
    url = reverse("wagtailadmin_reports:workflow_results")
    html = ours(world["root"], url)
    assert html == wagtails_results(WorkflowView, world["root"], url)
    # the task column: the report past 地市审核 shows it approved and 省级审核 in progress
    assert 'data-w-tooltip-content-value="地市审核: 已批准"' in html
    assert 'data-w-tooltip-content-value="省级审核: 进行中"' in html
    assert html.count('data-w-tooltip-content-value="省级审核: 未启动"') == 2  # the two still at 地市审核


def test_site_history_rows_are_wagtails_for_the_superuser(world):
    url = reverse("wagtailadmin_reports:site_history_results")
    html = ours(world["root"], url)
    assert html == wagtails_results(LogEntriesView, world["root"], url)
    assert "他点未提交草稿庚" in html
    assert "已删除文章辛" in html  # Wagtail shows the superuser a deleted page's entries


def test_site_history_of_the_province_is_what_its_scoped_view_showed(world):
    url = reverse("wagtailadmin_reports:site_history_results")
    html = ours(world["provincial"], url)
    assert html == wagtails_results(ScopedLogEntriesView, world["provincial"], url)
    assert "他点未提交草稿乙" not in html  # another point's draft report
    assert "他点未提交草稿庚" not in html
    assert "已删除文章辛" not in html  # a deleted page is no page the province may choose


def test_site_history_user_filter_offers_only_users_of_entries_the_viewer_may_see(world):
    url = reverse("wagtailadmin_reports:site_history")
    hidden = f'name="user" value="{world["hidden"].pk}"'
    reviewer = f'name="user" value="{world["city_reviewer"].pk}"'
    province_html = ours(world["provincial"], url)
    assert reviewer in province_html  # decided a report the province sees
    assert hidden not in province_html and HIDDEN_EDITOR not in province_html
    assert hidden in ours(world["root"], url)
    # the drawer shows the user's name as Wagtail's field would, and choosing it filters the list
    assert re.search(reviewer + r"[^>]*>\s*张伟\s*</label>", province_html)
    chosen = ours(
        world["provincial"], reverse("wagtailadmin_reports:site_history_results") + f"?user={world['city_reviewer'].pk}"
    )
    assert "他点地市审核中丙" in chosen and "本点已提交的预警信息甲" not in chosen  # decided the one, not the other


def test_site_history_action_and_type_filters_offer_wagtails_choices(world):
    from wagtail.admin.views.reports.audit_logging import get_actions_for_filter, get_content_types_for_filter

    for user in (world["root"], world["provincial"]):
        html = ours(user, reverse("wagtailadmin_reports:site_history"))
        actions = set(re.findall(r'name="action" value="([^"]+)"', html))
        assert actions == {value for value, _label in get_actions_for_filter(user)}
        types = set(re.findall(r'<option value="(\d+)"', html.split('name="object_type"', 1)[1].split("</select>")[0]))
        assert types == {str(ct.pk) for ct in get_content_types_for_filter(user)}
        assert actions and types


def test_page_types_usage_is_wagtails(world):
    url = reverse("wagtailadmin_reports:page_types_usage_results")
    html = ours(world["root"], url)
    assert html == wagtails_results(PageTypesUsageReportView, world["root"], url)
    # the article type's last edited page: its title, linking to its editor
    assert f'<a href="/admin/pages/{world["hidden_page"].pk}/edit/">' in html
    assert "他点未发布文章己" in html


def test_workflow_tasks_task_filter_names_each_tasks_workflows_as_wagtails(world):
    request = RequestFactory().get(reverse("wagtailadmin_reports:workflow_tasks"))
    request.user = world["root"]
    theirs = str(WorkflowTasksReportFilterSet(request.GET, request=request).form["task"])
    mine = str(WorkflowTasksFilterSet(request.GET, request=request).form["task"])
    assert mine == theirs
    assert re.search(r'data-filter-value="\d+', mine)  # the review steps belong to the 预警信息审核 workflow
    url = reverse("wagtailadmin_reports:workflow_tasks_results")
    assert ours(world["root"], url) == wagtails_results(WorkflowTasksView, world["root"], url)


def test_site_history_follows_a_permission_granted_after_the_permission_rows_were_cached(world):
    """Which object types a user sees logged depends on the permissions it holds; the permission
    rows are kept in the shared cache and read afresh once a permission is added."""
    site = Site.objects.get(is_default_site=True)
    log(instance=site, action="wagtail.edit", user=world["root"], title="站点日志探针")
    url = reverse("wagtailadmin_reports:site_history_results")
    assert "站点日志探针" not in ours(world["provincial"], url)  # no permission on sites; rows now cached

    probe = Permission.objects.create(
        content_type=ContentType.objects.get_for_model(Site), codename="probe_site", name="probe"
    )
    world["provincial"].user_permissions.add(probe)
    assert "站点日志探针" in ours(world["provincial"], url)
