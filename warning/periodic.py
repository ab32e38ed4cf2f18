"""季度形势分析 and 年度工作总结: submitting them, their deadlines, and who is missing what (docs/rules.md §3.2, §4, §5).

Plain domain rules, no request objects: the admin views, seed_demo, the
send_reminders command and the tests all call these functions.

Rules, as decided here (and written down in docs/periodic.md):

* One analysis per point per (年度, 季度) and one summary per point per 年度.
  Submitting again for the same period *replaces* the earlier item (title,
  content, and the attachment if a new one is given) and moves its 提交时间.
* A quarterly analysis on which the magazine editor has decided (录用 or
  不录用) can no longer be replaced: the decision was taken on that text.
* A replacement may not turn an on-time item into a late one: once the
  item's deadline has passed, an item that was on time stays as it was.
* 年度 is 2000 … the current year; 季度 is 1 … 4 and must have begun.
* Every time is read in Asia/Shanghai; "by 20 January" means before
  21 January 00:00:00 Shanghai time (20 January 23:59:59 is on time).
* 年度工作总结 of year Y is on time when submitted by 20 January of Y+1.
* 季度形势分析 of year Y count (score item B2) when submitted between
  1 January of Y and 20 January of Y+1.
* Each quarter's analysis is due 20 days after the quarter ends: Q1 by
  20 April, Q2 by 20 July, Q3 by 20 October, Q4 by 20 January of the next
  year (the same day the counting window closes).
* The reminders cover, at any moment, the analysis of the most recently
  ended quarter and last year's summary, for points with status 正式.
* The scheduler's daily reminder (09:00 Shanghai, docs/tasks.md) names only
  the items whose deadline is at most 10 days ahead or at most 30 days past,
  and tells each editor at most once per calendar day.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AnnualSummary, QuarterlyAnalysis, WarningPoint
from .models.profiles import scope_of
from .validators import validate_attachment

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_YEAR = 2000
DUE_DAY = 20  # an analysis is due by the 20th of the month after its quarter; a summary by 20 January
QUARTER_LABELS = {1: "第1季度", 2: "第2季度", 3: "第3季度", 4: "第4季度"}


# ---------------------------------------------------------------------------
# Calendar: periods, deadlines and the counting window, all in Shanghai time.


def shanghai_now(now=None):
    return timezone.localtime(now or timezone.now(), SHANGHAI)


def start_of_day(day):
    """00:00:00 of a calendar day in Shanghai, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def end_of_day(day):
    """The first instant after a calendar day in Shanghai: 'by day' means strictly before this."""
    return start_of_day(day + timedelta(days=1))


def quarter_start(year, quarter):
    return date(year, 3 * quarter - 2, 1)


def quarterly_due_date(year, quarter):
    """The last day on which the analysis of a quarter is on time: the 20th of the month after it."""
    if quarter == 4:
        return date(year + 1, 1, DUE_DAY)
    return date(year, 3 * quarter + 1, DUE_DAY)


def annual_due_date(year):
    """The last day on which the summary of a year is on time: 20 January of the next year."""
    return date(year + 1, 1, DUE_DAY)


def quarterly_window(year):
    """The half-open interval [start, end) in which a year's analyses are counted (score item B2)."""
    return start_of_day(date(year, 1, 1)), end_of_day(date(year + 1, 1, DUE_DAY))


def annual_on_time(summary):
    """Whether a 年度工作总结 was submitted by 20 January of the next year (score item B3)."""
    return summary.submitted_at < end_of_day(annual_due_date(summary.year))


def in_quarterly_window(analysis):
    """Whether a 季度形势分析 was submitted inside its year's counting window (score item B2)."""
    start, end = quarterly_window(analysis.year)
    return start <= analysis.submitted_at < end


def counted_quarterlies(year, queryset=None):
    """The analyses of a year that count: 年度 is the year and submitted inside the window."""
    start, end = quarterly_window(year)
    queryset = QuarterlyAnalysis.objects.all() if queryset is None else queryset
    return queryset.filter(year=year, submitted_at__gte=start, submitted_at__lt=end)


def on_time_summaries(year, queryset=None):
    """The summaries of a year submitted by 20 January of the next year."""
    queryset = AnnualSummary.objects.all() if queryset is None else queryset
    return queryset.filter(year=year, submitted_at__lt=end_of_day(annual_due_date(year)))


