"""Every xlsx export prints on A4 (docs/exports.md): each file converted to PDF by LibreOffice, then read back.

Checked on every printed page: the paper size and orientation, the header
row repeated (with the last column on the same page: fitted to one page
wide) and the footer “第 x 页 / 共 y 页”; on the first page, the title row.
"""

import re
import shutil
import subprocess
import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from subsites.models import ColumnKind
from tests.statistics_factories import make_article, make_points_bulk, make_report, sh
from warning.exports.contacts import write_point_contacts
from warning.exports.info_list import write_info_list
from warning.exports.scores import write_scores
from warning.models import WarningPoint

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None or shutil.which("pdfinfo") is None,
    reason="需要 LibreOffice（libreoffice-calc-nogui）与 poppler-utils：scripts/install_system_deps.sh 会安装它们",
)

TODAY = date(2026, 11, 26)
LANDSCAPE, PORTRAIT = "landscape", "portrait"


def orientation_on_a4(page_size):
    """ "landscape" or "portrait" for an A4 page size "w x h" in points (595.3 × 841.9), else the size itself."""
    width, height = (float(n) for n in page_size.split(" x "))
    if abs(min(width, height) - 595.3) > 1 or abs(max(width, height) - 841.9) > 1:
        return page_size
    return LANDSCAPE if width > height else PORTRAIT


def to_pdf(paths, outdir):
    """Convert xlsx files to PDF in one LibreOffice run, with a private profile (parallel runs never share one)."""
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["libreoffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
            + ["--outdir", str(outdir), *map(str, paths)],
            check=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return {p.stem: outdir / f"{p.stem}.pdf" for p in paths}


def pdf_pages(pdf):
    """[(page size "w x h", text)] of every page."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True).stdout
    sizes = [m.group(1) for m in re.finditer(r"^Page\s+\d+ size:\s+(.+?) pts", info, re.MULTILINE)]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[: len(sizes)]
    return list(zip(sizes, pages, strict=True))


def assert_prints_well(pdf, *, size, title, headings, min_pages):
    pages = pdf_pages(pdf)
    assert len(pages) >= min_pages, (pdf.name, len(pages))
    assert title in pages[0][1]
    for number, (page_size, text) in enumerate(pages, start=1):
        assert orientation_on_a4(page_size) == size, (pdf.name, number, page_size)
        for heading in headings:  # repeated on every page, the last column included
            assert heading in text, (pdf.name, number, heading)
        assert f"第{number}页/共{len(pages)}页" in re.sub(r"\s", "", text), (pdf.name, number)


@pytest.mark.django_db
def test_every_export_prints_on_a4_with_title_repeated_headers_and_page_numbers(provincial, tmp_path):
    points = make_points_bulk(70)
    for i, point in enumerate(points[:8]):
        make_report(point, sh(2025, 1 + i, 3))
        make_article(point, ColumnKind.WARNING, sh(2025, 2 + i, 5))
    files = [tmp_path / "info_list.xlsx", tmp_path / "scores.xlsx", tmp_path / "contacts.xlsx"]
    write_info_list(files[0], 2025, today=TODAY)
    write_scores(files[1], 2025, today=TODAY)
    write_point_contacts(WarningPoint.objects.all(), files[2])
    client = Client()
    client.force_login(provincial)
    response = client.get(reverse("subsites_publications:index"), {"export": "xlsx"})
    files.append(tmp_path / "publications.xlsx")
    files[3].write_bytes(b"".join(response.streaming_content))

    pdfs = to_pdf(files, tmp_path)

    assert_prints_well(
        pdfs["info_list"],
        size=LANDSCAPE,
        title="2025年度预警信息清单",
        headings=("单位", "信息上报", "绑定企业数"),
        min_pages=2,
    )
    assert_prints_well(
        pdfs["scores"], size=LANDSCAPE, title="2025年度分数详情", headings=("排名", "距下一档"), min_pages=2
    )
    assert_prints_well(
        pdfs["contacts"], size=PORTRAIT, title="预警点联系人信息", headings=("预警点名称", "负责人电话"), min_pages=2
    )
    assert_prints_well(
        pdfs["publications"], size=PORTRAIT, title="子网站信息发布汇总", headings=("标题", "发布时间"), min_pages=1
    )
