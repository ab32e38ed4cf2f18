"""统计分析: the provincial contact's statistics home, 条数详情, 分数详情, drill-downs, exports,
and the point editor's own score panel.

Wiring only. Every number comes from warning/statistics.py (and scoring.py
through it); both export buttons call the same writers as the management
commands. Access:

- the provincial contact (预警工作联系人, or a superuser) sees the whole
  province: the statistics panel on the admin home, the 统计分析 menu, the
  tables, the drill-down of any 正式 point and the exports;
- a point editor sees its own point only: its panel on the admin home and the
  records behind its own numbers (another point's records are a 404);
- everyone else is refused (403).
"""

import io
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from warning import cached, charts, statistics, yearclose
from warning.exports import info_list, scores
from warning.models import WarningPoint
from warning.models.profiles import scope_of

from . import MENU_ORDER
from .refusals import forbidden

MENU_LABEL = "统计分析"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_provincial(user):
    return scope_of(user).is_provincial


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# ---------------------------------------------------------------- filters


class FilterForm(forms.Form):
    """年度 / 预警点名称 / 所属地区, read from the query string."""

    year = forms.TypedChoiceField(
        label="年度", coerce=int, required=False, error_messages={"invalid_choice": "请选择有效的年度"}
    )
    name = forms.CharField(
        label="预警点名称",
        required=False,
        max_length=100,
        error_messages={"max_length": "预警点名称不能超过 100 个字"},
        widget=forms.TextInput(attrs={"placeholder": "请输入关键字"}),
    )
    # The cities come from the shared cache (warning/cached.py): no query per screen.
    city = forms.TypedChoiceField(
        label="所属地区",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "所选地区不存在"},
    )

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["city"].choices = [("", "全部"), *cached.cities()]
        self.fields["year"].choices = [(y, f"{y}年度") for y in range(statistics.default_year(), 1999, -1)]
        self.fields["year"].initial = statistics.default_year()


@dataclass(frozen=True)
class Filters:
    year: int
    name: str
    city_id: int | None

    def query(self, **extra):
        params = {"year": self.year}
        if self.name:
            params["name"] = self.name
        if self.city_id:
            params["city"] = self.city_id
        params.update(extra)
        return urlencode(params)

    @property
    def kwargs(self):
        return {"name": self.name, "city_id": self.city_id}


def read_filters(request):
    """(form, Filters or None): None when the query string holds a bad value (the form says which)."""
    data = {key: request.GET.get(key, "") for key in ("year", "name", "city")}
    form = FilterForm(data)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    return form, Filters(
        year=cleaned["year"] or statistics.default_year(),
        name=cleaned["name"].strip(),
        city_id=cleaned["city"],
    )


# ---------------------------------------------------------------- context builders


def dashboard_context(request, action_url):
    """Tiles, filter form, buttons and charts: the home panel and the 统计分析 page share it."""
    form, filters = read_filters(request)
    context = {"form": form, "filters": filters, "action_url": action_url}
    if filters is None:
        return context
    # A confirmed year shows its confirmed rows (docs/statistics.md, "确认年度结果").
    table = yearclose.year_table(filters.year, monthly=True, notices=True, **filters.kwargs)
    rows = table.rows
    context.update(
        year_table=table,
        may_close=yearclose.may_close_years(request.user),
        tiles=statistics.tiles(filters.year, rows, notices=table.notices, **filters.kwargs),
        monthly_chart=charts.monthly_chart(filters.year, statistics.series_of(rows)),
        score_chart=charts.score_chart(filters.year, statistics.score_distribution(rows)),
        query=filters.query(),
    )
    return context


# Stand-ins reversed once, then replaced per cell: reversing a URL per non-zero cell
# cost ~240 ms on 1,000 points (docs/performance.md).
_POINT_SLOT, _KIND_SLOT = 2147483647, "kind-slot"


def records_url_maker(year, url_name="warning_statistics:records"):
    """A function (point_id, kind) → the URL of that number's records, with the year's query string."""
    pattern = f"{reverse(url_name, args=[_POINT_SLOT, _KIND_SLOT])}?{urlencode({'year': year})}"
    head, tail = pattern.split(str(_POINT_SLOT), 1)
    middle, end = tail.split(_KIND_SLOT, 1)
    return lambda point_id, kind: f"{head}{point_id}{middle}{kind}{end}"


def count_cells(row, filters, url_for=None):
    """The 条数详情 cells of a row: (number, link to its records or None)."""
    url_for = url_for or records_url_maker(filters.year)
    return [
        (row.counts[key], url_for(row.point_id, key) if row.counts[key] else None)
        for key in statistics.COUNT_DETAIL_KINDS
    ]


