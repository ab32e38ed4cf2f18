"""评分 (docs/rules.md §5) as a pure function: every threshold, every cap, and refusals of impossible input."""

from dataclasses import replace

import pytest

from warning.scoring import A2_STEPS, A3_STEPS, MAX_TOTAL, PointYearCounts, next_step, rank, score

NOTHING = PointYearCounts(
    basic_info_complete=False,
    subsite_updated=False,
    months=12,
    warning_pages=0,
    work_news=0,
    exchange_originals=0,
    quarterlies=0,
    annual_on_time=False,
    quarterlies_adopted=0,
    internal_adopted=0,
    leader_instructions=0,
)


def counts(**changes):
    return replace(NOTHING, **changes)


def test_the_example_of_the_spec_scores_49():
    s = score(
        PointYearCounts(
            basic_info_complete=True,
            subsite_updated=True,
            months=12,
            warning_pages=84,
            work_news=36,
            exchange_originals=15,
            quarterlies=4,
            annual_on_time=True,
            quarterlies_adopted=2,
            internal_adopted=3,
            leader_instructions=1,
        )
    )
    assert (s.a1, s.a2, s.a3, s.b1, s.b2, s.b3, s.c, s.total) == (5, 5, 5, 12, 8, 5, 9, 49)


def test_a_year_with_nothing_scores_zero():
    s = score(NOTHING)
    assert (s.a1, s.a2, s.a3, s.b1, s.b2, s.b3, s.c, s.total) == (0, 0, 0, 0, 0, 0, 0, 0)


def test_full_marks_total_fifty():
    s = score(
        counts(
            basic_info_complete=True,
            subsite_updated=True,
            warning_pages=84,
            work_news=36,
            exchange_originals=12,
            quarterlies=4,
            annual_on_time=True,
            quarterlies_adopted=5,
        )
    )
    assert s.total == MAX_TOTAL == 50


@pytest.mark.parametrize(
    ("complete", "updated", "expected"),
    [(True, True, 5), (True, False, 0), (False, True, 0), (False, False, 0)],
)
def test_a1_needs_complete_basic_info_and_an_updated_subsite(complete, updated, expected):
    assert score(counts(basic_info_complete=complete, subsite_updated=updated)).a1 == expected


@pytest.mark.parametrize(
    ("pages", "months", "expected"),
    [
        # a whole year: ≥3/month is 36 pages, ≥5 is 60, ≥7 is 84
        (0, 12, 0),
        (35, 12, 0),
        (36, 12, 2),
        (59, 12, 2),
        (60, 12, 3),
        (83, 12, 3),
        (84, 12, 5),
        (1000, 12, 5),
        # one month begun
        (2, 1, 0),
        (3, 1, 2),
        (4, 1, 2),
        (5, 1, 3),
        (6, 1, 3),
        (7, 1, 5),
        # months where count/months is not a whole number
        (20, 7, 0),  # 2.857… a month
        (21, 7, 2),  # exactly 3
        (34, 7, 2),  # 4.857…
        (35, 7, 3),  # exactly 5
        (48, 7, 3),  # 6.857…
        (49, 7, 5),  # exactly 7
        (32, 11, 0),
        (33, 11, 2),
        (76, 11, 3),
        (77, 11, 5),
    ],
)
def test_a2_per_month_thresholds(pages, months, expected):
    assert score(counts(warning_pages=pages, months=months)).a2 == expected


@pytest.mark.parametrize(
    ("news", "months", "expected"),
    [
        (0, 12, 0),
        (23, 12, 0),
        (24, 12, 3),
        (35, 12, 3),
        (36, 12, 5),
        (500, 12, 5),
        (1, 1, 0),
        (2, 1, 3),
        (3, 1, 5),
        (13, 7, 0),  # 1.857…
        (14, 7, 3),  # exactly 2
        (20, 7, 3),  # 2.857…
        (21, 7, 5),  # exactly 3
        (21, 11, 0),
        (22, 11, 3),
        (32, 11, 3),
        (33, 11, 5),
    ],
)
def test_a3_per_month_thresholds(news, months, expected):
    assert score(counts(work_news=news, months=months)).a3 == expected


