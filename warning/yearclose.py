"""确认年度结果: closing a year's scores, reading them back, and re-opening (docs/statistics.md).

The rules, in plain words:

1. Only the provincial contact (预警工作联系人, or a superuser) confirms or
   re-opens a year.
2. A year can be confirmed once its counting has ended: after the deadline of
   its periodic reports (20 January of the next year, Shanghai time). Before
   that, a quarterly analysis or the annual summary may still arrive and
   change B2 / B3.
3. Confirming copies every 正式 point's row of 分数详情 as it stands — every
   count kind of `statistics.KINDS`, the seven score items, the total, the
   province-wide rank, 距下一档 and the monthly series — together with who
   confirmed and when, and writes a log entry. A year has at most one
   confirmation in force. The same 确认 form sent twice (a double click)
   makes one confirmation; confirming a year already confirmed, or a year
   without 正式 points, is refused.
4. While a confirmation is in force, the year's 分数详情, its ranking, the
   statistics home and the score exports (xlsx and JSON) show the copy.
   Today's live numbers are still counted; wherever they differ, the screen
   and the exports name the point, the figure, today's number, the confirmed
   one and the difference ("子网站信息 41（确认时 42，−1）"). A point that is no
   longer 正式 keeps its confirmed row; a point that became 正式 later is named
   as not part of the result.
5. Re-opening needs a reason. It ends the confirmation in force (kept, with
   who re-opened it, when and why) and writes a log entry; the year then shows
   live numbers until it is confirmed again, which takes a new copy.

Reading a year costs one query on top of the live count (the confirmed rows,
their confirmation joined; none for a year whose counting has not ended).
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from . import scoring, statistics
from .idempotency import TokenTaken, create_once
from .models import PointYearSnapshot, YearConfirmation
from .models.profiles import scope_of

ACTION_CONFIRM = "warning.year.confirm"
ACTION_REOPEN = "warning.year.reopen"

REASON_MAX_LENGTH = 500


class YearCloseError(Exception):
    """A refusal, with its Chinese message; nothing was changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- who and when


def may_close_years(user):
    """Whether `user` may confirm or re-open a year: the provincial contact or a superuser."""
    return scope_of(user).is_provincial


def confirmable_from(year):
    """The first day a year may be confirmed: the day after its periodic reports' deadline."""
    return statistics.periodic_deadline(year).date()


def why_not_confirmable(year, today=None):
    """A Chinese sentence saying why `year` cannot be confirmed yet, or None."""
    today = today or statistics.today_in_shanghai()
    if today < confirmable_from(year):
        return f"{year} 年度的季度分析和年度总结报送截止于 {year + 1}年1月20日，截止之后才能确认年度结果。"
    return None


def confirmation_in_force(year, today=None):
    """The confirmation of `year` in force, or None.

    One query, none for a year whose counting has not ended (the current
    year, the default of every screen): such a year cannot have been confirmed.
    """
    if why_not_confirmable(year, today):
        return None
    return YearConfirmation.objects.filter(year=year, reopened_at__isnull=True).first()


def _display_name(user):
    return user.get_full_name() or user.get_username()


def _confirmed_text(confirmation):
    when = timezone.localtime(confirmation.confirmed_at).strftime("%Y-%m-%d %H:%M")
    return f"{when} 由 {confirmation.confirmed_by_name} 确认"


# ---------------------------------------------------------------- confirm and re-open


def confirm(year, user, *, token=None, today=None):
    """Confirm `year`: copy every 正式 point's row and log it. Returns (confirmation, created).

    `token` is the 确认 form's token: the same form sent again returns the
    first confirmation with created=False and changes nothing. Raises
    YearCloseError (nothing changed) for a user who may not, a year whose
    counting has not ended, or a year already confirmed.
    """
    if not may_close_years(user):
        raise YearCloseError("只有预警工作联系人可以确认年度结果。")
    today = today or statistics.today_in_shanghai()

    def create():
        problem = why_not_confirmable(year, today)
        if problem:
            raise YearCloseError(problem)
        earlier = confirmation_in_force(year, today)
        if earlier is not None:
            raise YearCloseError(f"{year} 年度结果已于 {_confirmed_text(earlier)}，无需再次确认。")
        rows = statistics.point_rows(year, today=today, monthly=True)
        if not rows:
            raise YearCloseError(f"{year} 年度没有正式预警点，无需确认。")
        confirmation = YearConfirmation.objects.create(
            year=year,
            months=statistics.months_counted(year, today),
            confirmed_at=timezone.now(),
            confirmed_by=user,
            confirmed_by_name=_display_name(user),
            form_token=token,
        )
        PointYearSnapshot.objects.bulk_create(
            [_snapshot_of(confirmation, position, row) for position, row in enumerate(rows)], batch_size=500
        )
        log(
            instance=confirmation,
            action=ACTION_CONFIRM,
            user=user,
            data={"year": year, "points": len(rows)},
            title=f"{year}年度结果",
        )
        return confirmation

    try:
        return create_once(YearConfirmation.objects.filter(year=year), token, create)
    except TokenTaken:
        raise YearCloseError(TokenTaken.message) from None
    except IntegrityError:
        # Another contact's confirmation of the same year won the insert at the same moment.
        earlier = confirmation_in_force(year, today)
        if earlier is None:
            raise
        raise YearCloseError(f"{year} 年度结果已于 {_confirmed_text(earlier)}，无需再次确认。") from None


