"""Webhooks (docs/webhooks.md): real signed POSTs to a real receiver on loopback, the events at their
moments, one point never told of another's, retries with backoff, the log, 重试, the admin screens."""

import json
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.cleanup import clean_up
from tests.review_factories import decide, make_report
from tests.shared_points import SharedPoints
from warning import review
from warning.magazine import decide_report
from warning.models import Notice
from warning.notices import issue_notice
from webhooks.delivery import deliver, retry
from webhooks.endpoints import create_endpoint
from webhooks.events import EVENTS
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

ALL_EVENTS = list(EVENTS)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "webhooks.md"


def docs_verifier():
    """The receiver's verification code of docs/webhooks.md, as a reader would copy it."""
    text = DOCS.read_text()
    section = text[text.index("## Verifying a request") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation's example
    return namespace


def endpoint(receiver, name, point=None, events=ALL_EVENTS, **fields):
    return WebhookEndpoint.objects.create(point=point, name=name, url=receiver.url(name), events=events, **fields)


def payload(request):
    return json.loads(request["body"])


# --- signed and sent after commit -------------------------------------------------------------------


class TestSharedAReturnedReportReaches(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_a_returned_report_reaches_the_points_endpoint_signed_and_verified_by_the_docs_example(
        self, receiver, committed, point, point_editor, city_reviewer
    ):
        hook = endpoint(receiver, "a", point=point)
        report = make_report(point, point_editor, title="美国对化工产品反倾销调查")

        committed(decide, report, city_reviewer, review.RETURN, comment="请补充出口数据")

        [request] = receiver.received("a")
        verify = docs_verifier()["verify"]
        event = verify(hook.secret, request["headers"], request["body"], set())
        assert event["type"] == "report.returned" == request["headers"]["X-Yujing-Event"]
        assert event["point"] == {"id": point.pk, "name": point.name}
        assert event["report"]["id"] == report.pk
        assert event["report"]["title"] == "美国对化工产品反倾销调查"
        assert event["report"]["stage"] == "returned"
        assert event["report"]["url"].endswith(f"/admin/snippets/warning/warningreport/inspect/{report.pk}/")
        assert event["decision"]["action"] == "return"
        assert event["decision"]["stage"] == "city"
        assert event["decision"]["comment"] == "请补充出口数据"
        assert event["occurred_at"].endswith("+08:00")
        delivery = WebhookDelivery.objects.get()
        assert str(delivery.uuid) == request["headers"]["X-Yujing-Delivery"]
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)

    def test_the_docs_verifier_refuses_a_forged_body_a_wrong_secret_an_old_timestamp_and_a_replay(
        self, receiver, committed, point, point_editor, city_reviewer
    ):
        hook = endpoint(receiver, "a", point=point)
        committed(decide, make_report(point, point_editor), city_reviewer, review.REJECT, comment="不属实")
        [request] = receiver.received("a")
        docs = docs_verifier()
        verify, refused = docs["verify"], docs["Refused"]
        headers, body = request["headers"], request["body"]

        with pytest.raises(refused):
            verify(hook.secret, headers, body.replace("不属实".encode(), "属实".encode()), set())
        with pytest.raises(refused):
            verify("whsec_another", headers, body, set())
        with pytest.raises(refused):
            verify(hook.secret, headers, body, set(), now=int(headers["X-Yujing-Timestamp"]) + 301)
        seen = set()
        assert verify(hook.secret, headers, body, seen)["type"] == "report.rejected"
        assert verify(hook.secret, headers, body, seen) is None  # the same delivery again: not processed twice

    def test_nothing_is_written_or_sent_before_the_decision_commits(
        self, receiver, django_capture_on_commit_callbacks, point, point_editor, city_reviewer
    ):
        endpoint(receiver, "a", point=point)
        report = make_report(point, point_editor)

        with django_capture_on_commit_callbacks() as callbacks:
            decide(report, city_reviewer, review.RETURN, comment="请修改")
        assert receiver.received() == [] and not WebhookDelivery.objects.exists()

        for callback in callbacks:
            callback()
        assert receiver.events("a") == ["report.returned"]

    def test_a_refused_decision_announces_nothing(self, receiver, committed, point, point_editor, city_reviewer):
        endpoint(receiver, "a", point=point)
        report = make_report(point, point_editor)

        with pytest.raises(review.ReviewError):
            committed(decide, report, city_reviewer, review.RETURN, comment="")  # 退回修改 needs a comment

        assert receiver.received() == [] and not WebhookDelivery.objects.exists()


# --- every event once, at its moment ---------------------------------------------------------------


def test_each_event_fires_exactly_once_at_the_moment_of_its_decision(
    receiver, committed, point, point_editor, city_reviewer, provincial, magazine_editor
):
    endpoint(receiver, "a", point=point)

    def step(action, *args, **kwargs):
        before = len(receiver.received("a"))
        committed(action, *args, **kwargs)
        return receiver.events("a")[before:]

    first = make_report(point, point_editor, title="第一篇")
    assert step(decide, first, city_reviewer, review.RETURN, comment="请补充") == ["report.returned"]
    assert step(review.submit, first, point_editor) == []
    assert step(decide, first, city_reviewer, review.APPROVE) == []  # still under review
    options = [review.MAGAZINE, review.EXCHANGE]
    assert step(decide, first, provincial, review.APPROVE, comment="", options=options) == [
        "report.approved",
        "report.published_to_exchange",
    ]
    assert step(decide_report, first, magazine_editor, "adopted") == ["report.magazine_adopted"]

    second = make_report(point, point_editor, title="第二篇")
    step(decide, second, city_reviewer, review.APPROVE)
    assert step(decide, second, provincial, review.APPROVE, options=[review.INTERNAL]) == ["report.approved"]
    assert step(review.decide_internal, second, provincial, adopt=False, comment="暂不采纳") == [
        "report.internal_decided"
    ]

    third = make_report(point, point_editor, title="第三篇")
    assert step(decide, third, city_reviewer, review.REJECT, comment="不属实") == ["report.rejected"]

    assert step(issue_notice, provincial, "关于开展培训的通知", "请参加。", Notice.Audience.CHOSEN, points=[point]) == [
        "notice.issued"
    ]
    assert sorted(set(receiver.events("a"))) == sorted(ALL_EVENTS)  # every event of the table was seen

    bodies = {r["headers"]["X-Yujing-Event"]: payload(r) for r in receiver.received("a")}
    assert bodies["report.published_to_exchange"]["decision"]["options"] == ["magazine", "exchange"]
    assert bodies["report.magazine_adopted"]["report"]["id"] == first.pk
    assert bodies["report.magazine_adopted"]["decision"]["action_label"] == "录用"
    assert bodies["report.internal_decided"]["decision"]["action"] == "decline"
    assert bodies["report.internal_decided"]["decision"]["comment"] == "暂不采纳"
    assert bodies["report.approved"]["report"]["stage"] == "approved"
    notice = bodies["notice.issued"]["notice"]
    assert notice["title"] == "关于开展培训的通知" and notice["issued_at"].endswith("+08:00")


def test_a_points_endpoint_never_receives_another_points_events_the_provinces_receives_all(
    receiver, committed, point, point_editor, other_point, other_point_editor, city_reviewer, other_city_reviewer,
    provincial,
):  # fmt: skip
    endpoint(receiver, "a", point=point)
    endpoint(receiver, "b", point=other_point)
    endpoint(receiver, "province")

    committed(decide, make_report(point, point_editor), city_reviewer, review.RETURN, comment="甲请修改")
    committed(decide, make_report(other_point, other_point_editor), other_city_reviewer, review.REJECT, comment="乙")
    committed(issue_notice, provincial, "通知", "内容", Notice.Audience.CHOSEN, points=[point, other_point])

    assert {payload(r)["point"]["id"] for r in receiver.received("a")} == {point.pk}
    assert receiver.events("a") == ["report.returned", "notice.issued"]
    assert {payload(r)["point"]["id"] for r in receiver.received("b")} == {other_point.pk}
    assert receiver.events("b") == ["report.rejected", "notice.issued"]
    province = receiver.received("province")
    assert sorted((r["headers"]["X-Yujing-Event"], payload(r)["point"]["id"]) for r in province) == sorted(
        [
            ("report.returned", point.pk),
            ("report.rejected", other_point.pk),
            ("notice.issued", point.pk),
            ("notice.issued", other_point.pk),
        ]
    )


def test_unsubscribed_and_disabled_endpoints_receive_nothing(receiver, committed, point, point_editor, city_reviewer):
    endpoint(receiver, "approvals", point=point, events=["report.approved"])
    endpoint(receiver, "off", point=point, is_active=False)

    committed(decide, make_report(point, point_editor), city_reviewer, review.RETURN, comment="请修改")

    assert receiver.received() == []
    assert not WebhookDelivery.objects.exists()


# --- retries, backoff, the log, 重试 ---------------------------------------------------------------


class TestSharedA500IsRetried(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_a_500_is_retried_by_the_worker_after_the_backoff_and_every_attempt_logged(
        self, receiver, committed, run_worker, point, point_editor, city_reviewer
    ):
        endpoint(receiver, "a", point=point)
        receiver.answers = [(500, {})]
        committed(decide, make_report(point, point_editor), city_reviewer, review.RETURN, comment="请修改")
        assert receiver.received() == []  # the request only queued it

        run_worker()

        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
        assert "HTTP 500" in delivery.last_error
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY, task_path="webhooks.delivery.deliver_webhook")
        assert waiting.run_after > timezone.now() + timedelta(seconds=50)  # the first delay is 60 s
        assert abs((delivery.next_attempt_at - waiting.run_after).total_seconds()) < 5

        run_worker()  # not due yet
        assert len(receiver.received()) == 1

        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now() - timedelta(seconds=1))
        run_worker()

        first, second = receiver.received()
        assert first["headers"]["X-Yujing-Delivery"] == second["headers"]["X-Yujing-Delivery"]
        assert first["body"] == second["body"]
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
            "delivered",
            2,
            200,
            "",
        )

    def test_after_the_last_attempt_the_delivery_fails_and_retry_in_the_admin_delivers_it(
        self, receiver, committed, point, point_editor, city_reviewer
    ):
        endpoint(receiver, "a", point=point)
        receiver.answers = [(500, {})] * 4
        committed(decide, make_report(point, point_editor), city_reviewer, review.RETURN, comment="请修改")

        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 4, None)
        assert len(receiver.received()) == 4

        browser = Client(enforce_csrf_checks=True)  # the 重试 button's own form, as a browser sends it
        browser.force_login(point_editor)
        page = browser.get(reverse("webhooks:detail", args=[delivery.endpoint_id])).content.decode()
        retry_url = reverse("webhooks:retry", args=[delivery.pk])
        assert "失败" in page
        form = re.search(rf'<form action="{retry_url}" method="post">(.*?)</form>', page, re.DOTALL).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        response = browser.post(retry_url, {"csrfmiddlewaretoken": token})

        assert response.status_code == 302
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 5, 200)
        assert len(receiver.received()) == 5


