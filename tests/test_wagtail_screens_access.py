"""Wagtail's built-in screens hold the role scopes (docs/access.md): reports, site history,
choosers, bulk-action confirmations, revision compare / usage, the admin API, the menus."""

import json

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection

from tests.factories import make_point, make_user
from tests.review_factories import make_report
from tests.subsites_factories import column_of, make_article

OWN_REPORT = "本点已提交的预警信息甲"
OTHER_DRAFT = "他点未提交草稿乙"
OTHER_SUBMITTED = "他点地市审核中丙"
FAR_SUBMITTED = "丽水预警点地市审核中丁"
OTHER_DRAFT_PAGE = "他点未发布文章戊"


def login(user):
    client = Client()
    client.force_login(user)
    return client


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """建德 (point, own editor) and a second 杭州 point; a 丽水 point; reports in several states.

    Built once for the module and rolled back after it; each test runs in its own savepoint.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world():
    point = make_point(name="建德精细化工产品对外贸易预警示范点")
    far_point = make_point(name="庆元铅笔对外贸易预警示范点", district_name="庆元县")
    neighbour = make_point(name="桐庐针织对外贸易预警点", district_name="桐庐县")
    users = dict(
        point_editor=make_user("point", point=point),
        other_point_editor=make_user("point", point=far_point),
        neighbour_editor=make_user("point", point=neighbour),
        city_reviewer=make_user("city", city_name="杭州市"),
        other_city_reviewer=make_user("city", city_name="丽水市"),
        provincial=make_user("province"),
        magazine_editor=make_user("magazine"),
    )
    own = make_report(point, users["point_editor"], title=OWN_REPORT)
    draft = make_report(neighbour, users["neighbour_editor"], title=OTHER_DRAFT, submit=False)
    log(instance=draft, action="wagtail.create", user=users["neighbour_editor"])  # as the admin's create view does
    submitted = make_report(neighbour, users["neighbour_editor"], title=OTHER_SUBMITTED)
    far = make_report(far_point, users["other_point_editor"], title=FAR_SUBMITTED)
    draft_page = make_article(neighbour, title=OTHER_DRAFT_PAGE, publish=False)
    return dict(
        users,
        point=point,
        own=own,
        draft=draft,
        submitted=submitted,
        far=far,
        draft_page=draft_page,
        neighbour=neighbour,
    )


def body(response):
    """The response's text, JSON unescaped (choosers answer JSON, where Chinese is \\u-escaped)."""
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


# --- High: Wagtail's reports ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/?q=预警",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/workflow/",
        "/admin/reports/workflow/?export=csv",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
    ],
)
def test_wagtail_reports_refuse_point_city_and_magazine_with_the_403_page(world, url):
    point_editor = world["point_editor"]
    city_reviewer = world["city_reviewer"]
    magazine_editor = world["magazine_editor"]
    for user in (point_editor, city_reviewer, magazine_editor):
        response = login(user).get(url)
        assert response.status_code == 403, (user, url)
        assert "无权访问" in body(response)
        for title in (OTHER_DRAFT, OTHER_SUBMITTED, FAR_SUBMITTED):
            assert title not in body(response)


def test_site_history_shows_the_province_submitted_reports_but_no_unsubmitted_draft(world):
    provincial = world["provincial"]
    client = login(provincial)
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/?export=csv"):
        response = client.get(url)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode() if response.streaming else body(response)
        assert OTHER_SUBMITTED in text  # the workflow start of a submitted report is logged
        assert OTHER_DRAFT not in text