def last_ended_quarter(now=None):
    """(year, quarter) of the most recent quarter that has ended, in Shanghai time."""
    local = shanghai_now(now)
    current = (local.month - 1) // 3 + 1
    return (local.year - 1, 4) if current == 1 else (local.year, current - 1)


# ---------------------------------------------------------------------------
# Submitting and replacing.


@dataclass(frozen=True)
class Submission:
    item: QuarterlyAnalysis | AnnualSummary
    replaced: bool


def _check_submitter(user, point):
    if scope_of(user).point_id != point.pk:
        raise PermissionDenied("只有本预警点用户可以提交本预警点的季度形势分析和年度工作总结。")
    if point.status == WarningPoint.Status.REVOKED:
        raise PermissionDenied("该预警点已撤销，不能再提交。")


def _clean_year(year, now):
    current = shanghai_now(now).year
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": f"年度应为 {FIRST_YEAR} 至 {current} 之间的年份。"}) from None
    if not FIRST_YEAR <= year <= current:
        raise ValidationError({"year": f"年度应为 {FIRST_YEAR} 至 {current} 之间的年份。"})
    return year


def _clean_quarter(year, quarter, now):
    try:
        quarter = int(quarter)
    except (TypeError, ValueError):
        raise ValidationError({"quarter": "季度应为 1 至 4。"}) from None
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": "季度应为 1 至 4。"})
    if start_of_day(quarter_start(year, quarter)) > shanghai_now(now):
        raise ValidationError({"quarter": f"{year}年{QUARTER_LABELS[quarter]}尚未开始，不能提交该季度的形势分析。"})
    return quarter


def _clean_text(title, content):
    errors = {}
    title = (title or "").strip()
    content = (content or "").strip()
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > 200:
        errors["title"] = "标题不能超过 200 个字。"
    if not content:
        errors["content"] = "请填写内容。"
    if errors:
        raise ValidationError(errors)
    return title, content


def _clean_attachment(attachment):
    if not attachment:
        return None, None
    try:
        return attachment, validate_attachment(attachment)
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from None


def _store(item, attachment, ext):
    # A random file name keeps the stored path unguessable; downloads go
    # through a permission-checked view and are named after the title.
    if attachment:
        item.attachment.save(f"{secrets.token_hex(16)}.{ext}", attachment, save=False)


def _late_replacement_refusal(was_on_time, due_date, now, label):
    if was_on_time and now >= end_of_day(due_date):
        return f"本预警点的{label}已按时提交，截止日期（{due_date:%Y年%m月%d日}）已过，不能再替换，否则会变成逾期提交。"
    return ""


def replacement_refusal(existing, now=None):
    """Why an already submitted item can no longer be replaced ('' if it can).

    The submit functions raise this message; the submit form shows it in
    advance, so the point knows before typing.
    """
    now = now or timezone.now()
    if isinstance(existing, QuarterlyAnalysis):
        label = f"{existing.year}年{QUARTER_LABELS[existing.quarter]}形势分析"
        if existing.magazine_status == QuarterlyAnalysis.Decision.ADOPTED:
            return f"本预警点的{label}已被杂志录用，不能再替换。"
        if existing.magazine_status == QuarterlyAnalysis.Decision.DECLINED:
            return f"杂志已对本预警点的{label}作出不录用决定，不能再替换。"
        # The counting window of year Y closes with 20 January of Y+1, the same day as the summary's.
        return _late_replacement_refusal(in_quarterly_window(existing), annual_due_date(existing.year), now, label)
    label = f"{existing.year}年度工作总结"
    return _late_replacement_refusal(annual_on_time(existing), annual_due_date(existing.year), now, label)


def _check_replaceable(existing, now):
    refusal = replacement_refusal(existing, now)
    if refusal:
        raise ValidationError(refusal)


def _submit(model, lookup, *, point, user, title, content, attachment, ext, now):
    with transaction.atomic():
        existing = model.objects.select_for_update().filter(point=point, **lookup).first()
        if existing is not None:
            _check_replaceable(existing, now)
            existing.title, existing.content = title, content
            existing.submitted_at, existing.submitted_by = now, user
            _store(existing, attachment, ext)
            existing.save()
            return Submission(existing, replaced=True)
        item = model(point=point, title=title, content=content, submitted_at=now, submitted_by=user, **lookup)
        _store(item, attachment, ext)
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            if item.attachment:
                item.attachment.delete(save=False)
            raise ValidationError("同一期的材料刚刚已由本预警点提交，请刷新页面后查看或重新提交。") from None
        return Submission(item, replaced=False)


