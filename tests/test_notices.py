"""商务局预警信息: the provincial contact issues notices to all points, a city's points or chosen points."""

import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import city, make_point, make_user
from tests.shared_points import SharedPoints
from warning.demo import notices as demo
from warning.models import Industry, Message, Notice, NoticeRecipient, WarningPoint
from warning.notices import issue_notice, read_notice
from warning.signals import allow_hard_delete

TITLE = "关于做好2026年第一季度外贸形势分析报送工作的通知"
BODY = "各预警点：请于4月20日前报送第一季度外贸形势分析。"


def recipient_ids(notice):
    return set(notice.recipients.values_list("point_id", flat=True))


def nothing_was_written():
    return (
        not Notice.objects.exists()
        and not NoticeRecipient.objects.exists()
        and not Message.objects.exists()
        and not mail.outbox
    )


@pytest.fixture
def province_points(point, other_point):
    """建德 (杭州, 正式), 庆元 (丽水, 正式), 桐庐 (杭州, 筹建), 鹿城 (温州, 撤销)."""
    preparing = make_point(district_name="桐庐县", status=WarningPoint.Status.PREPARING)
    revoked = make_point(district_name="鹿城区", status=WarningPoint.Status.REVOKED)
    return {"jiande": point, "qingyuan": other_point, "preparing": preparing, "revoked": revoked}


# --- audience resolution -------------------------------------------------------------------------


class TestSharedAllAudienceReachesEvery(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_all_audience_reaches_every_point_that_is_not_revoked(self, provincial, province_points):
        notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
        p = province_points
        assert recipient_ids(notice) == {p["jiande"].pk, p["qingyuan"].pk, p["preparing"].pk}
        assert notice.city is None

    def test_city_audience_reaches_only_that_citys_points(self, provincial, province_points):
        notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.CITY, city=city("杭州市"))
        p = province_points
        assert recipient_ids(notice) == {p["jiande"].pk, p["preparing"].pk}
        assert notice.city == city("杭州市")

    def test_chosen_audience_reaches_exactly_the_chosen_points(self, provincial, province_points):
        p = province_points
        notice = issue_notice(
            provincial, TITLE, BODY, Notice.Audience.CHOSEN, points=[p["qingyuan"], p["preparing"].pk, p["qingyuan"].pk]
        )
        assert recipient_ids(notice) == {p["qingyuan"].pk, p["preparing"].pk}
        assert notice.recipients.count() == 2

    def test_city_given_with_all_audience_is_ignored(self, provincial, province_points):
        notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL, city=city("丽水市"))
        assert notice.city is None
        assert len(recipient_ids(notice)) == 3


# --- validation: a refusal writes nothing ---------------------------------------------------------


def assert_refused(field, message, call):
    with pytest.raises(ValidationError) as exc:
        call()
    assert message in exc.value.message_dict[field]
    assert nothing_was_written()


