"""The kinds of record an import brings in: their Chinese columns, natural keys, checks and writes.

Each kind is one table (one csv file, or one sheet of an xlsx workbook).
A kind reads a row into values (cells.py), checks them against the
database and the rules below, says whether the row is new, changes an
existing item or is already there unchanged (its natural key), and writes it.

The rules (docs/imports.md states them for the people preparing the files):

- 预警点 are found by 预警点名称; a row for an existing point updates it, and
  the change is logged in its 变更历史 like an edit in the admin. 负责人,
  工作人员 and 领导小组成员 are found by point + 姓名, 联系企业 by point + 企业名称.
- 预警信息 are found by point + 标题 + 提交时间; 季度形势分析 by point + 年度 +
  季度; 年度工作总结 by point + 年度; subsite articles by point + 栏目 + 标题 +
  首次发布时间. Such an item that is already there identically is left alone;
  one that differs is refused (history is corrected in the admin, not by
  importing over it).
- A report carries its final outcome (审核通过 or 不予通过): it is stored in
  that state, never in a workflow, and its later decisions must be
  consistent with the options chosen at 审核通过 (docs/review.md).
"""

import html
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.models import Page

from subsites.models import ArticlePage, ColumnIndexPage, ColumnKind
from warning import history as point_history
from warning.countries import COUNTRIES
from warning.models import (
    AnnualSummary,
    City,
    ContactEnterprise,
    District,
    Industry,
    LeadershipMember,
    QuarterlyAnalysis,
    ResponsiblePerson,
    StaffMember,
    WarningPoint,
    WarningReport,
)
from warning.validators import validate_attachment

from . import cells
from .cells import SHANGHAI, CellError

POINT_HEADER = "预警点名称"
COUNTRY_CODES = {name: code for code, name in COUNTRIES}


@dataclass(frozen=True)
class Column:
    header: str
    name: str
    parse: Any  # raw cell → value, raising CellError
    required: bool = False  # the column must be present in the header row


class RowRefused(Exception):
    """A row cannot be imported: problems as [(column header, Chinese reason)]."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def paragraphs(value):
    """Plain text (one paragraph per line) as the rich text the site stores."""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _t(max_length=None, required=False):
    return lambda v: cells.text(v, max_length=max_length, required=required)


def _choice(labels, default=None, required=False):
    return lambda v: cells.choice(v, labels, default=default, required=required)


def _labels(choices, skip=("",)):
    return {str(label): value for value, label in choices if value not in skip}


class Context:
    """What the rows of one file share: the file, the user, and the points named so far."""

    def __init__(self, source, user=None):
        self.source = source
        self.user = user
        self.planned_points = set()  # names of points this file creates (earlier sheets)
        self._points = {}

    def point(self, name):
        if name not in self._points:
            self._points[name] = WarningPoint.objects.select_related("subsite").filter(name=name).first()
        return self._points[name]

    def forget_points(self):
        self._points.clear()

    def require_point(self, name):
        point = self.point(name)
        if point is None:
            raise RowRefused([(POINT_HEADER, f"系统中没有名为“{name}”的预警点，请先导入预警点")])
        return point


def _model_problems(exc, headers):
    """A model's ValidationError as [(header, reason)], fields mapped to their columns."""
    problems = []
    for field_name, messages in exc.message_dict.items():
        header = headers.get(field_name, "")
        problems.extend((header, str(message).rstrip("。")) for message in messages)
    return problems


def _differences(obj, values, headers):
    """Headers of the columns whose value differs from what `obj` holds."""
    return [header for name, header in headers.items() if name in values and getattr(obj, name) != values[name]]


class Kind:
    key = ""
    label = ""
    columns = ()
    # updates: an existing item that differs is updated (registry data); otherwise it is refused.
    updates = False

    @property
    def headers(self):
        return {c.name: c.header for c in self.columns}

    def natural_key(self, values):
        raise NotImplementedError

    def check(self, values, ctx):
        """Complete `values` (objects for names) or raise RowRefused."""
        return values

    def existing(self, values, ctx):
        return None

    def differences(self, obj, values):
        return _differences(obj, values, self.headers)

    def describe(self, values):
        return str(values.get("title") or values.get("name") or "")

    def write(self, values, obj, ctx, mark):
        """Create (obj None) or update obj from values; `mark(instance)` logs the 导入 entry."""
        raise NotImplementedError


