"""导出信息清单 and 分数详情 (docs/rules.md §4, §6): files read back with openpyxl, JSON parsed, commands' errors."""

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from subsites.models import ColumnKind
from tests.factories import city, make_point
from tests.shared_points import SharedPoints
from tests.statistics_factories import (
    make_article,
    make_enterprises,
    make_exchange_report,
    make_internal_report,
    make_magazine_report,
    make_points_bulk,
    make_quarterly,
    make_report,
    make_summary,
    sh,
)
from warning.exports.info_list import write_info_list
from warning.exports.scores import score_records, write_scores
from warning.models import WarningPoint

TODAY = date(2026, 11, 26)


def build_province(point, other_point):
    """Two points in 杭州市 and one in 丽水市 with a varied 2025 (TestProvinceExports reads it)."""
    third = make_point(name="桐庐笔业对外贸易预警点", district_name="桐庐县")
    make_point(name="撤销的预警点", status=WarningPoint.Status.REVOKED)
    # point (建德市, 杭州市)
    make_report(point, sh(2025, 1, 5))
    make_exchange_report(point, sh(2025, 2, 5))
    make_exchange_report(point, sh(2025, 2, 6))
    make_magazine_report(point, sh(2025, 3, 5))
    make_internal_report(point, sh(2025, 4, 5), leader=True)
    make_quarterly(point, 2025, 1, sh(2025, 4, 10), magazine_status="adopted")
    make_quarterly(point, 2025, 2, sh(2025, 7, 10))
    make_summary(point, 2025, sh(2026, 1, 12))
    make_article(point, ColumnKind.WARNING, sh(2025, 5, 1))
    make_article(point, ColumnKind.NEWS, sh(2025, 5, 2))
    make_enterprises(point, 4)
    # third (桐庐县, 杭州市)
    make_report(third, sh(2025, 6, 1))
    make_article(third, ColumnKind.WARNING, sh(2025, 6, 2))
    make_enterprises(third, 1)
    # other_point (庆元县, 丽水市)
    for i in range(3):
        make_exchange_report(other_point, sh(2025, 8, 1 + i))
    make_summary(other_point, 2025, sh(2026, 2, 1))  # late: counted, but no B3
    make_enterprises(other_point, 2)
    return {"jiande": point.pk, "tonglu": third.pk, "qingyuan": other_point.pk}


def read_sheet(path_or_file):
    workbook = load_workbook(path_or_file)
    return workbook.active


def values(sheet, row):
    return [cell.value for cell in sheet[row]]


# ---------------------------------------------------------------- 信息清单, 分数详情 and their commands