class TestSharedEmptyTitleIsRefused(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_empty_title_is_refused_and_changes_nothing(self, provincial, point_editor):
        assert_refused("title", "请填写标题", lambda: issue_notice(provincial, "   ", BODY, Notice.Audience.ALL))

    def test_empty_body_is_refused_and_changes_nothing(self, provincial, point_editor):
        assert_refused("body", "请填写内容", lambda: issue_notice(provincial, TITLE, "", Notice.Audience.ALL))

    def test_city_audience_without_city_is_refused(self, provincial, point_editor):
        assert_refused(
            "city", "下发到某地市时，请选择地市", lambda: issue_notice(provincial, TITLE, BODY, Notice.Audience.CITY)
        )

    def test_city_without_eligible_points_is_refused(self, provincial, point_editor):
        assert_refused(
            "city",
            "舟山市目前没有可接收通知的预警点",
            lambda: issue_notice(provincial, TITLE, BODY, Notice.Audience.CITY, city=city("舟山市")),
        )

    def test_chosen_audience_without_points_is_refused(self, provincial, point_editor):
        assert_refused(
            "points",
            "下发到指定预警点时，请至少选择一个预警点",
            lambda: issue_notice(provincial, TITLE, BODY, Notice.Audience.CHOSEN, points=[]),
        )


def test_chosen_revoked_point_is_refused(provincial, province_points, point_editor):
    p = province_points
    assert_refused(
        "points",
        "所选预警点中有不存在或已撤销的预警点，请重新选择",
        lambda: issue_notice(provincial, TITLE, BODY, Notice.Audience.CHOSEN, points=[p["jiande"], p["revoked"]]),
    )


class TestSharedUnknownAudienceIsRefused(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_unknown_audience_is_refused(self, provincial, point_editor):
        assert_refused(
            "audience",
            "请选择下发范围：全部预警点、某地市的预警点或指定预警点",
            lambda: issue_notice(provincial, TITLE, BODY, "everyone"),
        )

    @pytest.mark.parametrize("role", ["city", "magazine", "point"])
    def test_only_the_provincial_contact_may_issue(self, role, point):
        user = make_user(role, point=point if role == "point" else None)
        with pytest.raises(PermissionDenied):
            issue_notice(user, TITLE, BODY, Notice.Audience.ALL)
        assert nothing_was_written()


# --- telling the recipients -----------------------------------------------------------------------


def test_point_editors_of_recipient_points_get_a_message_and_a_mail(
    provincial, point_editor, other_point_editor, other_point
):
    notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.CITY, city=city("杭州市"))
    message = Message.objects.get()
    assert (message.recipient, message.notice, message.title) == (point_editor, notice, TITLE)
    assert message.url == reverse("warning_messages:notice", args=[notice.pk])
    assert not Message.objects.filter(recipient=other_point_editor).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [point_editor.email]
    assert mail.outbox[0].subject == TITLE
    assert BODY in mail.outbox[0].body


def test_backdated_notice_dates_its_messages(provincial, point_editor):
    when = timezone.make_aware(dt.datetime(2025, 3, 5, 9, 30))
    notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL, issued_at=when)
    assert notice.issued_at == when
    assert Message.objects.get().created_at == when


# --- read / unread --------------------------------------------------------------------------------


def test_reading_marks_the_point_and_the_users_message_read_keeping_the_first_time(
    provincial, point, point_editor, other_point_editor
):
    notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
    first = timezone.make_aware(dt.datetime(2026, 3, 1, 10, 0))
    read_notice(point_editor, notice.pk, at=first)
    read_notice(point_editor, notice.pk, at=first + dt.timedelta(days=1))
    assert NoticeRecipient.objects.get(notice=notice, point=point).read_at == first
    assert Message.objects.get(recipient=point_editor).read_at == first
    other = NoticeRecipient.objects.get(notice=notice, point__editor_profiles__user=other_point_editor)
    assert other.read_at is None
    assert Message.objects.get(recipient=other_point_editor).read_at is None


def test_a_second_editor_of_the_point_sees_it_read_for_the_point_but_keeps_own_message_unread(
    provincial, point, point_editor
):
    colleague = make_user("point", point=point)
    notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
    read_notice(point_editor, notice.pk)
    assert NoticeRecipient.objects.get(notice=notice).read_at is not None
    assert Message.objects.get(recipient=colleague).read_at is None


def test_a_point_editor_cannot_read_another_points_notice(provincial, other_point, point_editor):
    notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.CHOSEN, points=[other_point])
    with pytest.raises(NoticeRecipient.DoesNotExist):
        read_notice(point_editor, notice.pk)
    assert NoticeRecipient.objects.get().read_at is None


# --- the admin screens ----------------------------------------------------------------------------