# ---------------------------------------------------------------- registry


class PointKind(Kind):
    key = "points"
    label = "预警点"
    updates = True
    columns = (
        Column(POINT_HEADER, "name", _t(100, True), True),
        Column("承办单位名称", "host_organisation", _t(100, True), True),
        Column("类型", "category", _choice(_labels(WarningPoint.Category.choices), WarningPoint.Category.PROVINCIAL)),
        Column("批次", "batch", lambda v: cells.integer(v, minimum=1, maximum=99, required=True), True),
        Column(
            "成立时间", "established_year", lambda v: cells.integer(v, minimum=1990, maximum=2100, required=True), True
        ),
        Column("批准文号", "approval_number", _t(50)),
        Column("联系地址", "address", _t(200, True), True),
        Column("办公电话", "phone", _t(30, True), True),
        Column("传真", "fax", _t(30)),
        Column("预警点网址", "website", _t(200)),
        Column("电子邮箱", "email", _t(254, True), True),
        Column("状态", "status", _choice(_labels(WarningPoint.Status.choices), WarningPoint.Status.OFFICIAL)),
        Column("所属地市", "city", _t(20, True), True),
        Column("所在区县", "district", _t(30, True), True),
        Column("所属行业", "industry", _t(30)),
        Column("是否成立党建组织", "has_party_organisation", lambda v: cells.yes_no(v), True),
        Column("党员数量", "party_member_count", lambda v: cells.integer(v, minimum=0, maximum=100000)),
    )

    def natural_key(self, values):
        return (values["name"],)

    def check(self, values, ctx):
        problems = []
        city = City.objects.filter(name=values["city"]).first()
        district = None
        if city is None:
            problems.append(("所属地市", f"没有名为“{values['city']}”的地市"))
        else:
            district = District.objects.filter(city=city, name=values["district"]).first()
            if district is None:
                problems.append(("所在区县", f"{city.name}没有名为“{values['district']}”的区县"))
        industry = None
        if values["industry"]:
            industry = Industry.objects.filter(name=values["industry"]).first()
            if industry is None:
                problems.append(("所属行业", f"没有名为“{values['industry']}”的行业"))
        if problems:
            raise RowRefused(problems)
        fields = {k: v for k, v in values.items() if k not in ("city",)}
        fields.update(district=district, industry=industry)
        candidate = WarningPoint(**fields)
        try:
            candidate.full_clean(exclude=["subsite"], validate_unique=False)
        except ValidationError as exc:
            raise RowRefused(_model_problems(exc, self.headers | {"district": "所在区县"})) from None
        ctx.planned_points.add(values["name"])
        return fields

    def existing(self, values, ctx):
        return ctx.point(values["name"])

    def write(self, values, obj, ctx, mark):
        if obj is None:
            point = WarningPoint.objects.create(**values)
            point_history.record_creation(point, user=ctx.user)
        else:
            point = obj
            for name, value in values.items():
                setattr(point, name, value)
            point_history.save_with_history(point, point.save, user=ctx.user)
        mark(point)
        return point


class PointRowKind(Kind):
    """A related row of a point (负责人, 工作人员, 联系企业, 领导小组成员), found by point + its name."""

    model = None
    updates = True

    def natural_key(self, values):
        return (values["point_name"], values["name"])

    def describe(self, values):
        return f"{values['point_name']} · {values['name']}"

    def check(self, values, ctx):
        point_name = values["point_name"]
        if point_name not in ctx.planned_points:
            ctx.require_point(point_name)
        fields = {k: v for k, v in values.items() if k != "point_name"}
        try:
            self.model(**fields).full_clean(exclude=["point", "sort_order"])
        except ValidationError as exc:
            raise RowRefused(_model_problems(exc, self.headers)) from None
        return values

    def differences(self, obj, values):
        return _differences(obj, {k: v for k, v in values.items() if k != "point_name"}, self.headers)

    def existing(self, values, ctx):
        point = ctx.point(values["point_name"])
        if point is None:
            return None
        return self.model.objects.filter(point=point, name=values["name"]).first()

    def write(self, values, obj, ctx, mark):
        point = ctx.require_point(values["point_name"])
        fields = {k: v for k, v in values.items() if k != "point_name"}

        def save():
            if obj is None:
                count = self.model.objects.filter(point=point).count()
                return self.model.objects.create(point=point, sort_order=count, **fields)
            for name, value in fields.items():
                setattr(obj, name, value)
            obj.save()
            return obj

        row = point_history.save_with_history(point, save, user=ctx.user)
        mark(point)
        return row


