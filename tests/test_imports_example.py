"""The user guide's 建德 2019 row of 条数详情, reproduced by importing imports/examples/jiande-2019 (docs/imports.md)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_user
from warning import statistics
from warning.models import WarningPoint

EXAMPLE = Path(__file__).resolve().parent.parent / "imports" / "examples" / "jiande-2019"
POINT = "建德精细化工产品对外贸易预警点"
# kind, file, in the order docs/imports.md gives (points before what names them)
FILES = (
    ("points", "预警点.csv"),
    ("responsible", "负责人.csv"),
    ("enterprises", "联系企业.csv"),
    ("reports", "预警信息.csv"),
    ("quarterlies", "季度形势分析.csv"),
    ("summaries", "年度工作总结.csv"),
    ("articles", "子网站文章.csv"),
)
# The guide's 2019 row: 上报信息 9 | 年度总结 1 | 季度分析 4 | 内部交流采纳 1 | 季度分析杂志录用 0 |
# 预警信息杂志录用 2 | 子网站信息 2 | 子网站工作动态 2
GUIDE_ROW = {
    "reports": 9,
    "summaries": 1,
    "quarterlies": 4,
    "internal": 1,
    "quarterly_magazine": 0,
    "report_magazine": 2,
    "warning_pages": 2,
    "news_pages": 2,
}
# The guide's 2019年上报信息记录详情 (序号, 标题名称, 提交时间, 录用时间).
GUIDE_REPORTS = [
    ("建德预警信息上报1", "2019-01-18 17:28:04", ""),
    ("测试上报 (无操作)", "2019-01-18 19:12:46", ""),
    ("马达加斯加对进口洗衣粉启动保障措施立案调查", "2019-01-22 10:40:24", ""),
    ("爱的发斯蒂芬1", "2019-01-22 11:10:26", "2019-05-01 09:38:31"),
    # the guide shows no 录用时间 here, but its counts need a second 杂志录用 (docs/imports.md)
    ("日本对中国普惠制待遇4月终结 化工、纺织产品对日出口将受影响", "2019-05-09 10:29:10", "2019-06-10 10:00:00"),
    ("欧亚经济联盟终止对进口微波炉产品保障措施调查", "2019-05-10 08:35:33", ""),
    ("测试", "2019-05-10 09:14:33", ""),
    ("测试", "2019-05-10 09:16:38", ""),
    ("测试1111111", "2019-05-10 09:17:05", ""),
]

pytestmark = pytest.mark.django_db


def import_example():
    for kind, name in FILES:
        call_command("import_records", kind, str(EXAMPLE / name), stdout=_Sink(), stderr=_Sink())
    return WarningPoint.objects.get(name=POINT)


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value, statistics.SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def test_the_example_reproduces_the_guides_2019_row_of_count_details():
    point = import_example()
    (row,) = [r for r in statistics.point_rows(2019) if r.point_id == point.pk]
    assert {key: row.counts[key] for key in GUIDE_ROW} == GUIDE_ROW


def test_the_example_lists_the_nine_reports_with_their_dates_in_the_drill_down():
    point = import_example()
    records = statistics.records("reports", 2019, point.pk)
    assert [(r.title, _local(r.submitted_at), _local(r.adopted_at)) for r in records] == GUIDE_REPORTS


def test_the_count_details_screen_and_its_drill_down_show_the_example(client):
    point = import_example()
    client.force_login(make_user("province"))
    counts = client.get(reverse("warning_statistics:counts"), {"year": 2019, "name": "建德"})
    assert counts.status_code == 200
    html = counts.content.decode()
    row = re.search(rf'<tr data-point="{point.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    by_kind = dict(zip(statistics.COUNT_DETAIL_KINDS, cells[2:], strict=True))
    assert cells[:2] == [POINT, "2019"]
    assert {key: int(by_kind[key]) for key in GUIDE_ROW} == GUIDE_ROW
    records_url = reverse("warning_statistics:records", args=[point.pk, "reports"])
    assert records_url in row
    page = client.get(records_url, {"year": 2019}).content.decode()
    listed = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    ]
    listed = [cells for cells in listed if len(cells) == 4]
    assert [tuple(cells[1:]) for cells in listed] == GUIDE_REPORTS
    assert [cells[0] for cells in listed] == [str(n) for n in range(1, 10)]
