"""Reading an import file into tables (tablib), and the refusals of a file as a whole.

A file is an xlsx workbook, a csv file (UTF-8, with or without BOM, or the
GB18030 that Excel writes on a Chinese Windows), or a zip holding exactly one
such table and the files its rows name (附件, given as paths relative to the
table). The tabular part is tablib's; this module only decides which bytes
go to it and what a person is told when they cannot be read.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import tablib

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
TABLE_EXTENSIONS = (".xlsx", ".csv")
EXTENSIONS_LABEL = "xlsx、csv 文件，或装有一个表格及其附件的 zip 文件"


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


@dataclass
class Source:
    """What was read from one import file: its name, its sheets by title, and its attached files."""

    name: str
    sheets: list  # [(title, tablib.Dataset)], in the workbook's order
    files: dict = field(default_factory=dict)  # relative path → bytes (a zip's other members)
    base_dir: Path | None = None  # a table read from disk: attachments are read beside it
    from_zip: bool = False

    def attachment(self, relative):
        """The bytes of an attached file named in a row, or None when the file is not there."""
        path = PurePosixPath(str(relative).strip().replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or not path.parts:
            return None
        key = str(path)
        if key in self.files:
            return self.files[key]
        if self.base_dir is not None:
            candidate = (self.base_dir / key).resolve()
            if candidate.is_relative_to(self.base_dir.resolve()) and candidate.is_file():
                return candidate.read_bytes()
        return None

    @property
    def can_hold_attachments(self):
        return self.from_zip or self.base_dir is not None


def _check_size(size):
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB（当前 {size / 1024 / 1024:.1f} MB）。")
    if size == 0:
        raise FileRefused("文件是空的，请重新选择。")


def _read_xlsx(data):
    try:
        book = tablib.Databook().load(data, format="xlsx")
    except Exception:
        # openpyxl raises many kinds of errors on a damaged or renamed file; all mean the same to the user.
        raise FileRefused("无法读取该 xlsx 文件：文件可能已损坏，或并不是 xlsx 格式（例如只是改了扩展名）。") from None
    sheets = [(sheet.title or "", sheet) for sheet in book.sheets()]
    if not sheets:
        raise FileRefused("该 xlsx 文件中没有工作表。")
    return sheets


def _read_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused("无法识别该 csv 文件的编码：请另存为 UTF-8 编码的 csv 文件。")
    if "\x00" in text:
        raise FileRefused("该文件不是有效的 csv 文本文件。")
    try:
        dataset = tablib.Dataset().load(text, format="csv")
    except (csv.Error, tablib.InvalidDimensions, tablib.UnsupportedFormat):
        raise FileRefused("无法读取该 csv 文件：各行的列数不一致或格式有误。") from None
    return [("", dataset)]


def _read_table(name, data):
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix == ".csv":
        return _read_csv(data)
    raise FileRefused(f"文件格式不支持：只能导入 {EXTENSIONS_LABEL}。")


def _member_name(info):
    # Zips made on a Chinese Windows store GBK names without the UTF-8 flag.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read_zip(name, data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [(info, _member_name(info)) for info in archive.infolist() if not info.is_dir()]
        members = [(info, member) for info, member in members if not member.startswith("__MACOSX/")]
        if sum(info.file_size for info, _ in members) > MAX_FILE_BYTES * 5:
            raise FileRefused("zip 文件解压后过大，请分批导入。")
        tables = [
            (info, member) for info, member in members if PurePosixPath(member).suffix.lower() in TABLE_EXTENSIONS
        ]
        if len(tables) != 1:
            raise FileRefused("zip 文件中应当正好有一个 xlsx 或 csv 表格（其余为表格中列出的附件）。")
        table_info, table_name = tables[0]
        folder = PurePosixPath(table_name).parent
        files = {}
        for info, member in members:
            if info is table_info:
                continue
            path = PurePosixPath(member)
            relative = path.relative_to(folder) if folder.parts and path.is_relative_to(folder) else path
            files[str(relative)] = archive.read(info)
        table = archive.read(table_info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise FileRefused("无法读取该 zip 文件：文件可能已损坏。") from None
    return Source(name=name, sheets=_read_table(table_name, table), files=files, from_zip=True)


def read_bytes(name, data, base_dir=None):
    """Read an import file given as its name and bytes; raise FileRefused with a Chinese reason."""
    _check_size(len(data))
    if PurePosixPath(name).suffix.lower() == ".zip":
        source = _read_zip(name, data)
    else:
        source = Source(name=name, sheets=_read_table(name, data), base_dir=base_dir)
    for _title, sheet in source.sheets:
        if sheet.height > MAX_ROWS:
            raise FileRefused(f"一个表格最多 {MAX_ROWS} 行，请分批导入。")
    return source


def read_path(path):
    """Read an import file from disk (the command): attachments are looked up beside it."""
    path = Path(path)
    if not path.is_file():
        raise FileRefused(f"找不到文件：{path}")
    _check_size(path.stat().st_size)
    return read_bytes(path.name, path.read_bytes(), base_dir=path.parent)


def clean_header(value):
    """A column header as written: surrounding spaces and a trailing * (required mark) removed."""
    return str(value or "").strip().rstrip("*＊").strip()