def _person_columns():
    return (
        Column(POINT_HEADER, "point_name", _t(100, True), True),
        Column("姓名", "name", _t(30, True), True),
        Column("职务", "title", _t(50)),
        Column("办公电话", "phone", _t(30)),
        Column("手机", "mobile", _t(20)),
        Column("电子邮箱", "email", _t(254)),
    )


class ResponsibleKind(PointRowKind):
    key, label, model = "responsible", "负责人", ResponsiblePerson
    columns = _person_columns()


class StaffKind(PointRowKind):
    key, label, model = "staff", "工作人员", StaffMember
    columns = _person_columns()


class EnterpriseKind(PointRowKind):
    key, label, model = "enterprises", "联系企业", ContactEnterprise
    columns = (
        Column(POINT_HEADER, "point_name", _t(100, True), True),
        Column("企业名称", "name", _t(100, True), True),
        Column("联系人", "contact", _t(30)),
        Column("联系电话", "phone", _t(30)),
        Column("主要产品", "products", _t(200)),
    )


class LeadershipKind(PointRowKind):
    key, label, model = "leadership", "领导小组", LeadershipMember
    columns = (
        Column(POINT_HEADER, "point_name", _t(100, True), True),
        Column("职位", "role", _choice(_labels(LeadershipMember.Role.choices), LeadershipMember.Role.MEMBER)),
        Column("姓名", "name", _t(30, True), True),
        Column("职务", "position", _t(50)),
        Column("单位/企业", "organisation", _t(100)),
    )


# ---------------------------------------------------------------- shared checks


def _industry(name, header, required):
    if not name:
        if required:
            raise RowRefused([(header, "不能为空")])
        return None
    industry = Industry.objects.filter(name=name).first()
    if industry is None:
        raise RowRefused([(header, f"没有名为“{name}”的行业")])
    return industry


def _country(value, header, required):
    if not value:
        if required:
            raise RowRefused([(header, "不能为空")])
        return ""
    if value in COUNTRY_CODES:
        return COUNTRY_CODES[value]
    if value.upper() in dict(COUNTRIES):
        return value.upper()
    raise RowRefused([(header, f"“{value}”不是国别地区表中的名称（例如 美国、欧盟、亚洲）")])


def _not_before(problems, values, later, earlier, headers, *, required_earlier=True):
    if values.get(later) and values.get(earlier) and values[later] < values[earlier]:
        problems.append((headers[later], f"不能早于{headers[earlier]}（{values[earlier]:%Y-%m-%d %H:%M:%S}）"))


def _when(value):
    return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if value else ""


# ---------------------------------------------------------------- reports

APPROVED, REJECTED = WarningReport.Stage.APPROVED, WarningReport.Stage.REJECTED
PENDING, ADOPTED, DECLINED = (
    WarningReport.Decision.PENDING,
    WarningReport.Decision.ADOPTED,
    WarningReport.Decision.DECLINED,
)


