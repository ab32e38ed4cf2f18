"""Telling people things: a 消息中心 message for each recipient, and the same by e-mail.

Every part of the system that informs a user (review outcomes, work waiting
for a reviewer, notices, deadline reminders) calls notify_users(), so the
message centre and the mail always say the same thing.

The second half is the message centre's reading side: a user's own messages
(unread first), the unread count, opening one message and marking all read.
Every function takes the user and filters by recipient, so nobody reaches
another user's message. A message that carries a notice also stamps the
reader's point as having read that notice (warning/notices.py).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Message, NoticeRecipient
from .models.profiles import scope_of
from .site_url import absolute_url


def notify_users(users, title, body="", url="", notice=None):
    """Create one unread message per user and send each user with an address the same text by mail.

    Returns the created messages. Inactive users are skipped; duplicates in
    `users` are told once.
    """
    recipients = {u.pk: u for u in users if u.is_active}.values()
    messages = Message.objects.bulk_create(
        [Message(recipient=u, title=title, body=body, url=url, notice=notice) for u in recipients]
    )
    addresses = [u.email for u in recipients if u.email]
    if addresses:
        send_mails(addresses, title, body, url)
    return messages


def send_mails(addresses, title, body, url):
    """Send one mail per address over one connection: plain text plus an HTML version.

    The subject is the title on one line (a line break in a header would make
    Django refuse the mail). A failing mail server never loses the messages:
    they are already in the message centre, so mail errors are swallowed.
    """
    link = absolute_url(url)
    subject = " ".join(title.split())
    text = f"{body}\n\n{link}" if link else body
    html = render_to_string(
        "warning/messages/email.html",
        {"title": subject, "body": body, "link": link, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    mails = []
    for address in addresses:
        mail = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        mail.attach_alternative(html, "text/html")
        mails.append(mail)
    get_connection(fail_silently=True).send_messages(mails)


def users_of_points(point_ids):
    """The active point editors bound to any of the given points."""
    from django.contrib.auth import get_user_model

    from .models.profiles import GROUP_POINT_EDITOR

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=GROUP_POINT_EDITOR, warning_profile__point_id__in=list(point_ids))
        .distinct()
    )


def messages_of(user):
    """The user's own messages: unread first, then newest first."""
    return (
        Message.objects.filter(recipient=user)
        .annotate(is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-is_unread", "-created_at", "-id")
    )


def unread_count(user):
    """How many of the user's messages are unread (the badge on 消息中心)."""
    if not user or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def _mark_points_read(user, notice_ids, at):
    point_id = scope_of(user).point_id
    if point_id and notice_ids:
        NoticeRecipient.objects.filter(point_id=point_id, notice_id__in=notice_ids, read_at__isnull=True).update(
            read_at=at
        )


def open_message(user, message_id, at=None):
    """Open one of the user's messages and mark it read; return it.

    Raises Message.DoesNotExist for a message that is not the user's (the
    view answers 404) and changes nothing then.
    """
    message = Message.objects.select_related("notice").get(recipient=user, pk=message_id)
    at = at or timezone.now()
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=at)
        message.read_at = at
    if message.notice_id:
        _mark_points_read(user, [message.notice_id], at)
    return message


def mark_all_read(user, at=None):
    """Mark every unread message of the user read (notices included); return how many changed."""
    at = at or timezone.now()
    unread = Message.objects.filter(recipient=user, read_at__isnull=True)
    notice_ids = list(unread.exclude(notice=None).values_list("notice_id", flat=True))
    changed = unread.update(read_at=at)
    _mark_points_read(user, notice_ids, at)
    return changed