def test_retry_is_refused_outside_the_users_own_endpoints(
    client, receiver, point, other_point_editor, city_reviewer, provincial
):
    hook = endpoint(receiver, "a", point=point)
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event_id="00000000-0000-4000-8000-000000000001", event_type="report.returned", body="{}",
        status=WebhookDelivery.Status.FAILED, point=point,
    )  # fmt: skip
    url = reverse("webhooks:retry", args=[delivery.pk])
    for user, status in ((other_point_editor, 404), (provincial, 404), (city_reviewer, 403)):
        client.force_login(user)
        assert client.post(url).status_code == status
    delivery.refresh_from_db()
    assert delivery.status == "failed" and receiver.received() == []


@pytest.mark.parametrize("answer", [(302, {"Location": "http://example.com/elsewhere"}), (404, {})])
def test_a_redirect_is_not_followed_and_any_non_2xx_is_a_failed_attempt(
    settings, receiver, committed, point, point_editor, city_reviewer, answer
):
    settings.JOBS_RETRY_DELAYS = ()  # one attempt
    endpoint(receiver, "a", point=point)
    receiver.answers = [answer]
    committed(decide, make_report(point, point_editor), city_reviewer, review.RETURN, comment="请修改")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, answer[0])
    assert len(receiver.received()) == 1