class ReportKind(Kind):
    key = "reports"
    label = "预警信息"
    columns = (
        Column(POINT_HEADER, "point_name", _t(100, True), True),
        Column("标题", "title", _t(200, True), True),
        Column("行业", "industry", _t(30, True), True),
        Column("国别地区", "country", _t(50, True), True),
        Column("作者", "author", _t(50, True), True),
        Column("联系电话", "phone", _t(30, True), True),
        Column("正文", "body", _t(None, True), True),
        Column("提交时间", "submitted_at", lambda v: cells.moment(v, required=True), True),
        Column("审核结果", "stage", _choice({"审核通过": APPROVED, "不予通过": REJECTED}, required=True), True),
        Column("审核时间", "approved_at", cells.moment, True),
        Column("审核意见", "comment", _t(2000)),
        Column("推荐到杂志", "to_magazine", cells.yes_no),
        Column("重要信息内部交流", "to_internal", cells.yes_no),
        Column("发布到预警工作交流", "to_exchange", cells.yes_no),
        Column("外网录用时间", "exchange_published_at", cells.moment),
        Column("杂志录用", "magazine_status", _choice({"未处理": PENDING, "录用": ADOPTED, "不录用": DECLINED})),
        Column("杂志录用时间", "magazine_decided_at", cells.moment),
        Column("内部交流", "internal_status", _choice({"未处理": PENDING, "采纳": ADOPTED, "不采纳": DECLINED})),
        Column("采纳时间", "internal_decided_at", cells.moment),
        Column("厅领导批示", "leader_instruction", cells.yes_no),
    )
    compared = (
        "industry",
        "country",
        "author",
        "phone",
        "body",
        "stage",
        "approved_at",
        "to_magazine",
        "to_internal",
        "to_exchange",
        "exchange_published_at",
        "magazine_status",
        "magazine_decided_at",
        "internal_status",
        "internal_decided_at",
        "leader_instruction",
    )

    def natural_key(self, values):
        return (values["point_name"], values["title"], values["submitted_at"])

    def describe(self, values):
        return f"{values['title']}（{_when(values['submitted_at'])}）"

    def check(self, values, ctx):
        h = self.headers
        values["point"] = ctx.require_point(values["point_name"])
        values["industry"] = _industry(values["industry"], h["industry"], True)
        values["country"] = _country(values["country"], h["country"], True)
        values["body"] = paragraphs(values["body"])
        problems = []
        if values["stage"] == APPROVED:
            if values["approved_at"] is None:
                problems.append((h["approved_at"], "审核通过的预警信息须填写审核时间"))
            _not_before(problems, values, "approved_at", "submitted_at", h)
            self._check_decision(problems, values, "to_magazine", "magazine_status", "magazine_decided_at", "录用")
            self._check_decision(problems, values, "to_internal", "internal_status", "internal_decided_at", "采纳")
            if values["to_exchange"]:
                _not_before(problems, values, "exchange_published_at", "submitted_at", h)
                values["exchange_published_at"] = values["exchange_published_at"] or values["approved_at"]
            elif values["exchange_published_at"]:
                problems.append((h["exchange_published_at"], "未发布到预警工作交流，外网录用时间应留空"))
            if values["leader_instruction"] and values["internal_status"] != ADOPTED:
                problems.append((h["leader_instruction"], "只有内部交流已采纳的信息才能获得厅领导批示"))
        else:
            values["approved_at"] = None  # kept in the 导入 log entry, not as a provincial approval
            for name in ("to_magazine", "to_internal", "to_exchange", "leader_instruction"):
                if values[name]:
                    problems.append((h[name], "不予通过的预警信息不能有此选项"))
            for name in ("exchange_published_at", "magazine_status", "magazine_decided_at"):
                if values[name]:
                    problems.append((h[name], "不予通过的预警信息此列应留空"))
            for name in ("internal_status", "internal_decided_at"):
                if values[name]:
                    problems.append((h[name], "不予通过的预警信息此列应留空"))
            values["magazine_status"] = values["internal_status"] = ""
        if problems:
            raise RowRefused(problems)
        return values

    def _check_decision(self, problems, values, option, status, decided_at, word):
        h = self.headers
        if not values[option]:
            values[status] = values[status] or ""
            if values[status] or values[decided_at]:
                problems.append((h[status] if values[status] else h[decided_at], f"未选择“{h[option]}”，此列应留空"))
            return
        values[status] = values[status] or PENDING
        if values[status] == PENDING:
            if values[decided_at]:
                problems.append((h[decided_at], f"尚未{word}或不{word}，此列应留空"))
        elif values[decided_at] is None:
            problems.append((h[decided_at], f"已作出{word}决定，须填写时间"))
        else:
            _not_before(problems, values, decided_at, "approved_at", h)

    def existing(self, values, ctx):
        return WarningReport.objects.filter(
            point=values["point"], title=values["title"], submitted_at=values["submitted_at"]
        ).first()

    def differences(self, obj, values):
        h = self.headers
        return [h[name] for name in self.compared if getattr(obj, name) != values[name]]

    def write(self, values, obj, ctx, mark):
        fields = {k: v for k, v in values.items() if k not in ("point_name", "comment")}
        report = WarningReport(**fields, live=False)
        report.save()
        revision = report.save_revision(user=None, clean=False, log_action=False)
        if report.stage == APPROVED:
            # The approved text is the live one, as the provincial 通过 leaves it (warning/review.py).
            revision.publish(user=None, skip_permission_checks=True, log_action=False)
            WarningReport.objects.filter(pk=report.pk).update(
                first_published_at=report.approved_at, last_published_at=report.approved_at
            )
        mark(report, extra={"审核意见": values["comment"]} if values["comment"] else None)
        return report


