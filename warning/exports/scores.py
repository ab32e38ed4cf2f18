"""分数详情 (docs/rules.md §4–§6): every 正式 point's score items, total and rank, best first.

Two forms of the same list: an xlsx workbook and the JSON array of docs/rules.md §6
(`{"point", "city", "a1" … "c", "total", "rank"}`). The admin's 分数详情
buttons and `manage.py export_scores` both call the functions below.
"""

import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from warning import statistics

ITEMS = ("a1", "a2", "a3", "b1", "b2", "b3", "c")
ITEM_LABELS = {
    "a1": "A1 基础信息",
    "a2": "A2 预警信息",
    "a3": "A3 工作动态",
    "b1": "B1 外网录用",
    "b2": "B2 季度分析",
    "b3": "B3 年度总结",
    "c": "C 杂志录用及内部交流",
}
HEADERS = ("排名", "预警点名称", "所属地市", *ITEM_LABELS.values(), "总分", "距下一档")
COLUMN_WIDTHS = (6, 44, 10, 11, 11, 11, 11, 11, 11, 18, 8, 70)


def filename(year, fmt="xlsx"):
    return f"{year}年度分数详情.{fmt}"


def score_rows(year, *, name="", city_id=None, today=None):
    """The statistics rows of the year, best first (ties in the registry's order)."""
    return statistics.ranked(statistics.point_rows(year, name=name, city_id=city_id, today=today))


def score_records(year, *, name="", city_id=None, today=None):
    """The JSON objects of docs/rules.md §6, best first."""
    return [
        {
            "point": row.name,
            "city": row.city_name,
            **{item: getattr(row.score, item) for item in ITEMS},
            "total": row.total,
            "rank": row.rank,
        }
        for row in score_rows(year, name=name, city_id=city_id, today=today)
    ]


def scores_json(year, *, name="", city_id=None, today=None):
    return json.dumps(score_records(year, name=name, city_id=city_id, today=today), ensure_ascii=False, indent=2)


def write_scores(output, year, *, name="", city_id=None, today=None):
    """Write the 分数详情 workbook of `year` to `output` (a path or a binary file object).

    Returns the rows written.
    """
    rows = score_rows(year, name=name, city_id=city_id, today=today)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度分数详情"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(
            [
                row.rank,
                row.name,
                row.city_name,
                *(getattr(row.score, item) for item in ITEMS),
                row.total,
                "\n".join(row.lacks) or "已满分",
            ]
        )
        sheet.cell(row=sheet.max_row, column=len(HEADERS)).alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    workbook.save(output)
    return rows
