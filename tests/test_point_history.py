"""变更历史: who changed which field of a point from what to what, and when — inline rows included."""

from django.urls import reverse
from django.utils import timezone

from tests.point_helpers import add_inline_row, point_form_data
from tests.shared_points import SharedPoints
from warning import history
from warning.models import ContactEnterprise, District, StaffMember, WarningPoint


def edit_url(point):
    return reverse("warning_warningpoint_modeladmin_edit", args=[point.pk])


def inspect_url(point):
    return reverse("warning_warningpoint_modeladmin_inspect", args=[point.pk])


def changes_of(point):
    entry = history.history_of(point).filter(action=history.ACTION_EDIT).first()
    return entry, (entry.data["changes"] if entry else [])


class TestSharedEditRecordsWhoChanged(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_edit_records_who_changed_which_field_from_what_to_what(self, client, point_editor, point):
        client.force_login(point_editor)
        started = timezone.now()
        client.post(edit_url(point), point_form_data(point, user=point_editor, phone="0571-64712345"))
        entry, changes = changes_of(point)
        assert entry.user == point_editor
        assert entry.timestamp >= started
        assert changes == [
            {
                "section": "基本信息",
                "kind": "changed",
                "item": "",
                "field": "办公电话",
                "old": "0571-87654321",
                "new": "0571-64712345",
            }
        ]

    def test_choice_and_district_changes_are_recorded_with_their_labels(self, client, provincial, point):
        client.force_login(provincial)
        data = point_form_data(
            point, user=provincial, status="revoked", district=str(District.objects.get(name="桐庐县").pk)
        )
        client.post(edit_url(point), data)
        _, changes = changes_of(point)
        by_field = {c["field"]: (c["old"], c["new"]) for c in changes}
        assert by_field == {"状态": ("正式", "撤销"), "所在地区": ("建德市", "桐庐县")}

    def test_inline_rows_added_changed_and_removed_are_recorded(self, client, provincial, point):
        StaffMember.objects.create(point=point, name="离职人员", mobile="13700000001")
        ContactEnterprise.objects.create(point=point, name="建德新安化工有限公司", contact="王强")
        client.force_login(provincial)
        data = point_form_data(point, user=provincial)
        data["staff_members-0-DELETE"] = "1"
        data["enterprises-0-contact"] = "李明"
        add_inline_row(data, "responsible_persons", name="叶志刚", title="秘书长", mobile="13805710000")
        assert client.post(edit_url(point), data).status_code == 302
        _, changes = changes_of(point)
        assert {
            "section": "预警负责人信息",
            "kind": "added",
            "item": "叶志刚",
            "field": "",
            "old": "",
            "new": "姓名：叶志刚；职务：秘书长；手机：13805710000",
        } in changes
        assert {
            "section": "预警点工作人员信息",
            "kind": "removed",
            "item": "离职人员",
            "field": "",
            "old": "姓名：离职人员；手机：13700000001",
            "new": "",
        } in changes
        assert {
            "section": "预警点联系企业信息",
            "kind": "changed",
            "item": "建德新安化工有限公司",
            "field": "联系人",
            "old": "王强",
            "new": "李明",
        } in changes
        assert len(changes) == 3

    def test_saving_without_changes_adds_no_history(self, client, provincial, point):
        client.force_login(provincial)
        assert client.post(edit_url(point), point_form_data(point, user=provincial)).status_code == 302
        assert not history.history_of(point).exists()

    def test_refused_bad_input_adds_no_history(self, client, provincial, point):
        client.force_login(provincial)
        client.post(edit_url(point), point_form_data(point, user=provincial, email="bad", address="新地址"))
        assert not history.history_of(point).exists()


def test_creation_in_the_admin_is_recorded(client, provincial):
    client.force_login(provincial)
    data = point_form_data(
        user=provincial,
        name="开化茶叶对外贸易预警点",
        host_organisation="开化县茶叶行业协会",
        batch="5",
        established_year="2019",
        district=str(District.objects.get(name="开化县").pk),
        address="开化县芹阳办事处1号",
        phone="0570-6012345",
        email="kh@example.com",
        has_party_organisation="False",
    )
    assert client.post(reverse("warning_warningpoint_modeladmin_create"), data).status_code == 302
    point = WarningPoint.objects.get(name="开化茶叶对外贸易预警点")
    entry = history.history_of(point).get()
    assert (entry.action, entry.user) == (history.ACTION_CREATE, provincial)


class TestSharedInspectViewShowsThe(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_inspect_view_shows_the_change_history_tab(self, client, provincial, city_reviewer, point):
        client.force_login(provincial)
        client.post(edit_url(point), point_form_data(point, user=provincial, phone="0571-64712345"))
        client.force_login(city_reviewer)
        html = client.get(inspect_url(point)).content.decode()
        history_tab = html[html.index('id="tab-history"') :]
        assert provincial.username in history_tab
        assert "修改预警点信息（1 处变更）" in history_tab
        assert "办公电话：由「0571-87654321」改为「0571-64712345」" in history_tab

    def test_diff_compares_two_snapshots(self, point):
        before = history.snapshot(point)
        point.host_organisation = "建德市精细化工行业协会"
        point.save()
        StaffMember.objects.create(point=point, name="新同事")
        changes = history.diff(before, history.snapshot(point))
        assert [(c["section"], c["kind"], c["field"] or c["item"]) for c in changes] == [
            ("基本信息", "changed", "承办单位名称"),
            ("预警点工作人员信息", "added", "新同事"),
        ]