# ---------------------------------------------------------------- periodic reports


def _attachment(values, ctx, header):
    relative = values.get("attachment")
    if not relative:
        return None
    if not ctx.source.can_hold_attachments:
        raise RowRefused([(header, "附件须与表格一起打包为 zip 文件上传")])
    data = ctx.source.attachment(relative)
    if data is None:
        raise RowRefused([(header, f"找不到附件“{relative}”（路径相对于表格所在位置）")])
    file = ContentFile(data, name=str(relative).replace("\\", "/").rsplit("/", 1)[-1])
    try:
        ext = validate_attachment(file)
    except ValidationError as exc:
        raise RowRefused([(header, m.rstrip("。")) for m in exc.messages]) from None
    return file, ext


class PeriodicKind(Kind):
    model = None
    base_columns = (
        Column(POINT_HEADER, "point_name", _t(100, True), True),
        Column("年度", "year", lambda v: cells.integer(v, minimum=2000, maximum=2100, required=True), True),
    )
    text_columns = (
        Column("标题", "title", _t(200, True), True),
        Column("内容", "content", _t(None, True), True),
        Column("附件", "attachment", _t(300)),
        Column("提交时间", "submitted_at", lambda v: cells.moment(v, required=True), True),
    )

    def check(self, values, ctx):
        values["point"] = ctx.require_point(values["point_name"])
        values["file"] = _attachment(values, ctx, "附件")
        return values

    def lookup(self, values):
        return {"point": values["point"], "year": values["year"]}

    def existing(self, values, ctx):
        return self.model.objects.filter(**self.lookup(values)).first()

    def differences(self, obj, values):
        h = self.headers
        return [h[n] for n in self.compared if getattr(obj, n) != values[n]]

    def write(self, values, obj, ctx, mark):
        fields = {k: v for k, v in values.items() if k not in ("point_name", "attachment", "file")}
        item = self.model(**fields)
        if values["file"]:
            file, ext = values["file"]
            item.attachment.save(f"{secrets.token_hex(16)}.{ext}", file, save=False)
        item.save()
        mark(item, extra={"附件": values["attachment"]} if values["attachment"] else None)
        return item


class QuarterlyKind(PeriodicKind):
    key, label, model = "quarterlies", "季度形势分析", QuarterlyAnalysis
    columns = (
        *PeriodicKind.base_columns,
        Column("季度", "quarter", lambda v: cells.integer(v, minimum=1, maximum=4, required=True), True),
        *PeriodicKind.text_columns,
        Column(
            "杂志录用", "magazine_status", _choice({"未处理": PENDING, "录用": ADOPTED, "不录用": DECLINED}, PENDING)
        ),
        Column("录用时间", "magazine_decided_at", cells.moment),
    )
    compared = ("title", "content", "submitted_at", "magazine_status", "magazine_decided_at")

    def natural_key(self, values):
        return (values["point_name"], values["year"], values["quarter"])

    def describe(self, values):
        return f"{values['year']}年第{values['quarter']}季度 {values['title']}"

    def lookup(self, values):
        return {**super().lookup(values), "quarter": values["quarter"]}

    def check(self, values, ctx):
        problems = []
        if values["magazine_status"] == PENDING and values["magazine_decided_at"]:
            problems.append(("录用时间", "杂志尚未录用或不录用，此列应留空"))
        if values["magazine_status"] != PENDING and not values["magazine_decided_at"]:
            problems.append(("录用时间", "已作出录用决定，须填写录用时间"))
        _not_before(problems, values, "magazine_decided_at", "submitted_at", self.headers)
        if problems:
            raise RowRefused(problems)
        return super().check(values, ctx)


