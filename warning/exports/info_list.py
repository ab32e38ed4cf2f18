"""导出信息清单 (docs/rules.md §4): the year's numbers of every city and point, as an xlsx workbook.

Layout, as drawn in the user guide:

    | 单位 | 信息上报                          | 子网站信息发布     | 季度形势分析 | 年度工作总结 | 绑定企业数 |
    |      | 总数 | 外网录用 | 杂志录用 | 内部交流 | 预警信息 | 工作动态 |              |              |            |
    合计
    杭州市            ← the sum of its points
    ****预警点
    …

The admin button (with the page's filters) and `manage.py export_info_list`
both call write_info_list(), so the two files are the same.
"""

from dataclasses import dataclass

from warning import statistics
from warning.models import City

from . import sheets

# (column label, how a row's value is read); the order of the columns of the sheet.
COLUMNS = (
    ("总数", lambda r: r.counts["reports"]),
    ("外网录用", lambda r: r.counts["exchange"]),
    ("杂志录用", lambda r: r.counts["report_magazine"]),
    ("内部交流", lambda r: r.counts["internal"]),
    ("预警信息", lambda r: r.counts["warning_pages"]),
    ("工作动态", lambda r: r.counts["news_pages"]),
    ("季度形势分析", lambda r: r.counts["quarterlies"]),
    ("年度工作总结", lambda r: r.counts["summaries"]),
    ("绑定企业数", lambda r: r.enterprises),
)
# The first header row: (label, first column, last column, spans both header rows).
HEADER_GROUPS = (
    ("单位", 1, 1, True),
    ("信息上报", 2, 5, False),
    ("子网站信息发布", 6, 7, False),
    ("季度形势分析", 8, 8, True),
    ("年度工作总结", 9, 9, True),
    ("绑定企业数", 10, 10, True),
)
COLUMN_WIDTHS = (30, 8, 10, 10, 10, 11, 11, 14, 14, 12)
TOTAL_LABEL = "合计"


def filename(year):
    return f"{year}年度信息清单.xlsx"


@dataclass(frozen=True)
class ListRow:
    label: str
    level: str  # "total", "city" or "point"
    values: tuple


def _values(rows):
    return tuple(sum(read(r) for r in rows) for _label, read in COLUMNS)


def _add(a, b):
    return tuple(x + y for x, y in zip(a, b, strict=True))


def info_list_rows(year, *, name="", city_id=None, today=None):
    """合计, then each city's row (the sum of its points) followed by its points' rows.

    Without a name filter every city gets its row, even one with no point,
    so the sheet always shows the whole province (or the chosen city).
    """
    rows = statistics.point_rows(year, name=name, city_id=city_id, today=today)
    groups = statistics.by_city(rows, include_empty=not name)
    if city_id:
        groups = [g for g in groups if g.city_id == int(city_id)]
    body = []
    total = _values([])
    for group in groups:
        city_values = _values(group.rows)
        total = _add(total, city_values)
        body.append(ListRow(group.name, "city", city_values))
        body.extend(ListRow(r.name, "point", _values([r])) for r in group.rows)
    return [ListRow(TOTAL_LABEL, "total", total), *body]


def _header_rows():
    """The two header rows of the guide's drawing, and their merged cells (counted from the first header row)."""
    first = [None] * (len(COLUMNS) + 1)
    merges = []
    for label, first_col, last_col, both_rows in HEADER_GROUPS:
        first[first_col - 1] = label
        if both_rows:
            merges.append((1, first_col, 2, last_col))
        elif last_col > first_col:
            merges.append((1, first_col, 1, last_col))
    second = [None, *(label for label, _read in COLUMNS[:6]), None, None, None]
    return [first, second], merges


_ROW_STYLES = {
    "total": ["小计"] * (len(COLUMNS) + 1),
    "city": ["小计"] * (len(COLUMNS) + 1),
    "point": ["缩进", *["正文"] * len(COLUMNS)],
}


def write_info_list(output, year, *, name="", city_id=None, today=None):
    """Write the 信息清单 of `year` to `output` (a path or a binary file object).

    Above the two header rows: the title (“2025年度预警信息清单”) and a row with
    the filter and the time exported (warning/exports/sheets.py prints it on A4).
    Returns the list rows written (合计, cities, points) so callers can report them.
    """
    rows = info_list_rows(year, name=name, city_id=city_id, today=today)
    header_rows, merges = _header_rows()
    widths = list(COLUMN_WIDTHS)
    widths[0] = max(widths[0], *(sheets.text_width(r.label) + 2 for r in rows))
    sheet = sheets.PrintableSheet(
        sheet_title=f"{year}年度信息清单",
        title=f"{year}年度预警信息清单",
        filters=sheets.filters_text(name=name, city_name=_city_name(city_id)),
        header_rows=header_rows,
        merges=merges,
        widths=widths,
        freeze_column=2,
    )
    for row in rows:
        sheet.append([row.label, *row.values], _ROW_STYLES[row.level])
    sheet.save(output)
    return rows


def _city_name(city_id):
    return City.objects.filter(pk=city_id).values_list("name", flat=True).first() or "" if city_id else ""
