"""分数详情 (docs/rules.md §4–§6): every 正式 point's score items, total and rank, best first.

Two forms of the same list: an xlsx workbook and the JSON array of docs/rules.md §6
(`{"point", "city", "a1" … "c", "total", "rank"}`). The admin's 分数详情
buttons and `manage.py export_scores` both call the functions below.
"""

import json

from warning import statistics
from warning.models import City

from . import sheets

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
COLUMN_WIDTHS = (6, 24, 10, 8, 8, 8, 8, 8, 8, 12, 6, 60)


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

    A title (“2025年度分数详情”) and the filter and export time above the header
    row; printed on A4 landscape (warning/exports/sheets.py). Returns the rows written.
    """
    rows = score_rows(year, name=name, city_id=city_id, today=today)
    widths = list(COLUMN_WIDTHS)
    widths[1] = max(widths[1], *(sheets.text_width(r.name) for r in rows))
    sheet = sheets.PrintableSheet(
        sheet_title=f"{year}年度分数详情",
        title=f"{year}年度分数详情",
        filters=sheets.filters_text(
            name=name,
            city_name=City.objects.filter(pk=city_id).values_list("name", flat=True).first() if city_id else "",
        ),
        header_rows=[HEADERS],
        widths=widths,
        freeze_column=3,
    )
    styles = ["居中", "正文", "居中", *["居中"] * len(ITEMS), "居中", "换行"]
    for row in rows:
        sheet.append(
            [
                row.rank,
                row.name,
                row.city_name,
                *(getattr(row.score, item) for item in ITEMS),
                row.total,
                "\n".join(row.lacks) or "已满分",
            ],
            styles,
        )
    sheet.save(output)
    return rows
