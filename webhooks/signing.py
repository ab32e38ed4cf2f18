"""Signing a delivery: HMAC-SHA256 with the endpoint's secret over "timestamp.body".

The timestamp (Unix seconds, at the moment of the attempt) is part of what
is signed, so a receiver that refuses timestamps outside a few minutes
refuses a captured request replayed later; the delivery id lets it refuse a
replay inside that window too. docs/webhooks.md shows the receiver's side.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Yujing-Signature"
TIMESTAMP_HEADER = "X-Yujing-Timestamp"
EVENT_HEADER = "X-Yujing-Event"
DELIVERY_HEADER = "X-Yujing-Delivery"
SCHEME = "sha256"


def signature(secret, timestamp, body):
    """The X-Yujing-Signature value: 'sha256=' + hex HMAC-SHA256(secret, b'<timestamp>.' + body)."""
    message = str(int(timestamp)).encode() + b"." + body
    return f"{SCHEME}=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret, body, event_type, delivery_id, timestamp=None):
    """Every header of one attempt (the body is bytes, sent as it is)."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Yujing-Webhooks/1",
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