class TestProvinceExports(SharedPoints):
    """The exports of one varied province, built once for the class (build_province)."""

    shared_points = ("point", "other_point")
    shared_fixtures = ("province",)

    @classmethod
    def build_shared(cls, points):
        return build_province(points["point"], points["other_point"])

    @pytest.fixture
    def province(self, point, other_point, class_built):
        return {key: WarningPoint.objects.get(pk=pk) for key, pk in class_built.items()}

    def test_info_list_has_two_header_rows_with_the_merged_cells_of_the_spec(self, province, tmp_path):
        write_info_list(tmp_path / "list.xlsx", 2025, today=TODAY)
        sheet = read_sheet(tmp_path / "list.xlsx")
        # rows 1–2: the title and the filter/time row, each merged across the sheet
        assert {str(r) for r in sheet.merged_cells.ranges} == {
            "A1:J1",
            "A2:J2",
            "A3:A4",
            "B3:E3",
            "F3:G3",
            "H3:H4",
            "I3:I4",
            "J3:J4",
        }
        assert values(sheet, 1)[0] == "2025年度预警信息清单"
        assert values(sheet, 2)[0].startswith("筛选条件：全部　　导出时间：")
        assert values(sheet, 3) == [
            "单位",
            "信息上报",
            None,
            None,
            None,
            "子网站信息发布",
            None,
            "季度形势分析",
            "年度工作总结",
            "绑定企业数",
        ]
        assert values(sheet, 4) == [
            None,
            "总数",
            "外网录用",
            "杂志录用",
            "内部交流",
            "预警信息",
            "工作动态",
            None,
            None,
            None,
        ]

    def test_info_list_rows_are_total_then_each_city_followed_by_its_points(self, province, tmp_path):
        write_info_list(tmp_path / "list.xlsx", 2025, today=TODAY)
        sheet = read_sheet(tmp_path / "list.xlsx")
        labels = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
        assert labels[0] == "合计"
        hangzhou = labels.index("杭州市")
        # points in the registry's order: by district (桐庐县 before 建德市), then name
        assert labels[hangzhou + 1 : hangzhou + 3] == ["桐庐笔业对外贸易预警点", "建德精细化工产品对外贸易预警示范点"]
        lishui = labels.index("丽水市")
        assert labels[lishui + 1] == "庆元铅笔对外贸易预警示范点"
        assert "撤销的预警点" not in labels
        # every city of the province has its row, in the cities' order
        cities = [label for label in labels[1:] if label.endswith("市") and "预警" not in label]
        assert cities == [
            "杭州市",
            "宁波市",
            "温州市",
            "嘉兴市",
            "湖州市",
            "绍兴市",
            "金华市",
            "衢州市",
            "舟山市",
            "台州市",
            "丽水市",
        ]

    def test_info_list_numbers_per_point_city_and_total(self, province, tmp_path):
        write_info_list(tmp_path / "list.xlsx", 2025, today=TODAY)
        sheet = read_sheet(tmp_path / "list.xlsx")
        rows = {sheet.cell(row=r, column=1).value: values(sheet, r)[1:] for r in range(5, sheet.max_row + 1)}
        #                                            总数 外网 杂志 内部 预警 动态 季度 年度 企业
        assert rows["建德精细化工产品对外贸易预警示范点"] == [5, 2, 1, 1, 1, 1, 2, 1, 4]
        assert rows["桐庐笔业对外贸易预警点"] == [1, 0, 0, 0, 1, 0, 0, 0, 1]
        assert rows["杭州市"] == [6, 2, 1, 1, 2, 1, 2, 1, 5]
        assert rows["庆元铅笔对外贸易预警示范点"] == [3, 3, 0, 0, 0, 0, 0, 1, 2]
        assert rows["丽水市"] == [3, 3, 0, 0, 0, 0, 0, 1, 2]
        assert rows["宁波市"] == [0] * 9
        assert rows["合计"] == [9, 5, 1, 1, 2, 1, 2, 2, 7]

    def test_info_list_total_is_the_sum_of_city_rows_and_each_city_the_sum_of_its_points(self, province, tmp_path):
        write_info_list(tmp_path / "list.xlsx", 2025, today=TODAY)
        sheet = read_sheet(tmp_path / "list.xlsx")
        data = [values(sheet, r) for r in range(5, sheet.max_row + 1)]
        total, body = data[0], data[1:]
        city_rows, current, point_sums = [], None, {}
        for row in body:
            if "预警" in row[0]:
                point_sums[current] = [a + b for a, b in zip(point_sums[current], row[1:], strict=True)]
            else:
                current = row[0]
                city_rows.append(row)
                point_sums[current] = [0] * 9
        assert total[1:] == [sum(col) for col in zip(*[r[1:] for r in city_rows], strict=True)]
        for row in city_rows:
            assert row[1:] == point_sums[row[0]]

    def test_info_list_with_a_city_filter_lists_that_city_only(self, province, tmp_path):
        write_info_list(tmp_path / "list.xlsx", 2025, city_id=city("丽水市").pk, today=TODAY)
        sheet = read_sheet(tmp_path / "list.xlsx")
        labels = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
        assert labels == ["合计", "丽水市", "庆元铅笔对外贸易预警示范点"]
        assert values(sheet, 5)[1:] == values(sheet, 6)[1:] == [3, 3, 0, 0, 0, 0, 0, 1, 2]

    def test_info_list_with_a_name_filter_lists_only_cities_with_matching_points(self, province, tmp_path):
        write_info_list(tmp_path / "list.xlsx", 2025, name="桐庐", today=TODAY)
        sheet = read_sheet(tmp_path / "list.xlsx")
        labels = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
        assert labels == ["合计", "杭州市", "桐庐笔业对外贸易预警点"]

    def test_score_records_are_the_json_objects_of_the_spec_best_first(self, province):
        records = score_records(2025, today=TODAY)
        assert [r["point"] for r in records] == [
            "建德精细化工产品对外贸易预警示范点",
            "桐庐笔业对外贸易预警点",
            "庆元铅笔对外贸易预警示范点",
        ]
        assert records[0] == {
            "point": "建德精细化工产品对外贸易预警示范点",
            "city": "杭州市",
            "a1": 5,
            "a2": 0,
            "a3": 0,
            "b1": 2,
            "b2": 4,
            "b3": 5,
            "c": 2 + 1 + 2,
            "total": 21,
            "rank": 1,
        }
        assert [(r["total"], r["rank"]) for r in records[1:]] == [(5, 2), (3, 3)]

    def test_ties_share_a_rank_in_the_json(self, province):
        # 庆元 has b1 = 3; 桐庐 has a1 = 5 (basic info and a page): make 庆元 reach 5 too
        make_exchange_report(province["qingyuan"], sh(2025, 9, 1))
        make_exchange_report(province["qingyuan"], sh(2025, 9, 2))
        records = score_records(2025, today=TODAY)
        assert [(r["total"], r["rank"]) for r in records] == [(21, 1), (5, 2), (5, 2)]

    def test_scores_xlsx_lists_items_total_rank_and_advice_best_first(self, province, tmp_path):
        write_scores(tmp_path / "scores.xlsx", 2025, today=TODAY)
        sheet = read_sheet(tmp_path / "scores.xlsx")
        assert values(sheet, 3) == [
            "排名",
            "预警点名称",
            "所属地市",
            "A1 基础信息",
            "A2 预警信息",
            "A3 工作动态",
            "B1 外网录用",
            "B2 季度分析",
            "B3 年度总结",
            "C 杂志录用及内部交流",
            "总分",
            "距下一档",
        ]
        first = values(sheet, 4)
        assert first[:11] == [1, "建德精细化工产品对外贸易预警示范点", "杭州市", 5, 0, 0, 2, 4, 5, 5, 21]
        assert "A2: 全年还差 35 条预警信息可达每月 ≥3 条，得 2 分" in first[11]
        assert sheet.max_row == 6

    def test_scores_xlsx_and_json_agree(self, province, tmp_path):
        write_scores(tmp_path / "scores.xlsx", 2025, today=TODAY)
        sheet = read_sheet(tmp_path / "scores.xlsx")
        from_xlsx = [values(sheet, r)[:11] for r in range(4, sheet.max_row + 1)]
        from_json = [
            [r["rank"], r["point"], r["city"], r["a1"], r["a2"], r["a3"], r["b1"], r["b2"], r["b3"], r["c"], r["total"]]
            for r in score_records(2025, today=TODAY)
        ]
        assert from_xlsx == from_json

    def test_export_scores_json_prints_one_json_array_on_stdout(self, province):
        out = io.StringIO()
        call_command("export_scores", "--year", "2025", "--format", "json", stdout=out)
        data = json.loads(out.getvalue())
        assert isinstance(data, list) and len(data) == 3
        assert list(data[0]) == ["point", "city", "a1", "a2", "a3", "b1", "b2", "b3", "c", "total", "rank"]
        assert [d["total"] for d in data] == sorted((d["total"] for d in data), reverse=True)

    def test_export_scores_xlsx_command_writes_the_same_rows_as_the_function(self, province, tmp_path):
        call_command("export_scores", "--year", "2025", "-o", str(tmp_path / "cmd.xlsx"), stdout=io.StringIO())
        write_scores(tmp_path / "fn.xlsx", 2025)
        a, b = read_sheet(tmp_path / "cmd.xlsx"), read_sheet(tmp_path / "fn.xlsx")
        # from row 3 on: rows 1–2 hold the title and the time exported
        assert [values(a, r) for r in range(3, a.max_row + 1)] == [values(b, r) for r in range(3, b.max_row + 1)]

    def test_export_info_list_command_writes_the_list(self, province, tmp_path):
        out = io.StringIO()
        call_command("export_info_list", "--year", "2025", "-o", str(tmp_path / "list.xlsx"), stdout=out)
        sheet = read_sheet(tmp_path / "list.xlsx")
        assert sheet.cell(row=5, column=1).value == "合计"
        assert "3 个预警点" in out.getvalue()

    def test_a_year_with_no_data_is_not_an_error(self, province, tmp_path):
        out = io.StringIO()
        call_command("export_scores", "--year", "2012", "--format", "json", stdout=out)
        assert [d["total"] for d in json.loads(out.getvalue())] == [0, 0, 0]
        call_command("export_info_list", "--year", "2012", "-o", str(tmp_path / "empty.xlsx"), stdout=io.StringIO())
        # enterprises are bound to points, not to years
        assert values(read_sheet(tmp_path / "empty.xlsx"), 5) == ["合计"] + [0] * 8 + [7]