def sidebar_labels(client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = html.split('id="wagtail-sidebar-props"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    return json.dumps(json.loads(props), ensure_ascii=False)


class TestSharedMenuItemIsShown(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_menu_item_is_shown_only_to_the_provincial_contact(self, client, provincial, city_reviewer, point_editor):
        client.force_login(provincial)
        assert "商务局预警信息" in sidebar_labels(client)
        for user in (city_reviewer, point_editor):
            client.force_login(user)
            assert "商务局预警信息" not in sidebar_labels(client)

    @pytest.mark.parametrize("role", ["city", "magazine", "point"])
    def test_other_roles_are_refused_every_notice_screen(self, client, role, provincial, point, point_editor):
        notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
        client.force_login(make_user(role, point=point if role == "point" else None))
        for url in (
            reverse("warning_notices:index"),
            reverse("warning_notices:add"),
            reverse("warning_notices:detail", args=[notice.pk]),
        ):
            assert client.get(url).status_code == 403, url
        response = client.post(reverse("warning_notices:add"), {"title": "x", "body": "y", "audience": "all"})
        assert response.status_code == 403
        assert Notice.objects.count() == 1


def test_provincial_issues_to_chosen_points_through_the_form(client, provincial, point, other_point, point_editor):
    client.force_login(provincial)
    form = client.get(reverse("warning_notices:add"))
    assert form.status_code == 200
    html = form.content.decode()
    assert "按地市筛选" in html and point.name in html and "丽水市" in html
    response = client.post(
        reverse("warning_notices:add"),
        {"title": TITLE, "body": BODY, "audience": "chosen", "points": [point.pk]},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("warning_notices:detail", args=[notice.pk])
    assert recipient_ids(notice) == {point.pk}
    assert notice.issued_by == provincial


class TestSharedFormRefusalShowsThe(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_form_refusal_shows_the_chinese_message_and_changes_nothing(self, client, provincial, point_editor):
        client.force_login(provincial)
        response = client.post(reverse("warning_notices:add"), {"title": TITLE, "body": BODY, "audience": "city"})
        assert response.status_code == 200
        assert "下发到某地市时，请选择地市" in response.content.decode()
        assert nothing_was_written()

    def test_form_refuses_a_revoked_point_posted_by_hand(self, client, provincial, point_editor):
        revoked = make_point(status=WarningPoint.Status.REVOKED)
        client.force_login(provincial)
        response = client.post(
            reverse("warning_notices:add"), {"title": TITLE, "body": BODY, "audience": "chosen", "points": [revoked.pk]}
        )
        assert response.status_code == 200
        assert "所选预警点中有不存在或已撤销的预警点" in response.content.decode()
        assert nothing_was_written()


class TestSharedListShowsRecipientAnd(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_list_shows_recipient_and_read_counts(self, client, provincial, point, other_point, point_editor):
        notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
        read_notice(point_editor, notice.pk)
        client.force_login(provincial)
        response = client.get(reverse("warning_notices:index"))
        row = response.context["object_list"][0]
        assert (row.recipient_count, row.read_count) == (2, 1)
        html = response.content.decode()
        assert TITLE in html and "全部预警点" in html

    def test_detail_shows_each_points_read_state(self, client, provincial, point, other_point, point_editor):
        notice = issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
        read_notice(point_editor, notice.pk)
        client.force_login(provincial)
        response = client.get(reverse("warning_notices:detail", args=[notice.pk]))
        states = {r.point.name: bool(r.read_at) for r in response.context["recipients"]}
        assert states == {point.name: True, other_point.name: False}
        unread = client.get(reverse("warning_notices:detail", args=[notice.pk]), {"status": "unread"})
        assert [r.point for r in unread.context["recipients"]] == [other_point]


def test_list_search_finds_notices_by_title(client, provincial, point_editor):
    issue_notice(provincial, TITLE, BODY, Notice.Audience.ALL)
    issue_notice(provincial, "美国对华光伏产品反倾销调查预警", "内容", Notice.Audience.ALL)
    client.force_login(provincial)
    response = client.get(reverse("warning_notices:index_results"), {"q": "光伏"})
    assert [n.title for n in response.context["object_list"]] == ["美国对华光伏产品反倾销调查预警"]


def test_list_results_fragment_is_refused_to_other_roles(client, city_reviewer):
    client.force_login(city_reviewer)
    assert client.get(reverse("warning_notices:index_results")).status_code == 403


def test_unknown_notice_detail_is_404(client, provincial):
    client.force_login(provincial)
    assert client.get(reverse("warning_notices:detail", args=[999])).status_code == 404


# --- query counts do not grow with the number of notices or recipients ----------------------------


def make_notices(provincial, n, points):
    notices = Notice.objects.bulk_create(
        [Notice(title=f"通知{i}", body="内容", issued_by=provincial, issued_at=timezone.now()) for i in range(n)]
    )
    NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, point=p) for notice in notices for p in points])
    return notices


@pytest.mark.parametrize("n", [10, 200])
def test_notice_list_query_count_does_not_grow(
    client, provincial, point, other_point, n, django_assert_max_num_queries
):
    make_notices(provincial, n, [point, other_point])
    client.force_login(provincial)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("warning_notices:index"))
    assert response.status_code == 200
    assert response.context["paginator"].count == n


def bulk_points(n):
    """Many points at once (no subsites: bulk_create skips the provisioning signal, which is not under test)."""
    template = make_point(responsible=0)
    WarningPoint.objects.bulk_create(
        [
            WarningPoint(
                name=f"批量{i}号对外贸易预警点",
                host_organisation="批量行业协会",
                batch=1,
                established_year=2015,
                address=template.address,
                phone=template.phone,
                email=f"bulk{i}@example.com",
                district_id=template.district_id,
                has_party_organisation=False,
            )
            for i in range(n - 1)
        ]
    )
    return list(WarningPoint.objects.all())


@pytest.mark.parametrize("n", [10, 200])
def test_notice_detail_query_count_does_not_grow(client, provincial, n, django_assert_max_num_queries):
    points = bulk_points(n)
    (notice,) = make_notices(provincial, 1, points)
    client.force_login(provincial)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("warning_notices:detail", args=[notice.pk]))
    assert len(response.context["recipients"]) == n


@pytest.mark.parametrize("n", [10, 200])
def test_issue_form_query_count_does_not_grow(client, provincial, n, django_assert_max_num_queries):
    bulk_points(n)
    client.force_login(provincial)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("warning_notices:add"))
    assert response.content.decode().count('name="points"') == n