# The two 1,000-row tables are written here rather than in the template: the
# template engine resolving ~10,000 cells one by one cost more than counting
# them (docs/performance.md). The markup is the template's, escaped the same way.


def count_rows_html(rows, filters, url_for):
    """The <tr> rows of 条数详情's body: name, year, then each number (linked to its records when non-zero)."""
    html = []
    for row in rows:
        cells = "".join(
            f'<td><a href="{escape(url)}">{n}</a></td>' if url else f"<td>{n}</td>"
            for n, url in count_cells(row, filters, url_for)
        )
        html.append(
            f'<tr data-point="{row.point_id}"><td class="stats-name">{escape(row.name)}</td>'
            f"<td>{filters.year}</td>{cells}</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is an int or escaped


def score_rows_html(rows):
    """The <tr> rows of 分数详情's body: rank, name, city, the seven items, total and what the point lacks."""
    html = []
    for row in rows:
        items = "".join(f"<td>{getattr(row.score, item)}</td>" for item in scores.ITEMS)
        lacks = (
            '<ul class="stats-lacks">' + "".join(f"<li>{escape(words)}</li>" for words in row.lacks) + "</ul>"
            if row.lacks
            else "已满分"
        )
        html.append(
            f'<tr data-point="{row.point_id}"><td>{row.rank}</td><td class="stats-name">{escape(row.name)}</td>'
            f'<td class="stats-city">{escape(row.city_name)}</td>{items}'
            f'<td class="stats-total">{row.total}</td><td class="stats-lacks-cell">{lacks}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is an int or escaped


# ---------------------------------------------------------------- provincial views


class ProvincialOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_provincial(request.user):
            return forbidden(request, "只有预警工作联系人可以查看全省统计分析。")
        return super().dispatch(request, *args, **kwargs)


class StatisticsView(ProvincialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = MENU_LABEL
    header_icon = "table"
    template_name = "warning/statistics/index.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": MENU_LABEL}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_context(self.request, reverse("warning_statistics:index")))
        return context


class CountDetailView(ProvincialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "条数详情"
    header_icon = "table"
    template_name = "warning/statistics/counts.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("warning_statistics:index"), "label": MENU_LABEL},
            {"url": "", "label": "条数详情"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = read_filters(self.request)
        context.update(form=form, filters=filters, action_url=reverse("warning_statistics:counts"))
        if filters is not None:
            rows = statistics.point_rows(filters.year, **filters.kwargs)
            url_for = records_url_maker(filters.year)
            context.update(
                # the counts stay live (their records are); a confirmed year says so
                year_confirmation=yearclose.confirmation_in_force(filters.year),
                query=filters.query(),
                headers=[statistics.KINDS[k].label for k in statistics.COUNT_DETAIL_KINDS],
                rows=rows,
                rows_html=count_rows_html(rows, filters, url_for),
                totals=[sum(r.counts[k] for r in rows) for k in statistics.COUNT_DETAIL_KINDS],
            )
        return context


class ScoreDetailView(ProvincialOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "分数详情"
    header_icon = "table"
    template_name = "warning/statistics/scores.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("warning_statistics:index"), "label": MENU_LABEL},
            {"url": "", "label": "分数详情"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = read_filters(self.request)
        context.update(form=form, filters=filters, action_url=reverse("warning_statistics:scores"))
        if filters is not None:
            table = scores.score_table(filters.year, **filters.kwargs)
            rows = table.rows
            context.update(
                year_table=table,
                may_close=yearclose.may_close_years(self.request.user),
                query=filters.query(),
                rows=rows,
                rows_html=score_rows_html(rows),
                item_labels=[label.replace(" ", "\n", 1) for label in scores.ITEM_LABELS.values()],
                score_chart=charts.score_chart(filters.year, statistics.score_distribution(rows)),
                months=statistics.months_counted(filters.year),
            )
        return context


def bad_filters_response(request, form):
    errors = "；".join(e for field_errors in form.errors.values() for e in field_errors)
    return HttpResponse(f"导出失败：{errors}", status=400, content_type="text/plain; charset=utf-8")


def export_info_list(request):
    if not is_provincial(request.user):
        return forbidden(request, "只有预警工作联系人可以导出信息清单。")
    form, filters = read_filters(request)
    if filters is None:
        return bad_filters_response(request, form)
    output = io.BytesIO()
    info_list.write_info_list(output, filters.year, **filters.kwargs)
    return attachment(output.getvalue(), XLSX, info_list.filename(filters.year))


def export_scores(request):
    if not is_provincial(request.user):
        return forbidden(request, "只有预警工作联系人可以导出分数详情。")
    form, filters = read_filters(request)
    if filters is None:
        return bad_filters_response(request, form)
    if request.GET.get("format") == "json":
        text = scores.scores_json(filters.year, **filters.kwargs)
        return attachment(text.encode(), "application/json; charset=utf-8", scores.filename(filters.year, "json"))
    output = io.BytesIO()
    scores.write_scores(output, filters.year, **filters.kwargs)
    return attachment(output.getvalue(), XLSX, scores.filename(filters.year))


# ---------------------------------------------------------------- drill-down (province and own point)


class RecordsView(WagtailAdminTemplateMixin, TemplateView):
    """The records behind one number: 序号, 标题名称, 提交时间, 录用时间."""

    header_icon = "list-ul"
    template_name = "warning/statistics/records.html"

    def dispatch(self, request, *args, **kwargs):
        scope = scope_of(request.user)
        if not scope.is_provincial and not scope.point_id:
            return forbidden(request, "只有预警工作联系人和预警点用户可以查看统计记录。")
        if kwargs["kind"] not in statistics.KINDS:
            raise Http404("没有这类统计")
        if not scope.is_provincial and scope.point_id != kwargs["point_id"]:
            raise Http404("没有这个预警点")
        self.point = WarningPoint.objects.official().filter(pk=kwargs["point_id"]).first()
        if self.point is None:
            raise Http404("没有这个预警点")
        try:
            self.year = statistics.parse_year(request.GET.get("year", statistics.default_year()))
        except ValueError as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        self.kind = statistics.KINDS[kwargs["kind"]]
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.year}年{self.kind.label}记录详情"

    def get_page_subtitle(self):
        return self.point.name

    def get_breadcrumbs_items(self):
        items = self.breadcrumbs_items
        if is_provincial(self.request.user):
            query = urlencode({"year": self.year})
            items = items + [
                {"url": reverse("warning_statistics:index"), "label": MENU_LABEL},
                {"url": f"{reverse('warning_statistics:counts')}?{query}", "label": "条数详情"},
            ]
        return items + [{"url": "", "label": f"{self.point.name} · {self.kind.label}"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            point=self.point,
            year=self.year,
            kind=self.kind,
            records=[
                (r.number, r.title, local_time(r.submitted_at), local_time(r.adopted_at))
                for r in statistics.records(self.kind.key, self.year, self.point.pk)
            ],
        )
        return context


urlpatterns = [
    path("", StatisticsView.as_view(), name="index"),
    path("counts/", CountDetailView.as_view(), name="counts"),
    path("scores/", ScoreDetailView.as_view(), name="scores"),
    path("records/<int:point_id>/<str:kind>/", RecordsView.as_view(), name="records"),
    path("export/info-list/", export_info_list, name="export_info_list"),
    path("export/scores/", export_scores, name="export_scores"),
]


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [path("statistics/", include((urlpatterns, "warning_statistics"), namespace="warning_statistics"))]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_provincial(request.user)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        MENU_LABEL,
        reverse("warning_statistics:index"),
        name="warning-statistics",
        icon_name="table",
        order=MENU_ORDER[MENU_LABEL],
    )


# ---------------------------------------------------------------- admin home panels


class ProvincialStatisticsPanel(Component):
    """预警工作联系人首页: the statistics page of the user guide, at the top of the admin home."""

    name = "warning_statistics"
    order = 10
    template_name = "warning/statistics/home_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return dashboard_context(request, reverse("wagtailadmin_home"))


class PointScorePanel(Component):
    """A point editor's own year: its counts, its score item by item and what it lacks."""

    name = "warning_point_score"
    order = 10
    template_name = "warning/statistics/point_panel.html"

    def __init__(self, point_id):
        self.point_id = point_id

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        form, filters = read_filters(request)
        context = {"form": form, "filters": filters}
        if filters is None:
            return context
        table = yearclose.year_table(filters.year, point_id=self.point_id)
        rows = table.rows
        context["year_table"] = table
        if not rows and table.added:  # 正式 since the year was confirmed: not part of its result
            context["not_in_result"] = True
            return context
        if not rows:  # the point is not (or no longer) 正式: nothing of it is counted
            point = WarningPoint.objects.filter(pk=self.point_id).first()
            context["not_official"] = point
            return context
        row = rows[0]
        context.update(
            row=row,
            headers=[statistics.KINDS[k].label for k in statistics.COUNT_DETAIL_KINDS],
            cells=count_cells(row, filters),
            items=[
                (label.replace(" ", "\n", 1), getattr(row.score, item)) for item, label in scores.ITEM_LABELS.items()
            ],
            months=row.year_counts.months,
        )
        return context


@hooks.register("construct_homepage_panels")
def add_statistics_panels(request, panels):
    scope = scope_of(request.user)
    if scope.is_provincial:
        panels.append(ProvincialStatisticsPanel())
    elif scope.point_id:
        panels.append(PointScorePanel(scope.point_id))
