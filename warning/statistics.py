"""统计 (docs/rules.md §4): what every 正式 warning point did in a year, counted in the database.

Every number on the 预警工作联系人首页, in 条数详情 and 分数详情, in both exports
and in the point editor's own panel comes from point_rows() below, and every
drill-down list comes from records(). Both read the same KINDS table: a kind
is one model plus one filter, so a count and the list of records behind it
can never disagree.

Which year an item belongs to (all read in Asia/Shanghai):
- a warning report: the year of its (last) 提交时间, once approved at the provincial stage;
- a quarterly analysis: its 年度, and filed between 1 January of that year and
  20 January 23:59:59 of the next (the 季度分析 window of the user guide);
- an annual summary: its 年度 (on time when filed by 20 January of the next year);
- a subsite page: the year it was first published, while it is still live;
- a notice: its issue date.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from subsites.models import ArticlePage, ColumnKind

from . import scoring
from .models import (
    AnnualSummary,
    City,
    ContactEnterprise,
    Notice,
    QuarterlyAnalysis,
    ResponsiblePerson,
    WarningPoint,
    WarningReport,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MIN_YEAR, MAX_YEAR = 2000, 2100
YEAR_ERROR = f"年度应为 {MIN_YEAR} 至 {MAX_YEAR} 之间的年份"

ADOPTED = "adopted"


# ---------------------------------------------------------------- years


def today_in_shanghai():
    return timezone.now().astimezone(SHANGHAI).date()


def parse_year(value):
    """A year from user input (form, URL, command line), or ValueError with a Chinese message."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(f"{YEAR_ERROR}，收到“{value}”") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{YEAR_ERROR}，收到“{value}”")
    return year


def year_start(year):
    return datetime(year, 1, 1, tzinfo=SHANGHAI)


def periodic_deadline(year):
    """The first instant that is late for the year's periodic reports: 21 January of the next year, 00:00."""
    return datetime(year + 1, 1, 21, tzinfo=SHANGHAI)


def months_counted(year, today=None):
    """12 for a finished year, the months begun so far for the current one.

    A year that has not begun yet is scored as a whole year: nothing can have
    been counted in it, so it scores 0 wherever months matter.
    """
    today = today or today_in_shanghai()
    if year == today.year:
        return today.month
    return 12


def periodic_window_open(year, today=None):
    today = today or today_in_shanghai()
    return today < periodic_deadline(year).date()


# ---------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Kind:
    """One countable kind of item: a model, a filter for a year, and how its records read."""

    key: str
    label: str
    source: str  # "report", "quarterly", "summary" or "article"
    adopted_field: str | None = None  # the 录用时间 shown in the drill-down list

    def q(self, year):
        return _KIND_FILTERS[self.key](year)


def _in_year(field, year):
    return Q(**{f"{field}__gte": year_start(year), f"{field}__lt": year_start(year + 1)})


def _approved_reports(year):
    return Q(stage=WarningReport.Stage.APPROVED) & _in_year("submitted_at", year)


def _live_pages(year, column):
    return Q(live=True, column_kind=column) & _in_year("first_published_at", year)


_KIND_FILTERS = {
    "reports": _approved_reports,
    "exchange": lambda y: _approved_reports(y) & Q(to_exchange=True, exchange_published_at__isnull=False),
    "report_magazine": lambda y: _approved_reports(y) & Q(magazine_status=ADOPTED),
    "internal": lambda y: _approved_reports(y) & Q(internal_status=ADOPTED),
    "leader": lambda y: _approved_reports(y) & Q(internal_status=ADOPTED, leader_instruction=True),
    "quarterlies": lambda y: Q(year=y, submitted_at__gte=year_start(y), submitted_at__lt=periodic_deadline(y)),
    "quarterly_magazine": lambda y: Q(year=y, magazine_status=ADOPTED),
    "summaries": lambda y: Q(year=y),
    "summaries_on_time": lambda y: Q(year=y, submitted_at__lt=periodic_deadline(y)),
    "warning_pages": lambda y: _live_pages(y, ColumnKind.WARNING),
    "news_pages": lambda y: _live_pages(y, ColumnKind.NEWS),
    "notice_pages": lambda y: _live_pages(y, ColumnKind.NOTICE),
}

