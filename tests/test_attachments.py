"""Attachments: pdf/doc/docx/xls/xlsx/wps only, ≤ 20 MB, the type read from the content (docs/rules.md §3.2, §7)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from warning.validators import MAX_ATTACHMENT_BYTES, validate_attachment

OLE2_HEADER = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504


def real_xlsx_bytes():
    book = openpyxl.Workbook()
    book.active["A1"] = "2025年第1季度出口额"
    book.active["B1"] = 12345
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_like_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def message_of(excinfo):
    return " ".join(excinfo.value.messages)


def test_real_xlsx_made_with_openpyxl_is_accepted():
    assert validate_attachment(upload("分析.xlsx", real_xlsx_bytes())) == "xlsx"


def test_pdf_content_is_accepted():
    assert validate_attachment(upload("分析.PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")) == "pdf"


def test_ole2_content_is_accepted_as_doc_xls_and_wps():
    for name in ("a.doc", "a.xls", "a.wps"):
        assert validate_attachment(upload(name, OLE2_HEADER))


def test_docx_content_is_accepted():
    assert validate_attachment(upload("总结.docx", docx_like_bytes())) == "docx"


def test_text_file_named_pdf_is_refused_by_its_content():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachment(upload("分析.pdf", "这只是一个文本文件".encode()))
    assert "不是有效的" in message_of(excinfo)


def test_xlsx_renamed_to_pdf_is_refused_as_a_mismatch():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachment(upload("分析.pdf", real_xlsx_bytes()))
    assert "与扩展名不符" in message_of(excinfo)


def test_plain_zip_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError):
        validate_attachment(upload("总结.docx", buffer.getvalue()))


def test_truncated_zip_named_xlsx_is_refused():
    with pytest.raises(ValidationError):
        validate_attachment(upload("坏文件.xlsx", real_xlsx_bytes()[:200]))


def test_disallowed_extension_is_refused_even_with_pdf_content():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachment(upload("virus.exe", b"%PDF-1.4\n"))
    assert "pdf、doc、docx、xls、xlsx、wps" in message_of(excinfo)


def test_file_over_20_mb_is_refused():
    content = b"%PDF-1.4\n" + b"0" * (MAX_ATTACHMENT_BYTES - 8)
    assert len(content) == MAX_ATTACHMENT_BYTES + 1
    with pytest.raises(ValidationError) as excinfo:
        validate_attachment(upload("大文件.pdf", content))
    assert "20 MB" in message_of(excinfo)


def test_file_of_exactly_20_mb_is_accepted():
    content = b"%PDF-1.4\n" + b"0" * (MAX_ATTACHMENT_BYTES - 9)
    assert validate_attachment(upload("刚好.pdf", content)) == "pdf"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachment(upload("空.pdf", b""))
    assert "空文件" in message_of(excinfo)


def test_validation_leaves_the_file_readable_from_the_start():
    file = upload("分析.xlsx", real_xlsx_bytes())
    validate_attachment(file)
    assert file.read(2) == b"PK"
