"""seed_demo step: 预警信息 from January 2025 to today, reviewed by the demo reviewers.

The points' editors write reports (Wagtail's CreateAction / EditAction, as
the snippet editor does) and submit them with warning.review.submit(); each
city's reviewer and the provincial contact decide with
warning.review.apply_action() — the very functions behind the admin's
buttons, so every rule (who may act, which options combine, final
rejection) holds for the demo data too. Then the magazine editor decides on
some recommended reports (warning.magazine.decide_report) and the provincial
contact on the internal-exchange ones (review.decide_internal,
review.mark_leader_instruction).

Every state appears: drafts, reports waiting at the city and at the
provincial stage, returned ones waiting for the point, reports approved
with each option (and the magazine's 未处理 / 录用 / 不录用, 内部交流's
未处理 / 采纳 / 不采纳 / 获得厅领导批示), reports returned once and approved in
the second round, reports rejected at either stage.

Dates: each step runs under a demo clock (timezone.now() returns the step's
date), so 提交时间, decision times, ReviewRecords, Wagtail's task states and
log entries and the 消息中心 messages all carry spread dates instead of
today. Nothing is dated after the present moment.

Idempotent: a planned report whose point already has a report with its
title is skipped, and its review is only played when it is created.
Deterministic: the whole plan is drawn from random.Random(SEED) before
anything is written. Mail is not sent (dummy backend); messages are kept.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction

from warning import magazine, review
from warning.demo.indexing import index_bulk, search_index_deferred
from warning.models import City, Industry, Profile, WarningPoint, WarningReport
from warning.models.profiles import GROUP_CITY_REVIEWER, GROUP_MAGAZINE, GROUP_POINT_EDITOR, GROUP_PROVINCIAL

SEED = 20260401
FIRST_MONTH = (2025, 1)

COUNTRIES = [
    ("US", "美国"),
    ("EU", "欧盟"),
    ("IN", "印度"),
    ("TR", "土耳其"),
    ("BR", "巴西"),
    ("MX", "墨西哥"),
    ("RU", "俄罗斯"),
    ("VN", "越南"),
    ("JP", "日本"),
    ("KR", "韩国"),
    ("AU", "澳大利亚"),
    ("ZA", "南非"),
    ("ID", "印度尼西亚"),
    ("SA", "沙特阿拉伯"),
    ("XE", "欧亚经济联盟"),
]
EVENTS = [
    "对华{p}发起反倾销调查",
    "对原产于中国的{p}作出反倾销初裁",
    "对进口{p}启动保障措施调查",
    "更新{p}技术法规和标准",
    "发布{p}消费品召回通报",
    "调整{p}进口关税税率",
    "对进口{p}实施新的认证要求",
    "对华{p}发起反补贴调查",
    "对原产于中国的{p}作出反倾销终裁",
    "修订{p}有害物质限量要求",
]
PRODUCTS = {
    "纺织服装": ["针织服装", "化纤面料", "羊毛衫", "家纺产品"],
    "机电": ["电动自行车", "小家电", "微电机", "光伏组件"],
    "化工": ["有机硅", "草甘膦", "钛白粉", "农药中间体"],
    "轻工": ["圆珠笔", "箱包", "塑料制品", "灯具"],
    "农产品": ["茶叶", "蜂蜜", "脱水蔬菜", "食用菌"],
    "水产品": ["冷冻鱿鱼", "贻贝", "鱼糜制品", "冻虾仁"],
    "医药": ["原料药", "维生素C", "医用口罩", "中药提取物"],
    "五金": ["五金工具", "紧固件", "不锈钢水槽", "铝型材"],
    "汽车及零部件": ["汽车轮胎", "制动盘", "汽车配件", "摩托车"],
    "其它行业": ["工艺品", "圣诞用品", "木制家具", "文具"],
}
CITY_COMMENTS = ["同意上报", "情况属实，同意报送", "内容详实，同意", ""]
RETURN_COMMENTS = [
    "请补充涉案企业的出口数据",
    "标题请写明国别和产品",
    "请注明信息来源",
    "请补充对我省企业的影响分析及应对建议",
]
REJECT_COMMENTS = ["非原创,不予通过", "信息已过时效，不予通过", "与已报送信息重复，不予通过"]
APPROVE_COMMENTS = {
    (): "同意",
    (review.EXCHANGE,): "内容及时准确，发布到预警工作交流",
    (review.MAGAZINE,): "内容具有典型性,建议推荐到《浙江商务》",
    (review.MAGAZINE, review.EXCHANGE): "内容具有典型性，推荐到《浙江商务》并发布到预警工作交流",
    (review.INTERNAL,): "内容较有深度,但存在保密信息,推荐内部交流",
}
# Finished reports: (outcome, weight). "approved:<options>" or a route through the review.
FINAL_OUTCOMES = [
    ("approved:", 20),
    ("approved:exchange", 28),
    ("approved:magazine", 8),
    ("approved:magazine,exchange", 12),
    ("approved:internal", 14),
    ("returned-then-approved", 10),
    ("rejected-city", 4),
    ("rejected-provincial", 4),
    ("returned", 2),  # returned and never resubmitted
    ("draft", 1),  # written, never submitted
]
# The last days of the demo year: work still in progress, in this order.
OPEN_OUTCOMES = [
    "city",
    "provincial",
    "city",
    "returned",
    "provincial",
    "city",
    "draft",
    "city",
    "provincial",
    "returned",
]


@dataclass
class Plan:
    point_id: int
    title: str
    country: str
    industry: str
    body: str
    outcome: str
    times: list = field(default_factory=list)  # created, submitted, decisions … (aware datetimes)
    comments: list = field(default_factory=list)
    follow_up: str = ""  # magazine / internal decision after approval


@contextmanager
def demo_clock(at):
    """Run domain code as if it were `at`: every timezone.now() — auto_now_add fields, Wagtail's
    task states and log entries, our own stamps — reads the demo date instead of today."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def _working_time(rng, day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59)))