# Each kind's condition beyond its source's base filter (_SOURCES below): kind.q(year) is
# exactly base(year) & extra, so the grouped count asks each row only what differs
# between the kinds of one source (None: every row of the source).
_KIND_EXTRAS = {
    "reports": lambda y: None,
    "exchange": lambda y: Q(to_exchange=True, exchange_published_at__isnull=False),
    "report_magazine": lambda y: Q(magazine_status=ADOPTED),
    "internal": lambda y: Q(internal_status=ADOPTED),
    "leader": lambda y: Q(internal_status=ADOPTED, leader_instruction=True),
    "quarterlies": lambda y: Q(submitted_at__gte=year_start(y), submitted_at__lt=periodic_deadline(y)),
    "quarterly_magazine": lambda y: Q(magazine_status=ADOPTED),
    "summaries": lambda y: None,
    "summaries_on_time": lambda y: Q(submitted_at__lt=periodic_deadline(y)),
    "warning_pages": lambda y: Q(column_kind=ColumnKind.WARNING),
    "news_pages": lambda y: Q(column_kind=ColumnKind.NEWS),
    "notice_pages": lambda y: Q(column_kind=ColumnKind.NOTICE),
}

KINDS = {
    k.key: k
    for k in (
        Kind("reports", "上报信息", "report"),
        Kind("summaries", "年度总结", "summary"),
        Kind("quarterlies", "季度分析", "quarterly", "magazine_decided_at"),
        Kind("internal", "内部交流采纳", "report", "internal_decided_at"),
        Kind("quarterly_magazine", "季度分析杂志录用", "quarterly", "magazine_decided_at"),
        Kind("report_magazine", "预警信息杂志录用", "report", "magazine_decided_at"),
        Kind("warning_pages", "子网站信息", "article"),
        Kind("news_pages", "子网站工作动态", "article"),
        Kind("exchange", "外网录用", "report", "exchange_published_at"),
        Kind("leader", "获得厅领导批示", "report", "internal_decided_at"),
        Kind("summaries_on_time", "按时报送的年度总结", "summary"),
        Kind("notice_pages", "子网站通知公告", "article"),
    )
}

# The columns of 条数详情, in the order of the user guide.
COUNT_DETAIL_KINDS = (
    "reports",
    "exchange",
    "summaries",
    "quarterlies",
    "internal",
    "leader",
    "quarterly_magazine",
    "report_magazine",
    "warning_pages",
    "news_pages",
)

_SOURCES = {
    "report": (WarningReport, "submitted_at", _approved_reports),
    "quarterly": (QuarterlyAnalysis, "submitted_at", lambda y: Q(year=y)),
    "summary": (AnnualSummary, "submitted_at", lambda y: Q(year=y)),
    "article": (ArticlePage, "first_published_at", lambda y: Q(live=True) & _in_year("first_published_at", y)),
}


# ---------------------------------------------------------------- per-point rows

# The chart's monthly series, read in the same grouped scan as the counts. Per source: the
# field its rows are grouped by besides the point (None: the point only) and the series
# (a kind of KINDS) each value of that field feeds. A series' kind is exactly its source's
# base filter and that field's value (tests/test_statistics.py checks it against
# _KIND_EXTRAS), so each series sums to its kind's count.
MONTHLY_SERIES = {
    "report": (None, {None: "reports"}),
    "article": ("column_kind", {ColumnKind.WARNING: "warning_pages", ColumnKind.NEWS: "news_pages"}),
}
SERIES = tuple(key for _field, feeds in MONTHLY_SERIES.values() for key in feeds.values())


@dataclass
class PointRow:
    """One 正式 point's year: its counts by kind, its score, its rank and (on demand) what it lacks."""

    point_id: int
    name: str
    city_id: int
    city_name: str
    counts: dict
    enterprises: int
    basic_missing: list
    year_counts: scoring.PointYearCounts
    score: scoring.Score
    year: int
    today: date
    rank: int | None = None
    monthly: dict | None = None  # {series key: [12 counts]}, when point_rows(monthly=True)

    @property
    def total(self):
        return self.score.total

    @cached_property
    def lacks(self):
        """What the point lacks for each next step, in words; computed only where a screen shows it."""
        return lacks(self.year_counts, self.score, year=self.year, today=self.today, basic_missing=self.basic_missing)


