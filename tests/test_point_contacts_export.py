"""导出预警点联系人信息: the xlsx from the command and from the list's button, read back with openpyxl."""

import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_point
from tests.point_helpers import make_points
from warning.exports.contacts import write_point_contacts
from warning.exports.sheets import TITLE_ROWS
from warning.models import City, ResponsiblePerson, WarningPoint

HEADER = ("预警点名称", "所属地市", "负责人名字", "负责人电话")
INDEX = "warning_warningpoint_modeladmin_index"


def read_rows(source):
    sheet = load_workbook(source).active
    # below the title and the filter/time rows (warning/exports/sheets.py)
    rows = [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]
    return rows[TITLE_ROWS:]


@pytest.fixture
def contacts(point, other_point):
    """建德 with two responsible persons (one with only an office phone), 庆元 with one."""
    ResponsiblePerson.objects.filter(point=point).delete()
    ResponsiblePerson.objects.create(
        point=point, name="姚红燕", mobile="15068825000", phone="0571-64700000", sort_order=0
    )
    ResponsiblePerson.objects.create(point=point, name="方建华", phone="0571-64711111", sort_order=1)
    ResponsiblePerson.objects.filter(point=other_point).update(name="吴志远", mobile="13906780000")
    return point, other_point


def test_command_writes_a_row_per_responsible_person(contacts, tmp_path):
    target = tmp_path / "联系人.xlsx"
    call_command("export_point_contacts", "-o", str(target), stdout=open(os.devnull, "w"))
    assert read_rows(target) == [
        HEADER,
        ("建德精细化工产品对外贸易预警示范点", "杭州市", "姚红燕", "15068825000"),
        ("建德精细化工产品对外贸易预警示范点", "杭州市", "方建华", "0571-64711111"),
        ("庆元铅笔对外贸易预警示范点", "丽水市", "吴志远", "13906780000"),
    ]


def test_point_without_responsible_person_still_gets_a_row(db, tmp_path):
    make_point(name="嵊泗县贻贝行业对外贸易预警点", district_name="嵊泗县", responsible=0)
    target = tmp_path / "c.xlsx"
    write_point_contacts(WarningPoint.objects.all(), target)
    assert read_rows(target)[1:] == [("嵊泗县贻贝行业对外贸易预警点", "舟山市", "", "")]


def test_command_without_output_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="请用 -o 指定输出文件"):
        call_command("export_point_contacts")


def test_command_with_missing_output_folder_exits_non_zero_with_one_chinese_line(tmp_path):
    target = tmp_path / "没有这个目录" / "c.xlsx"
    result = subprocess.run(
        [sys.executable, "manage.py", "export_point_contacts", "-o", str(target)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "输出目录不存在" in lines[0]
    assert not target.exists()


def test_button_downloads_the_listed_points_contacts(client, provincial, contacts):
    client.force_login(provincial)
    html = client.get(reverse(INDEX)).content.decode()
    assert "导出预警点联系人信息" in html and "export=contacts" in html
    response = client.get(reverse(INDEX), {"export": "contacts"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert len(read_rows(BytesIO(response.content))) == 4


def test_button_honours_city_filter_and_search(client, provincial, contacts):
    client.force_login(provincial)
    lishui = City.objects.get(name="丽水市")
    listed = client.get(reverse(INDEX), {"city": lishui.pk})
    assert f"city={lishui.pk}" in listed.context["contacts_export_url"]
    by_city = client.get(reverse(INDEX), {"city": lishui.pk, "export": "contacts"})
    assert [r[0] for r in read_rows(BytesIO(by_city.content))[1:]] == ["庆元铅笔对外贸易预警示范点"]
    by_search = client.get(reverse(INDEX), {"q": "建德", "export": "contacts"})
    assert {r[0] for r in read_rows(BytesIO(by_search.content))[1:]} == {"建德精细化工产品对外贸易预警示范点"}


def test_button_export_is_scoped_to_the_city_reviewers_city(client, city_reviewer, contacts):
    client.force_login(city_reviewer)
    response = client.get(reverse(INDEX), {"export": "contacts"})
    assert {r[1] for r in read_rows(BytesIO(response.content))[1:]} == {"杭州市"}


def test_button_export_is_scoped_to_the_point_editors_point(client, other_point_editor, contacts):
    client.force_login(other_point_editor)
    response = client.get(reverse(INDEX), {"export": "contacts"})
    assert read_rows(BytesIO(response.content))[1:] == [
        ("庆元铅笔对外贸易预警示范点", "丽水市", "吴志远", "13906780000")
    ]


def test_magazine_editor_cannot_export_contacts(client, magazine_editor, contacts):
    client.force_login(magazine_editor)
    response = client.get(reverse(INDEX), {"export": "contacts"})
    assert response.status_code == 403
    assert not response.get("Content-Disposition")


@pytest.mark.parametrize("count", [10, 200])
def test_export_query_count_does_not_grow_with_points(
    client, provincial, django_assert_max_num_queries, count, tmp_path
):
    make_points(count)
    with django_assert_max_num_queries(2):
        rows = write_point_contacts(WarningPoint.objects.all(), tmp_path / "c.xlsx")
    assert rows == count
    client.force_login(provincial)
    client.get(reverse(INDEX), {"export": "contacts"})  # warm caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse(INDEX), {"export": "contacts"})
    assert len(read_rows(BytesIO(response.content))) == count + 1


def test_command_file_equals_button_file(client, provincial, contacts, tmp_path):
    target = Path(tmp_path) / "cmd.xlsx"
    call_command("export_point_contacts", "-o", str(target), stdout=open(os.devnull, "w"))
    client.force_login(provincial)
    response = client.get(reverse(INDEX), {"export": "contacts"})
    assert read_rows(target) == read_rows(BytesIO(response.content))
