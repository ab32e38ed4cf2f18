"""Geometry for the statistics charts, drawn as server-side SVG (no JavaScript, no network).

bar_chart() turns categories and one or more series of numbers into the
rectangles, axis ticks and labels that templates/warning/statistics/includes/
bar_chart.html draws. Keeping the arithmetic here keeps the template dumb and
lets the tests check what is drawn.
"""

from dataclasses import dataclass

PALETTE = ("#007d7e", "#e9b04d", "#6c5fc7", "#f37e77")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    colour: str
    title: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list
    x_labels: list  # (x, text)
    y_ticks: list  # (y, value)
    legend: list  # (x, colour, label)
    total: int

    @property
    def description(self):
        return f"{self.title}，合计 {self.total}"


# Leading digits of a round axis top, and how many equal steps divide each into round numbers.
_TOPS = {1: 5, 2: 4, 3: 3, 4: 4, 5: 5, 6: 6, 8: 4}


def nice_ceiling(value):
    """The smallest of 1, 2, 3, 4, 5, 6, 8 × 10^k that is ≥ value (at least 1): the top of the y axis."""
    if value <= 1:
        return 1
    magnitude = 1
    while True:
        for lead in _TOPS:
            if lead * magnitude >= value:
                return lead * magnitude
        magnitude *= 10


def tick_count(top):
    """How many equal steps divide a nice_ceiling() top into round numbers (1 → 1, 2 → 2, 10 → 5 …)."""
    if top <= 2:
        return top
    return _TOPS[int(str(top)[0])]


def bar_chart(title, categories, series, *, width=720, height=280, unit="条"):
    """Grouped bars: one group per category, one bar per series in each group.

    `series` is a list of (label, values) with one value per category.
    """
    # The legend sits at y 20–30; the plot starts below it so value labels on full bars stay clear.
    left, right, top, bottom = 44, width - 12, 50, height - 28
    top_value = nice_ceiling(max((v for _label, values in series for v in values), default=0))
    ticks = tick_count(top_value)
    plot_height = bottom - top

    def y_of(value):
        return bottom - plot_height * value / top_value

    group_width = (right - left) / max(len(categories), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    bars = []
    for i, category in enumerate(categories):
        group_left = left + group_width * i + group_width * 0.1
        for j, (label, values) in enumerate(series):
            value = values[i]
            y = y_of(value)
            bars.append(
                Bar(
                    x=round(group_left + bar_width * j, 1),
                    y=round(y, 1),
                    width=round(bar_width - 1, 1),
                    height=round(bottom - y, 1),
                    value=value,
                    colour=PALETTE[j % len(PALETTE)],
                    title=f"{category} {label}：{value} {unit}",
                    label_x=round(group_left + bar_width * j + (bar_width - 1) / 2, 1),
                    label_y=round(y - 3, 1),
                )
            )
    x_labels = [(round(left + group_width * (i + 0.5), 1), c) for i, c in enumerate(categories)]
    y_ticks = [(round(y_of(top_value * k / ticks), 1), round(top_value * k / ticks)) for k in range(ticks + 1)]
    legend = [(left + 130 * j, PALETTE[j % len(PALETTE)], label) for j, (label, _values) in enumerate(series)]
    return Chart(
        title=title,
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        bars=bars,
        x_labels=x_labels,
        y_ticks=y_ticks,
        legend=legend,
        total=sum(sum(values) for _label, values in series),
    )


MONTHS = [f"{m}月" for m in range(1, 13)]


def monthly_chart(year, series):
    """The year's reports and subsite publications per month (series from statistics.monthly_series)."""
    return bar_chart(
        f"{year}年度每月上报信息与子网站发布",
        MONTHS,
        [
            ("上报信息", series["reports"]),
            ("子网站信息", series["warning_pages"]),
            ("子网站工作动态", series["news_pages"]),
        ],
    )


def score_chart(year, distribution):
    """How many points scored in each band (distribution from statistics.score_distribution)."""
    return bar_chart(
        f"{year}年度得分分布",
        [f"{low}–{high}分" for low, high, _n in distribution],
        [("预警点数", [n for _low, _high, n in distribution])],
        width=520,
        unit="个",
    )
