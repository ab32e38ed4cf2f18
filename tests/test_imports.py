"""导入 (docs/imports.md): real xlsx / csv / zip files written in tmp, read back, checked, imported once."""

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, WorkflowState

from imports import engine, tables
from imports.history import ACTION_IMPORT
from jobs.models import MailDelivery
from subsites.models import ArticlePage, ColumnKind
from tests.factories import make_point, make_user
from warning import statistics
from warning.history import ACTION_CREATE, ACTION_EDIT
from warning.models import (
    AnnualSummary,
    ContactEnterprise,
    LeadershipMember,
    Message,
    QuarterlyAnalysis,
    ResponsiblePerson,
    StaffMember,
    WarningPoint,
    WarningReport,
)

pytestmark = pytest.mark.django_db

POINT = "测试化工产品对外贸易预警点"
REPORT_HEADERS = [
    "预警点名称",
    "标题",
    "行业",
    "国别地区",
    "作者",
    "联系电话",
    "正文",
    "提交时间",
    "审核结果",
    "审核时间",
    "推荐到杂志",
    "重要信息内部交流",
    "发布到预警工作交流",
    "外网录用时间",
    "杂志录用",
    "杂志录用时间",
    "内部交流",
    "采纳时间",
    "厅领导批示",
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def write_xlsx(path, sheets):
    """A real workbook: {sheet title: [header row, *rows]}."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def report_row(title="美国对华化工产品反倾销调查", submitted=datetime(2019, 3, 1, 9, 30), **overrides):
    values = dict(
        zip(
            REPORT_HEADERS,
            [
                POINT,
                title,
                "化工",
                "美国",
                "张三",
                "0571-87654321",
                "第一段。\n第二段。",
                submitted,
                "审核通过",
                datetime(2019, 3, 2, 10, 0),
                "是",
                "是",
                "是",
                None,
                "录用",
                datetime(2019, 4, 1, 9, 0),
                "采纳",
                "2019-04-02 15:00:00",
                "是",
            ],
            strict=True,
        )
    )
    values.update(overrides)
    return [values[h] for h in REPORT_HEADERS]


def plain_row(title, submitted, approved):
    """An approved report without options or decisions."""
    return report_row(
        title,
        submitted=submitted,
        审核时间=approved,
        推荐到杂志="否",
        重要信息内部交流="否",
        发布到预警工作交流="否",
        杂志录用=None,
        杂志录用时间=None,
        内部交流=None,
        采纳时间=None,
        厅领导批示="否",
    )


def reports_file(tmp_path, rows, name="预警信息.xlsx"):
    return write_xlsx(tmp_path / name, {"预警信息": [REPORT_HEADERS, *rows]})


def run(group, path, **kwargs):
    return engine.run_import(group, tables.read_path(path), **kwargs)


@pytest.fixture
def point(db):
    return make_point(name=POINT)


def local(value):
    return value.astimezone(statistics.SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------- dry run and refusals


def test_a_dry_run_lists_every_refused_row_with_row_column_and_reason_and_changes_nothing(point, tmp_path):
    path = reports_file(
        tmp_path,
        [
            report_row("好的一行"),
            report_row("没有这个预警点", 预警点名称="不存在的预警点"),
            report_row("时间写错了", 提交时间="2019年3月某日"),
            report_row("是否写错了", 推荐到杂志="可以"),
            report_row("没推荐却录用", 推荐到杂志="否"),
            report_row("批示但未采纳", 内部交流="不采纳"),
            report_row("好的一行"),
        ],
    )
    result = run("reports", path, dry_run=True)
    assert not result.ok
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "预警点名称", "系统中没有名为“不存在的预警点”的预警点，请先导入预警点"),
        (4, "提交时间", "时间格式应为“2019-01-22 11:10:26”，收到“2019年3月某日”"),
        (5, "推荐到杂志", "应填“是”或“否”，收到“可以”"),
        (6, "杂志录用", "未选择“推荐到杂志”，此列应留空"),
        (7, "厅领导批示", "只有内部交流已采纳的信息才能获得厅领导批示"),
        (8, "", "与第 2 行是同一条预警信息（重复）"),
    ]
    assert all(p.sheet == "预警信息" for p in result.problems)
    assert WarningReport.objects.count() == 0


def test_a_dry_run_of_a_good_file_says_what_each_row_would_do_and_writes_nothing(point, tmp_path):
    result = run("reports", reports_file(tmp_path, [report_row("一"), report_row("二")]), dry_run=True)
    assert result.ok and not result.written
    assert result.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert WarningReport.objects.count() == 0
    assert not ModelLogEntry.objects.filter(action=ACTION_IMPORT).exists()


def test_one_refused_row_keeps_the_whole_file_out(point, tmp_path):
    path = reports_file(tmp_path, [report_row("一"), report_row("二", 审核时间=datetime(2019, 2, 1))])
    result = run("reports", path)
    assert [(p.row, p.column) for p in result.problems] == [(3, "审核时间")]
    assert "不能早于提交时间" in result.problems[0].reason
    assert not result.written
    assert WarningReport.objects.count() == 0


# ---------------------------------------------------------------- what is written


def test_a_report_keeps_its_outcome_options_decisions_and_every_timestamp(point, tmp_path):
    run("reports", reports_file(tmp_path, [report_row()]))
    report = WarningReport.objects.get()
    assert report.point == point
    assert report.stage == WarningReport.Stage.APPROVED
    assert local(report.submitted_at) == "2019-03-01 09:30:00"
    assert local(report.approved_at) == "2019-03-02 10:00:00"
    assert (report.to_magazine, report.to_internal, report.to_exchange) == (True, True, True)
    # 外网录用时间 left blank: the exchange publication is the provincial approval's
    assert local(report.exchange_published_at) == "2019-03-02 10:00:00"
    assert (report.magazine_status, local(report.magazine_decided_at)) == ("adopted", "2019-04-01 09:00:00")
    assert (report.internal_status, local(report.internal_decided_at)) == ("adopted", "2019-04-02 15:00:00")
    assert report.leader_instruction
    assert report.body == "<p>第一段。</p><p>第二段。</p>"
    assert report.country == "US"
    assert report.live and report.live_revision_id


def test_a_rejected_report_is_stored_as_rejected_and_not_counted(point, tmp_path):
    row = report_row(
        "不予通过的信息",
        审核结果="不予通过",
        推荐到杂志="否",
        重要信息内部交流="否",
        发布到预警工作交流="否",
        杂志录用=None,
        杂志录用时间=None,
        内部交流=None,
        采纳时间=None,
        厅领导批示="否",
    )
    assert run("reports", reports_file(tmp_path, [row])).ok
    report = WarningReport.objects.get()
    assert report.stage == WarningReport.Stage.REJECTED and not report.live
    assert statistics.records("reports", 2019, point.pk) == []


def test_imported_items_never_enter_a_workflow_and_notify_nobody(
    point, tmp_path, database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    make_user("point", point=point)
    make_user("province")
    make_user("magazine")
    with django_capture_on_commit_callbacks(execute=True):
        run("reports", reports_file(tmp_path, [report_row("一"), report_row("二")]))
    assert WarningReport.objects.count() == 2
    assert not WorkflowState.objects.exists()
    assert not Message.objects.exists()
    assert mail.outbox == []
    assert not DBTaskResult.objects.filter(task_path__contains="mail").exists()
    assert not MailDelivery.objects.exists()


def test_every_imported_item_says_in_its_history_from_which_file_and_row_it_came(point, tmp_path):
    user = make_user("province")
    run("reports", reports_file(tmp_path, [report_row("一")], name="旧平台2019.xlsx"), user=user)
    report = WarningReport.objects.get()
    (entry,) = ModelLogEntry.objects.filter(action=ACTION_IMPORT, object_id=str(report.pk))
    assert entry.data["file"] == "旧平台2019.xlsx" and entry.data["row"] == 2
    assert entry.user == user
    assert entry.message == "导入：旧平台2019.xlsx（预警信息 第 2 行）"


def test_importing_the_same_file_twice_changes_nothing(point, tmp_path):
    path = reports_file(tmp_path, [report_row("一"), report_row("二")])
    first = run("reports", path)
    assert first.counts["new"] == 2
    before = (WarningReport.objects.count(), ModelLogEntry.objects.count())
    second = run("reports", path)
    assert second.ok and second.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert (WarningReport.objects.count(), ModelLogEntry.objects.count()) == before


def test_an_existing_report_that_differs_is_refused_not_overwritten(point, tmp_path):
    run("reports", reports_file(tmp_path, [report_row("一")]))
    result = run("reports", reports_file(tmp_path, [report_row("一", 作者="李四")], name="改过.xlsx"))
    assert [(p.row, p.column) for p in result.problems] == [(2, "")]
    assert "作者与文件不同" in result.problems[0].reason
    assert WarningReport.objects.get().author == "张三"


def test_the_same_title_at_another_time_is_another_report(point, tmp_path):
    rows = [
        plain_row("测试", datetime(2019, 5, 10, 9, 14, 33), "2019-05-11 20:28:53"),
        plain_row("测试", "2019-05-10 09:16:38", "2019-05-11 20:28:53"),
    ]
    assert run("reports", reports_file(tmp_path, rows)).counts["new"] == 2


# ---------------------------------------------------------------- counted by the same rules


def test_imported_items_are_counted_by_the_years_of_their_original_dates(point, tmp_path):
    # 23:30 on 31 December in Shanghai is 15:30 UTC: still 2019
    assert run("reports", reports_file(tmp_path, [plain_row("年末", "2019-12-31 23:30:00", "2020-01-02 09:00:00")])).ok
    write_xlsx(
        tmp_path / "a.xlsx",
        {
            "子网站文章": [
                ["预警点名称", "栏目", "标题", "首次发布时间", "正文"],
                [POINT, "预警信息", "元旦零点后", "2020-01-01 00:10:00", "正文"],
                [POINT, "工作动态", "年内", "2019-06-01 10:00:00", "正文"],
            ]
        },
    )
    assert run("articles", tmp_path / "a.xlsx").ok
    write_xlsx(
        tmp_path / "q.xlsx",
        {
            "季度形势分析": [
                ["预警点名称", "年度", "季度", "标题", "内容", "提交时间"],
                [POINT, 2019, 3, "按期", "内容", "2020-01-20 23:59:59"],
                [POINT, 2019, 4, "过了1月20日", "内容", "2020-01-21 00:00:00"],
            ]
        },
    )
    assert run("quarterlies", tmp_path / "q.xlsx").ok
    counts_2019 = [r for r in statistics.point_rows(2019) if r.point_id == point.pk][0].counts
    counts_2020 = [r for r in statistics.point_rows(2020) if r.point_id == point.pk][0].counts
    assert counts_2019["reports"] == 1 and counts_2020["reports"] == 0
    assert (counts_2019["warning_pages"], counts_2019["news_pages"]) == (0, 1)
    assert counts_2020["warning_pages"] == 1
    assert counts_2019["quarterlies"] == 1  # the window closes with 20 January (docs/statistics.md)
    page = ArticlePage.objects.get(title="元旦零点后")
    assert local(page.first_published_at) == "2020-01-01 00:10:00"
    assert page.live and page.point == point and page.column_kind == ColumnKind.WARNING
    assert str(page.date) == "2020-01-01"
    assert PageLogEntry.objects.filter(page=page, action=ACTION_IMPORT).count() == 1
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()


# ---------------------------------------------------------------- points and their people

POINT_HEADERS = [
    "预警点名称",
    "承办单位名称",
    "批次",
    "成立时间",
    "联系地址",
    "办公电话",
    "电子邮箱",
    "所属地市",
    "所在区县",
]


def points_workbook(path, phone="0571-64712345"):
    return write_xlsx(
        path,
        {
            "预警点": [
                [*POINT_HEADERS, "所属行业", "是否成立党建组织"],
                [
                    "新导入的预警点",
                    "某行业协会",
                    2,
                    2016,
                    "某地址1号",
                    phone,
                    "a@example.com",
                    "杭州市",
                    "建德市",
                    "化工",
                    "是",
                ],
            ],
            "负责人": [["预警点名称", "姓名", "手机"], ["新导入的预警点", "王五", "13900000000"]],
            "工作人员": [["预警点名称", "姓名", "职务"], ["新导入的预警点", "赵六", "科员"]],
            "联系企业": [["预警点名称", "企业名称", "联系人"], ["新导入的预警点", "某某化工有限公司", "钱七"]],
            "领导小组": [["预警点名称", "职位", "姓名"], ["新导入的预警点", "组长", "孙八"]],
        },
    )


def test_a_points_workbook_brings_each_point_with_its_people_enterprises_and_leadership(tmp_path):
    result = run("points", points_workbook(tmp_path / "points.xlsx"))
    assert result.ok and result.counts["new"] == 5
    point = WarningPoint.objects.get(name="新导入的预警点")
    assert point.subsite is not None  # provisioned as for a point made in the admin
    assert point.district.name == "建德市" and point.batch == 2 and point.has_party_organisation
    assert list(ResponsiblePerson.objects.filter(point=point).values_list("name", "mobile")) == [
        ("王五", "13900000000")
    ]
    assert StaffMember.objects.get(point=point).title == "科员"
    assert ContactEnterprise.objects.get(point=point).contact == "钱七"
    assert LeadershipMember.objects.get(point=point).role == LeadershipMember.Role.LEADER
    assert ModelLogEntry.objects.filter(object_id=str(point.pk), action=ACTION_CREATE).count() == 1
    assert ModelLogEntry.objects.filter(object_id=str(point.pk), action=ACTION_IMPORT).count() == 5


def test_a_changed_point_is_updated_with_its_change_history_and_an_unchanged_one_left_alone(tmp_path):
    run("points", points_workbook(tmp_path / "points.xlsx"))
    again = run("points", points_workbook(tmp_path / "points.xlsx"))
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 5}
    changed = run("points", points_workbook(tmp_path / "points2.xlsx", phone="0571-64700000"))
    assert changed.counts == {"new": 0, "changed": 1, "unchanged": 4}
    assert [(p.kind.label, p.changed_columns) for p in changed.rows if p.status == "changed"] == [
        ("预警点", ["办公电话"])
    ]
    point = WarningPoint.objects.get(name="新导入的预警点")
    assert point.phone == "0571-64700000"
    edit = ModelLogEntry.objects.filter(object_id=str(point.pk), action=ACTION_EDIT).latest("pk")
    assert [(c["field"], c["old"], c["new"]) for c in edit.data["changes"]] == [
        ("办公电话", "0571-64712345", "0571-64700000")
    ]


def test_a_point_row_with_unknown_region_and_bad_phone_is_refused_by_column(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "预警点": [
                [*POINT_HEADERS, "是否成立党建组织"],
                ["甲", "协会", 1, 2016, "地址", "0571-64712345", "a@example.com", "火星市", "某区", "否"],
                ["乙", "协会", 1, 2016, "地址", "12345", "a@example.com", "杭州市", "建德市", "否"],
            ]
        },
    )
    result = run("points", path)
    assert [(p.row, p.column) for p in result.problems] == [(2, "所属地市"), (3, "办公电话")]
    assert not WarningPoint.objects.filter(name__in=["甲", "乙"]).exists()


# ---------------------------------------------------------------- periodic reports and their files


def periodic_zip(path, *, attachment=PDF):
    table = io.BytesIO()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["预警点名称", "年度", "季度", "标题", "内容", "附件", "提交时间", "杂志录用", "录用时间"])
    sheet.append(
        [POINT, 2019, 1, "一季度分析", "内容", "附件/一季度.pdf", "2019-04-10 10:00:00", "录用", "2019-05-01 09:00:00"]
    )
    book.save(table)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2019/季度形势分析.xlsx", table.getvalue())
        if attachment is not None:
            archive.writestr("2019/附件/一季度.pdf", attachment)
    return path


def test_a_zip_brings_the_periodic_reports_with_their_files(point, tmp_path):
    result = run("quarterlies", periodic_zip(tmp_path / "q.zip"))
    assert result.ok, [str(p) for p in result.problems]
    analysis = QuarterlyAnalysis.objects.get()
    assert (analysis.year, analysis.quarter, analysis.magazine_status) == (2019, 1, "adopted")
    assert local(analysis.magazine_decided_at) == "2019-05-01 09:00:00"
    with analysis.attachment.open() as handle:
        assert handle.read() == PDF
    assert analysis.attachment.name.endswith(".pdf") and "一季度" not in analysis.attachment.name
    counts = [r for r in statistics.point_rows(2019) if r.point_id == point.pk][0].counts
    assert (counts["quarterlies"], counts["quarterly_magazine"]) == (1, 1)


@pytest.mark.parametrize(
    ("attachment", "reason"),
    [(None, "找不到附件“附件/一季度.pdf”"), (b"not a pdf at all", "附件内容不是有效的")],
)
def test_a_missing_or_false_attachment_refuses_its_row(point, tmp_path, attachment, reason):
    result = run("quarterlies", periodic_zip(tmp_path / "q.zip", attachment=attachment))
    assert [(p.row, p.column) for p in result.problems] == [(2, "附件")]
    assert result.problems[0].reason.startswith(reason)
    assert not QuarterlyAnalysis.objects.exists()


def test_an_attachment_named_in_a_bare_uploaded_table_asks_for_a_zip(point, tmp_path):
    table = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["预警点名称", "年度", "标题", "内容", "附件", "提交时间"])
    book.active.append([POINT, 2019, "总结", "内容", "总结.pdf", "2020-01-10 10:00:00"])
    book.save(table)
    result = engine.run_import("summaries", tables.read_bytes("总结.xlsx", table.getvalue()))
    assert [(p.column, p.reason) for p in result.problems] == [("附件", "附件须与表格一起打包为 zip 文件上传")]


def test_attachments_are_read_beside_a_table_on_disk_and_summaries_keep_their_dates(point, tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "总结.pdf").write_bytes(PDF)
    (tmp_path / "s.csv").write_text(
        f"预警点名称,年度,标题,内容,附件,提交时间\n{POINT},2019,2019年度工作总结,内容,files/总结.pdf,2020-01-20 23:00:00\n",
        encoding="gb18030",  # as Excel writes csv on a Chinese Windows
    )
    assert run("summaries", tmp_path / "s.csv").ok
    summary = AnnualSummary.objects.get()
    assert summary.title == "2019年度工作总结" and summary.attachment
    assert [r for r in statistics.point_rows(2019) if r.point_id == point.pk][0].counts["summaries_on_time"] == 1


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("数据.txt", b"abc", "文件格式不支持"),
        ("数据.xlsx", b"PK\x03\x04 broken", "无法读取该 xlsx 文件"),
        ("数据.zip", b"not a zip", "无法读取该 zip 文件"),
        ("数据.csv", b"", "文件是空的"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_chinese_reason(name, data, reason):
    with pytest.raises(tables.FileRefused, match=reason):
        tables.read_bytes(name, data)


def test_a_file_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 10)
    with pytest.raises(tables.FileRefused, match="文件不能超过"):
        tables.read_bytes("数据.csv", "预警点名称\n".encode() + b"x" * 20)


def test_wrong_headers_refuse_the_file_before_any_row(point, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"Sheet": [["预警点名称", "题目", "提交时间"], [POINT, "x", "2019-01-01"]]})
    result = run("reports", path)
    reasons = [p.reason for p in result.problems]
    assert reasons[0].startswith("缺少必需的列：标题、行业、国别地区")
    assert reasons[1] == "无法识别的列：题目（预警信息表）"
    assert all(p.row == 1 for p in result.problems)


# ---------------------------------------------------------------- the command


def test_the_command_dry_run_prints_the_refusals_and_fails(point, tmp_path):
    path = reports_file(tmp_path, [report_row("一", 提交时间=None)])
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 处问题，未导入任何数据"):
        call_command("import_records", "reports", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "工作表“预警信息”第 2 行“提交时间”列：不能为空" in out.getvalue()


def test_the_command_imports_and_reports_progress_on_stderr(point, tmp_path):
    err, out = io.StringIO(), io.StringIO()
    call_command("import_records", "reports", str(reports_file(tmp_path, [report_row("一")])), stdout=out, stderr=err)
    assert "已写入 1/1 行" in err.getvalue()
    assert "新增 1 行" in out.getvalue()
    assert WarningReport.objects.count() == 1


def test_the_command_refuses_a_missing_file():
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_records", "reports", "/nonexistent/x.xlsx")


# ---------------------------------------------------------------- the admin screens


def upload(client, path, kind="reports"):
    with open(path, "rb") as handle:
        return client.post(reverse("imports:index"), {"kind": kind, "file": handle})


def test_the_province_uploads_sees_the_dry_run_and_confirms(client, point, tmp_path):
    client.force_login(make_user("province"))
    assert client.get(reverse("imports:index")).status_code == 200
    response = upload(client, reports_file(tmp_path, [report_row("一"), report_row("二")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "确认导入" in html and "新增 <strong>2</strong> 行" in html
    assert WarningReport.objects.count() == 0  # checked, not written
    token = response.context["token"]
    done = client.post(reverse("imports:confirm"), {"token": token})
    assert done.status_code == 200
    assert "已导入" in done.content.decode() and "新增 <strong>2</strong> 行" in done.content.decode()
    assert WarningReport.objects.count() == 2
    again = client.post(reverse("imports:confirm"), {"token": token})
    assert again.status_code == 302 and WarningReport.objects.count() == 2


def test_the_upload_screen_lists_refused_rows_and_offers_no_confirmation(client, point, tmp_path):
    client.force_login(make_user("province"))
    response = upload(client, reports_file(tmp_path, [report_row("一", 国别地区="火星")]))
    html = response.content.decode()
    assert "“火星”不是国别地区表中的名称" in html and "国别地区" in html
    assert "确认导入" not in html and "token" not in response.context
    assert WarningReport.objects.count() == 0


def test_a_broken_file_gets_a_chinese_message_on_the_upload_screen(client, tmp_path):
    client.force_login(make_user("province"))
    broken = tmp_path / "坏的.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    response = upload(client, broken)
    assert response.status_code == 400
    assert "无法读取该 xlsx 文件" in response.content.decode()


@pytest.mark.parametrize("role", ["point", "city", "magazine"])
def test_other_roles_get_the_403_page(client, point, role, tmp_path):
    user = make_user(role, point=point) if role == "point" else make_user(role)
    client.force_login(user)
    assert client.get(reverse("imports:index")).status_code == 403
    response = upload(client, reports_file(tmp_path, [report_row("一")]))
    assert response.status_code == 403 and "只有预警工作联系人可以导入历史数据" in response.content.decode()
    assert client.post(reverse("imports:confirm"), {"token": "x"}).status_code == 403
    assert WarningReport.objects.count() == 0


def test_a_checked_file_is_deleted_once_confirmed_and_an_unconfirmed_one_after_a_day(client, point, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from imports import views
    from warning.storage import private_storage

    client.force_login(make_user("province"))
    storage = private_storage()
    first = upload(client, reports_file(tmp_path, [report_row("一")]))
    stored = client.session[views.SESSION_KEY][first.context["token"]]["stored"]
    assert storage.exists(stored)
    client.post(reverse("imports:confirm"), {"token": first.context["token"]})
    assert not storage.exists(stored)
    second = upload(client, reports_file(tmp_path, [report_row("二")]))
    stored = client.session[views.SESSION_KEY][second.context["token"]]["stored"]
    assert views.prune_pending() == 0 and storage.exists(stored)
    assert views.prune_pending(now=timezone.now() + timedelta(days=2)) == 1
    assert not storage.exists(stored)


def test_the_menu_entry_is_the_provinces_only(point):
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    def labels(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.label for item in admin_menu.menu_items_for_request(request)}

    assert "数据导入" in labels(make_user("province"))
    for user in (make_user("point", point=point), make_user("city"), make_user("magazine")):
        assert "数据导入" not in labels(user)
