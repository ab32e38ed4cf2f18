"""One import run: check every row of a file, then (unless a dry run) write them in one transaction.

The run has two passes. The first reads and checks every row of every sheet
and classifies it as 新增 (new), 更新 (changes an existing point or person)
or 已存在 (the same item is already there): it writes nothing, and it is all
a dry run does. A file with any refused row, or a header that does not fit,
is refused as a whole. The second pass writes the new and changed rows
inside one transaction, so a file is imported entirely or not at all; rows
already there are skipped, which makes importing the same file again a
no-op.

Progress is reported through a callback (done, total) — the command prints
it on stderr, the admin screen shows the final counts.
"""

from dataclasses import dataclass, field

from django.db import transaction

from . import tables
from .cells import CellError, is_blank
from .history import record_import
from .kinds import GROUPS, Context, RowRefused

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
STATUS_LABELS = {NEW: "新增", CHANGED: "更新", UNCHANGED: "已存在，不变"}
HEADER_ROW = 1  # rows are numbered as in the spreadsheet: the headers are row 1, data from row 2


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # 0: the file or the header row as a whole
    column: str
    reason: str

    def __str__(self):
        where = f"工作表“{self.sheet}”" if self.sheet else ""
        where += f"第 {self.row} 行" if self.row else ""
        column = f"“{self.column}”列" if self.column else ""
        return f"{where}{column}：{self.reason}" if where or column else self.reason


@dataclass
class Planned:
    kind: object
    sheet: str
    row: int
    values: dict
    existing: object
    status: str
    changed_columns: list = field(default_factory=list)

    @property
    def description(self):
        return self.kind.describe(self.values)


@dataclass
class ImportResult:
    group: str
    file_name: str
    dry_run: bool
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [Planned]
    written: bool = False

    @property
    def ok(self):
        return not self.problems

    def count(self, status):
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self):
        return {status: self.count(status) for status in STATUS_LABELS}

    def summary(self):
        counts = "，".join(f"{label} {self.count(status)} 行" for status, label in STATUS_LABELS.items())
        if not self.ok:
            return f"{self.file_name}：{len(self.problems)} 处问题，未导入任何数据。"
        if self.dry_run:
            return f"{self.file_name}：检查通过（试导入，未写入）：{counts}。"
        return f"{self.file_name}：已导入：{counts}。"


def _sheets_for(group, source):
    """(kind, title, dataset) for each sheet the group reads, in the group's order."""
    kinds = GROUPS[group]
    by_title = {title.strip(): dataset for title, dataset in source.sheets}
    named = [(kind, kind.label, by_title[kind.label]) for kind in kinds if kind.label in by_title]
    if named:
        return named
    title, dataset = source.sheets[0]
    return [(kinds[0], title if len(source.sheets) > 1 else "", dataset)]


def _check_headers(kind, sheet, dataset):
    headers = [tables.clean_header(h) for h in (dataset.headers or [])]
    known = {c.header for c in kind.columns}
    problems = []
    missing = [c.header for c in kind.columns if c.required and c.header not in headers]
    if missing:
        problems.append(Problem(sheet, HEADER_ROW, "", f"缺少必需的列：{'、'.join(missing)}（{kind.label}表）"))
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        problems.append(Problem(sheet, HEADER_ROW, "", f"无法识别的列：{'、'.join(unknown)}（{kind.label}表）"))
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated:
        problems.append(Problem(sheet, HEADER_ROW, "", f"列名重复：{'、'.join(repeated)}"))
    return headers, problems


def _plan_sheet(kind, sheet, dataset, ctx, result):
    headers, problems = _check_headers(kind, sheet, dataset)
    if problems:
        result.problems.extend(problems)
        return
    seen = {}
    for index, raw_row in enumerate(dataset, start=HEADER_ROW + 1):
        raw = dict(zip(headers, raw_row, strict=False))
        if all(is_blank(v) for v in raw.values()):
            continue
        values, row_problems = {}, []
        for column in kind.columns:
            try:
                values[column.name] = column.parse(raw.get(column.header))
            except CellError as exc:
                row_problems.append(Problem(sheet, index, column.header, str(exc)))
        if not row_problems:
            try:
                values = kind.check(values, ctx)
            except RowRefused as exc:
                row_problems = [Problem(sheet, index, header, reason) for header, reason in exc.problems]
        if row_problems:
            result.problems.extend(row_problems)
            continue
        key = kind.natural_key(values)
        if key in seen:
            result.problems.append(Problem(sheet, index, "", f"与第 {seen[key]} 行是同一条{kind.label}（重复）"))
            continue
        seen[key] = index
        existing = kind.existing(values, ctx)
        status, changed = NEW, []
        if existing is not None:
            changed = kind.differences(existing, values)
            status = CHANGED if changed else UNCHANGED
            if changed and not kind.updates:
                result.problems.append(
                    Problem(
                        sheet,
                        index,
                        "",
                        f"系统中已有这条{kind.label}，但{'、'.join(changed)}与文件不同；已有记录不会被导入覆盖，请在系统中修改",
                    )
                )
                continue
        result.rows.append(Planned(kind, sheet, index, values, existing, status, changed))


def check(group, source, *, user=None):
    """The first pass: every row checked and classified, nothing written."""
    if group not in GROUPS:
        raise ValueError(group)
    result = ImportResult(group=group, file_name=source.name, dry_run=True)
    ctx = Context(source, user=user)
    for kind, sheet, dataset in _sheets_for(group, source):
        _plan_sheet(kind, sheet, dataset, ctx, result)
    if result.ok and not result.rows:
        result.problems.append(Problem("", 0, "", "文件中没有可导入的数据行。"))
    return result, ctx


def run_import(group, source, *, user=None, dry_run=False, progress=None):
    """Import one file (a tables.Source) as `group` (a key of kinds.GROUPS); return an ImportResult.

    With dry_run, or when any row is refused, nothing is written. Otherwise
    the new and changed rows are written in one transaction and each item
    gets its 导入 log entry naming the file and the row.
    """
    result, ctx = check(group, source, user=user)
    if dry_run or not result.ok:
        return result
    result.dry_run = False
    todo = [planned for planned in result.rows if planned.status != UNCHANGED]
    with transaction.atomic():
        ctx.forget_points()  # points written by an earlier sheet are read again by the later ones
        for done, planned in enumerate(todo, start=1):

            def mark(instance, extra=None, planned=planned):
                record_import(
                    instance,
                    file_name=source.name,
                    kind_label=planned.kind.label,
                    row=planned.row,
                    sheet=planned.sheet,
                    user=user,
                    extra=extra,
                )

            planned.kind.write(planned.values, planned.existing, ctx, mark)
            if planned.kind.key == "points":
                ctx.forget_points()
            if progress:
                progress(done, len(todo))
    result.written = True
    return result