def _month_starts(year):
    """The 13 instants bounding the year's months on the Shanghai clock."""
    return [datetime(year, month, 1, tzinfo=SHANGHAI) for month in range(1, 13)] + [year_start(year + 1)]


@lru_cache(maxsize=64)
def _counting_statement(vendor, year, point_ids, monthly):
    """(sql, params, each source's own kind columns) of _point_counts.

    A pure function of the models, the year and the arguments: built by the
    ORM once per process and kind of call (building and compiling its ~100
    expressions cost ~10% of running it at 1,000 points), like a prepared
    statement. Only the statement's text is kept; the counting runs on every
    call. `vendor` keeps SQLite's and PostgreSQL's texts apart.
    """
    kinds = list(KINDS)
    bounds = _month_starts(year)
    zero = Value(0, output_field=IntegerField())
    month_columns = [f"month_{month}" for month in range(1, 13)] if monthly else []
    parts, own_columns = [], []
    for number, (source, (model, date_field, base)) in enumerate(_SOURCES.items()):
        own = [key for key in kinds if KINDS[key].source == source]
        own_columns.append(tuple(kinds.index(key) for key in own))
        qs = model.objects.filter(base(year), point__status=WarningPoint.Status.OFFICIAL).order_by()
        if point_ids is not None:
            qs = qs.filter(point_id__in=point_ids)
        qs = qs.annotate(source=Value(number, output_field=IntegerField()))
        group = ["point_id", "source"]
        columns = {key: Count("pk", filter=_KIND_EXTRAS[key](year)) if key in own else zero for key in kinds}
        if monthly:
            split, _feeds = MONTHLY_SERIES.get(source, (None, None))
            qs = qs.annotate(split=F(split) if split else Value(None, output_field=CharField()))
            group.append("split")
            for month, column in enumerate(month_columns):
                in_month = Q(**{f"{date_field}__gte": bounds[month], f"{date_field}__lt": bounds[month + 1]})
                columns[column] = Count("pk", filter=in_month) if source in MONTHLY_SERIES else zero
        parts.append(qs.values(*group).annotate(**columns).values_list(*group, *kinds, *month_columns))
    sql, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
    return sql, tuple(params), tuple(own_columns)


def _point_counts(year, point_ids=None, *, monthly=False):
    """({point_id: {kind: n}}, {point_id: {series: [12]}}) in one statement.

    One query per source model (reports, quarterlies, summaries, articles),
    grouped by point, each giving every kind's column (0 where the kind is
    another source's), joined with UNION ALL so the database is asked once.

    With `monthly`, the sources of the chart's series (MONTHLY_SERIES) are
    also grouped by the field that tells their series apart (an article's
    column), and twelve more columns count each group's rows between two
    month starts: twelve counts per row of the source instead of twelve per
    series, no month computed per row (no time-zone conversion), and the
    groups stay few (points × columns), so the planner keeps its parallel
    plan — grouping by point and month made it expect a group per row and
    scan the articles in one process, ~3× slower at 1,000 points.
    """
    kinds = list(KINDS)
    point_ids = tuple(point_ids) if point_ids is not None else None
    sql, params, own_columns = _counting_statement(connection.vendor, year, point_ids, monthly)
    # Read through the cursor: the rows are plain integers, and the ORM's per-value
    # converters cost more than the query itself on 1,000 points.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts, months = {}, {}
    n_kinds = len(kinds)
    feeds = [MONTHLY_SERIES.get(source, (None, {}))[1] for source in _SOURCES]
    for row in rows:
        point_id, source = row[0], row[1]
        values = row[3:] if monthly else row[2:]
        current = counts.get(point_id)
        if current is None:
            current = counts[point_id] = [0] * n_kinds
        for index in own_columns[source]:  # the other sources' columns are 0
            current[index] += values[index]
        if monthly:
            key = feeds[source].get(row[2])
            if key is not None:  # one row per point and series: its months as they are
                point_months = months.get(point_id)
                if point_months is None:
                    point_months = months[point_id] = {series: [0] * 12 for series in SERIES}
                point_months[key] = list(values[n_kinds:])
    return {point_id: dict(zip(kinds, values, strict=True)) for point_id, values in counts.items()}, months


