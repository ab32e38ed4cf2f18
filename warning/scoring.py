"""评分 (docs/rules.md §5): the 50-point score of one warning point for one year.

A pure function of the year's counts, so it can be tested alone and so the
dashboard, the score table, the point's own home panel and both exports all
score through the same code. The thresholds live in the tables below; the
"what does it lack for the next step" wording in warning/statistics.py reads
the same tables, so a change of the rules is made in one place.

"Per month" means count / months. The comparison is made in integers
(count >= threshold * months), never with floats, so 35 pages in 5 months is
exactly 7 per month and scores, and 34 is not.
"""

from dataclasses import dataclass, fields
from functools import cached_property

# A1: basic information complete and a subsite column updated in the year.
A1_POINTS = 5
# A2 / A3: (pages per month at least, points), best step first.
A2_STEPS = ((7, 5), (5, 3), (3, 2))
A3_STEPS = ((3, 5), (2, 3))
# B1: each report published to 预警工作交流.
B1_EACH, B1_MAX = 1, 12
# B2: each quarterly analysis of the year filed within the window.
B2_EACH, B2_MAX = 2, 8
# B3: annual summary on time.
B3_POINTS = 5
# C: magazine-adopted quarterlies, adopted internal-exchange items, leader instructions.
C_QUARTERLY_ADOPTED, C_INTERNAL_ADOPTED, C_LEADER_INSTRUCTION, C_MAX = 2, 1, 2, 10

# The items' names as every table, export and note shows them.
ITEM_LABELS = {
    "a1": "A1 基础信息",
    "a2": "A2 预警信息",
    "a3": "A3 工作动态",
    "b1": "B1 外网录用",
    "b2": "B2 季度分析",
    "b3": "B3 年度总结",
    "c": "C 杂志录用及内部交流",
}

MAX_TOTAL = A1_POINTS + A2_STEPS[0][1] + A3_STEPS[0][1] + B1_MAX + B2_MAX + B3_POINTS + C_MAX


@dataclass(frozen=True)
class PointYearCounts:
    """What one point did in one year, as far as the score is concerned."""

    basic_info_complete: bool
    subsite_updated: bool
    months: int
    warning_pages: int
    work_news: int
    exchange_originals: int
    quarterlies: int
    annual_on_time: bool
    quarterlies_adopted: int
    internal_adopted: int
    leader_instructions: int


@dataclass(frozen=True)
class Score:
    a1: int
    a2: int
    a3: int
    b1: int
    b2: int
    b3: int
    c: int

    @cached_property  # read for every rank, sort and chart band: summed once
    def total(self):
        return self.a1 + self.a2 + self.a3 + self.b1 + self.b2 + self.b3 + self.c


_FLAGS = ("basic_info_complete", "subsite_updated", "annual_on_time")
_FIELDS = tuple((field.name, field.name in _FLAGS) for field in fields(PointYearCounts))


def validate(counts):
    """Raise ValueError (in Chinese) for counts no real year can produce."""
    for name, is_flag in _FIELDS:
        value = getattr(counts, name)
        if is_flag:
            if not isinstance(value, bool):
                raise ValueError(f"{name} 应为 True 或 False，收到 {value!r}")
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} 应为整数，收到 {value!r}")
        if value < 0:
            raise ValueError(f"{name} 不能为负数，收到 {value}")
    if not 1 <= counts.months <= 12:
        raise ValueError(f"months 应在 1 至 12 之间，收到 {counts.months}")
    if counts.leader_instructions > counts.internal_adopted:
        raise ValueError(
            f"获得厅领导批示的条数（{counts.leader_instructions}）不能多于内部交流采纳条数（{counts.internal_adopted}）"
        )


def step_points(count, months, steps):
    """Points for a per-month rule: the first step whose threshold count/months reaches."""
    for per_month, points in steps:
        if count >= per_month * months:
            return points
    return 0


def next_step(count, months, steps):
    """The next better step of a per-month rule, or None at the top.

    Returns (missing, per_month, points): `missing` more items in the same
    number of months reach `per_month` a month and score `points`.
    """
    current = step_points(count, months, steps)
    better = [(per_month, points) for per_month, points in steps if points > current]
    if not better:
        return None
    per_month, points = better[-1]  # the lowest step above the current one
    return per_month * months - count, per_month, points


def score(counts):
    """Score one point's year (docs/rules.md §5). Raises ValueError for impossible counts."""
    validate(counts)
    return Score(
        a1=A1_POINTS if counts.basic_info_complete and counts.subsite_updated else 0,
        a2=step_points(counts.warning_pages, counts.months, A2_STEPS),
        a3=step_points(counts.work_news, counts.months, A3_STEPS),
        b1=min(B1_EACH * counts.exchange_originals, B1_MAX),
        b2=min(B2_EACH * counts.quarterlies, B2_MAX),
        b3=B3_POINTS if counts.annual_on_time else 0,
        c=min(
            C_QUARTERLY_ADOPTED * counts.quarterlies_adopted
            + C_INTERNAL_ADOPTED * counts.internal_adopted
            + C_LEADER_INSTRUCTION * counts.leader_instructions,
            C_MAX,
        ),
    )


def rank(totals):
    """Competition ranks for a list of totals: 1 + how many are strictly higher (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    first_at = {}
    for i, total in enumerate(ordered):
        first_at.setdefault(total, i + 1)
    return [first_at[t] for t in totals]