# ---------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("export_scores", ["--year", "abc", "--format", "json"], "年度应为 2000 至 2100 之间的年份"),
        ("export_info_list", ["--year", "二〇二五", "-o", "x.xlsx"], "年度应为"),
        ("export_info_list", ["--year", "2025", "-o", "/no/such/folder/x.xlsx"], "输出目录不存在"),
        ("export_scores", ["--year", "2025", "-o", "/no/such/folder/x.xlsx"], "输出目录不存在"),
        ("export_info_list", ["--year", "2025"], "请用 -o 指定输出文件"),
        ("export_info_list", ["--year", "2025", "-o", "list.csv"], "必须以 .xlsx 结尾"),
        ("export_scores", ["--year", "2025", "--format", "csv"], "--format 只能是 xlsx 或 json"),
        ("export_scores", ["--year", "2025", "--city", "上海市", "--format", "json"], "没有名为“上海市”的地市"),
    ],
)
def test_bad_arguments_raise_a_chinese_command_error(db, command, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(command, *args, stdout=io.StringIO())


@pytest.mark.parametrize(
    "args",
    [
        ["export_scores", "--year", "abc", "--format", "json"],
        ["export_info_list", "--year", "2025", "-o", "/no/such/folder/list.xlsx"],
        ["export_scores", "--year"],
        ["export_info_list", "--colour", "red"],
        ["seed_bench", "--points", "many"],
    ],
)
def test_a_bad_argument_exits_non_zero_with_one_line_on_stderr(args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- query counts


def _spread_activity(points):
    for i, p in enumerate(points[:10]):
        make_report(p, sh(2025, 1 + i % 12, 3))
        make_quarterly(p, 2025, 1, sh(2025, 4, 3), magazine_status="adopted")


@pytest.mark.parametrize("size", [10, 300])
def test_exports_use_the_same_number_of_queries_for_10_and_300_points(db, size, django_assert_max_num_queries):
    points = make_points_bulk(size)
    _spread_activity(points)
    make_internal_report(points[-1], sh(2025, 5, 5), leader=True)
    with django_assert_max_num_queries(12):
        write_info_list(io.BytesIO(), 2025, today=TODAY)
    with django_assert_max_num_queries(10):
        write_scores(io.BytesIO(), 2025, today=TODAY)
    with django_assert_max_num_queries(10):
        score_records(2025, today=TODAY)
