"""Site search over what a visitor may read: live public pages and the 预警工作交流 reports.

Rules (docs/search.md):
- words, not substrings of markup: both sources are looked up in the
  Chinese search index (search_zh), which holds segmented text only;
- scope: live pages without a view restriction, and reports published to
  预警工作交流 (`exchange_reports()`); nothing else is ever a hit;
- order: relevance first (the index's rank, higher better), the more recent
  publication breaks ties; pages and reports are merged into one list;
- filters: 栏目 (a column kind, or 预警工作交流), 预警点, 所属地市, 行业,
  国别地区 and 年度 (publication year in Shanghai time). Point, city,
  industry and country exist on articles and reports only, so with one of
  them set other pages drop out;
- at most RESULT_CAP hits per source are ranked (the most relevant ones);
  a visitor narrows further with words or filters.
"""

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django_countries import countries
from wagtail.models import Page

from search_zh.query import ranked_rows
from warning import cached
from warning.models import WarningPoint, WarningReport

from .exchange import exchange_reports
from .models import ArticlePage, ColumnKind, public_pages

EXCHANGE = "exchange"
COLUMNS = {**dict(ColumnKind.choices), EXCHANGE: "预警工作交流"}
RESULT_CAP = 500
YEARS_OFFERED = 10


@dataclass(frozen=True)
class Filters:
    column: str = ""
    point: int | None = None
    city: int | None = None
    industry: int | None = None
    country: str = ""
    year: int | None = None

    @classmethod
    def from_params(cls, params, choices=None):
        """Filters from GET parameters; a value that is not one of the `choices` (filter_choices()) is ignored."""

        def number(name, offered=None):
            value = params.get(name, "")
            if not (value.isdigit() and len(value) < 10):
                return None
            value = int(value)
            return value if offered is None or value in offered else None

        def ids(key):
            return {pk for pk, _label in choices[key]} if choices else None

        column = params.get("column", "")
        country = params.get("country", "").upper()
        return cls(
            column=column if column in COLUMNS else "",
            point=number("point", ids("points")),
            city=number("city", ids("cities")),
            industry=number("industry", ids("industries")),
            country=country if country in dict(countries) else "",
            year=number("year", set(choices["years"]) if choices else None),
        )

    def as_params(self, without=None):
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != without and getattr(self, f.name)}

    @property
    def narrows_to_articles(self):
        return bool(self.point or self.city or self.industry or self.country) or self.column in ColumnKind.values


@dataclass
class Hit:
    kind: str  # "page" or "report"
    pk: int
    rank: float
    published_at: datetime.datetime | None


def _year_range(year):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def page_hits(query, filters):
    if filters.column == EXCHANGE:
        return []

    def narrow(pages):
        pages = public_pages(pages.filter(depth__gt=1))
        if filters.narrows_to_articles:
            articles = ArticlePage.objects.all()
            if filters.column:
                articles = articles.filter(column_kind=filters.column)
            pages = pages.filter(pk__in=_by_point_and_tags(articles, filters).values("pk"))
        if filters.year:
            start, end = _year_range(filters.year)
            pages = pages.filter(first_published_at__gte=start, first_published_at__lt=end)
        return pages

    rows = ranked_rows(Page, query, narrow, "first_published_at", RESULT_CAP)
    return [Hit("page", pk, rank, published) for pk, rank, published in rows]


def _by_point_and_tags(queryset, filters):
    """Articles or reports narrowed by the 预警点, 所属地市, 行业 and 国别地区 filters (the same fields on both)."""
    if filters.point:
        queryset = queryset.filter(point_id=filters.point)
    if filters.city:
        queryset = queryset.filter(point__district__city_id=filters.city)
    if filters.industry:
        queryset = queryset.filter(industry_id=filters.industry)
    if filters.country:
        queryset = queryset.filter(country=filters.country)
    return queryset


def report_hits(query, filters):
    if filters.column and filters.column != EXCHANGE:
        return []

    def narrow(reports):
        reports = reports.filter(to_exchange=True, exchange_published_at__isnull=False)
        reports = _by_point_and_tags(reports, filters)
        if filters.year:
            start, end = _year_range(filters.year)
            reports = reports.filter(exchange_published_at__gte=start, exchange_published_at__lt=end)
        return reports

    rows = ranked_rows(WarningReport, query, narrow, "exchange_published_at", RESULT_CAP)
    return [Hit("report", pk, rank, published) for pk, rank, published in rows]


def search_site(query, filters=None):
    """Every hit for `query` within `filters`: most relevant first, then most recent."""
    filters = filters or Filters()
    hits = page_hits(query, filters) + report_hits(query, filters)
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    hits.sort(key=lambda hit: (round(hit.rank, 9), hit.published_at or oldest), reverse=True)
    return hits


def load(hits):
    """The objects of one page of hits, in order: specific pages and exchange reports."""
    page_ids = [hit.pk for hit in hits if hit.kind == "page"]
    report_ids = [hit.pk for hit in hits if hit.kind == "report"]
    # One query whatever the page types: articles and manuals (the types with text of their own
    # that results print) come joined to their base page, the others are printed from the base page.
    pages = {
        page.pk: _own_type(page)
        for page in Page.objects.filter(pk__in=page_ids).select_related("articlepage__point", "manualpage")
    }
    reports = {report.pk: report for report in exchange_reports().filter(pk__in=report_ids)}
    found = {"page": pages, "report": reports}
    return [(hit, found[hit.kind][hit.pk]) for hit in hits if hit.pk in found[hit.kind]]


def _own_type(page):
    for child in ("articlepage", "manualpage"):
        try:
            return getattr(page, child)
        except ObjectDoesNotExist:
            continue
    return page


def filter_choices():
    """The options of the filter form."""
    this_year = timezone.localdate().year
    return {
        "columns": list(COLUMNS.items()),
        "points": list(WarningPoint.objects.filter(subsite__live=True).order_by("name").values_list("pk", "name")),
        # Cities and industries from the shared cache (warning/cached.py): the page stays within
        # its query budget on PostgreSQL, whose search asks the planner first (docs/performance.md).
        "cities": cached.cities(),
        "industries": cached.industries(),
        "countries": sorted(((code, str(name)) for code, name in countries), key=lambda item: item[1]),
        "years": list(range(this_year, this_year - YEARS_OFFERED, -1)),
    }