def _snapshot_of(confirmation, position, row):
    return PointYearSnapshot(
        confirmation=confirmation,
        point_id=row.point_id,
        position=position,
        point_name=row.name,
        city_id=row.city_id,
        city_name=row.city_name,
        counts=dict(row.counts),
        year_counts={f.name: getattr(row.year_counts, f.name) for f in _COUNT_FIELDS},
        monthly=row.monthly or {},
        enterprises=row.enterprises,
        basic_missing=list(row.basic_missing),
        **{item: getattr(row.score, item) for item in scoring.ITEM_LABELS},
        total=row.total,
        rank=row.rank,
        lacks=list(row.lacks),
    )


_COUNT_FIELDS = scoring.PointYearCounts.__dataclass_fields__.values()


def clean_reason(reason):
    """The reason for re-opening, stripped, or YearCloseError."""
    reason = (reason or "").strip()
    if not reason:
        raise YearCloseError("请填写重新开放的原因。")
    if len(reason) > REASON_MAX_LENGTH:
        raise YearCloseError(f"原因不能超过 {REASON_MAX_LENGTH} 个字。")
    return reason


def reopen(year, user, reason):
    """End the confirmation of `year` in force, with who, when and why, and log it. Returns it.

    Raises YearCloseError (nothing changed) for a user who may not, an empty
    reason or a year not confirmed (re-opened already, by a second click or
    by someone else).
    """
    if not may_close_years(user):
        raise YearCloseError("只有预警工作联系人可以重新开放年度结果。")
    reason = clean_reason(reason)
    with transaction.atomic():
        confirmation = YearConfirmation.objects.select_for_update().filter(year=year, reopened_at__isnull=True).first()
        if confirmation is None:
            raise YearCloseError(f"{year} 年度结果尚未确认（或已重新开放），无需重新开放。")
        confirmation.reopened_at = timezone.now()
        confirmation.reopened_by = user
        confirmation.reopened_by_name = _display_name(user)
        confirmation.reopen_reason = reason
        confirmation.save(update_fields=["reopened_at", "reopened_by", "reopened_by_name", "reopen_reason"])
        log(
            instance=confirmation,
            action=ACTION_REOPEN,
            user=user,
            data={"year": year, "reason": reason},
            title=f"{year}年度结果",
        )
    return confirmation


# ---------------------------------------------------------------- reading a year


def signed(n):
    """+1, −1 (a true minus sign), 0."""
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")


@dataclass(frozen=True)
class Difference:
    """One figure of one point where today's live number differs from the confirmed one."""

    label: str
    confirmed: int
    live: int

    @property
    def delta(self):
        return self.live - self.confirmed

    def __str__(self):
        return f"{self.label} {self.live}（确认时 {self.confirmed}，{signed(self.delta)}）"


@dataclass
class ConfirmedRow(statistics.PointRow):
    """A point's row as confirmed, with what differs today (`differences`) and whether it is still 正式."""

    differences: list = field(default_factory=list)
    still_official: bool = True
    stored_lacks: list = field(default_factory=list)

    @property
    def lacks(self):
        return self.stored_lacks

    @property
    def live_note(self):
        """The note shown next to the row: empty when today's numbers are the confirmed ones."""
        if not self.still_official:
            return "当前实时数据：该预警点已不是正式预警点，不再计入统计"
        if not self.differences:
            return ""
        return "当前实时数据：" + "；".join(str(d) for d in self.differences)


@dataclass
class YearTable:
    """The rows a year's screens and exports show: the confirmed copy when there is one, else live rows."""

    year: int
    rows: list
    confirmation: YearConfirmation | None = None
    added: list = field(default_factory=list)  # names of 正式 points today that the confirmation does not hold
    not_yet: str = ""  # why the year cannot be confirmed yet (its counting has not ended), or ""
    notices: int | None = None  # 下发信息 of a live year when asked for (year_table(notices=True))

    @property
    def confirmed(self):
        return self.confirmation is not None

    @property
    def changed_rows(self):
        return [r for r in self.rows if r.live_note] if self.confirmation else []

    @property
    def confirmed_text(self):
        return _confirmed_text(self.confirmation) if self.confirmation else ""

    @property
    def summary(self):
        """One sentence for the top of a screen or an export; empty for a year not confirmed."""
        if not self.confirmation:
            return ""
        text = f"{self.year} 年度结果已于 {_confirmed_text(self.confirmation)}，以下为确认时的结果。"
        changed = len(self.changed_rows)
        if changed:
            text += f"当前实时数据与确认结果不同的预警点 {changed} 个（见各点说明）。"
        else:
            text += "当前实时数据与确认结果一致。"
        if self.added:
            text += f"确认后新成为正式预警点、未列入确认结果：{'、'.join(self.added)}。"
        return text