def _count_of(model):
    """The number of a point's related rows, as a subquery of the points query."""
    return Coalesce(
        Subquery(
            model.objects.filter(point=OuterRef("pk"))
            .order_by()
            .values("point")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        Value(0),
    )


_BASIC_LABELS = {
    name: str(WarningPoint._meta.get_field(name.removesuffix("_id")).verbose_name)
    for name in WarningPoint.BASIC_INFO_FIELDS
}


def _basic_missing(values, responsible_count):
    """Labels of the 基础信息 a point still lacks for A1 (empty when complete); `values` maps field → value."""
    missing = [label for name, label in _BASIC_LABELS.items() if values[name] in (None, "")]
    if not responsible_count:
        missing.append("预警负责人")
    return missing


def filtered_points(name="", city_id=None):
    """The 正式 points matching the 预警点名称 / 所属地区 filters."""
    points = WarningPoint.objects.official()
    if name:
        points = points.filter(name__icontains=name.strip())
    if city_id:
        points = points.filter(district__city_id=city_id)
    return points


_POINT_FIELDS = ("pk", "district__city_id", "district__city__name", *WarningPoint.BASIC_INFO_FIELDS)


def point_rows(year, *, name="", city_id=None, point_id=None, today=None, monthly=False, notices=False):
    """The rows of 条数详情 / 分数详情 for a year, in the registry's order (city, district, name).

    Ranks are province-wide (1 + the number of 正式 points with a strictly
    higher total) even when the filters show only some points; with
    `point_id` (a point editor's own panel) only that point is counted and no
    rank is given. With `monthly`, each row also carries its monthly series
    (see series_of). Two queries, however many points: the points' plain
    values with their people counted, and the counts (docs/performance.md).
    With `notices` (the statistics home's tiles) it returns (rows, 下发信息 count),
    the notices counted in the points statement as a scalar subquery.
    """
    today = today or today_in_shanghai()
    months = months_counted(year, today)
    points = WarningPoint.objects.official()
    if point_id is not None:
        points = points.filter(pk=point_id)
    counts, monthly_counts = _point_counts(year, [point_id] if point_id is not None else None, monthly=monthly)
    empty = dict.fromkeys(KINDS, 0)
    no_months = {key: [0] * 12 for key in SERIES} if monthly else None

    rows = []
    points = points.annotate(
        enterprise_count=_count_of(ContactEnterprise), responsible_count=_count_of(ResponsiblePerson)
    )
    fields = [*_POINT_FIELDS, "enterprise_count", "responsible_count"]
    if notices:
        points = points.annotate(notices_issued=_notices_subquery(year, name=name, city_id=city_id))
        fields.append("notices_issued")
    notices_count = None
    for values in points.values(*fields):
        pk = values["pk"]
        if notices:
            notices_count = values["notices_issued"]
        c = counts.get(pk, empty)
        missing = _basic_missing(values, values["responsible_count"])
        year_counts = scoring.PointYearCounts(
            basic_info_complete=not missing,
            subsite_updated=c["warning_pages"] + c["news_pages"] + c["notice_pages"] > 0,
            months=months,
            warning_pages=c["warning_pages"],
            work_news=c["news_pages"],
            exchange_originals=c["exchange"],
            quarterlies=c["quarterlies"],
            annual_on_time=c["summaries_on_time"] > 0,
            quarterlies_adopted=c["quarterly_magazine"],
            internal_adopted=c["internal"],
            leader_instructions=c["leader"],
        )
        rows.append(
            PointRow(
                point_id=pk,
                name=values["name"],
                city_id=values["district__city_id"],
                city_name=values["district__city__name"],
                counts=dict(c),
                enterprises=values["enterprise_count"],
                basic_missing=missing,
                year_counts=year_counts,
                score=scoring.score(year_counts),
                year=year,
                today=today,
                monthly=monthly_counts.get(pk, no_months) if monthly else None,
            )
        )

    if point_id is None:
        for row, rank in zip(rows, scoring.rank([r.total for r in rows]), strict=True):
            row.rank = rank
        if name or city_id:
            wanted = set(filtered_points(name, city_id).values_list("pk", flat=True))
            rows = [r for r in rows if r.point_id in wanted]
    if notices:
        if notices_count is None:  # no 正式 point at all: the subquery was not asked
            notices_count = notices_issued(year, name=name, city_id=city_id)
        return rows, notices_count
    return rows


def series_of(rows):
    """The chart's monthly series of some rows (built with monthly=True): the sum of their months."""
    return {
        key: [sum(month) for month in zip(*(row.monthly[key] for row in rows), strict=True)] or [0] * 12
        for key in SERIES
    }


def ranked(rows):
    """Rows best first: by total, ties in the registry's order."""
    return sorted(rows, key=lambda r: -r.total)


# ---------------------------------------------------------------- what a point lacks


def _per_month_words(item, noun, count, months, steps, ongoing):
    step = scoring.next_step(count, months, steps)
    if step is None:
        return None
    missing, per_month, points = step
    if ongoing:
        return f"{item}: 本月再发布 {missing} 条{noun}可达每月 ≥{per_month} 条，得 {points} 分"
    return f"{item}: 全年还差 {missing} 条{noun}可达每月 ≥{per_month} 条，得 {points} 分"


def lacks(counts, result, *, year, today=None, basic_missing=()):
    """What a point lacks for the next step of each score item, in words; empty at full marks.

    Derived from the same tables as warning/scoring.py. `ongoing` wording
    ("本月再发布") is used for the current year, where one more item this
    month changes the monthly average.
    """
    today = today or today_in_shanghai()
    ongoing = year == today.year
    window_open = periodic_window_open(year, today)
    deadline = f"{year + 1}年1月20日"
    words = []

    if result.a1 < scoring.A1_POINTS:
        needs = []
        if basic_missing:
            needs.append(f"补全基础信息（缺：{'、'.join(basic_missing)}）")
        if not counts.subsite_updated:
            needs.append("本年度在子网站任一栏目发布信息")
        words.append(f"A1: 需{'并'.join(needs)}，可得 {scoring.A1_POINTS} 分")

    for item, noun, value, steps in (
        ("A2", "预警信息", counts.warning_pages, scoring.A2_STEPS),
        ("A3", "工作动态", counts.work_news, scoring.A3_STEPS),
    ):
        text = _per_month_words(item, noun, value, counts.months, steps, ongoing)
        if text:
            words.append(text)

    if result.b1 < scoring.B1_MAX:
        words.append(f"B1: 每发布 1 条到预警工作交流加 {scoring.B1_EACH} 分（还可加 {scoring.B1_MAX - result.b1} 分）")
    if result.b2 < scoring.B2_MAX:
        if window_open:
            words.append(
                f"B2: {deadline}前每再报送 1 份季度分析加 {scoring.B2_EACH} 分，还可加 {scoring.B2_MAX - result.b2} 分"
            )
        else:
            missing = (scoring.B2_MAX - result.b2) // scoring.B2_EACH
            words.append(f"B2: 按期报送的季度分析差 {missing} 份（每份 {scoring.B2_EACH} 分）")
    if result.b3 < scoring.B3_POINTS:
        if window_open:
            words.append(f"B3: {deadline}前报送年度工作总结可得 {scoring.B3_POINTS} 分")
        else:
            words.append(f"B3: 年度工作总结未按时报送（截止{deadline}）")
    if result.c < scoring.C_MAX:
        words.append(
            f"C: 季度分析杂志录用每份加 {scoring.C_QUARTERLY_ADOPTED} 分、内部交流采纳每篇加 {scoring.C_INTERNAL_ADOPTED} 分、"
            f"获厅领导批示再加 {scoring.C_LEADER_INSTRUCTION} 分（还可加 {scoring.C_MAX - result.c} 分）"
        )
    return words


# ---------------------------------------------------------------- tiles


@dataclass(frozen=True)
class Tiles:
    reports: int
    notices: int
    quarterlies: int
    summaries: int
    magazine: int
    points: int
    enterprises: int


def _notices_of(year, name="", city_id=None):
    notices = Notice.objects.filter(_in_year("issued_at", year))
    if name or city_id:
        notices = notices.filter(recipients__point__in=filtered_points(name, city_id))
    return notices


def notices_issued(year, *, name="", city_id=None):
    """下发信息: notices issued in the year; with a filter, those that reached a matching point."""
    return _notices_of(year, name, city_id).values("pk").distinct().count()


def _notices_subquery(year, *, name="", city_id=None):
    """notices_issued() as a scalar subquery (no GROUP BY: one row, the count)."""
    counted = (
        _notices_of(year, name, city_id)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def tiles(year, rows, *, name="", city_id=None, notices=None):
    """The tiles of the statistics page, summed from the same rows as the tables below them.

    `notices`: the 下发信息 count when the caller has it (point_rows(notices=True)).
    """
    return Tiles(
        reports=sum(r.counts["reports"] for r in rows),
        notices=notices_issued(year, name=name, city_id=city_id) if notices is None else notices,
        quarterlies=sum(r.counts["quarterlies"] for r in rows),
        summaries=sum(r.counts["summaries"] for r in rows),
        magazine=sum(r.counts["report_magazine"] + r.counts["quarterly_magazine"] for r in rows),
        points=len(rows),
        enterprises=sum(r.enterprises for r in rows),
    )


# ---------------------------------------------------------------- city groups (导出信息清单)


@dataclass
class CityGroup:
    city_id: int
    name: str
    rows: list


def by_city(rows, *, include_empty=False):
    """Rows grouped under their cities in the cities' order; empty cities only when asked."""
    groups = {c.pk: CityGroup(c.pk, c.name, []) for c in City.objects.all()}
    for row in rows:
        groups[row.city_id].rows.append(row)
    return [g for g in groups.values() if g.rows or include_empty]


# ---------------------------------------------------------------- drill-down records


@dataclass(frozen=True)
class Record:
    number: int
    title: str
    submitted_at: datetime | None
    adopted_at: datetime | None
    object_id: int


def _report_adopted_at(report):
    """For 上报信息: the first time the report was taken up anywhere (外网, 杂志 or 内部交流)."""
    times = [report.exchange_published_at if report.to_exchange else None]
    if report.magazine_status == ADOPTED:
        times.append(report.magazine_decided_at)
    if report.internal_status == ADOPTED:
        times.append(report.internal_decided_at)
    times = [t for t in times if t]
    return min(times) if times else None


def records(kind_key, year, point_id):
    """The records behind one number of 条数详情 (序号, 标题名称, 提交时间, 录用时间), oldest first."""
    kind = KINDS[kind_key]
    model, date_field, _base = _SOURCES[kind.source]
    items = (
        model.objects.filter(kind.q(year), point_id=point_id, point__status=WarningPoint.Status.OFFICIAL)
        .order_by(date_field, "pk")
        .only("pk", "title", date_field, *_adoption_fields(kind))
    )
    result = []
    for number, item in enumerate(items, start=1):
        if kind.key == "reports":
            adopted = _report_adopted_at(item)
        elif kind.source == "quarterly":
            adopted = item.magazine_decided_at if item.magazine_status == ADOPTED else None
        elif kind.adopted_field:
            adopted = getattr(item, kind.adopted_field)
        else:
            adopted = None
        result.append(Record(number, item.title, getattr(item, date_field), adopted, item.pk))
    return result


def _adoption_fields(kind):
    if kind.key == "reports":
        return (
            "to_exchange",
            "exchange_published_at",
            "magazine_status",
            "magazine_decided_at",
            "internal_status",
            "internal_decided_at",
        )
    if kind.source == "quarterly":
        return ("magazine_status", "magazine_decided_at")
    return (kind.adopted_field,) if kind.adopted_field else ()


# ---------------------------------------------------------------- chart data


def monthly_series(year, *, name="", city_id=None):
    """Per month of the year: approved reports, 预警信息 pages and 工作动态 pages (for the chart).

    Summed from the same rows as the counts, so each series sums to its column.
    """
    return series_of(point_rows(year, name=name, city_id=city_id, monthly=True))


SCORE_BANDS = ((0, 9), (10, 19), (20, 29), (30, 39), (40, scoring.MAX_TOTAL))


def score_distribution(rows):
    """How many points fall in each band of total score (for the chart)."""
    return [(low, high, sum(1 for r in rows if low <= r.total <= high)) for low, high in SCORE_BANDS]


def default_year(today=None):
    return (today or today_in_shanghai()).year


def year_choices(today=None):
    """Years offered by the 年度 filter: this year back to 2015, newest first."""
    this_year = default_year(today)
    return list(range(this_year, 2014, -1))
