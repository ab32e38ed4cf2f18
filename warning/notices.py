"""商务局预警信息: notices the provincial contact issues to warning points (docs/rules.md §3.3).

A notice goes to one of three audiences:

- 全部预警点 — every point that has not been 撤销 (revoked);
- 某地市的预警点 — every such point in one city;
- 指定预警点 — the points chosen one by one (none of them revoked).

Why "not revoked" rather than "正式 only": a point still 筹建 (being set up)
already has an editor and takes part in the programme's work (training,
deadlines, trade alerts), so it must hear what the province says; a revoked
point has left the programme. Only the statistics restrict themselves to
正式 points, and they count notices, not recipients.

Each recipient point gets a NoticeRecipient row, which carries the point's
read state: the first time any editor of the point opens the notice, the row
is stamped. Every active editor of a recipient point gets a 消息中心 message
(and an e-mail) through notify_users(); opening that message or the notice
marks both the user's message and the point's row read.

Telling the editors is a background task (fan_out_notice, docs/tasks.md): a
notice to all points reaches a couple of hundred users, so the request only
writes the notice and its recipient points and enqueues the fan-out, in one
transaction. The fan-out keys every message by the notice, so running it
twice tells nobody twice; the messages carry the notice's issue time.

Issued notices are records (they count as 下发信息 in the statistics), so
this module offers no edit or delete.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

import webhooks
from jobs.tasks import fan_out_notice

from .idempotency import create_once
from .models import City, Message, Notice, NoticeRecipient, WarningPoint
from .models.profiles import scope_of
from .notify import notify_users, users_of_points

TITLE_MAX_LENGTH = Notice._meta.get_field("title").max_length


def may_issue_notices(user):
    """Only the provincial contact (预警工作联系人, or a superuser) issues notices."""
    return scope_of(user).is_provincial


def eligible_points():
    """The points a notice can reach: all that are not revoked."""
    return WarningPoint.objects.exclude(status=WarningPoint.Status.REVOKED)


def _point_ids(points):
    """Accept points as instances or primary keys; return a sorted list of unique ids."""
    ids = set()
    for p in points or ():
        ids.add(p.pk if isinstance(p, WarningPoint) else int(p))
    return sorted(ids)


def resolve_recipients(audience, city=None, points=()):
    """Return (city, point_ids) for an audience, or raise ValidationError with Chinese messages.

    `city` may be a City or its id; `points` instances or ids. Nothing is
    written: issue_notice() calls this before it creates anything.
    """
    errors = {}
    if audience not in Notice.Audience.values:
        raise ValidationError({"audience": "请选择下发范围：全部预警点、某地市的预警点或指定预警点"})

    if audience == Notice.Audience.ALL:
        ids = list(eligible_points().order_by("pk").values_list("pk", flat=True))
        if not ids:
            errors["audience"] = "目前没有可接收通知的预警点"
        city = None
    elif audience == Notice.Audience.CITY:
        if city in (None, ""):
            raise ValidationError({"city": "下发到某地市时，请选择地市"})
        if not isinstance(city, City):
            city = City.objects.filter(pk=city).first()
            if city is None:
                raise ValidationError({"city": "所选地市不存在"})
        ids = list(eligible_points().filter(district__city=city).order_by("pk").values_list("pk", flat=True))
        if not ids:
            errors["city"] = f"{city.name}目前没有可接收通知的预警点"
    else:
        ids = _point_ids(points)
        if not ids:
            raise ValidationError({"points": "下发到指定预警点时，请至少选择一个预警点"})
        found = set(eligible_points().filter(pk__in=ids).values_list("pk", flat=True))
        if found != set(ids):
            errors["points"] = "所选预警点中有不存在或已撤销的预警点，请重新选择"
        city = None

    if errors:
        raise ValidationError(errors)
    return city, ids


def notice_url(notice):
    """Where a point editor reads the notice: its page in the message centre."""
    return reverse("warning_messages:notice", args=[notice.pk])


def issue_notice(user, title, body, audience, city=None, points=(), issued_at=None, form_token=None):
    """Issue a notice and tell its recipients; return the Notice.

    With a `form_token` (the hidden token of the 下发 form) the notice is
    issued once: a second call with the same token, even at the same moment,
    returns the first notice and tells nobody again (warning/idempotency.py);
    `notice.issued_now` says which happened.

    Refuses (PermissionDenied) anyone but the provincial contact and refuses
    (ValidationError, messages in Chinese keyed by form field) an empty
    title or body, a city audience without a city, a chosen audience without
    points, or an audience that reaches nobody. A refusal writes nothing.
    `issued_at` lets the demo data spread notices over the year.
    """
    if not may_issue_notices(user):
        raise PermissionDenied("只有预警工作联系人可以下发商务局预警信息")

    title = (title or "").strip()
    body = (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写标题"
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"标题不能超过 {TITLE_MAX_LENGTH} 个字"
    if not body:
        errors["body"] = "请填写内容"
    try:
        city, point_ids = resolve_recipients(audience, city=city, points=points)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    issued_at = issued_at or timezone.now()

    def create():
        notice = Notice.objects.create(
            title=title,
            body=body,
            audience=audience,
            city=city,
            issued_by=user,
            issued_at=issued_at,
            form_token=form_token or None,
        )
        NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, point_id=pk) for pk in point_ids])
        fan_out_notice.enqueue(notice.pk)
        webhooks.emit("notice.issued", notice=notice)
        return notice

    notice, created = create_once(Notice.objects.all(), form_token, create)
    notice.issued_now = created
    return notice


def tell_recipients(notice_id):
    """Give every active editor of the notice's points a message (and mail), once; return how many were told.

    The body of the fan_out_notice task. Users already holding this notice's
    message are skipped (the message key), so a second run changes nothing.
    """
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    point_ids = list(NoticeRecipient.objects.filter(notice=notice).values_list("point_id", flat=True))
    with transaction.atomic():
        messages = notify_users(
            users_of_points(point_ids),
            notice.title,
            notice.body,
            url=notice_url(notice),
            notice=notice,
            key=f"notice:{notice.pk}",
        )
        if messages:
            # Message.created_at is auto_now_add; keep the message dated with its notice.
            Message.objects.filter(pk__in=[m.pk for m in messages]).update(created_at=notice.issued_at)
    return len(messages)


def notice_for_point_editor(user, notice_id):
    """The NoticeRecipient row of the user's own point for a notice.

    Raises NoticeRecipient.DoesNotExist when the user is not a point editor or
    the notice was not addressed to their point (the views answer 404).
    """
    point_id = scope_of(user).point_id
    if not point_id:
        raise NoticeRecipient.DoesNotExist("不是预警点用户")
    return NoticeRecipient.objects.select_related("notice", "notice__issued_by", "point").get(
        notice_id=notice_id, point_id=point_id
    )


def mark_point_read(notice_id, point_id, at=None):
    """Stamp a point's copy of a notice as read; the first read time is kept. Returns True if it changed."""
    return bool(
        NoticeRecipient.objects.filter(notice_id=notice_id, point_id=point_id, read_at__isnull=True).update(
            read_at=at or timezone.now()
        )
    )


