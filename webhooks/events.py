"""The events a webhook can carry, their payloads, and emit(): from a decision to queued deliveries.

The domain functions call `webhooks.emit(type, report=…)` (or `notice=…`)
where the decision is taken, inside its transaction. emit() notes the time
and what was decided and registers a transaction.on_commit callback, so a
decision that is rolled back sends nothing. When the transaction commits
the callback builds the payload from the committed rows, writes one
WebhookDelivery per active endpoint subscribed to the event — the point's
own endpoints and the province's — and enqueues their sending
(webhooks/delivery.py). A notice is one event per recipient point.

The payload is small and stable (docs/webhooks.md): fields are only ever
added, never renamed or removed.
"""

import json
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from warning.site_url import absolute_url

from .models import WebhookDelivery, WebhookEndpoint


@dataclass(frozen=True)
class Event:
    type: str
    label: str
    subject: str  # "report" or "notice": what the payload describes


EVENTS = {
    e.type: e
    for e in (
        Event("report.returned", "预警信息被退回修改", "report"),
        Event("report.approved", "预警信息审核通过", "report"),
        Event("report.rejected", "预警信息不予通过", "report"),
        Event("report.published_to_exchange", "预警信息发布到预警工作交流", "report"),
        Event("report.magazine_adopted", "预警信息被杂志录用", "report"),
        Event("report.internal_decided", "内部交流已处理（采纳或不采纳）", "report"),
        Event("notice.issued", "收到商务局预警信息", "notice"),
    )
}
EVENT_CHOICES = [(e.type, e.label) for e in EVENTS.values()]
# Sent to one endpoint on its owner's request (发送测试事件), whatever it subscribes to.
PING = "ping"
PING_LABEL = "测试事件"


def event_label(event_type):
    if event_type == PING:
        return PING_LABEL
    event = EVENTS.get(event_type)
    return event.label if event else event_type


def local_iso(value):
    """An aware datetime as ISO 8601 in Shanghai time, to the second (2026-03-01T09:30:00+08:00)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def _link(name, pk):
    try:
        return absolute_url(reverse(name, args=[pk]))
    except NoReverseMatch:
        return ""


def emit(event_type, *, report=None, notice=None, decision=None):
    """Announce `event_type` about `report` (or `notice`); deliveries are queued once the transaction commits.

    `decision` is what was decided, as the deciding function knows it:
    {"stage", "action", "options", "comment"} (any may be missing).
    """
    if event_type not in EVENTS:
        raise ValueError(f"unknown webhook event: {event_type}")
    occurred_at = timezone.now()
    report_id = getattr(report, "pk", report)
    notice_id = getattr(notice, "pk", notice)
    decision = dict(decision or {})
    transaction.on_commit(lambda: queue_deliveries(event_type, occurred_at, report_id, notice_id, decision))


def queue_deliveries(event_type, occurred_at, report_id=None, notice_id=None, decision=None):
    """Write the deliveries of one event (one per subscribed endpoint and point) and enqueue them; return them."""
    subscribed = [e for e in WebhookEndpoint.objects.filter(is_active=True) if e.receives(event_type)]
    if not subscribed:
        return []  # the usual case: one query, nothing built
    payloads = []  # (point_id, payload)
    if EVENTS[event_type].subject == "report":
        from warning.models import WarningReport

        report = WarningReport.objects.select_related("point").filter(pk=report_id).first()
        if report is None:
            return []
        payloads.append((report.point_id, report_payload(event_type, occurred_at, report, decision or {})))
    else:
        from warning.models import Notice, NoticeRecipient

        notice = Notice.objects.filter(pk=notice_id).first()
        if notice is None:
            return []
        recipients = NoticeRecipient.objects.filter(notice=notice).select_related("point").order_by("point_id")
        for recipient in recipients:
            payloads.append((recipient.point_id, notice_payload(event_type, occurred_at, notice, recipient.point)))
    if not payloads:
        return []

    point_ids = {point_id for point_id, _ in payloads}
    endpoints = [e for e in subscribed if e.point_id is None or e.point_id in point_ids]
    rows = []
    for point_id, payload in payloads:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        for endpoint in endpoints:
            if endpoint.point_id in (None, point_id):
                rows.append(
                    WebhookDelivery(
                        endpoint=endpoint,
                        event_id=payload["id"],
                        event_type=event_type,
                        point_id=point_id,
                        body=body,
                    )
                )
    from .delivery import enqueue

    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(rows)
        enqueue(deliveries)
    return deliveries


def _envelope(event_type, occurred_at, point):
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": local_iso(occurred_at),
        "point": {"id": point.pk, "name": point.name},
    }


def report_payload(event_type, occurred_at, report, decision):
    """The payload of a report event: the envelope, the report as committed, and the decision."""
    from warning.models import ReviewRecord
    from warning.review import OPTION_LABELS, action_label

    payload = _envelope(event_type, occurred_at, report.point)
    payload["report"] = {
        "id": report.pk,
        "title": report.title,
        "stage": report.stage,
        "stage_label": report.get_stage_display(),
        "submitted_at": local_iso(report.submitted_at),
        "url": _link("wagtailsnippets_warning_warningreport:inspect", report.pk),
    }
    if decision:
        stage = decision.get("stage", "")
        action = decision.get("action", "")
        options = list(decision.get("options") or [])
        payload["decision"] = {
            "stage": stage,
            "stage_label": dict(ReviewRecord.Stage.choices).get(stage, ""),
            "action": action,
            "action_label": action_label(stage, action),
            "options": options,
            "option_labels": [OPTION_LABELS[o] for o in options if o in OPTION_LABELS],
            "comment": decision.get("comment", "") or "",
        }
    return payload


def notice_payload(event_type, occurred_at, notice, point):
    """The payload of a notice to one point."""
    payload = _envelope(event_type, occurred_at, point)
    payload["notice"] = {
        "id": notice.pk,
        "title": notice.title,
        "body": notice.body,
        "issued_at": local_iso(notice.issued_at),
        "url": _link("warning_messages:notice", notice.pk),
    }
    return payload


def send_ping(endpoint):
    """发送测试事件: one `ping` delivery to this endpoint (active or not), enqueued at once; return it.

    Its payload is the envelope with `point` (null for a province-wide
    endpoint) and the endpoint's id and name: a receiver checks its
    signature verification with it before any real event happens.
    """
    from .delivery import enqueue

    point = endpoint.point
    payload = {
        "id": str(uuid.uuid4()),
        "type": PING,
        "occurred_at": local_iso(timezone.now()),
        "point": {"id": point.pk, "name": point.name} if point else None,
        "endpoint": {"id": endpoint.pk, "name": endpoint.name},
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=payload["id"], event_type=PING, point=point, body=body
        )
        enqueue([delivery])
    return delivery
