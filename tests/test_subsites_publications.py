"""子网站信息发布 (docs/rules.md §3.4): every subsite publication in one list for the provincial contact.

Filtered by point, city, column and publication date, with the total and per
column counts of what is listed. Point editors, city reviewers and magazine
editors do not get this screen: they are refused (403) and have no menu entry.
"""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from subsites.models import ArticlePage, ColumnKind
from subsites.publications import publication_counts, publications
from tests.factories import make_point
from tests.subsites_factories import make_article

URL = reverse("subsites_publications:index")


def dated(page, year, month, day):
    moment = timezone.make_aware(datetime.datetime(year, month, day, 10, 0))
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
    return page


@pytest.fixture
def province_client(client, provincial):
    client.force_login(provincial)
    return client


@pytest.fixture
def publications_data(point, other_point):
    """建德 (杭州市): 2 warnings + 1 news; 庆元 (丽水市): 1 warning + 1 notice; one draft."""
    dated(make_article(point, ColumnKind.WARNING, title="建德预警一"), 2025, 3, 5)
    dated(make_article(point, ColumnKind.WARNING, title="建德预警二"), 2026, 2, 10)
    dated(make_article(point, ColumnKind.NEWS, title="建德动态"), 2026, 6, 1)
    dated(make_article(other_point, ColumnKind.WARNING, title="庆元预警"), 2026, 4, 20)
    dated(make_article(other_point, ColumnKind.NOTICE, title="庆元通知"), 2025, 12, 30)
    make_article(point, ColumnKind.WARNING, title="建德草稿", publish=False)


def counts_in(html):
    """The count tiles: {label: number}."""
    import re

    return {label: int(number) for label, number in re.findall(r"<dt>(\S+?)</dt><dd[^>]*>(\d+)</dd>", html)}


def test_provincial_contact_sees_every_publication_with_counts(province_client, publications_data):
    response = province_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("建德预警一", "建德预警二", "建德动态", "庆元预警", "庆元通知"):
        assert title in html
    assert "建德草稿" not in html
    assert counts_in(html) == {"合计": 5, "预警信息": 3, "工作动态": 1, "通知公告": 1}


def test_filter_by_point(province_client, point, publications_data):
    html = province_client.get(URL, {"point": point.pk}).content.decode()
    assert "庆元预警" not in html and "建德动态" in html
    assert counts_in(html) == {"合计": 3, "预警信息": 2, "工作动态": 1, "通知公告": 0}


def test_filter_by_city(province_client, publications_data):
    from warning.models import City

    html = province_client.get(URL, {"city": City.objects.get(name="丽水市").pk}).content.decode()
    assert "庆元预警" in html and "建德预警一" not in html
    assert counts_in(html)["合计"] == 2


def test_filter_by_column(province_client, publications_data):
    html = province_client.get(URL, {"column_kind": "warning"}).content.decode()
    assert "建德动态" not in html and "庆元通知" not in html
    assert counts_in(html) == {"合计": 3, "预警信息": 3, "工作动态": 0, "通知公告": 0}


def test_filter_by_date_range_reads_shanghai_days(province_client, publications_data):
    html = province_client.get(URL, {"published_from": "2026-01-01", "published_to": "2026-04-20"}).content.decode()
    assert "建德预警二" in html and "庆元预警" in html  # 20 April is inside the range
    assert "建德预警一" not in html and "建德动态" not in html and "庆元通知" not in html
    assert counts_in(html)["合计"] == 2


def test_filters_combine(province_client, point, publications_data):
    html = province_client.get(
        URL, {"point": point.pk, "column_kind": "warning", "published_from": "2026-01-01"}
    ).content.decode()
    assert counts_in(html)["合计"] == 1 and "建德预警二" in html


def test_a_malformed_date_changes_nothing_and_says_so(province_client, publications_data):
    response = province_client.get(URL, {"published_from": "2026-13-45"})
    assert response.status_code == 200
    html = response.content.decode()
    assert counts_in(html)["合计"] == 5
    assert "输入一个有效的日期" in html


def test_export_to_xlsx_lists_the_filtered_rows(province_client, publications_data):
    response = province_client.get(URL, {"column_kind": "warning", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    # rows 1–2: the title and the filter used with the time exported (warning/exports/sheets.py)
    assert rows[0][0] == "子网站信息发布汇总"
    assert rows[1][0].startswith("筛选条件：栏目：预警信息")
    rows = rows[2:]
    assert rows[0] == ("标题", "预警点", "所属地市", "栏目", "发布时间")
    assert {row[0] for row in rows[1:]} == {"建德预警一", "建德预警二", "庆元预警"}
    assert "2026-02-10 10:00" in {row[4] for row in rows[1:]}


@pytest.mark.parametrize("role", ["point_editor", "city_reviewer", "magazine_editor"])
def test_other_roles_are_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 403
    assert "只有预警工作联系人" in response.content.decode()
    assert client.get(reverse("subsites_publications:index_results")).status_code == 403


@pytest.mark.parametrize("role", ["point_editor", "city_reviewer", "magazine_editor"])
def test_menu_entry_only_for_the_provincial_contact(client, request, provincial, role):
    # The sidebar is drawn from a JSON script; its entry carries the screen's URL.
    client.force_login(provincial)
    assert f'"{URL}"' in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(request.getfixturevalue(role))
    assert f'"{URL}"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_counts_come_from_one_query(db, publications_data):
    with CaptureQueriesContext(connection) as captured:
        counts = publication_counts(publications())
    assert len(captured) == 1
    assert counts["total"] == 5


def test_list_queries_do_not_grow_with_points_and_items(province_client, point):
    make_article(point)
    province_client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert province_client.get(URL).status_code == 200
    for n in range(10):
        extra = make_point(name=f"计数预警点{n}", district_name="鹿城区")
        for kind in ColumnKind:
            make_article(extra, kind)
    province_client.get(URL)  # what the shared cache holds (page permissions, the 帮助 manuals) is read afresh once
    with CaptureQueriesContext(connection) as large:
        assert province_client.get(URL).status_code == 200
    assert len(large) <= len(small)