def read_notice(user, notice_id, at=None):
    """A point editor opens a notice: their point's row and their own messages about it become read.

    Returns the NoticeRecipient (with .notice); raises NoticeRecipient.DoesNotExist
    for a notice that is not theirs, changing nothing.
    """
    recipient = notice_for_point_editor(user, notice_id)
    at = at or timezone.now()
    if recipient.read_at is None:
        mark_point_read(notice_id, recipient.point_id, at)
        recipient.read_at = at
    Message.objects.filter(recipient=user, notice_id=notice_id, read_at__isnull=True).update(read_at=at)
    return recipient


def notices_of_point(point_id):
    """The notices addressed to one point, newest first, with that point's read state."""
    return (
        NoticeRecipient.objects.filter(point_id=point_id)
        .select_related("notice", "notice__issued_by")
        .order_by("-notice__issued_at", "-notice_id")
    )


def describe_audience(notice):
    """The audience in words, as the lists show it: 全部预警点 / 杭州市的预警点 / 指定预警点."""
    if notice.audience == Notice.Audience.CITY and notice.city_id:
        return f"{notice.city.name}的预警点"
    return notice.get_audience_display()


def issued_notices():
    """Every issued notice, newest first, with how many points received and read it (one query)."""
    return (
        Notice.objects.select_related("city", "issued_by")
        .annotate(
            recipient_count=Count("recipients"),
            read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
        )
        .order_by("-issued_at", "-pk")
    )


def recipients_of(notice):
    """A notice's recipient points with their read state, in city and name order."""
    return (
        NoticeRecipient.objects.filter(notice=notice)
        .select_related("point__district__city")
        .order_by("point__district__city__sort_order", "point__district__sort_order", "point__name")
    )