def submit_quarterly(*, point, user, year, quarter, title, content, attachment=None, now=None):
    """Submit (or replace) a point's 季度形势分析 for one quarter; return a Submission.

    Raises PermissionDenied for anyone but the point's own editor and
    ValidationError (Chinese, by field) for a bad year, quarter, text or
    attachment, or a replacement the rules refuse. Nothing is saved or
    stored when it raises.
    """
    now = now or timezone.now()
    _check_submitter(user, point)
    year = _clean_year(year, now)
    quarter = _clean_quarter(year, quarter, now)
    title, content = _clean_text(title, content)
    attachment, ext = _clean_attachment(attachment)

    result = _submit(
        QuarterlyAnalysis,
        {"year": year, "quarter": quarter},
        point=point,
        user=user,
        title=title,
        content=content,
        attachment=attachment,
        ext=ext,
        now=now,
    )
    from .magazine import tell_editors_of_quarterly

    tell_editors_of_quarterly(result.item, replaced=result.replaced)
    return result


def submit_annual_summary(*, point, user, year, title, content, attachment=None, now=None):
    """Submit (or replace) a point's 年度工作总结 for one year; return a Submission.

    Same contract as submit_quarterly(). A summary has no magazine decision,
    so it can be replaced until its deadline, and afterwards only if it was
    late anyway.
    """
    now = now or timezone.now()
    _check_submitter(user, point)
    year = _clean_year(year, now)
    title, content = _clean_text(title, content)
    attachment, ext = _clean_attachment(attachment)

    return _submit(
        AnnualSummary,
        {"year": year},
        point=point,
        user=user,
        title=title,
        content=content,
        attachment=attachment,
        ext=ext,
        now=now,
    )


# ---------------------------------------------------------------------------
# Deadlines: who is missing what, and telling them.


@dataclass(frozen=True)
class DueItem:
    """One period a point owes: a quarter's analysis or a year's summary."""

    kind: str  # "quarterly" or "annual"
    year: int
    quarter: int | None
    due_date: date

    @property
    def label(self):
        if self.kind == "quarterly":
            return f"{self.year}年{QUARTER_LABELS[self.quarter]}形势分析"
        return f"{self.year}年度工作总结"

    def is_overdue(self, now=None):
        return (now or timezone.now()) >= end_of_day(self.due_date)

    def describe(self, now=None):
        state = "已逾期" if self.is_overdue(now) else "尚未提交"
        return f"{self.label}（截止日期 {self.due_date:%Y年%m月%d日}，{state}）"


def current_due_items(now=None):
    """What every point owes at this moment: the last ended quarter's analysis and last year's summary."""
    year, quarter = last_ended_quarter(now)
    last_year = shanghai_now(now).year - 1
    return (
        DueItem("quarterly", year, quarter, quarterly_due_date(year, quarter)),
        DueItem("annual", last_year, None, annual_due_date(last_year)),
    )