def _months(now):
    year, month = FIRST_MONTH
    local = timezone.localtime(now)
    while (year, month) <= (local.year, local.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _body(country, product, point_name, rng):
    figure = rng.randint(3, 60)
    return (
        f"<p>据{country}官方公告，相关主管部门近日就{product}采取新的贸易措施，"
        f"涉及我国企业年出口额约{figure}亿美元。</p>"
        f"<p>{point_name}经走访联系企业了解，我省涉及企业较多，部分企业订单已出现延迟。</p>"
        "<p>建议：一是密切跟踪案件进展，及时组织企业应诉；二是加快开拓多元市场，分散出口风险；"
        "三是加强与行业协会、商务主管部门的沟通，共同做好预警应对。</p>"
    )


def make_plan(points, now):
    """The whole demo as data: which point reports what, when, and how its review goes."""
    rng = random.Random(SEED)
    outcomes, weights = zip(*FINAL_OUTCOMES, strict=True)
    plans, used = [], set()
    open_index = 0
    for year, month in _months(now):
        for _ in range(rng.randint(8, 12)):
            point = rng.choice(points)
            code, country = rng.choice(COUNTRIES)
            industry = point.industry.name if point.industry else rng.choice(list(PRODUCTS))
            product = rng.choice(PRODUCTS.get(industry, PRODUCTS["其它行业"]))
            title = f"{country}{rng.choice(EVENTS).format(p=product)}"
            if (point.pk, title) in used:
                title += f"（{month}月）"
            day = datetime(year, month, rng.randint(1, 28))
            created = _working_time(rng, day)
            submitted = created + timedelta(minutes=rng.randint(10, 120))
            age = now - submitted
            if age < timedelta(hours=2):
                continue
            if age < timedelta(days=40):
                outcome = OPEN_OUTCOMES[open_index % len(OPEN_OUTCOMES)]
                open_index += 1
            else:
                outcome = rng.choices(outcomes, weights)[0]
            used.add((point.pk, title))
            plan = Plan(point.pk, title, code, industry, _body(country, product, point.name, rng), outcome)
            # Five decision times, enough for the longest route, squeezed to end before now.
            gaps = [timedelta(hours=rng.randint(2, 70), minutes=rng.randint(0, 59)) for _ in range(5)]
            room, total = now - timedelta(hours=1) - submitted, sum(gaps, timedelta())
            if total > room:
                gaps = [gap * (room / total) for gap in gaps]
            plan.times = [created, submitted]
            for gap in gaps:
                plan.times.append(plan.times[-1] + gap)
            plan.comments = [
                rng.choice(CITY_COMMENTS),
                rng.choice(RETURN_COMMENTS),
                rng.choice(REJECT_COMMENTS),
            ]
            if outcome.startswith("approved:") or outcome == "returned-then-approved":
                plan.follow_up = rng.choices(["", "adopt", "decline", "leader"], [3, 4, 3, 2])[0]
            plans.append(plan)
    return plans


class _People:
    """The demo users by role, looked up by group and profile (warning/demo/points.py makes them)."""

    def __init__(self):
        User = get_user_model()
        active = User.objects.filter(is_active=True).order_by("pk")
        self.editors = {
            p.point_id: p.user
            for p in Profile.objects.filter(
                user__is_active=True, user__groups__name=GROUP_POINT_EDITOR, point__isnull=False
            )
            .select_related("user")
            .order_by("-user_id")
        }
        self.city_reviewers = {
            p.city_id: p.user
            for p in Profile.objects.filter(
                user__is_active=True, user__groups__name=GROUP_CITY_REVIEWER, city__isnull=False
            )
            .select_related("user")
            .order_by("-user_id")
        }
        self.provincial = active.filter(groups__name=GROUP_PROVINCIAL).first()
        self.magazine = active.filter(groups__name=GROUP_MAGAZINE).first()


def _create(plan, point, editor, industries):
    report = WarningReport(
        point=point,
        title=plan.title,
        industry=industries.get(plan.industry) or industries["其它行业"],
        country=plan.country,
        author=editor.get_full_name() or editor.get_username(),
        phone=point.phone,
        body=plan.body,
        created_by=editor,
    )
    with demo_clock(plan.times[0]):
        CreateAction(report, user=editor, clean=False).execute(skip_permission_checks=True)
    return report


def _revise(report, editor, at):
    report = report.get_latest_revision_as_object()
    report.body += "<p>（已根据审核意见补充相关数据和影响分析。）</p>"
    with demo_clock(at):
        EditAction(report, user=editor).execute(skip_permission_checks=True)
    return report


def _decide(report, user, action, at, comment="", options=()):
    with demo_clock(at):
        task_state = review.current_task_state(report)
        return review.apply_action(report, user, action, comment=comment, options=options, task_state_id=task_state.pk)


def _submit(report, editor, at):
    with demo_clock(at):
        return review.submit(report, editor)


def play(plan, report, editor, city_reviewer, people):
    """Play one report's review as planned; stops where the plan leaves it waiting."""
    t = plan.times
    city_comment, return_comment, reject_comment = plan.comments
    provincial = people.provincial
    if plan.outcome == "draft":
        return report
    report = _submit(report, editor, t[1])
    if plan.outcome == "city" or city_reviewer is None:
        return report
    if plan.outcome == "rejected-city":
        return _decide(report, city_reviewer, review.REJECT, t[2], reject_comment)
    if plan.outcome == "returned":
        return _decide(report, city_reviewer, review.RETURN, t[2], return_comment)
    options = ()
    if plan.outcome == "returned-then-approved":
        _decide(report, city_reviewer, review.RETURN, t[2], return_comment)
        report = _revise(report, editor, t[3])
        report = _submit(report, editor, t[3] + (t[4] - t[3]) / 2)
        _decide(report, city_reviewer, review.APPROVE, t[4], "已按要求修改，同意上报")
        final_at = t[5]
        options = (review.EXCHANGE,)
    else:
        _decide(report, city_reviewer, review.APPROVE, t[2], city_comment)
        final_at = t[3]
        if plan.outcome.startswith("approved:"):
            options = tuple(o for o in plan.outcome.split(":", 1)[1].split(",") if o)
    if plan.outcome == "provincial" or provincial is None:
        return report
    if plan.outcome == "rejected-provincial":
        return _decide(report, provincial, review.REJECT, final_at, reject_comment)
    report = _decide(report, provincial, review.APPROVE, final_at, APPROVE_COMMENTS[options], options)
    return _follow_up(plan, report, people, final_at)


def _follow_up(plan, report, people, approved_at):
    """The magazine's and the internal exchange's decisions, some weeks after approval (if that is past)."""
    decided_at = approved_at + timedelta(days=14 + len(plan.title) % 20, hours=3)
    if not plan.follow_up or decided_at >= timezone.now():
        return report
    with demo_clock(decided_at):
        if report.to_magazine and people.magazine is not None and plan.follow_up in ("adopt", "decline"):
            decision = magazine.ADOPTED if plan.follow_up == "adopt" else magazine.DECLINED
            report = magazine.decide_report(report, people.magazine, decision)
        if report.to_internal and people.provincial is not None:
            review.decide_internal(report, people.provincial, adopt=plan.follow_up in ("adopt", "leader"))
            if plan.follow_up == "leader":
                with demo_clock(decided_at + timedelta(days=5)):
                    review.mark_leader_instruction(report, people.provincial, "厅领导批示：请相关处室跟踪研究")
    return report


def run(stdout):
    """Create and review the planned reports that do not exist yet."""
    people = _People()
    points = list(
        WarningPoint.objects.official()
        .filter(pk__in=list(people.editors))
        .select_related("industry", "district")
        .order_by("name")
    )
    if not points or people.provincial is None:
        stdout.write("预警信息：没有可用的演示预警点或预警工作联系人，跳过")
        return
    now = timezone.now()
    plans = make_plan(points, now)
    by_pk = {p.pk: p for p in points}
    existing = set(WarningReport.objects.values_list("point_id", "title"))
    industries = {i.name: i for i in Industry.objects.all()}
    city_of = dict(WarningPoint.objects.values_list("pk", "district__city_id"))
    created = []
    # Per-save search indexing rewrites every index row's title_norm on PostgreSQL, each
    # time, inside this one transaction; the new reports are indexed once at the end.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        search_index_deferred(WarningReport),
    ):
        for plan in plans:
            if (plan.point_id, plan.title) in existing or plan.times[0] >= now:
                continue
            point = by_pk[plan.point_id]
            editor = people.editors[plan.point_id]
            report = _create(plan, point, editor, industries)
            play(plan, report, editor, people.city_reviewers.get(city_of[plan.point_id]), people)
            created.append(report.pk)
    index_bulk(WarningReport, created)
    counts = {label: WarningReport.objects.filter(stage=value).count() for value, label in WarningReport.Stage.choices}
    summary = "，".join(f"{label} {n}" for label, n in counts.items())
    stdout.write(f"预警信息：新建 {len(created)} 条（{summary}）；城市 {City.objects.count()} 个")
