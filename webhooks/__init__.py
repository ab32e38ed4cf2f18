"""Webhooks: telling a point's own systems (and the province's) when something happens to its reports.

This app owns
- the endpoints a point (for its own events) or the province (for every
  point's events) registers, each with its own signing secret
  (webhooks/models.py, the rules of who manages which in
  webhooks/endpoints.py);
- the table of events and their JSON payloads, and `emit()`, the one call the
  domain functions make where a decision happens (webhooks/events.py): after
  the decision's transaction commits, one WebhookDelivery per subscribed
  endpoint is written and its sending enqueued;
- the signing of a payload (HMAC-SHA256 over "timestamp.body",
  webhooks/signing.py) and its delivery by the background worker with
  retries and backoff, refusing addresses inside the network
  (webhooks/delivery.py);
- the admin screens 事件推送 for point editors and the provincial contact
  (webhooks/views.py, wired in wagtail_hooks.py).

docs/webhooks.md describes the events, the payload, the signature and how a
receiver checks it.
"""


def emit(event_type, **objects):
    """Announce an event (see webhooks.events.emit); imported lazily so the domain modules can call it
    at any time without this package importing its models before the app registry is ready."""
    from .events import emit as emit_event

    return emit_event(event_type, **objects)
