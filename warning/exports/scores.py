"""分数详情 (docs/rules.md §4–§6): every 正式 point's score items, total and rank, best first.

Two forms of the same list: an xlsx workbook and the JSON array of docs/rules.md §6
(`{"point", "city", "a1" … "c", "total", "rank"}`; a confirmed year's objects add
who confirmed it and what differs today, docs/statistics.md "确认年度结果"). The admin's 分数详情
buttons and `manage.py export_scores` both call the functions below.
"""

import json

from django.utils import timezone

from warning import scoring, statistics, yearclose
from warning.models import City

from . import sheets

ITEM_LABELS = scoring.ITEM_LABELS
ITEMS = tuple(ITEM_LABELS)
HEADERS = ("排名", "预警点名称", "所属地市", *ITEM_LABELS.values(), "总分", "距下一档")
COLUMN_WIDTHS = (6, 24, 10, 8, 8, 8, 8, 8, 8, 12, 6, 60)
# The last column of a confirmed year's workbook (docs/statistics.md, "确认年度结果").
LIVE_HEADER = "当前实时数据（与确认时不同之处）"


def filename(year, fmt="xlsx"):
    return f"{year}年度分数详情.{fmt}"


def score_table(year, *, name="", city_id=None, today=None):
    """The year's rows best first (ties in the registry's order), as confirmed when the year is.

    A `yearclose.YearTable`: for a confirmed year the confirmed rows, each
    with its differences from today's live numbers (docs/statistics.md,
    "确认年度结果").
    """
    table = yearclose.year_table(year, name=name, city_id=city_id, today=today)
    table.rows = statistics.ranked(table.rows)
    return table


def score_rows(year, *, name="", city_id=None, today=None):
    """The rows of score_table()."""
    return score_table(year, name=name, city_id=city_id, today=today).rows


def _record(row, table):
    record = {
        "point": row.name,
        "city": row.city_name,
        **{item: getattr(row.score, item) for item in ITEMS},
        "total": row.total,
        "rank": row.rank,
    }
    if table.confirmed:
        record.update(
            confirmed_at=timezone.localtime(table.confirmation.confirmed_at).isoformat(),
            confirmed_by=table.confirmation.confirmed_by_name,
            still_official=row.still_official,
            live_differences=[
                {"figure": d.label, "confirmed": d.confirmed, "live": d.live, "difference": d.delta}
                for d in row.differences
            ],
        )
    return record


def score_records(year, *, name="", city_id=None, today=None):
    """The JSON objects of docs/rules.md §6, best first; a confirmed year's carry who confirmed and what differs."""
    table = score_table(year, name=name, city_id=city_id, today=today)
    return [_record(row, table) for row in table.rows]


def scores_json(year, *, name="", city_id=None, today=None):
    return json.dumps(score_records(year, name=name, city_id=city_id, today=today), ensure_ascii=False, indent=2)


def write_scores(output, year, *, name="", city_id=None, today=None):
    """Write the 分数详情 workbook of `year` to `output` (a path or a binary file object).

    A title (“2025年度分数详情”) and the filter and export time above the header
    row; printed on A4 landscape (warning/exports/sheets.py). For a confirmed
    year the title says who confirmed it and when, a last column gives each
    point's differences from today's live numbers, and a line under the table
    sums them up. Returns the rows written.
    """
    table = score_table(year, name=name, city_id=city_id, today=today)
    rows = table.rows
    headers, widths = list(HEADERS), list(COLUMN_WIDTHS)
    title = f"{year}年度分数详情"
    if table.confirmed:
        title += f"（{table.confirmed_text}）"
        headers.append(LIVE_HEADER)
        widths.append(40)
    widths[1] = max(widths[1], *(sheets.text_width(r.name) for r in rows))
    sheet = sheets.PrintableSheet(
        sheet_title=f"{year}年度分数详情",
        title=title,
        filters=sheets.filters_text(
            name=name,
            city_name=City.objects.filter(pk=city_id).values_list("name", flat=True).first() if city_id else "",
        ),
        header_rows=[headers],
        widths=widths,
        freeze_column=3,
    )
    styles = ["居中", "正文", "居中", *["居中"] * len(ITEMS), "居中", "换行", "换行"]
    for row in rows:
        values = [
            row.rank,
            row.name,
            row.city_name,
            *(getattr(row.score, item) for item in ITEMS),
            row.total,
            "\n".join(row.lacks) or "已满分",
        ]
        if table.confirmed:
            values.append(row.live_note.removeprefix("当前实时数据：") or "一致")
        sheet.append(values, styles)
    if table.confirmed:
        sheet.append([table.summary], ["说明"])
    sheet.save(output)
    return rows