def test_superuser_keeps_the_workflow_reports(world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pass12345!")
    response = login(admin).get("/admin/reports/workflow/")
    assert response.status_code == 200
    assert OTHER_SUBMITTED in body(response)


def test_reports_menu_lists_only_site_history_for_the_province(world):
    provincial = world["provincial"]
    client = login(provincial)
    html = body(client.get("/admin/"))
    assert reverse("wagtailadmin_reports:site_history") in html
    assert reverse("wagtailadmin_reports:workflow") not in html
    assert reverse("wagtailadmin_reports:locked_pages") not in html


def menu_urls(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.url for item in admin_menu.menu_items_for_request(request)}


def test_menus_hold_no_refused_screen(world):
    city_reviewer = world["city_reviewer"]
    magazine_editor = world["magazine_editor"]
    point_editor = world["point_editor"]
    for user in (city_reviewer, magazine_editor):
        urls = menu_urls(user)
        assert reverse("wagtaildocs:index") not in urls
        assert reverse("wagtailimages:index") not in urls
    assert reverse("wagtaildocs:index") in menu_urls(point_editor)


# --- High: the report chooser ----------------------------------------------------------------------


def test_report_chooser_lists_only_the_point_own_reports(world):
    point_editor = world["point_editor"]
    client = login(point_editor)
    for url in (
        "/admin/snippets/choose/warning/warningreport/",
        "/admin/snippets/choose/warning/warningreport/results/?q=预警",
        "/admin/snippets/choose/warning/warningreport/results/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert OWN_REPORT in body(response) or "results/?q" in url
        for title in (OTHER_DRAFT, OTHER_SUBMITTED, FAR_SUBMITTED):
            assert title not in body(response)


def test_report_chooser_shows_each_reports_review_stage(world):
    html = body(login(world["point_editor"]).get("/admin/snippets/choose/warning/warningreport/results/"))
    assert "审核状态" in html and world["own"].get_stage_display() in html


def test_report_chooser_chosen_refuses_another_point_draft(world):
    point_editor = world["point_editor"]
    city_reviewer = world["city_reviewer"]
    url = f"/admin/snippets/choose/warning/warningreport/chosen/{world['draft'].pk}/"
    for user in (point_editor, city_reviewer):
        response = login(user).get(url)
        assert response.status_code == 404
        assert OTHER_DRAFT not in body(response)
    own = login(point_editor).get(f"/admin/snippets/choose/warning/warningreport/chosen/{world['own'].pk}/")
    assert OWN_REPORT in body(own)


def test_report_chooser_for_a_city_reviewer_stops_at_its_city(world):
    city_reviewer = world["city_reviewer"]
    html = body(login(city_reviewer).get("/admin/snippets/choose/warning/warningreport/"))
    assert OTHER_SUBMITTED in html
    assert FAR_SUBMITTED not in html
    assert OTHER_DRAFT not in html


# --- Low: bulk actions, revisions, usage ------------------------------------------------------------


def test_bulk_delete_confirmation_does_not_name_a_foreign_report(world):
    point_editor = world["point_editor"]
    for report in (world["draft"], world["submitted"], world["far"]):
        response = login(point_editor).get(f"/admin/bulk/warning/warningreport/delete/?id={report.pk}")
        assert response.status_code in (200, 404)
        assert report.title not in body(response)


def test_bulk_page_action_does_not_name_a_foreign_draft_page(world):
    point_editor = world["point_editor"]
    response = login(point_editor).get(f"/admin/bulk/wagtailcore/page/delete/?id={world['draft_page'].pk}")
    assert OTHER_DRAFT_PAGE not in body(response)


def compare_url(report):
    return reverse(
        "wagtailsnippets_warning_warningreport:revisions_compare", args=[report.pk, "earliest", "latest"]
    ).replace("%2E", ".")


def test_reviewers_compare_revisions_and_see_usage_of_reports_they_may_read(world):
    city_reviewer = world["city_reviewer"]
    provincial = world["provincial"]
    report = world["submitted"]
    report.title = OTHER_SUBMITTED + "（修改）"
    report.save_revision(clean=False)
    for user in (city_reviewer, provincial):
        client = login(user)
        assert client.get(compare_url(report)).status_code == 200
        usage = reverse("wagtailsnippets_warning_warningreport:usage", args=[report.pk])
        assert client.get(usage).status_code == 200


def test_reviewers_cannot_compare_reports_outside_their_city(world):
    other_city_reviewer = world["other_city_reviewer"]
    point_editor = world["point_editor"]
    report = world["submitted"]
    assert login(other_city_reviewer).get(compare_url(report)).status_code == 404
    assert login(point_editor).get(compare_url(report)).status_code == 404


# --- choosers and the admin API of pages, documents and images -----------------------------------


def test_page_chooser_hides_another_point_draft_page(world):
    point_editor = world["point_editor"]
    point = world["point"]
    client = login(point_editor)
    column = column_of(world["neighbour"])
    response = client.get(f"/admin/choose-page/{column.pk}/")
    assert response.status_code == 200
    assert OTHER_DRAFT_PAGE not in body(response)
    assert client.get(f"/admin/choose-page/{world['draft_page'].pk}/").status_code == 404
    search = client.get("/admin/choose-page/search/?q=文章")
    assert OTHER_DRAFT_PAGE not in body(search)
    own_draft = make_article(point, title="本点未发布文章己", publish=False)
    assert "本点未发布文章己" in body(client.get(f"/admin/choose-page/{column_of(point).pk}/"))
    assert own_draft.pk


def test_page_chooser_renders_what_wagtails_own_views_render(world, monkeypatch):
    """warning/admin/page_chooser.py reads the rows' parents in bulk: the HTML is Wagtail's."""
    from wagtail.admin.views import chooser

    from warning.admin import page_chooser

    point = world["point"]
    make_article(point, title="本点未发布文章辛", publish=False)
    client = login(world["point_editor"])
    addresses = (f"/admin/choose-page/{column_of(point).pk}/", "/admin/choose-page/search/?q=文章")
    ours = [body(client.get(address)) for address in addresses]
    monkeypatch.setattr(page_chooser.BrowseView, "columns", chooser.BrowseView.columns)
    monkeypatch.setattr(page_chooser.SearchView, "columns", chooser.SearchView.columns)
    assert ours == [body(client.get(address)) for address in addresses]
    assert "本点未发布文章辛" in ours[0] and "草稿" in ours[0] and "data-parent-id" in ours[0]
    assert "本点未发布文章辛" in ours[1]  # a hit, with its 上级 column


def test_admin_api_documents_are_the_point_own_collection_only(world):
    point_editor = world["point_editor"]
    point = world["point"]
    Document = get_document_model()
    foreign = Document.objects.create(
        title="他点内部文件庚",
        collection=Collection.objects.get(name=world["neighbour"].name),
        file=ContentFile(b"%PDF-1.4\n", name="g.pdf"),
    )
    own = Document.objects.create(
        title="本点文件辛",
        collection=Collection.objects.get(name=point.name),
        file=ContentFile(b"%PDF-1.4\n", name="x.pdf"),
    )
    client = login(point_editor)
    listing = body(client.get("/admin/api/main/documents/"))
    assert "本点文件辛" in listing
    assert "他点内部文件庚" not in listing
    assert client.get(f"/admin/api/main/documents/{foreign.pk}/").status_code == 404
    assert client.get(f"/admin/api/main/documents/{own.pk}/").status_code == 200


def test_admin_api_refuses_roles_without_pages(world):
    for user in (world["city_reviewer"], world["magazine_editor"]):
        for url in ("/admin/api/main/pages/", "/admin/api/main/documents/", "/admin/api/main/images/"):
            assert login(user).get(url).status_code == 403


def test_admin_api_gives_the_province_no_document_of_a_point(world):
    Document = get_document_model()
    Document.objects.create(
        title="他点内部文件壬",
        collection=Collection.objects.get(name=world["neighbour"].name),
        file=ContentFile(b"%PDF-1.4\n", name="r.pdf"),
    )
    response = login(world["provincial"]).get("/admin/api/main/documents/")
    assert response.status_code == 200
    assert "他点内部文件壬" not in body(response)


def test_page_screens_answer_404_for_another_point_draft_page(world):
    client = login(world["point_editor"])
    page = world["draft_page"]
    own_column = column_of(world["point"])
    for url in (
        f"/admin/pages/{page.pk}/move/{own_column.pk}/confirm/",
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/choose-page/chosen-multiple/?id={page.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert OTHER_DRAFT_PAGE not in body(response)
