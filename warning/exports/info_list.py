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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from warning import statistics

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
COLUMN_WIDTHS = (44, 8, 10, 10, 10, 10, 10, 13, 13, 11)
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


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CITY_FILL = PatternFill("solid", fgColor="F2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_info_list(output, year, *, name="", city_id=None, today=None):
    """Write the 信息清单 of `year` to `output` (a path or a binary file object).

    Returns the list rows written (合计, cities, points) so callers can report them.
    """
    rows = info_list_rows(year, name=name, city_id=city_id, today=today)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度信息清单"

    for label, first, last, both_rows in HEADER_GROUPS:
        sheet.cell(row=1, column=first, value=label)
        if both_rows:
            sheet.merge_cells(start_row=1, start_column=first, end_row=2, end_column=last)
        elif last > first:
            sheet.merge_cells(start_row=1, start_column=first, end_row=1, end_column=last)
    for column, (label, _read) in enumerate(COLUMNS[:6], start=2):
        sheet.cell(row=2, column=column, value=label)
    for header_row in sheet.iter_rows(min_row=1, max_row=2, max_col=len(COLUMNS) + 1):
        for cell in header_row:
            cell.font = Font(bold=True)
            cell.alignment = _CENTER
            cell.fill = _HEADER_FILL
            cell.border = _BORDER

    for row in rows:
        sheet.append([row.label, *row.values])
        cells = sheet[sheet.max_row]
        for cell in cells:
            cell.border = _BORDER
        if row.level != "point":
            for cell in cells:
                cell.font = Font(bold=True)
                cell.fill = _CITY_FILL
        cells[0].alignment = Alignment(indent=2 if row.level == "point" else 0)

    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B3"
    workbook.save(output)
    return rows
