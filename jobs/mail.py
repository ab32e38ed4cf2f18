"""E-mail off the request path: one MailDelivery per message, sent by the worker exactly once.

warning.notify.notify_users() writes the 消息中心 messages and, in the same
transaction, calls queue_mails(): a MailDelivery row for every message whose
recipient has an address, and one deliver_mails task per batch of rows. The
queue lives in the same database, so the task becomes visible to the worker
when (and only if) the messages are committed.

The worker sends each row it can claim (pending → sending, a conditional
UPDATE, so two runs never both send it), marks it sent, and leaves a row whose
sending raised pending with the error; the task then fails and the retry
wrapper runs it again later for the rows still pending. A row already sent is
skipped, so running the task twice sends each mail once. Rows still pending
after the retries are enqueued again by the nightly clean-up. A worker killed
between claiming and sending leaves the row `sending`: it is not sent again
(at most once rather than twice).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from warning.site_url import absolute_url

from .models import MailDelivery
from .retry import retried_task

BATCH = 200


class MailNotSent(Exception):
    """Some mails of the batch could not be handed to the mail server."""


def queue_mails(messages):
    """Create the deliveries of these messages (recipients with an address) and enqueue their sending."""
    deliveries = MailDelivery.objects.bulk_create(
        [MailDelivery(message=m, address=m.recipient.email) for m in messages if m.recipient.email]
    )
    ids = [d.pk for d in deliveries]
    for start in range(0, len(ids), BATCH):
        deliver_mails.enqueue(ids[start : start + BATCH])
    return deliveries


def render_mail(message, address):
    """The mail of a message: subject on one line, plain text plus an HTML version, the link absolute."""
    link = absolute_url(message.url)
    subject = " ".join(message.title.split())
    text = f"{message.body}\n\n{link}" if link else message.body
    html = render_to_string(
        "warning/messages/email.html",
        {"title": subject, "body": message.body, "link": link, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    mail = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    mail.attach_alternative(html, "text/html")
    return mail


def send_deliveries(delivery_ids):
    """Send the pending deliveries among these ids over one connection; return how many were sent.

    Raises MailNotSent when any could not be sent (they stay pending), chained
    to the last error so the failed-task screen shows what the server said.
    """
    pending = MailDelivery.objects.filter(pk__in=delivery_ids, status=MailDelivery.Status.PENDING).select_related(
        "message"
    )
    sent, failed, last_error = 0, 0, None
    connection = get_connection()
    for delivery in pending:
        claimed = MailDelivery.objects.filter(pk=delivery.pk, status=MailDelivery.Status.PENDING).update(
            status=MailDelivery.Status.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        try:
            connection.send_messages([render_mail(delivery.message, delivery.address)])
        except Exception as exc:
            failed, last_error = failed + 1, exc
            MailDelivery.objects.filter(pk=delivery.pk).update(
                status=MailDelivery.Status.PENDING, last_error=f"{type(exc).__name__}: {exc}"[:1000]
            )
        else:
            sent += 1
            MailDelivery.objects.filter(pk=delivery.pk).update(
                status=MailDelivery.Status.SENT, sent_at=timezone.now(), last_error=""
            )
    connection.close()
    if failed:
        raise MailNotSent(f"{failed} 封邮件未能发出，已发出 {sent} 封") from last_error
    return sent


def requeue_pending(older_than):
    """Enqueue the sending of every delivery still pending since before `older_than`; return how many.

    The nightly clean-up calls this for mails whose task gave up (a mail
    server down for longer than the retries last). Enqueueing a delivery
    that another task still holds is harmless: the claim lets one send it.
    """
    ids = list(
        MailDelivery.objects.filter(status=MailDelivery.Status.PENDING, created_at__lt=older_than)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        deliver_mails.enqueue(ids[start : start + BATCH])
    return len(ids)


@retried_task
def deliver_mails(delivery_ids):
    """Task: send these deliveries (see send_deliveries)."""
    return send_deliveries(delivery_ids)