# --- demo data ------------------------------------------------------------------------------------


def demo_snapshot():
    return sorted(
        (r.notice.title, r.notice.issued_at, r.notice.audience, r.point.name, r.read_at)
        for r in NoticeRecipient.objects.select_related("notice", "point")
    ), sorted(Message.objects.values_list("recipient__username", "title", "created_at", "read_at"))


def test_demo_notices_are_idempotent_deterministic_and_spread_over_both_years(provincial, point, point_editor):
    ningbo = make_point(district_name="鄞州区", industry=Industry.objects.get(name="机电"))
    make_user("point", point=ningbo)
    make_point(district_name="庆元县", industry=Industry.objects.get(name="纺织服装"))
    demo.run(io.StringIO())
    first = demo_snapshot()
    notices = Notice.objects.all()
    assert {n.issued_at.year for n in notices} == {2025, 2026}
    assert {n.audience for n in notices} == set(Notice.Audience.values)
    assert all(n.issued_by == provincial for n in notices)
    assert NoticeRecipient.objects.filter(read_at__isnull=False).exists()
    assert NoticeRecipient.objects.filter(read_at__isnull=True).exists()
    assert not mail.outbox

    demo.run(io.StringIO())
    assert demo_snapshot() == first

    with allow_hard_delete():  # a rebuild from scratch; nothing else may delete notices
        Notice.objects.all().delete()
    demo.run(io.StringIO())
    assert demo_snapshot() == first