# --- addresses that may not be called ---------------------------------------------------------------


class TestSharedALoopbackAddressIs(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    @pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
    def test_a_loopback_address_is_refused_when_private_addresses_are_not_allowed(
        self, settings, receiver, point, point_editor, host
    ):
        hook = endpoint(receiver, "a", point=point)
        hook.url = hook.url.replace("127.0.0.1", host)
        hook.save()
        delivery = WebhookDelivery.objects.create(
            endpoint=hook, event_id="00000000-0000-4000-8000-000000000001", event_type="report.returned", body="{}",
            point=point,
        )  # fmt: skip
        settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False

        assert deliver(delivery.pk) == "failed"  # at once, no retry

        delivery.refresh_from_db()
        assert "内网、本机或保留地址" in delivery.last_error and delivery.attempts == 1
        assert receiver.received() == []

    @pytest.mark.parametrize(
        "url, message",
        [
            ("ftp://example.com/hook", "http:// 或 https://"),
            ("http://user:pw@example.com/hook", "用户名或密码"),
            ("http://10.1.2.3/hook", "内网、本机或保留地址"),
            ("http://[::1]:8080/hook", "内网、本机或保留地址"),
            ("javascript:alert(1)", "http:// 或 https://"),
        ],
    )
    def test_registration_refuses_other_schemes_credentials_and_internal_ip_addresses(
        self, settings, client, point_editor, url, message
    ):
        settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
        client.force_login(point_editor)
        response = client.post(reverse("webhooks:add"), {"name": "系统", "url": url, "events": ["report.approved"]})

        assert response.status_code == 200
        assert message in response.content.decode()
        assert not WebhookEndpoint.objects.exists()


# --- the admin screens --------------------------------------------------------------------------------


def test_a_point_editor_registers_an_endpoint_for_its_point_and_sees_the_secret_once(client, point, point_editor):
    client.force_login(point_editor)
    response = client.post(
        reverse("webhooks:add"),
        {
            "name": "协会办公系统",
            "url": "https://oa.example.com/yujing",
            "events": ["report.returned", "notice.issued"],
        },
    )

    hook = WebhookEndpoint.objects.get()
    assert response["Location"] == reverse("webhooks:detail", args=[hook.pk])
    assert (hook.point, hook.events, hook.is_active, hook.created_by) == (
        point,
        ["report.returned", "notice.issued"],
        True,
        point_editor,
    )
    first = client.get(response["Location"]).content.decode()
    assert hook.secret in first
    assert hook.secret not in client.get(response["Location"]).content.decode()
    assert "协会办公系统" in client.get(reverse("webhooks:index")).content.decode()


def test_the_province_registers_endpoints_for_every_point(client, provincial):
    client.force_login(provincial)
    client.post(
        reverse("webhooks:add"), {"name": "省厅分析系统", "url": "https://a.example.com/", "events": ALL_EVENTS}
    )

    hook = WebhookEndpoint.objects.get()
    assert hook.point is None and hook.events == ALL_EVENTS


def test_edit_disable_and_rotate(client, point, point_editor):
    hook = create_endpoint(point_editor, "系统", "https://oa.example.com/a", ["report.approved"])
    old_secret = hook.secret
    client.force_login(point_editor)

    client.post(
        reverse("webhooks:edit", args=[hook.pk]),
        {"name": "新系统", "url": "https://oa.example.com/b", "events": ["report.rejected"]},
    )
    client.post(reverse("webhooks:status", args=[hook.pk]), {"active": "0"})
    response = client.post(reverse("webhooks:rotate", args=[hook.pk]))

    hook.refresh_from_db()
    assert (hook.name, hook.url, hook.events, hook.is_active) == (
        "新系统",
        "https://oa.example.com/b",
        ["report.rejected"],
        False,
    )
    assert hook.secret != old_secret and hook.secret_rotated_at is not None
    assert hook.secret in client.get(response["Location"]).content.decode()
    assert old_secret not in client.get(response["Location"]).content.decode()


def test_each_role_sees_only_its_own_endpoints(
    client, point, point_editor, other_point, other_point_editor, provincial, city_reviewer, magazine_editor
):
    own = create_endpoint(point_editor, "甲点系统", "https://a.example.com/", ["report.approved"])
    other = create_endpoint(other_point_editor, "乙点系统", "https://b.example.com/", ["report.approved"])
    province = create_endpoint(provincial, "省厅系统", "https://p.example.com/", ["report.approved"])

    client.force_login(point_editor)
    listing = client.get(reverse("webhooks:index")).content.decode()
    assert "甲点系统" in listing and "乙点系统" not in listing and "省厅系统" not in listing
    for hidden in (other, province):
        assert client.get(reverse("webhooks:detail", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("webhooks:edit", args=[hidden.pk])).status_code == 404
        assert client.post(reverse("webhooks:rotate", args=[hidden.pk])).status_code == 404

    client.force_login(provincial)
    listing = client.get(reverse("webhooks:index")).content.decode()
    assert "省厅系统" in listing and "甲点系统" not in listing
    assert client.get(reverse("webhooks:detail", args=[own.pk])).status_code == 404

    for user in (city_reviewer, magazine_editor):
        client.force_login(user)
        assert client.get(reverse("webhooks:index")).status_code == 403
        assert client.get(reverse("webhooks:add")).status_code == 403
        assert client.post(reverse("webhooks:status", args=[own.pk]), {"active": "0"}).status_code == 403
    own.refresh_from_db()
    assert own.is_active and WebhookEndpoint.objects.count() == 3


class TestSharedADeliveryShowsIts(SharedPoints):
    """The point made once for these tests (tests/shared_points.py)."""

    def test_a_delivery_shows_its_state_attempts_error_and_body(
        self, client, receiver, committed, point, point_editor, city_reviewer
    ):
        endpoint(receiver, "a", point=point)
        receiver.answers = [(503, {})] * 4
        committed(
            decide, make_report(point, point_editor, title="出口受阻"), city_reviewer, review.RETURN, comment="请修改"
        )
        delivery = WebhookDelivery.objects.get()

        client.force_login(point_editor)
        page = client.get(reverse("webhooks:delivery", args=[delivery.pk])).content.decode()

        assert "失败" in page and "HTTP 503" in page and "出口受阻" in page
        assert re.search(r"data-attempts>\s*4\s*<", page)

    @pytest.mark.parametrize("size", [2, 12])
    def test_the_lists_take_a_fixed_number_of_queries(
        self, client, point, point_editor, size, django_assert_max_num_queries
    ):
        hooks = [
            create_endpoint(point_editor, f"系统{i}", f"https://{i}.example.com/", ALL_EVENTS) for i in range(size)
        ]
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=hooks[0], event_id="00000000-0000-4000-8000-000000000001", event_type="report.approved",
                            body="{}", point=point, status=WebhookDelivery.Status.FAILED, last_error="HTTP 500")
            for _ in range(size)
        )  # fmt: skip
        client.force_login(point_editor)
        client.get(reverse("webhooks:index"))  # warm the session and menu caches

        with django_assert_max_num_queries(17):
            assert client.get(reverse("webhooks:index")).status_code == 200
        with django_assert_max_num_queries(18):
            assert client.get(reverse("webhooks:detail", args=[hooks[0].pk])).status_code == 200

    def test_the_signature_covers_the_timestamp(self, receiver, committed, point, point_editor, city_reviewer):
        hook = endpoint(receiver, "a", point=point)
        committed(decide, make_report(point, point_editor), city_reviewer, review.RETURN, comment="请修改")
        [request] = receiver.received()
        headers = dict(request["headers"])
        headers["X-Yujing-Timestamp"] = str(int(headers["X-Yujing-Timestamp"]) + 1)
        docs = docs_verifier()

        with pytest.raises(docs["Refused"]):
            docs["verify"](hook.secret, headers, request["body"], set(), now=time.time())

    def test_retry_takes_a_delivery_stuck_sending_but_not_one_being_sent_or_delivered(self, receiver, point):
        hook = endpoint(receiver, "a", point=point)
        now = timezone.now()

        def make(status, last_attempt_at):
            return WebhookDelivery.objects.create(
                endpoint=hook, event_id="00000000-0000-4000-8000-000000000001", event_type="report.returned",
                body="{}", point=point, status=status, attempts=1, last_attempt_at=last_attempt_at,
            )  # fmt: skip

        stuck = make(WebhookDelivery.Status.SENDING, now - timedelta(minutes=11))
        in_flight = make(WebhookDelivery.Status.SENDING, now - timedelta(seconds=5))
        delivered = make(WebhookDelivery.Status.DELIVERED, now - timedelta(minutes=11))

        assert [retry(d) for d in (stuck, in_flight, delivered)] == [True, False, False]
        assert len(receiver.received()) == 1
        stuck.refresh_from_db()
        assert (stuck.status, stuck.attempts) == ("delivered", 2)

    def test_the_nightly_clean_up_deletes_old_delivered_deliveries_and_keeps_failed_ones(self, receiver, point):
        hook = endpoint(receiver, "a", point=point)
        old = timezone.now() - timedelta(days=91)
        for status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
            WebhookDelivery.objects.create(
                endpoint=hook, event_id="00000000-0000-4000-8000-000000000001", event_type="report.returned",
                body="{}", point=point, status=status, delivered_at=old if status == "delivered" else None,
            )  # fmt: skip
        WebhookDelivery.objects.update(created_at=old)

        clean_up()

        assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["failed"]

    def test_a_ping_from_the_admin_reaches_even_a_disabled_endpoint_signed(self, client, receiver, point, point_editor):
        hook = endpoint(receiver, "a", point=point, events=["report.approved"], is_active=False)
        client.force_login(point_editor)

        response = client.post(reverse("webhooks:ping", args=[hook.pk]))

        assert response.status_code == 302
        [request] = receiver.received("a")
        event = docs_verifier()["verify"](hook.secret, request["headers"], request["body"], set())
        assert event["type"] == "ping" and event["endpoint"] == {"id": hook.pk, "name": "a"}
        assert event["point"] == {"id": point.pk, "name": point.name}
        assert WebhookDelivery.objects.get().status == "delivered"
        assert "测试事件" in client.get(response["Location"]).content.decode()
