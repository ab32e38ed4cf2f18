"""A point's own year over the API: the counts of 条数详情, the score of 分数详情, and what it lacks.

The same numbers as the point's admin home: warning.statistics.point_rows
(one row, only that point) and warning.scoring through it.
"""

from ninja import Query, Router, Schema

from warning import statistics

from ..errors import ApiError
from ..models import SCOPE_READ
from .common import require, target_point
from .reports import ERRORS

router = Router(tags=["统计"])


class CountOut(Schema):
    kind: str
    label: str
    count: int


class ScoreOut(Schema):
    a1: int
    a2: int
    a3: int
    b1: int
    b2: int
    b3: int
    c: int
    total: int


class StatisticsOut(Schema):
    point_id: int
    point_name: str
    year: int
    counts: list[CountOut]
    score: ScoreOut
    lacks: list[str]


@router.get("/statistics", response={200: StatisticsOut, **ERRORS}, summary="本单位年度统计与得分")
def own_statistics(
    request,
    year: int | None = Query(None, ge=2000, le=2100, description="年度，默认今年（上海时间）"),
    point: int | None = Query(None, description="预警点编号（仅省级令牌）"),
):
    """各类条数、分项得分与总分，以及距下一档还差什么（与后台首页相同的计算）。"""
    require(request, SCOPE_READ)
    own = target_point(request, point)
    year = year or statistics.default_year()
    rows = statistics.point_rows(year, point_id=own.pk)
    if not rows:
        raise ApiError(404, "not_found", "只有正式预警点参与统计")
    row = rows[0]
    s = row.score
    return {
        "point_id": own.pk,
        "point_name": row.name,
        "year": year,
        "counts": [
            {"kind": key, "label": statistics.KINDS[key].label, "count": row.counts.get(key, 0)}
            for key in statistics.KINDS
        ],
        "score": {"a1": s.a1, "a2": s.a2, "a3": s.a3, "b1": s.b1, "b2": s.b2, "b3": s.b3, "c": s.c, "total": s.total},
        "lacks": list(row.lacks),
    }