def _figures(snapshot_row, live_row):
    """The differences of one point, figure by figure: each count kind, each item, total, rank."""
    differences = []
    for key, kind in statistics.KINDS.items():
        confirmed, live = snapshot_row.counts.get(key, 0), live_row.counts.get(key, 0)
        if confirmed != live:
            differences.append(Difference(kind.label, confirmed, live))
    for item, label in scoring.ITEM_LABELS.items():
        confirmed, live = getattr(snapshot_row.score, item), getattr(live_row.score, item)
        if confirmed != live:
            differences.append(Difference(label, confirmed, live))
    if snapshot_row.total != live_row.total:
        differences.append(Difference("总分", snapshot_row.total, live_row.total))
    if live_row.rank is not None and snapshot_row.rank != live_row.rank:
        differences.append(Difference("排名", snapshot_row.rank, live_row.rank))
    return differences


def _confirmed_snapshots(year, today, point_id):
    """(confirmation in force or None, its rows): one query for the whole province, two for one point.

    Every confirmation holds at least one row (a year without 正式 points is
    not confirmed), so the rows read with their confirmation joined answer
    both questions at once.
    """
    if why_not_confirmable(year, today):
        return None, []
    if point_id is not None:
        confirmation = confirmation_in_force(year, today)
        return confirmation, list(confirmation.rows.filter(point_id=point_id)) if confirmation else []
    snapshots = list(
        PointYearSnapshot.objects.filter(confirmation__year=year, confirmation__reopened_at__isnull=True)
        .select_related("confirmation")
        .order_by("position")
    )
    return (snapshots[0].confirmation if snapshots else None), snapshots


def _matches(point_name, point_city_id, name, city_id):
    """The 预警点名称 / 所属地区 filters of the screens, applied to a row's name and city."""
    if name and name.strip().lower() not in point_name.lower():
        return False
    return not city_id or point_city_id == city_id


def year_table(year, *, name="", city_id=None, point_id=None, today=None, monthly=False, notices=False):
    """The year's rows for 分数详情, the ranking, the home panels and the score exports.

    For a year not confirmed: statistics.point_rows() as it is. For a
    confirmed year: the confirmed rows (filtered by their names and cities at
    the time of confirming), each carrying its differences from today's live
    count. With `point_id`, that point only (its rank is not compared). With
    `notices`, a live year's 下发信息 count comes with the rows (point_rows's
    scalar subquery) as `.notices`; a confirmed year leaves it None.
    """
    today = today or statistics.today_in_shanghai()
    confirmation, snapshots = _confirmed_snapshots(year, today, point_id)
    if confirmation is None:
        rows = statistics.point_rows(
            year, name=name, city_id=city_id, point_id=point_id, today=today, monthly=monthly, notices=notices
        )
        rows, issued = rows if notices else (rows, None)
        return YearTable(year, rows, not_yet=why_not_confirmable(year, today) or "", notices=issued)
    live = {r.point_id: r for r in statistics.point_rows(year, point_id=point_id, today=today)}
    rows, held = [], set()
    for snapshot in snapshots:
        held.add(snapshot.point_id)
        if not _matches(snapshot.point_name, snapshot.city_id, name, city_id):
            continue
        row = _row_of(snapshot, year, today, monthly)
        live_row = live.get(snapshot.point_id)
        if live_row is None:
            row.still_official = False
        else:
            row.differences = _figures(row, live_row)
        rows.append(row)
    added = [r.name for r in live.values() if r.point_id not in held and _matches(r.name, r.city_id, name, city_id)]
    return YearTable(year, rows, confirmation, added)


_EMPTY_MONTHS = {key: [0] * 12 for key in statistics.SERIES}


def _row_of(snapshot, year, today, monthly):
    year_counts = scoring.PointYearCounts(**snapshot.year_counts)
    return ConfirmedRow(
        point_id=snapshot.point_id,
        name=snapshot.point_name,
        city_id=snapshot.city_id,
        city_name=snapshot.city_name,
        counts={key: snapshot.counts.get(key, 0) for key in statistics.KINDS},
        enterprises=snapshot.enterprises,
        basic_missing=list(snapshot.basic_missing),
        year_counts=year_counts,
        score=scoring.Score(**{item: getattr(snapshot, item) for item in scoring.ITEM_LABELS}),
        year=year,
        today=today,
        rank=snapshot.rank,
        monthly={**_EMPTY_MONTHS, **snapshot.monthly} if monthly else None,
        stored_lacks=list(snapshot.lacks),
    )


def confirmations():
    """Every confirmation, newest year first, with who re-opened it and why (the 年度结果确认 screen)."""
    return list(YearConfirmation.objects.order_by("-year", "-confirmed_at"))
