"""Sending a delivery: one signed POST per attempt, by the worker, retried with backoff, every attempt logged.

`deliver_webhook` is a retried task (jobs/retry.py): an attempt that does not
get a 2xx answer raises, and the wrapper enqueues the next one after the next
delay of JOBS_RETRY_DELAYS (1 min, 5 min, 30 min: four attempts at most).
The delivery row says what happened: attempts, the last status code and
error, when the next attempt is due; after the last attempt it is 失败, and
重试 in the admin (`retry`) starts a new round of attempts.

Safe to run twice: an attempt first claims the row (pending → sending, a
conditional UPDATE), so a delivery already sent, failed or being sent by
another worker is left alone.

The request (docs/webhooks.md, docs/security.md):
- only http and https URLs, no user:password in them;
- the host name is resolved once and the connection made to that address,
  after checking it is a public one, unless WEBHOOKS_ALLOW_PRIVATE_ADDRESSES
  (the tests' loopback receiver) — so a name cannot point the platform at
  its own network, not even by changing its DNS answer between check and use;
- short timeouts (WEBHOOKS_TIMEOUT seconds for connecting and for each read);
- redirects are never followed: a 3xx is a failed attempt;
- only the status code and the first bytes of the answer are kept.
A refused address or URL fails the delivery at once, without retries.
"""

import http.client
import ipaddress
import socket
import ssl
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from jobs.retry import retried_task, retry_delays

from .models import WebhookDelivery
from .signing import signed_headers

ANSWER_KEPT = 500  # characters of the receiver's answer kept in the log


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx, or could not be reached: the attempt is retried."""


class AddressRefused(Exception):
    """The URL or its address may not be called: the delivery fails without retries."""


def allow_private_addresses():
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False))


def timeout():
    return float(getattr(settings, "WEBHOOKS_TIMEOUT", 5))


def check_url(url):
    """(scheme, host, port, path) of an endpoint URL, or AddressRefused with the reason in Chinese."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("接收地址必须以 http:// 或 https:// 开头。")
    if not parts.hostname:
        raise AddressRefused("接收地址缺少主机名。")
    if parts.username or parts.password:
        raise AddressRefused("接收地址中不能包含用户名或密码。")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("接收地址的端口无效。") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def address_allowed(address):
    """Whether an IP address may be called: a public one, or any when private addresses are allowed."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return allow_private_addresses() or (ip.is_global and not ip.is_multicast)


def check_literal_host(host):
    """At registration: a host written as an IP address must be an allowed one (names are checked when sending)."""
    try:
        allowed = address_allowed(host.strip("[]"))
    except ValueError:
        return  # a name, resolved when sending
    if not allowed:
        raise AddressRefused("接收地址不能是内网、本机或保留地址。")


def resolve(host, port):
    """The address to connect to: the first the name resolves to, every one of them checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DeliveryFailed(f"无法解析主机名 {host}：{exc}") from exc
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not address_allowed(a)]
    if refused or not addresses:
        raise AddressRefused(f"接收地址 {host} 指向内网、本机或保留地址（{', '.join(refused)}），已拒绝投递。")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address; the Host header keeps the URL's name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is checked against the URL's name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers):
    """POST `body` to `url` once; return (status code, the first characters of the answer)."""
    scheme, host, port, path = check_url(url)
    address = resolve(host, port)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout=timeout())
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(ANSWER_KEPT * 4).decode("utf-8", errors="replace")[:ANSWER_KEPT]
        return response.status, answer
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryFailed(f"无法连接接收地址：{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()


def enqueue(deliveries):
    """Enqueue the sending of these deliveries (one task each, so each retries on its own)."""
    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)


def _next_attempt_at(round_attempts):
    delays = retry_delays()
    if round_attempts > len(delays):
        return None
    return timezone.now() + timedelta(seconds=delays[round_attempts - 1])


def deliver(delivery_id):
    """One attempt at a delivery (the body of the task); returns its new status, raises DeliveryFailed to retry."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.SENDING,
        attempts=F("attempts") + 1,
        round_attempts=F("round_attempts") + 1,
        last_attempt_at=now,
        next_attempt_at=None,
    )
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    rows = WebhookDelivery.objects.filter(pk=delivery.pk)
    if not endpoint.is_active and delivery.event_type != "ping":
        rows.update(status=WebhookDelivery.Status.FAILED, last_error="推送地址已停用，未投递。")
        return WebhookDelivery.Status.FAILED
    body = delivery.body.encode()
    headers = signed_headers(endpoint.secret, body, delivery.event_type, delivery.uuid)
    try:
        code, answer = post(endpoint.url, body, headers)
    except AddressRefused as exc:
        rows.update(status=WebhookDelivery.Status.FAILED, last_status_code=None, last_error=str(exc))
        return WebhookDelivery.Status.FAILED
    except DeliveryFailed as exc:
        _failed(delivery, None, str(exc))
        raise
    if 200 <= code < 300:
        rows.update(
            status=WebhookDelivery.Status.DELIVERED, last_status_code=code, last_error="", delivered_at=timezone.now()
        )
        return WebhookDelivery.Status.DELIVERED
    reason = "接收方返回重定向，不跟随重定向" if 300 <= code < 400 else "接收方未返回 2xx"
    message = f"HTTP {code}：{reason}。" + (f"返回内容：{answer}" if answer else "")
    _failed(delivery, code, message)
    raise DeliveryFailed(message)


def _failed(delivery, code, error):
    """Log a failed attempt: back to pending with the next attempt's time, or 失败 after the last one."""
    next_at = _next_attempt_at(delivery.round_attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING if next_at else WebhookDelivery.Status.FAILED,
        last_status_code=code,
        last_error=error[:2000],
        next_attempt_at=next_at,
    )


def _gave_up(delivery_id):
    WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None
    )


@retried_task(on_give_up=_gave_up)
def deliver_webhook(delivery_id):
    """Task: one attempt at a delivery (see deliver)."""
    return deliver(delivery_id)


# An attempt still "sending" after this long was cut short (a worker killed mid-request): it may be retried.
STALE_SENDING = timedelta(minutes=10)


def retriable():
    """The deliveries 重试 may queue again: failed, waiting for their next attempt, or stuck sending."""
    stale = Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=timezone.now() - STALE_SENDING)
    return Q(status__in=[WebhookDelivery.Status.FAILED, WebhookDelivery.Status.PENDING]) | stale


def can_retry(delivery):
    """Whether 重试 applies to this delivery now (the same rule as retriable(), on a loaded row)."""
    if delivery.status == WebhookDelivery.Status.SENDING:
        return bool(delivery.last_attempt_at and delivery.last_attempt_at < timezone.now() - STALE_SENDING)
    return delivery.status in (WebhookDelivery.Status.FAILED, WebhookDelivery.Status.PENDING)


def retry(delivery):
    """重试: a new round of attempts for a delivery that failed or waits for its next attempt; True if queued.

    A delivery already sent, or being sent right now, is not queued again.
    """
    queued = WebhookDelivery.objects.filter(retriable(), pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, round_attempts=0, next_attempt_at=timezone.now()
    )
    if queued:
        deliver_webhook.enqueue(delivery.pk)
    return bool(queued)
