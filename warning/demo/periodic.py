"""seed_demo step: a year and a bit of 季度形势分析 and 年度工作总结, with the magazine's decisions.

Every 正式 point with an editor (warning/demo/points.py makes them) files,
through warning.periodic — the admin's own path, with its rules:

* the quarterly analyses of 2025 Q1 … Q4 and of 2026 up to the last ended
  quarter, most by their due date (the 20th of the month after the quarter),
  some late, a few never; a few are filed as a draft first and replaced by
  the final text a few days later;
* the annual summaries of 2024 (filed in January 2025) and 2025 (filed in
  January 2026), most by 20 January, some late, a few missing;
* some analyses carry an xlsx 数据附表.

The magazine editor then decides on most analyses older than a month,
through warning.magazine (录用 about a quarter of them, 不录用 a third);
recent ones stay 未处理 so the 期刊杂志 queue has work in it.

Idempotent: a point that already has an item for a period is left alone,
and decisions are only taken on items created in the same run.
Deterministic: each point draws from its own random.Random seeded with
SEED and its name. Nothing dated after the present moment is created.
Mail is not sent (the dummy backend), the 消息中心 messages are.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import openpyxl
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from warning import magazine, periodic
from warning.models import AnnualSummary, Profile, QuarterlyAnalysis, WarningPoint
from warning.models.profiles import GROUP_MAGAZINE, GROUP_POINT_EDITOR

SEED = 20260305
SH = periodic.SHANGHAI

MARKETS = ["美国", "欧盟", "东盟", "日本", "韩国", "中东", "拉丁美洲", "非洲", "俄罗斯", "印度"]
TRENDS = ["同比增长", "同比下降", "基本持平，同比微增", "环比回落，同比增长"]
PROBLEMS = [
    "部分市场贸易救济调查增多，企业应诉压力加大",
    "人民币汇率双向波动，企业锁汇成本上升",
    "原材料价格高位运行，出口利润空间收窄",
    "海运价格波动明显，交货周期不稳定",
    "欧盟新出台的环保和化学品法规提高了准入门槛",
    "国际订单碎片化、短单化趋势明显",
    "部分企业遭遇海外客户拖欠货款",
]
ADVICE = [
    "建议加强对重点市场技术性贸易措施的跟踪和解读",
    "建议组织企业参加境外展会，开拓新兴市场",
    "建议用好出口信用保险，防范收汇风险",
    "建议行业协会牵头开展合规培训",
    "建议推动企业加快产品认证和品牌建设",
]
WORK = [
    "编发预警信息并报送省商务厅",
    "走访联系企业，收集企业诉求",
    "组织贸易摩擦应对培训",
    "更新预警点子网站预警信息和工作动态",
    "协助企业应对反倾销调查",
    "召开领导小组会议研判形势",
]


def _quarterly_text(rng, point, year, quarter):
    industry = point.industry.name if point.industry_id else "本行业"
    markets = "、".join(rng.sample(MARKETS, 3))
    change = rng.randint(1, 18) + rng.randint(0, 9) / 10
    title = f"{year}年第{quarter}季度{industry}行业外贸形势分析"
    content = (
        f"一、总体情况\n{year}年第{quarter}季度，本预警点联系企业出口额{rng.choice(TRENDS)}{change}%，"
        f"主要出口市场为{markets}。\n"
        f"二、存在的问题\n{rng.choice(PROBLEMS)}；{rng.choice(PROBLEMS)}。\n"
        f"三、下一步建议\n{rng.choice(ADVICE)}；{rng.choice(ADVICE)}。"
    )
    return title, content


def _summary_text(rng, point, year):
    items = "；".join(f"{n}、{w}" for n, w in enumerate(rng.sample(WORK, 4), start=1))
    title = f"{point.name}{year}年度工作总结"
    content = (
        f"{year}年，本预警点围绕外贸预警工作要求，主要开展了以下工作：{items}。\n"
        f"全年共走访企业{rng.randint(12, 80)}家次，组织培训{rng.randint(1, 6)}场。\n"
        f"{year + 1}年，将继续做好预警信息报送和企业服务工作。"
    )
    return title, content


def _xlsx(point, year, quarter, rng):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据附表"
    sheet.append(["预警点", "年度", "季度", "主要市场", "出口额（万美元）"])
    for market in rng.sample(MARKETS, 4):
        sheet.append([point.name, year, quarter, market, rng.randint(50, 5000)])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(f"{year}年第{quarter}季度数据附表.xlsx", buffer.getvalue())


def _at(day, rng):
    """A moment during office hours of a calendar day, Shanghai time."""
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59), tzinfo=SH)


def _quarter_periods(now):
    last_year, last_quarter = periodic.last_ended_quarter(now)
    periods = [(2025, q) for q in (1, 2, 3, 4)]
    periods += [(2026, q) for q in (1, 2, 3, 4) if (2026, q) <= (last_year, last_quarter)]
    return periods


@dataclass
class Tally:
    quarterlies: int = 0
    late_quarterlies: int = 0
    replaced: int = 0
    summaries: int = 0
    late_summaries: int = 0
    decisions: dict = field(default_factory=lambda: {magazine.ADOPTED: 0, magazine.DECLINED: 0})


def _file_quarterlies(point, editor, rng, now, tally):
    created = []
    have = set(QuarterlyAnalysis.objects.filter(point=point).values_list("year", "quarter"))
    for year, quarter in _quarter_periods(now):
        roll = rng.random()
        due = periodic.quarterly_due_date(year, quarter)
        next_start = due.replace(day=1)  # the month after the quarter
        if roll < 0.08:
            continue  # never filed
        late = roll < 0.20
        if late:
            day = due + timedelta(days=rng.randint(1, 45))
        else:
            day = next_start + timedelta(days=rng.randint(0, (due - next_start).days))
        moment = _at(day, rng)
        title, content = _quarterly_text(rng, point, year, quarter)
        attachment = _xlsx(point, year, quarter, rng) if rng.random() < 0.15 else None
        # Only on-time items get a draft first: a late final text may not replace an on-time draft.
        draft = rng.random() < 0.08 and not late
        if (year, quarter) in have or moment > now:
            continue
        if draft:
            periodic.submit_quarterly(
                point=point,
                user=editor,
                year=year,
                quarter=quarter,
                title=f"{title}（初稿）",
                content=content[: len(content) // 2],
                now=moment - timedelta(days=3),
            )
        result = periodic.submit_quarterly(
            point=point,
            user=editor,
            year=year,
            quarter=quarter,
            title=title,
            content=content,
            attachment=attachment,
            now=moment,
        )
        tally.quarterlies += 1
        tally.replaced += int(result.replaced)
        tally.late_quarterlies += int(late)
        created.append(result.item)
    return created


def _file_summaries(point, editor, rng, now, tally):
    have = set(AnnualSummary.objects.filter(point=point).values_list("year", flat=True))
    for year in (2024, 2025):
        roll = rng.random()
        due = periodic.annual_due_date(year)
        if roll < 0.06:
            continue
        if roll < 0.18:
            day = due + timedelta(days=rng.randint(1, 40))
        else:
            day = due - timedelta(days=rng.randint(0, 19))
        moment = _at(day, rng)
        title, content = _summary_text(rng, point, year)
        if year in have or moment > now:
            continue
        periodic.submit_annual_summary(point=point, user=editor, year=year, title=title, content=content, now=moment)
        tally.summaries += 1
        tally.late_summaries += int(moment >= periodic.end_of_day(due))


def _decide(items, editor, rng, now, tally):
    for item in items:
        roll = rng.random()
        decided_at = item.submitted_at + timedelta(days=rng.randint(7, 30), hours=rng.randint(0, 6))
        if decided_at > now - timedelta(days=20) or roll < 0.4:
            continue  # still waiting in the queue
        decision = magazine.ADOPTED if roll < 0.55 else magazine.DECLINED
        magazine.decide_quarterly(item, editor, decision, now=decided_at)
        tally.decisions[decision] += 1


def _editors():
    profiles = (
        Profile.objects.filter(point__isnull=False, user__is_active=True, user__groups__name=GROUP_POINT_EDITOR)
        .select_related("user")
        .order_by("user__username")
    )
    editors = {}
    for profile in profiles:
        editors.setdefault(profile.point_id, profile.user)
    return editors


def run(stdout):
    now = timezone.now()
    editors = _editors()
    magazine_editor = (
        get_user_model().objects.filter(groups__name=GROUP_MAGAZINE, is_active=True).order_by("username").first()
    )
    points = WarningPoint.objects.official().select_related("industry").order_by("name")
    tally = Tally()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for point in points:
            editor = editors.get(point.pk)
            if editor is None:
                continue
            rng = random.Random(f"{SEED}-{point.name}")
            created = _file_quarterlies(point, editor, rng, now, tally)
            _file_summaries(point, editor, rng, now, tally)
            if magazine_editor is not None:
                _decide(created, magazine_editor, rng, now, tally)
    stdout.write(
        f"季度形势分析：新增 {tally.quarterlies} 份（逾期 {tally.late_quarterlies} 份，替换初稿 {tally.replaced} 份），"
        f"杂志录用 {tally.decisions[magazine.ADOPTED]} 份、不录用 {tally.decisions[magazine.DECLINED]} 份，"
        f"共 {QuarterlyAnalysis.objects.count()} 份；"
        f"年度工作总结：新增 {tally.summaries} 份（逾期 {tally.late_summaries} 份），共 {AnnualSummary.objects.count()} 份"
    )