def open_period(point_id, kind, now=None):
    """The period a point's submit form opens on: (year, quarter) — quarter None for a summary.

    The candidates are the period currently due (last ended quarter, last
    year) and the one in progress (this quarter, this year), in that order.
    The form opens on the first one the point has not submitted yet, else on
    the first whose submission may still be replaced; never on a locked one
    (the magazine decided, or the deadline passed) while another is open.
    When every candidate is locked it opens on the due period, whose refusal
    the form then shows.
    """
    local = shanghai_now(now)
    if kind == "quarterly":
        candidates = [last_ended_quarter(now), (local.year, (local.month - 1) // 3 + 1)]
        model = QuarterlyAnalysis
        existing = {
            (item.year, item.quarter): item
            for item in model.objects.filter(point_id=point_id, year__in={y for y, _ in candidates})
        }
    else:
        candidates = [(local.year - 1, None), (local.year, None)]
        existing = {
            (item.year, None): item
            for item in AnnualSummary.objects.filter(point_id=point_id, year__in=[y for y, _ in candidates])
        }
    for period in candidates:
        if period not in existing:
            return period
    for period in candidates:
        if not replacement_refusal(existing[period], now):
            return period
    return candidates[0]


@dataclass(frozen=True)
class MissingRow:
    point: WarningPoint
    items: tuple[DueItem, ...]

    def missing_quarterly(self):
        return any(i.kind == "quarterly" for i in self.items)

    def missing_annual(self):
        return any(i.kind == "annual" for i in self.items)


def missing_submissions(now=None, overdue_only=False):
    """The 正式 points that have not submitted what is currently due, in the points' usual order.

    Three queries whatever the number of points. With overdue_only, an item
    whose deadline has not passed yet is left out.
    """
    quarterly, annual = current_due_items(now)
    due = [i for i in (quarterly, annual) if not overdue_only or i.is_overdue(now)]
    if not due:
        return []
    have_quarterly = set(
        QuarterlyAnalysis.objects.filter(year=quarterly.year, quarter=quarterly.quarter)
        .order_by()
        .values_list("point_id", flat=True)
    )
    have_annual = set(AnnualSummary.objects.filter(year=annual.year).order_by().values_list("point_id", flat=True))
    submitted = {"quarterly": have_quarterly, "annual": have_annual}
    rows = []
    for point in WarningPoint.objects.official().select_related("district__city", "industry"):
        items = tuple(i for i in due if point.pk not in submitted[i.kind])
        if items:
            rows.append(MissingRow(point, items))
    return rows


@dataclass(frozen=True)
class ReminderResult:
    """What a reminder run did: the points reminded and, per user, how they were told."""

    rows: list
    messages: int  # users who got a 消息中心 message
    emails: int  # of them, users with an e-mail address (they got the same text by mail)
    without_address: tuple = ()  # (user display name, point name) of users told in 消息中心 only
    points_without_users: tuple = ()  # names of listed points with no active editor to tell


REMINDER_WINDOW = (timedelta(days=10), timedelta(days=30))  # before / after the deadline, for the daily run


def in_reminder_window(item, now=None):
    """Whether the daily reminder names this item: its deadline is ≤ 10 days ahead or ≤ 30 days past."""
    today = shanghai_now(now).date()
    before, after = REMINDER_WINDOW
    return item.due_date - before <= today <= item.due_date + after


def send_reminders(now=None, overdue_only=False, daily=False):
    """Tell the editors of every point that misses something what it owes (消息中心 and e-mail).

    The admin's 发送提醒 button and `manage.py send_reminders` both call
    this. Points owing the same items share one message text, so the number
    of queries depends on the combinations (at most three), not on the
    number of points. Returns who was told how: every active editor gets a
    message, those with an address also an e-mail (warning.notify.notify_users
    does both), and the result lists those without an address by name.

    `daily` is the scheduler's run: only items in the reminder window, and
    one message per editor and Shanghai day (the message key), so a second
    run on the same day tells nobody again.
    """
    from django.urls import reverse

    from .names import display_name
    from .notify import notify_users, users_of_points

    rows = missing_submissions(now, overdue_only=overdue_only)
    key = ""
    if daily:
        rows = [
            MissingRow(row.point, items)
            for row in rows
            if (items := tuple(i for i in row.items if in_reminder_window(i, now)))
        ]
        key = f"reminder:{shanghai_now(now).date():%Y-%m-%d}"
    groups = {}
    for row in rows:
        groups.setdefault(row.items, []).append(row.point.pk)
    point_names = {row.point.pk: row.point.name for row in rows}
    told, reached_points = {}, set()
    for items, point_ids in groups.items():
        title = "提交提醒：请尽快提交" + "、".join(i.label for i in items)
        body = "贵预警点尚未提交以下材料：\n" + "\n".join(f"· {i.describe(now)}" for i in items)
        kind = "quarterly" if items[0].kind == "quarterly" else "annual"
        url = reverse(f"warning_periodic:{kind}_submit")
        users = list(users_of_points(point_ids).select_related("warning_profile"))
        by_pk = {user.pk: user for user in users}
        # A daily run's key skips editors already told today: count only who got a message now.
        for message in notify_users(users, title, body, url=url, key=key):
            told[message.recipient_id] = by_pk[message.recipient_id]
        for user in users:
            reached_points.add(user.warning_profile.point_id)
    without = sorted(
        (display_name(u), point_names.get(u.warning_profile.point_id, "")) for u in told.values() if not u.email
    )
    return ReminderResult(
        rows,
        messages=len(told),
        emails=sum(1 for u in told.values() if u.email),
        without_address=tuple(without),
        points_without_users=tuple(point_names[pk] for pk in point_names if pk not in reached_points),
    )
