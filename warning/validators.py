"""Upload checks for attachments (docs/rules.md §3.2, §7): what may be attached to a report or an analysis.

An attachment must be a PDF, a Word or Excel document (doc, docx, xls,
xlsx) or a WPS text document, at most 20 MB. The type is read from the
file's content, not trusted from its name: a text file renamed to .pdf is
refused. The name still has to carry one of the six extensions and agree
with the content, so that whoever downloads the file opens it with the
right program.

validate_attachment() only reads the file; it never stores anything, so a
form that calls it before saving leaves nothing behind when it fails.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps")

PDF_MAGIC = b"%PDF-"
# Old Office (doc, xls) and WPS files are OLE2 compound files.
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"

# The content kinds each extension may carry.
KINDS_BY_EXTENSION = {
    "pdf": {"pdf"},
    "doc": {"ole2"},
    "xls": {"ole2"},
    "wps": {"ole2"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
}
KIND_LABELS = {
    "pdf": "PDF 文档",
    "ole2": "Word/Excel/WPS 97-2003 文档",
    "docx": "Word 文档（docx）",
    "xlsx": "Excel 工作簿（xlsx）",
}
ALLOWED_LABEL = "、".join(ALLOWED_EXTENSIONS)


def extension_of(name):
    """The lower-case extension of a file name without the dot ('' if none)."""
    return PurePath(name or "").suffix.lower().lstrip(".")


def sniff_kind(file):
    """Read the content of an open file and say what it is: 'pdf', 'ole2', 'docx', 'xlsx' or None.

    OOXML files are ZIP archives; a docx holds a word/ folder and an xlsx an
    xl/ folder, so a plain ZIP (or a broken one) is not mistaken for either.
    """
    file.seek(0)
    head = file.read(8)
    try:
        if head.startswith(PDF_MAGIC):
            return "pdf"
        if head == OLE2_MAGIC:
            return "ole2"
        if head.startswith(ZIP_MAGIC):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = archive.namelist()
            except (zipfile.BadZipFile, OSError, ValueError):
                return None
            if "[Content_Types].xml" not in names:
                return None
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
        return None
    finally:
        file.seek(0)


def validate_attachment(file):
    """Check an uploaded file and return its extension; raise ValidationError in Chinese otherwise.

    Accepts a Django UploadedFile or File (anything with name, size, read
    and seek). The checks, in order: not empty, at most 20 MB, an allowed
    extension, recognised content, and content that matches the extension.
    """
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError("附件是空文件，请重新选择。", code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            "附件不能超过 20 MB（当前 %(size).1f MB）。",
            code="too_large",
            params={"size": size / 1024 / 1024},
        )
    ext = extension_of(getattr(file, "name", ""))
    if ext not in KINDS_BY_EXTENSION:
        raise ValidationError(
            "附件格式不支持：只能上传 %(allowed)s 格式的文件。", code="extension", params={"allowed": ALLOWED_LABEL}
        )
    kind = sniff_kind(file)
    if kind is None:
        raise ValidationError(
            "附件内容不是有效的 %(allowed)s 文件（文件可能已损坏，或只是改了扩展名）。",
            code="content",
            params={"allowed": ALLOWED_LABEL},
        )
    if kind not in KINDS_BY_EXTENSION[ext]:
        raise ValidationError(
            "附件内容与扩展名不符：文件内容是%(kind)s，扩展名却是 .%(ext)s，请按实际格式保存后再上传。",
            code="mismatch",
            params={"kind": KIND_LABELS[kind], "ext": ext},
        )
    return ext