class SummaryKind(PeriodicKind):
    key, label, model = "summaries", "年度工作总结", AnnualSummary
    columns = (*PeriodicKind.base_columns, *PeriodicKind.text_columns)
    compared = ("title", "content", "submitted_at")

    def natural_key(self, values):
        return (values["point_name"], values["year"])

    def describe(self, values):
        return f"{values['year']}年度 {values['title']}"


# ---------------------------------------------------------------- subsite articles


class ArticleKind(Kind):
    key = "articles"
    label = "子网站文章"
    columns = (
        Column(POINT_HEADER, "point_name", _t(100, True), True),
        Column("栏目", "column_kind", _choice(_labels(ColumnKind.choices), required=True), True),
        Column("标题", "title", _t(255, True), True),
        Column("首次发布时间", "first_published_at", lambda v: cells.moment(v, required=True), True),
        Column("发布日期", "date", cells.day),
        Column("行业", "industry", _t(30)),
        Column("国别地区", "country", _t(50)),
        Column("摘要", "summary", _t(300)),
        Column("正文", "body", _t(None, True), True),
    )
    compared = ("date", "industry", "country", "summary", "body")

    def natural_key(self, values):
        return (values["point_name"], values["column_kind"], values["title"], values["first_published_at"])

    def describe(self, values):
        return f"{values['title']}（{_when(values['first_published_at'])}）"

    def check(self, values, ctx):
        h = self.headers
        point = ctx.require_point(values["point_name"])
        values["point"] = point
        values["industry"] = _industry(values["industry"], h["industry"], False)
        values["country"] = _country(values["country"], h["country"], False)
        values["body"] = paragraphs(values["body"])
        values["date"] = values["date"] or values["first_published_at"].date()
        column = None
        if point.subsite_id:
            column = ColumnIndexPage.objects.child_of(point.subsite).filter(kind=values["column_kind"]).first()
        if column is None:
            raise RowRefused([(POINT_HEADER, "该预警点尚未开通子网站（或缺少此栏目），无法导入文章")])
        values["column"] = column
        return values

    def existing(self, values, ctx):
        return ArticlePage.objects.filter(
            point=values["point"],
            column_kind=values["column_kind"],
            title=values["title"],
            first_published_at=values["first_published_at"],
        ).first()

    def differences(self, obj, values):
        h = self.headers
        return [h[n] for n in self.compared if getattr(obj, n) != values[n]]

    def write(self, values, obj, ctx, mark):
        first = values["first_published_at"]
        page = ArticlePage(
            title=values["title"],
            slug=f"import-{secrets.token_hex(6)}",
            date=values["date"],
            industry=values["industry"],
            country=values["country"],
            summary=values["summary"],
            body=values["body"],
            live=False,
            has_unpublished_changes=True,
            first_published_at=first,
        )
        values["column"].add_child(instance=page)
        revision = page.save_revision(user=None, log_action=False)
        revision.publish(user=None, skip_permission_checks=True, log_action=False)
        # Publishing stamps "now" as the last publication; the history keeps the original one.
        Page.objects.filter(pk=page.pk).update(first_published_at=first, last_published_at=first)
        mark(page)
        return page


# ---------------------------------------------------------------- what the command and the screens offer

# A command kind → the kinds it reads: an xlsx may hold one sheet per kind, named by its label.
GROUPS = {
    "points": (PointKind(), ResponsibleKind(), StaffKind(), EnterpriseKind(), LeadershipKind()),
    "responsible": (ResponsibleKind(),),
    "staff": (StaffKind(),),
    "enterprises": (EnterpriseKind(),),
    "leadership": (LeadershipKind(),),
    "reports": (ReportKind(),),
    "quarterlies": (QuarterlyKind(),),
    "summaries": (SummaryKind(),),
    "articles": (ArticleKind(),),
}

GROUP_LABELS = {
    "points": "预警点（含负责人、工作人员、联系企业、领导小组）",
    "responsible": "预警点负责人",
    "staff": "预警点工作人员",
    "enterprises": "预警点联系企业",
    "leadership": "领导小组成员",
    "reports": "预警信息",
    "quarterlies": "季度形势分析",
    "summaries": "年度工作总结",
    "articles": "子网站文章",
}


def short(text, length=40):
    return Truncator(text).chars(length)


__all__ = ["GROUPS", "GROUP_LABELS", "CellError", "Context", "Kind", "RowRefused"]
