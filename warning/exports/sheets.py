"""One printable, streaming xlsx sheet: what every export shares (docs/exports.md).

Every export writes through PrintableSheet, so each prints the same way on A4:
a title row and a row naming the filter and the time exported, then the
header rows, repeated on every printed page; landscape where the columns are
wide; scaled to one page wide; "第 x 页 / 共 y 页" in the footer; panes frozen
below the headers; column widths measured for Chinese text.

The workbook is openpyxl's write-only mode: rows are streamed to the file as
they are appended, so writing grows linearly with the rows (the normal mode
looks up the sheet's last row by scanning every cell, and a new style object
per cell made 1,000 points cost seconds; docs/performance.md). Cell styles are
named styles registered once per workbook and referred to by name.
"""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties, WorksheetProperties
from openpyxl.worksheet.worksheet import Worksheet

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def _styles():
    """name → NamedStyle, new for each workbook (registering a style binds it to its workbook)."""
    return {
        "标题": NamedStyle(
            "标题",
            font=Font(name=_FONT, size=16, bold=True),
            alignment=Alignment(horizontal="center", vertical="center"),
        ),
        "说明": NamedStyle(
            "说明", font=Font(name=_FONT, size=10, color="555555"), alignment=Alignment(vertical="center")
        ),
        "表头": NamedStyle(
            "表头",
            font=Font(name=_FONT, bold=True),
            fill=PatternFill("solid", fgColor="DDEBF7"),
            border=_BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        "正文": NamedStyle("正文", font=Font(name=_FONT), border=_BORDER, alignment=Alignment(vertical="top")),
        "居中": NamedStyle(
            "居中", font=Font(name=_FONT), border=_BORDER, alignment=Alignment(horizontal="center", vertical="top")
        ),
        "缩进": NamedStyle(
            "缩进", font=Font(name=_FONT), border=_BORDER, alignment=Alignment(indent=2, vertical="top")
        ),
        "换行": NamedStyle(
            "换行", font=Font(name=_FONT), border=_BORDER, alignment=Alignment(wrap_text=True, vertical="top")
        ),
        "小计": NamedStyle(
            "小计", font=Font(name=_FONT, bold=True), border=_BORDER, fill=PatternFill("solid", fgColor="F2F2F2")
        ),
    }


# Wider than this many characters (Excel's width units) prints in landscape.
PORTRAIT_WIDTH = 95
FOOTER = "第 &P 页 / 共 &N 页"
TITLE_ROWS = 2


def exported_at():
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def text_width(text):
    """Excel width units a text needs: 2 per Chinese (wide) character, 1 per other, plus a margin."""
    text = str(text or "")
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.split("\n")), default=0)
    return longest + 2


def fit_widths(headers, rows, *, minimum=6, maximum=60):
    """Column widths from the header labels and the longest cell of each column (within bounds)."""
    widths = [text_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            if value is not None and not isinstance(value, int | float):
                w = text_width(value)
                if w > widths[i]:
                    widths[i] = w
            elif value is not None and len(str(value)) + 2 > widths[i]:
                widths[i] = len(str(value)) + 2
    return [min(max(w, minimum), maximum) for w in widths]


class PrintableSheet:
    """A write-only workbook with one printable sheet; append rows, then save.

    `header_rows` are the rows of column headings, given as lists of values
    (None under a merged cell); `merges` are (first row, first column, last
    row, last column) of the header cells to merge, counted from the first
    header row (1). `freeze_column` is the first column that scrolls (2: the
    name column stays in view).
    """

    def __init__(self, *, sheet_title, title, filters, header_rows, widths, merges=(), freeze_column=1, landscape=None):
        self.workbook = Workbook(write_only=True)
        self.styles = {}  # name → the style array of the registered named style, copied into each cell
        for name, style in _styles().items():
            self.workbook.add_named_style(style)
            self.styles[name] = style.as_tuple()
        sheet = self.sheet = self.workbook.create_sheet(sheet_title[:31])
        self.columns = len(widths)
        last = get_column_letter(self.columns)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        # Print: A4, one page wide and as many tall as needed, headings on every page.
        if landscape is None:
            landscape = sum(widths) > PORTRAIT_WIDTH
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties = WorksheetProperties(pageSetUpPr=PageSetupProperties(fitToPage=True))
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        first_header, last_header = TITLE_ROWS + 1, TITLE_ROWS + len(header_rows)
        sheet.print_title_rows = f"{first_header}:{last_header}"
        sheet.oddFooter.center.text = FOOTER
        sheet.oddFooter.center.size = 9
        sheet.freeze_panes = f"{get_column_letter(freeze_column)}{last_header + 1}"

        sheet.merged_cells.add(f"A1:{last}1")
        sheet.merged_cells.add(f"A2:{last}2")
        for first_row, first_col, last_row, last_col in merges:
            sheet.merged_cells.add(
                f"{get_column_letter(first_col)}{first_row + TITLE_ROWS}:"
                f"{get_column_letter(last_col)}{last_row + TITLE_ROWS}"
            )
        sheet.row_dimensions[1].height = 28
        self.append([title], ["标题"])
        self.append([f"筛选条件：{filters}　　导出时间：{exported_at()}"], ["说明"])
        for header in header_rows:
            self.append(header, ["表头"] * self.columns)

    def append(self, values, styles):
        """Append one row; `styles` names each cell's style (a shorter list styles the first cells only)."""
        row = []
        for value, style in zip(values, styles, strict=False):
            cell = Cell(self.sheet, row=1, column=1, value=value, style_array=self.styles[style])
            if cell.data_type == "f":  # a title such as "=1+1" is text, never a formula
                cell.data_type = "s"
            row.append(cell)
        if len(values) > len(row):
            row.extend(self._plain(value) for value in values[len(row) :])
        self.sheet.append(row)

    def _plain(self, value):
        cell = Cell(self.sheet, row=1, column=1, value=value)
        if cell.data_type == "f":
            cell.data_type = "s"
        return cell

    def save(self, output):
        self.workbook.save(output)


def write_table(output, *, title, filters, headers, rows, sheet_title=None):
    """A one-header table of plain text rows as a printable workbook (names frozen, widths fitted)."""
    sheet = PrintableSheet(
        sheet_title=sheet_title or title,
        title=title,
        filters=filters,
        header_rows=[headers],
        widths=fit_widths(headers, rows, minimum=10),
        freeze_column=2,
    )
    styles = ["正文"] * len(headers)
    for row in rows:
        sheet.append(row, styles)
    sheet.save(output)


def filters_text(*, name="", city_name=""):
    """How an export names its filter: 全部, or 所属地区 / 预警点名称 as chosen."""
    parts = []
    if city_name:
        parts.append(f"所属地区：{city_name}")
    if name:
        parts.append(f"预警点名称包含“{name}”")
    return "，".join(parts) or "全部"


def form_filters_text(form):
    """A bound filter form's chosen values in words (“栏目：预警信息，所属地市：杭州市”), or 全部."""
    words = []
    data = form.cleaned_data if form.is_valid() else {}
    for name, field in form.fields.items():
        value = data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, slice):  # a date range
            if value.start is None and value.stop is None:
                continue
            value = f"{value.start or ''}至{value.stop or ''}"
        elif hasattr(field, "choices") and not hasattr(field, "queryset"):
            value = dict(field.choices).get(value, value)
        words.append(f"{field.label}：{value}")
    return "，".join(words) or "全部"
