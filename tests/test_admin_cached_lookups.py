"""What the admin frame keeps in the shared cache is dropped as soon as it changes (docs/performance.md).

The 帮助 menu's manuals, the active review steps (as their own types) and the sites'
names are read from the default cache, not from the database on each request; each
test changes what is cached and asserts that the very next request shows the change.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, Task, Workflow, WorkflowTask
from wagtail.permissions import policy_registry

from subsites.models import ManualPage
from tests.subsites_factories import make_image
from tests.test_admin_branding import help_entries, sidebar_menu
from warning import cached
from warning.admin.help_menu import help_menu_items
from warning.models.reports import ProvincialReviewTask

pytestmark = pytest.mark.django_db


def manual_entries(client, user):
    _, props = sidebar_menu(client, user)
    return [(label, url) for label, url in help_entries(props) if url.endswith("/help/point-editor/")]


def test_the_help_menu_costs_no_query_once_read(point_editor, django_assert_num_queries):
    request = RequestFactory().get("/admin/")
    request.user = point_editor
    first = [(item.label, item.url) for item in help_menu_items(request)]  # reads the manuals, and the scope
    with django_assert_num_queries(0):
        again = [(item.label, item.url) for item in help_menu_items(request)]
    assert again == first and any(url.endswith("/help/point-editor/") for _, url in first)


def test_the_help_menu_follows_its_manual_unpublished_retitled_restricted(client, point_editor):
    manual = ManualPage.objects.get(slug="point-editor")
    assert len(manual_entries(client, point_editor)) == 1

    manual.unpublish()
    assert manual_entries(client, point_editor) == []

    manual.refresh_from_db()
    manual.title = "预警点操作手册（新版）"
    manual.save_revision().publish()
    assert [label for label, _ in manual_entries(client, point_editor)] == ["预警点操作手册（新版）"]

    restriction = PageViewRestriction.objects.create(page=manual, restriction_type=PageViewRestriction.LOGIN)
    assert manual_entries(client, point_editor) == []

    restriction.delete()
    assert len(manual_entries(client, point_editor)) == 1

    manual.delete()
    assert manual_entries(client, point_editor) == []


def test_the_review_steps_are_read_afresh_after_a_change():
    step = ProvincialReviewTask.objects.get(active=True)  # 省级审核, in the reports' workflow
    before = cached.specific_tasks()
    assert isinstance(before[step.pk], ProvincialReviewTask)

    step.name = "省级审核（改名）"
    step.save()
    assert cached.specific_tasks()[step.pk].name == "省级审核（改名）"

    workflow = Workflow.objects.get(workflow_tasks__task=step)
    workflow.deactivate()
    assert step.pk not in dict(cached.active_tasks())  # nothing of an inactive workflow is in progress
    workflow.active = True
    workflow.save()
    assert step.pk in dict(cached.active_tasks())

    step.active = False
    step.save()
    assert step.pk not in cached.specific_tasks()
    assert step.pk not in dict(cached.active_tasks())

    other = Task.objects.create(name="另一步骤")
    assert cached.specific_tasks()[other.pk].name == "另一步骤"
    assert other.pk not in dict(cached.active_tasks())  # in no workflow yet
    WorkflowTask.objects.create(workflow=workflow, task=other, sort_order=9)
    assert other.pk in dict(cached.active_tasks())


def home_summary(client, user):
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    return {
        kind: re.search(rf"(\d+) {word}<span class=\"w-sr-only\">（(.*?)）</span>", html)
        for kind, word in (("pages", "个页面"), ("images", "张图片"), ("documents", "个文档"))
    }


def test_the_home_tiles_count_what_wagtail_counts_and_name_the_site_afresh(client, point, point_editor):
    make_image(title="图片")
    documents = policy_registry.get_by_type(get_document_model())
    collection = next(iter(documents.collections_user_has_any_permission_for(point_editor, {"add"})), None)
    get_document_model().objects.create(
        title="文件", file=ContentFile(b"%PDF-1.4", name="f.pdf"), **({"collection": collection} if collection else {})
    )
    media = {"add", "change", "delete", "choose"}
    root = policy_registry.get_by_type(Page).explorable_root_instance(point_editor)
    expected = {
        "pages": Page.objects.descendant_of(root, inclusive=True).count(),
        "images": policy_registry.get_by_type(get_image_model())
        .instances_user_has_any_permission_for(point_editor, media)
        .count(),
        "documents": documents.instances_user_has_any_permission_for(point_editor, media).count(),
    }
    assert expected["pages"] > 1 and expected["documents"] >= 1

    tiles = home_summary(client, point_editor)
    shown = {kind: int(match.group(1)) for kind, match in tiles.items() if match}
    assert shown == {kind: n for kind, n in expected.items() if kind in shown} and "pages" in shown
    site = root.get_site()
    assert tiles["pages"].group(2) == (site.site_name or site.hostname)

    site.site_name = "预警点子网站（改名）"
    site.save()
    assert home_summary(client, point_editor)["pages"].group(2) == "预警点子网站（改名）"


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def site_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    return response, [q for q in queries if 'FROM "wagtailcore_site"' in q["sql"]]


def test_the_requests_site_is_read_once_and_again_after_a_site_changes(client, point):
    """warning.cached.WagtailLookupsMiddleware: the site Wagtail found for a host is handed to it
    on the next requests, until a site is saved or deleted."""
    response, queries = site_queries(client, "/")
    assert response.status_code == 200 and queries  # Wagtail finds it, and it is kept
    response, queries = site_queries(client, "/")
    assert response.status_code == 200 and not queries
    # A site for this very host name: Wagtail now serves its root, the point's subsite home.
    own = Site.objects.create(hostname="testserver", port=80, root_page=point.subsite)
    assert point.name in title(client.get("/"))
    own.delete()
    assert point.name not in title(client.get("/"))


def test_a_request_that_needs_no_site_reads_none(client):
    _, queries = site_queries(client, "/robots.txt")
    assert not queries
