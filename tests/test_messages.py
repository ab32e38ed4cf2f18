"""消息中心: each user's own messages, the unread count, opening, marking read, and the mail alongside."""

import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from tests.shared_points import SharedPoints
from warning.models import Message, Notice, NoticeRecipient
from warning.notices import issue_notice
from warning.notify import mark_all_read, notify_users, open_message, unread_count


def say(user, title, url="", body="内容", read=False):
    (message,) = notify_users([user], title, body, url=url)
    if read:
        Message.objects.filter(pk=message.pk).update(read_at=timezone.now())
    return message


def sidebar_menu(client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = json.loads(html.split('id="wagtail-sidebar-props"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    items = props["modules"][-1]["_args"][0]
    return {item["_args"][0]["label"]: item["_args"][0] for item in items}


# --- notify_users --------------------------------------------------------------------------------


class TestSharedNotifyUsersCreatesOne(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_notify_users_creates_one_unread_message_and_one_mail_per_user(self, point_editor, city_reviewer):
        notify_users(
            [point_editor, city_reviewer, point_editor], "您的预警信息已退回修改", "请补充数据来源", url="/admin/x/"
        )
        assert Message.objects.filter(read_at__isnull=True).count() == 2
        assert sorted(m.to[0] for m in mail.outbox) == sorted([point_editor.email, city_reviewer.email])
        assert "请补充数据来源" in mail.outbox[0].body
        assert "/admin/x/" in mail.outbox[0].body

    def test_notify_users_skips_inactive_users_and_mails_only_those_with_an_address(self, point_editor, city_reviewer):
        city_reviewer.is_active = False
        city_reviewer.save()
        no_mail = make_user("magazine")
        no_mail.email = ""
        no_mail.save()
        notify_users([point_editor, city_reviewer, no_mail], "有新的预警信息待审核")
        assert set(Message.objects.values_list("recipient", flat=True)) == {point_editor.pk, no_mail.pk}
        assert [m.to for m in mail.outbox] == [[point_editor.email]]

    def test_mail_carries_an_html_version_with_the_link(self, point_editor, settings):
        settings.WAGTAILADMIN_BASE_URL = "https://yujing.example.gov.cn"
        notify_users([point_editor], "您的预警信息已通过审核", "审核意见：内容具有典型性", url="/admin/reports/3/")
        (sent,) = mail.outbox
        html, mimetype = sent.alternatives[0]
        assert mimetype == "text/html"
        assert "审核意见：内容具有典型性" in html
        assert f'href="{settings.WAGTAILADMIN_BASE_URL}/admin/reports/3/"' in html

    def test_a_title_with_a_line_break_still_mails_with_a_one_line_subject(self, point_editor):
        notify_users([point_editor], "第一行\n第二行", "内容")
        assert mail.outbox[0].subject == "第一行 第二行"
        assert Message.objects.get().title == "第一行\n第二行"

    def test_an_unreachable_mail_server_keeps_the_messages(self, point_editor, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
        notify_users([point_editor], "有新的预警信息待审核")
        assert unread_count(point_editor) == 1


# --- unread count and ownership ------------------------------------------------------------------


class TestSharedUnreadCountCountsOnly(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_unread_count_counts_only_the_users_own_unread_messages(self, point_editor, other_point_editor):
        say(point_editor, "一")
        say(point_editor, "二")
        say(point_editor, "三", read=True)
        say(other_point_editor, "别人的")
        assert unread_count(point_editor) == 2
        assert unread_count(other_point_editor) == 1

    def test_list_shows_only_own_messages_unread_first(self, client, point_editor, other_point_editor):
        old_unread = say(point_editor, "较早的未读消息")
        newer_read = say(point_editor, "较新的已读消息", read=True)
        say(other_point_editor, "别的预警点的消息")
        client.force_login(point_editor)
        response = client.get(reverse("warning_messages:index"))
        assert [m.pk for m in response.context["object_list"]] == [old_unread.pk, newer_read.pk]
        html = response.content.decode()
        assert "别的预警点的消息" not in html
        assert "共有 <strong>1</strong> 条未读消息" in html


def test_unread_filter_lists_only_unread(client, point_editor):
    unread = say(point_editor, "未读")
    say(point_editor, "已读", read=True)
    client.force_login(point_editor)
    response = client.get(reverse("warning_messages:index"), {"status": "unread"})
    assert [m.pk for m in response.context["object_list"]] == [unread.pk]


def test_another_users_message_is_404_and_stays_unread(client, point_editor, other_point_editor):
    theirs = say(other_point_editor, "别人的消息", url="/admin/")
    client.force_login(point_editor)
    assert client.get(reverse("warning_messages:open", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("warning_messages:detail", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    with pytest.raises(Message.DoesNotExist):
        open_message(point_editor, theirs.pk)


# --- opening and marking read --------------------------------------------------------------------


class TestSharedOpeningAMessageMarks(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_opening_a_message_marks_it_read_and_follows_its_url(self, client, point_editor):
        message = say(point_editor, "您的预警信息已通过审核", url="/admin/reports/7/")
        client.force_login(point_editor)
        response = client.get(reverse("warning_messages:open", args=[message.pk]))
        assert response.status_code == 302
        assert response.url == "/admin/reports/7/"
        message.refresh_from_db()
        assert message.read_at is not None

    def test_a_message_without_url_opens_in_full(self, client, point_editor):
        message = say(point_editor, "系统通知", body="请于1月20日前提交年度工作总结。")
        client.force_login(point_editor)
        response = client.get(reverse("warning_messages:open", args=[message.pk]))
        assert response.status_code == 200
        assert "请于1月20日前提交年度工作总结。" in response.content.decode()
        assert unread_count(point_editor) == 0

    def test_an_external_url_is_not_followed(self, client, point_editor):
        message = say(point_editor, "可疑链接", url="https://evil.example.com/")
        client.force_login(point_editor)
        response = client.get(reverse("warning_messages:open", args=[message.pk]))
        assert response.status_code == 200
        assert "https://evil.example.com/" not in response.content.decode()

    def test_opening_again_keeps_the_first_read_time(self, point_editor):
        message = say(point_editor, "一")
        first = open_message(point_editor, message.pk).read_at
        assert open_message(point_editor, message.pk).read_at == first


def test_mark_all_read_marks_only_the_users_own_messages(client, point_editor, other_point_editor):
    say(point_editor, "一")
    say(point_editor, "二")
    say(other_point_editor, "别人的")
    client.force_login(point_editor)
    response = client.post(reverse("warning_messages:mark_all_read"))
    assert response.status_code == 302
    assert unread_count(point_editor) == 0
    assert unread_count(other_point_editor) == 1


def test_mark_all_read_refuses_get(client, point_editor):
    say(point_editor, "一")
    client.force_login(point_editor)
    assert client.get(reverse("warning_messages:mark_all_read")).status_code == 405
    assert unread_count(point_editor) == 1


# --- badge and home page -------------------------------------------------------------------------


def test_menu_item_carries_the_unread_count_as_a_badge(client, city_reviewer):
    say(city_reviewer, "有新的预警信息待审核")
    say(city_reviewer, "有新的预警信息待审核")
    client.force_login(city_reviewer)
    item = sidebar_menu(client)["消息中心"]
    assert item["url"] == reverse("warning_messages:index")
    assert item["attrs"]["data-unread-count"] == "2"
    mark_all_read(city_reviewer)
    assert "data-unread-count" not in sidebar_menu(client)["消息中心"]["attrs"]


@pytest.mark.parametrize("role", ["point", "city", "province", "magazine"])
def test_every_role_has_the_message_centre(client, role, point):
    user = make_user(role, point=point if role == "point" else None)
    client.force_login(user)
    assert "消息中心" in sidebar_menu(client)
    assert client.get(reverse("warning_messages:index")).status_code == 200


def test_home_page_shows_the_unread_count_and_the_newest_unread(client, magazine_editor):
    say(magazine_editor, "有新推荐到杂志的预警信息")
    say(magazine_editor, "早已读过", read=True)
    client.force_login(magazine_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "<span>1</span> 条未读消息" in html
    assert "有新推荐到杂志的预警信息" in html
    assert "早已读过" not in html


# --- notices in the message centre ---------------------------------------------------------------


@pytest.fixture
def notice(provincial, point, other_point, point_editor, other_point_editor):
    return issue_notice(provincial, "美国对华光伏产品反倾销调查预警", "请相关企业做好应诉准备。", Notice.Audience.ALL)


class TestSharedOpeningANoticeMessage(SharedPoints):
    """Both points made once for these tests (tests/shared_points.py)."""

    shared_points = ("point", "other_point")

    def test_opening_a_notice_message_reads_the_notice_for_the_point(self, client, notice, point, point_editor):
        message = Message.objects.get(recipient=point_editor)
        client.force_login(point_editor)
        response = client.get(reverse("warning_messages:open", args=[message.pk]), follow=True)
        assert "请相关企业做好应诉准备。" in response.content.decode()
        assert NoticeRecipient.objects.get(notice=notice, point=point).read_at is not None
        message.refresh_from_db()
        assert message.read_at is not None

    def test_point_lists_only_the_notices_addressed_to_it(
        self, client, provincial, notice, point, other_point, point_editor
    ):
        only_other = issue_notice(
            provincial, "丽水市预警点专项通知", "内容", Notice.Audience.CHOSEN, points=[other_point]
        )
        client.force_login(point_editor)
        response = client.get(reverse("warning_messages:notices"))
        assert [r.notice_id for r in response.context["object_list"]] == [notice.pk]
        assert client.get(reverse("warning_messages:notice", args=[only_other.pk])).status_code == 404
        assert NoticeRecipient.objects.get(notice=only_other).read_at is None


@pytest.mark.parametrize("role", ["city", "province", "magazine"])
def test_the_point_notice_list_refuses_other_roles(client, role, db):
    client.force_login(make_user(role))
    assert client.get(reverse("warning_messages:notices")).status_code == 403


def test_mark_all_read_also_marks_the_points_notices_read(notice, point, point_editor):
    mark_all_read(point_editor)
    assert NoticeRecipient.objects.get(notice=notice, point=point).read_at is not None
    assert NoticeRecipient.objects.exclude(point=point).get().read_at is None


# --- query counts do not grow with the number of messages ----------------------------------------


class TestSharedMessageListQueryCount(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize("n", [10, 200])
    def test_message_list_query_count_does_not_grow(self, client, point_editor, n, django_assert_max_num_queries):
        Message.objects.bulk_create(
            [Message(recipient=point_editor, title=f"消息{i}", body="内容", url="/admin/") for i in range(n)]
        )
        client.force_login(point_editor)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("warning_messages:index"))
        assert response.context["paginator"].count == n

    @pytest.mark.parametrize("n", [10, 200])
    def test_point_notice_list_query_count_does_not_grow(
        self, client, provincial, point, point_editor, n, django_assert_max_num_queries
    ):
        notices = Notice.objects.bulk_create(
            [Notice(title=f"通知{i}", body="内容", issued_by=provincial, issued_at=timezone.now()) for i in range(n)]
        )
        NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=x, point=point) for x in notices])
        client.force_login(point_editor)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("warning_messages:notices"))
        assert response.context["paginator"].count == n