def test_per_month_comparison_does_not_depend_on_float_rounding():
    # 0.1 * 3 != 0.3 in floats; the rule compares count >= threshold * months in integers.
    for months in range(1, 13):
        assert score(counts(warning_pages=7 * months, months=months)).a2 == 5
        assert score(counts(warning_pages=7 * months - 1, months=months)).a2 == 3
        assert score(counts(work_news=3 * months, months=months)).a3 == 5
        assert score(counts(work_news=3 * months - 1, months=months)).a3 == 3


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 1), (11, 11), (12, 12), (13, 12), (100, 12)])
def test_b1_one_point_per_exchange_original_up_to_twelve(n, expected):
    assert score(counts(exchange_originals=n)).b1 == expected


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 2), (3, 6), (4, 8), (5, 8), (9, 8)])
def test_b2_two_points_per_quarterly_up_to_eight(n, expected):
    assert score(counts(quarterlies=n)).b2 == expected


@pytest.mark.parametrize(("on_time", "expected"), [(True, 5), (False, 0)])
def test_b3_annual_summary_on_time(on_time, expected):
    assert score(counts(annual_on_time=on_time)).b3 == expected


@pytest.mark.parametrize(
    ("adopted_quarterlies", "internal", "leader", "expected"),
    [
        (0, 0, 0, 0),
        (1, 0, 0, 2),
        (0, 1, 0, 1),
        (0, 1, 1, 3),
        (2, 3, 1, 9),
        (5, 0, 0, 10),  # exactly the cap
        (4, 2, 0, 10),
        (4, 3, 1, 10),  # 13 capped
        (0, 10, 0, 10),
        (0, 11, 0, 10),
        (0, 4, 3, 10),
    ],
)
def test_c_magazine_internal_and_leader_instructions_capped_at_ten(adopted_quarterlies, internal, leader, expected):
    result = score(
        counts(quarterlies_adopted=adopted_quarterlies, internal_adopted=internal, leader_instructions=leader)
    )
    assert result.c == expected


def test_total_is_the_sum_of_the_items():
    s = score(counts(basic_info_complete=True, subsite_updated=True, warning_pages=60, work_news=24, quarterlies=2))
    assert s.total == s.a1 + s.a2 + s.a3 + s.b1 + s.b2 + s.b3 + s.c == 5 + 3 + 3 + 4


@pytest.mark.parametrize("months", [0, 13, -1, 24])
def test_months_outside_one_to_twelve_is_refused(months):
    with pytest.raises(ValueError, match="months"):
        score(counts(months=months))


@pytest.mark.parametrize("months", [1.5, "12", None, True])
def test_months_must_be_a_whole_number(months):
    with pytest.raises(ValueError, match="months"):
        score(counts(months=months))


@pytest.mark.parametrize(
    "field",
    [
        "warning_pages",
        "work_news",
        "exchange_originals",
        "quarterlies",
        "quarterlies_adopted",
        "internal_adopted",
        "leader_instructions",
    ],
)
def test_negative_counts_are_refused(field):
    with pytest.raises(ValueError, match="不能为负数"):
        score(counts(**{field: -1}))


@pytest.mark.parametrize("field", ["basic_info_complete", "subsite_updated", "annual_on_time"])
def test_flags_must_be_booleans(field):
    with pytest.raises(ValueError, match=field):
        score(counts(**{field: 1}))


def test_more_leader_instructions_than_adopted_internal_items_is_refused():
    with pytest.raises(ValueError, match="厅领导批示"):
        score(counts(internal_adopted=1, leader_instructions=2))


@pytest.mark.parametrize(
    ("count", "months", "steps", "expected"),
    [
        (0, 12, A2_STEPS, (36, 3, 2)),
        (35, 12, A2_STEPS, (1, 3, 2)),
        (36, 12, A2_STEPS, (24, 5, 3)),
        (60, 12, A2_STEPS, (24, 7, 5)),
        (84, 12, A2_STEPS, None),
        (31, 11, A3_STEPS, (2, 3, 5)),
        (0, 1, A3_STEPS, (2, 2, 3)),
        (3, 1, A3_STEPS, None),
    ],
)
def test_next_step_says_how_many_more_items_reach_which_step(count, months, steps, expected):
    assert next_step(count, months, steps) == expected


def test_rank_is_one_plus_the_number_strictly_higher():
    assert rank([30, 50, 40, 40, 0]) == [4, 1, 2, 2, 5]
    assert rank([10, 10, 10]) == [1, 1, 1]
    assert rank([]) == []
