"""Telling people things: a 消息中心 message for each recipient, and the same by e-mail.

Every part of the system that informs a user (review outcomes, work waiting
for a reviewer, notices, deadline reminders) calls notify_users(), so the
message centre and the mail always say the same thing.
"""

from django.conf import settings
from django.core.mail import send_mass_mail

from .models import Message


def notify_users(users, title, body="", url="", notice=None):
    """Create one unread message per user and send each user with an address the same text by mail.

    Returns the created messages. Inactive users are skipped; duplicates in
    `users` are told once.
    """
    recipients = {u.pk: u for u in users if u.is_active}.values()
    messages = Message.objects.bulk_create(
        [Message(recipient=u, title=title, body=body, url=url, notice=notice) for u in recipients]
    )
    link = f"\n\n{settings.WAGTAILADMIN_BASE_URL}{url}" if url else ""
    mails = [(title, f"{body}{link}", settings.DEFAULT_FROM_EMAIL, [u.email]) for u in recipients if u.email]
    if mails:
        send_mass_mail(mails, fail_silently=True)
    return messages


def users_of_points(point_ids):
    """The active point editors bound to any of the given points."""
    from django.contrib.auth import get_user_model

    from .models.profiles import GROUP_POINT_EDITOR

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=GROUP_POINT_EDITOR, warning_profile__point_id__in=list(point_ids))
        .distinct()
    )
