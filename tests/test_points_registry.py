"""预警点管理: each role's access to the registry (allowed and refused), editing with inline rows, bad input."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from tests.factories import make_point
from tests.point_helpers import add_inline_row, make_points, point_form_data
from tests.shared_points import SharedPoints
from warning.models import (
    City,
    ContactEnterprise,
    District,
    LeadershipMember,
    ResponsiblePerson,
    StaffMember,
    WarningPoint,
)

INDEX = "warning_warningpoint_modeladmin_index"


def url(action, point=None):
    name = f"warning_warningpoint_modeladmin_{action}"
    return reverse(name, args=[point.pk]) if point is not None else reverse(name)


def listed_names(response):
    return {p.name for p in response.context["object_list"]}


def shown_menu_labels(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.label for item in admin_menu.menu_items_for_request(request)}


# --- who sees the list -----------------------------------------------------------------


def test_provincial_contact_lists_every_point(client, provincial, point, other_point):
    client.force_login(provincial)
    response = client.get(url("index"))
    assert response.status_code == 200
    assert listed_names(response) == {point.name, other_point.name}


def test_list_shows_the_seed_columns(client, provincial, point):
    ContactEnterprise.objects.create(point=point, name="建德新安化工有限公司")
    ContactEnterprise.objects.create(point=point, name="建德华盛化工有限公司")
    client.force_login(provincial)
    html = client.get(url("index")).content.decode()
    for heading in ("预警点名称", "类型", "承办单位名称", "所在地区", "联系企业数（家）", "状态"):
        assert heading in html
    row = html[html.index(point.name) :]
    row = row[: row.index("</tr>")]
    assert "省级" in row and point.host_organisation in row and "建德市" in row and "正式" in row
    assert ">2<" in row.replace(" ", "").replace("\n", "")


class TestSharedCityReviewerListsOnly(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_city_reviewer_lists_only_its_city_points(self, client, city_reviewer, point, other_point):
        client.force_login(city_reviewer)
        response = client.get(url("index"))
        assert response.status_code == 200
        assert listed_names(response) == {point.name}

    def test_point_editor_lists_only_its_own_point(self, client, point_editor, point, other_point):
        client.force_login(point_editor)
        response = client.get(url("index"))
        assert response.status_code == 200
        assert listed_names(response) == {point.name}


class TestSharedMagazineEditorIsRefused(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_magazine_editor_is_refused_the_registry(self, client, magazine_editor, point):
        client.force_login(magazine_editor)
        assert client.get(url("index")).status_code == 403
        assert client.get(url("create")).status_code == 403
        for action in ("inspect", "edit", "delete"):
            assert client.get(url(action, point)).status_code == 404

    def test_anonymous_visitor_is_sent_to_login(self, client, point):
        response = client.get(url("inspect", point))
        assert response.status_code == 302
        assert reverse("wagtailadmin_login") in response["Location"]

    def test_menu_entry_shown_only_to_roles_with_registry_access(
        self, point_editor, city_reviewer, provincial, magazine_editor
    ):
        for user in (point_editor, city_reviewer, provincial):
            assert "预警点管理" in shown_menu_labels(user)
        assert "预警点管理" not in shown_menu_labels(magazine_editor)


# --- inspect ---------------------------------------------------------------------------


def test_inspect_view_has_the_seed_tabs(client, provincial, point):
    LeadershipMember.objects.create(
        point=point, role="leader", name="方国强", position="会长", organisation="建德化工协会"
    )
    client.force_login(provincial)
    response = client.get(url("inspect", point))
    assert response.status_code == 200
    html = response.content.decode()
    for tab in (
        "基本信息",
        "预警负责人信息",
        "预警点工作人员信息",
        "预警点联系企业信息",
        "变更历史",
        "领导小组及党建组织信息",
    ):
        assert tab in html
    assert "方国强" in html and "组长" in html
    assert "杭州市" in html  # 所属地市


class TestSharedPointEditorInspectsAnd(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_point_editor_inspects_and_edits_only_its_own_point(self, client, point_editor, point, other_point):
        client.force_login(point_editor)
        assert client.get(url("inspect", point)).status_code == 200
        assert client.get(url("edit", point)).status_code == 200
        for action in ("inspect", "edit", "delete"):
            assert client.get(url(action, other_point)).status_code == 404

    def test_point_editor_cannot_post_to_another_points_edit_url(self, client, point_editor, other_point):
        client.force_login(point_editor)
        data = point_form_data(other_point, phone="0571-11111111")
        assert client.post(url("edit", other_point), data).status_code == 404
        other_point.refresh_from_db()
        assert other_point.phone == "0571-87654321"


def test_point_editor_cannot_create_points(client, point_editor):
    client.force_login(point_editor)
    assert client.get(url("create")).status_code == 403
    before = WarningPoint.objects.count()
    data = point_form_data(name="越权新建预警点")
    assert client.post(url("create"), data).status_code == 403
    assert WarningPoint.objects.count() == before


def test_city_reviewer_reads_its_city_points_but_cannot_edit(client, city_reviewer, point, other_point):
    client.force_login(city_reviewer)
    response = client.get(url("inspect", point))
    assert response.status_code == 200
    assert url("edit", point) not in response.content.decode()
    assert client.get(url("edit", point)).status_code == 403
    assert client.post(url("edit", point), point_form_data(point, phone="0571-11111111")).status_code == 403
    assert client.get(url("create")).status_code == 403
    assert client.get(url("inspect", other_point)).status_code == 404


def test_non_numeric_point_id_is_not_found(client, provincial):
    client.force_login(provincial)
    assert client.get("/admin/warning/warningpoint/inspect/abc/").status_code == 404


# --- editing ---------------------------------------------------------------------------


def test_provincial_contact_creates_a_point_with_inline_rows(client, provincial):
    client.force_login(provincial)
    data = point_form_data(
        user=provincial,
        name="淳安千岛湖鱼产品对外贸易预警点",
        host_organisation="淳安县渔业协会",
        category="provincial",
        batch="6",
        established_year="2021",
        district=str(District.objects.get(name="淳安县").pk),
        address="淳安县千岛湖镇新安大街1号",
        phone="0571-64812345",
        email="qdh@example.com",
        status="preparing",
        has_party_organisation="True",
        party_member_count="5",
    )
    add_inline_row(data, "responsible_persons", name="汪建明", title="秘书长", mobile="13867412345")
    add_inline_row(data, "staff_members", name="方丽", phone="0571-64812346")
    add_inline_row(data, "enterprises", name="杭州千岛湖发展集团有限公司", contact="余强", products="有机鱼")
    add_inline_row(data, "leadership", role="leader", name="何文华", position="会长")
    response = client.post(url("create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    point = WarningPoint.objects.get(name="淳安千岛湖鱼产品对外贸易预警点")
    assert point.district.city.name == "杭州市"
    assert point.status == WarningPoint.Status.PREPARING
    assert [p.name for p in point.responsible_persons.all()] == ["汪建明"]
    assert [p.name for p in point.staff_members.all()] == ["方丽"]
    assert [e.name for e in point.enterprises.all()] == ["杭州千岛湖发展集团有限公司"]
    assert [m.name for m in point.leadership.all()] == ["何文华"]


class TestSharedEditAddsAndRemoves(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_edit_adds_and_removes_inline_rows(self, client, provincial, point):
        StaffMember.objects.create(point=point, name="旧工作人员")
        client.force_login(provincial)
        data = point_form_data(point, user=provincial)
        data["staff_members-0-DELETE"] = "1"
        add_inline_row(data, "responsible_persons", name="新负责人", mobile="13711112222")
        response = client.post(url("edit", point), data)
        assert response.status_code == 302
        assert not point.staff_members.exists()
        names = list(point.responsible_persons.values_list("name", flat=True))
        assert len(names) == 2 and "新负责人" in names

    def test_point_editor_updates_its_own_contact_details(self, client, point_editor, point):
        client.force_login(point_editor)
        data = point_form_data(point, user=point_editor, phone="0571-64712345", email="jiande@example.com")
        assert client.post(url("edit", point), data).status_code == 302
        point.refresh_from_db()
        assert (point.phone, point.email) == ("0571-64712345", "jiande@example.com")

    def test_point_editor_adds_responsible_person_and_staff_to_its_own_point(self, client, point_editor, point):
        client.force_login(point_editor)
        data = point_form_data(point, user=point_editor)
        add_inline_row(data, "responsible_persons", name="姚红燕", title="秘书长", mobile="15068825000")
        add_inline_row(data, "staff_members", name="方丽", title="信息员", phone="0571-64712346")
        assert client.post(url("edit", point), data).status_code == 302
        assert point.responsible_persons.filter(name="姚红燕", mobile="15068825000").exists()
        assert point.staff_members.filter(name="方丽").exists()

    def test_point_editor_cannot_change_status_batch_or_category(self, client, point_editor, point):
        client.force_login(point_editor)
        data = point_form_data(point, user=point_editor)
        data.update(status="revoked", batch="9", category="county", name="改名预警点", phone="0571-64712345")
        assert client.post(url("edit", point), data).status_code == 302
        point.refresh_from_db()
        assert point.status == WarningPoint.Status.OFFICIAL
        assert point.batch == 1
        assert point.category == WarningPoint.Category.PROVINCIAL
        assert point.name == "建德精细化工产品对外贸易预警示范点"
        assert point.phone == "0571-64712345"  # the rest of the form was saved

    def test_point_editor_sees_designation_fields_read_only(self, client, point_editor, point):
        client.force_login(point_editor)
        form = client.get(url("edit", point)).context["form"]
        assert form.fields["status"].disabled and form.fields["batch"].disabled and form.fields["category"].disabled
        assert not form.fields["phone"].disabled

    def test_provincial_contact_changes_status_to_revoked(self, client, provincial, point):
        client.force_login(provincial)
        data = point_form_data(point, user=provincial, status="revoked")
        assert client.post(url("edit", point), data).status_code == 302
        point.refresh_from_db()
        assert point.status == WarningPoint.Status.REVOKED

    def test_nobody_deletes_a_point(self, client, provincial, point):
        client.force_login(provincial)
        assert client.get(url("delete", point)).status_code == 403
        assert client.post(url("delete", point)).status_code == 403
        assert WarningPoint.objects.filter(pk=point.pk).exists()
        assert url("delete", point) not in client.get(url("inspect", point)).content.decode()
        assert url("delete", point) not in client.get(url("edit", point)).content.decode()


# --- bad input -------------------------------------------------------------------------


class TestSharedBadInputOnPoint(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("email", "not-an-email", "请输入合法的邮件地址"),
            ("phone", "12345", "请输入有效的电话号码"),
            ("established_year", "1800", "成立时间应为 1990 年至 2100 年之间的年份"),
            ("established_year", "二零一五", "整数"),
        ],
    )
    def test_bad_input_on_point_form_gets_chinese_message_and_saves_nothing(
        self, client, provincial, point, field, value, message
    ):
        client.force_login(provincial)
        before = {f: getattr(point, f) for f in ("email", "phone", "established_year", "address")}
        data = point_form_data(point, user=provincial, address="新地址，不应保存")
        data[field] = value
        response = client.post(url("edit", point), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        point.refresh_from_db()
        assert {f: getattr(point, f) for f in before} == before

    def test_bad_mobile_in_inline_row_saves_nothing(self, client, provincial, point):
        client.force_login(provincial)
        data = point_form_data(point, user=provincial, address="新地址，不应保存")
        add_inline_row(data, "responsible_persons", name="错号码", mobile="1234")
        response = client.post(url("edit", point), data)
        assert response.status_code == 200
        assert "请输入有效的 11 位手机号码" in response.content.decode()
        assert not ResponsiblePerson.objects.filter(name="错号码").exists()
        point.refresh_from_db()
        assert point.address != "新地址，不应保存"


def test_missing_party_organisation_answer_is_refused(client, provincial):
    client.force_login(provincial)
    data = point_form_data(
        user=provincial,
        name="缺党建信息预警点",
        host_organisation="某协会",
        batch="1",
        established_year="2020",
        district=str(District.objects.get(name="建德市").pk),
        address="某地",
        phone="0571-64812345",
        email="x@example.com",
    )
    data.pop("has_party_organisation", None)
    response = client.post(url("create"), data)
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()
    assert "has_party_organisation" in response.context["form"].errors
    assert not WarningPoint.objects.filter(name="缺党建信息预警点").exists()


# --- filters, search, query count ------------------------------------------------------


def test_list_filters_by_city_status_category_batch_and_search(client, provincial, point, other_point):
    revoked = make_point(name="上虞伞业对外贸易预警点", district_name="上虞区", status="revoked", batch=3)
    client.force_login(provincial)
    lishui = City.objects.get(name="丽水市")
    assert listed_names(client.get(url("index"), {"city": lishui.pk})) == {other_point.name}
    assert listed_names(client.get(url("index"), {"status__exact": "revoked"})) == {revoked.name}
    assert listed_names(client.get(url("index"), {"batch": "3"})) == {revoked.name}
    assert listed_names(client.get(url("index"), {"category__exact": "county"})) == set()
    assert listed_names(client.get(url("index"), {"q": "铅笔"})) == {other_point.name}
    assert listed_names(client.get(url("index"), {"q": "丽水"})) == {other_point.name}


@pytest.mark.parametrize("count", [10, 200])
def test_list_query_count_does_not_grow_with_points(client, provincial, django_assert_max_num_queries, count):
    make_points(count)
    client.force_login(provincial)
    client.get(url("index"))  # warm caches (content types, permissions)
    with django_assert_max_num_queries(22):
        response = client.get(url("index"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(count, 50)
