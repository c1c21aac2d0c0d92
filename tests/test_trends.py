"""Trend windows, chart series and period summaries (pure), and the SQL day read."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.demo import demo_entries
from companion.entry import Entry
from companion.overview import Overview
from companion.store import Store
from companion.trends import (
    PERIODS,
    RATE_MIN_DAYS,
    Axis,
    Change,
    Day,
    Point,
    Summary,
    axis_dates,
    buckets,
    chart_lines,
    compare,
    downsample,
    nice_top,
    period_range,
    previous_range,
    read_days,
    sample,
    summarize,
    weekly_cramps,
)

TODAY = date(2026, 3, 31)
BY_KEY = {p.key: p for p in PERIODS}


def day(n_ago: int, pain: float | None = 3, worst: float | None = None, cramps: int = 0) -> Day:
    return Day(TODAY - timedelta(days=n_ago), pain, worst if worst is not None else pain, 1, cramps)


# --- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "first"), [("2w", "2026-03-18"), ("1m", "2026-03-02")])
def test_periods_end_today(key: str, first: str) -> None:
    assert period_range(BY_KEY[key], TODAY, None) == (date.fromisoformat(first), TODAY)


def test_all_starts_at_the_first_entry() -> None:
    assert period_range(BY_KEY["all"], TODAY, date(2020, 5, 1)) == (date(2020, 5, 1), TODAY)
    assert period_range(BY_KEY["all"], TODAY, None) == (TODAY, TODAY)


def test_previous_range_is_the_same_length_just_before() -> None:
    assert previous_range(date(2026, 3, 18), TODAY) == (date(2026, 3, 4), date(2026, 3, 17))


# --- downsampling ------------------------------------------------------------------------------


def test_short_ranges_keep_one_point_a_day() -> None:
    points = downsample([day(0, 4), day(2, 6)], TODAY - timedelta(days=13), TODAY, 80, _pain)
    assert len(points) == 14
    assert [p.value for p in points[-3:]] == [6, None, 4]
    assert points[-1].start == points[-1].end == TODAY


def test_long_ranges_fit_the_width_and_end_today() -> None:
    start = TODAY - timedelta(days=3649)
    assert buckets(start, TODAY, 100) == 37
    points = downsample([day(0, 2), day(36, 4), day(37, 9)], start, TODAY, 100, _pain)
    assert len(points) == 99
    assert (points[-1].start, points[-1].end, points[-1].value) == (
        TODAY - timedelta(days=36),
        TODAY,
        3,
    )
    assert points[-2].value == 9
    assert points[0].start == start


def test_worst_keeps_the_peak_of_a_bucket() -> None:
    days = [day(0, 2, worst=3), day(1, 2, worst=9), day(2, 2, worst=4)]
    (point,) = downsample(days, TODAY - timedelta(days=2), TODAY, 1, _worst, how="max")
    assert point.value == 9


def _pain(d: Day) -> float | None:
    return d.pain_mean


def _worst(d: Day) -> float | None:
    return d.pain_worst


@given(
    span=st.integers(min_value=1, max_value=4000),
    width=st.integers(min_value=1, max_value=300),
    offsets=st.lists(st.integers(min_value=-5, max_value=4100), max_size=50),
)
def test_downsampling_covers_the_range_in_at_most_width_points(
    span: int, width: int, offsets: list[int]
) -> None:
    start = TODAY - timedelta(days=span - 1)
    days = [day(n) for n in offsets]
    points = downsample(days, start, TODAY, width, _pain)
    assert 1 <= len(points) <= width
    assert points[0].start == start and points[-1].end == TODAY
    for a, b in itertools.pairwise(points):
        assert b.start == a.end + timedelta(days=1)
    inside = sum(1 for n in offsets if 0 <= n < span)
    assert (inside > 0) == any(p.value is not None for p in points)


@given(
    span=st.integers(min_value=1, max_value=4000),
    width=st.integers(min_value=1, max_value=300),
    offsets=st.lists(st.integers(min_value=-5, max_value=4100), max_size=50),
)
def test_an_axis_fills_every_column_from_start_to_today(
    span: int, width: int, offsets: list[int]
) -> None:
    """Exactly ``width`` columns, the first from the start, the last ending today, in order,
    with no day left out; every series drawn on it has a point per column."""
    start = TODAY - timedelta(days=span - 1)
    axis = Axis(start, TODAY, width)
    spans = axis.spans
    assert len(spans) == width
    assert spans[0][0] == start and spans[-1][1] == TODAY
    for (_, a_end), (b_start, b_end) in itertools.pairwise(spans):
        assert b_start in (a_end, a_end + timedelta(days=1))  # a day may span columns
        assert b_start <= b_end
    days = [day(n) for n in offsets]
    for points in (sample(days, spans, _pain), weekly_cramps(days, axis)):
        assert len(points) == width
        assert points[-1].end == TODAY
        inside = sum(1 for n in offsets if 0 <= n < span)
        assert (inside > 0) == any(p.value is not None for p in points)


def test_fewer_days_than_columns_spread_each_day_evenly() -> None:
    axis = Axis(TODAY - timedelta(days=13), TODAY, 72)
    widths = [sum(1 for first, _ in axis.spans if first == d) for d in {f for f, _ in axis.spans}]
    assert sorted(set(widths)) == [5, 6] and sum(widths) == 72


def test_a_range_from_the_calendars_first_day_fits_the_width() -> None:
    # A diary may hold a mistyped year such as 0001; the oldest column must not reach
    # back before the calendar's first day.
    days = [Day(date.min, 4, 4, 1, 1), day(0)]
    axis = Axis(date.min, TODAY, 70)
    for points in (
        downsample(days, date.min, TODAY, 70, _pain),
        sample(days, axis.spans, _pain),
        weekly_cramps(days, axis),
    ):
        assert len(points) <= 70
        assert points[0].start == date.min and points[-1].end == TODAY
        assert points[0].value is not None and points[-1].value is not None


def test_cramps_per_week_in_whole_weeks_ending_today() -> None:
    days = [day(0, cramps=2), day(6, cramps=1), day(7, cramps=4), day(20, cramps=0)]
    points = weekly_cramps(days, Axis(TODAY - timedelta(days=29), TODAY, 30))
    bars = list(dict.fromkeys(points))  # a column a day: each week's bar over its columns
    assert [p.value for p in bars] == [None, None, 0, 4, 3]
    assert bars[0].start == TODAY - timedelta(days=29)  # a 2-day first block
    assert [(p.end - p.start).days + 1 for p in bars] == [2, 7, 7, 7, 7]


def test_a_short_first_week_is_scaled_to_a_week() -> None:
    points = weekly_cramps([day(8, cramps=2)], Axis(TODAY - timedelta(days=8), TODAY, 80))
    assert [p.value for p in dict.fromkeys(points)] == [7.0, None]


def test_many_weeks_are_grouped_to_fit() -> None:
    days = [day(n, cramps=1) for n in range(364)]  # a cramp every day
    points = weekly_cramps(days, Axis(TODAY - timedelta(days=363), TODAY, 20))
    bars = list(dict.fromkeys(points))
    assert len(points) == len(bars) == 20  # over 2 weeks a column: a bar each
    assert all(p.value == pytest.approx(7) for p in bars)
    narrow = list(dict.fromkeys(weekly_cramps(days, Axis(TODAY - timedelta(days=363), TODAY, 91))))
    assert len(narrow) == 46  # 4 days a column: bars of 2 columns, 8 days, and a first of 4
    assert all(p.value == pytest.approx(7) for p in narrow)


# --- summaries ---------------------------------------------------------------------------------


def test_summary_of_a_period() -> None:
    days = [day(0, 4, worst=6, cramps=3), day(1, 2, worst=2), *(day(n, 3) for n in range(2, 7))]
    summary = summarize([*days, day(20, 9)], TODAY - timedelta(days=13), TODAY)
    # Cramps a week: 3 cramps in the 7 days logged.
    assert summary == Summary(days_logged=7, pain=3, worst=23 / 7, night=1, cramps_per_week=3)
    assert summarize([], TODAY, TODAY) == Summary(0, None, None, None, None)


def test_with_too_few_days_cramps_a_week_says_so_instead_of_swinging() -> None:
    """Two days logged used to read 1.0, 0.5, 0.2, 0.0 or 7.0 a week by the period chosen."""
    two = [day(0, cramps=1), day(2, cramps=1)]
    for period in PERIODS:
        start, end = period_range(period, TODAY, TODAY - timedelta(days=2))
        summary = summarize(two, start, end)
        assert summary.cramps_per_week is None
        (*_, cramps) = compare(summary, None)
        assert cramps.change_words() == f"too few days (2; {RATE_MIN_DAYS} needed)"
    week = [day(n, cramps=n % 2) for n in range(RATE_MIN_DAYS)]  # 3 cramps in 7 days
    rates = {summarize(week, *period_range(p, TODAY, TODAY - timedelta(days=6))).cramps_per_week
             for p in PERIODS}  # fmt: skip
    assert rates == {3.0}  # the same in every period that holds those days


@pytest.mark.parametrize(
    ("before", "now", "meaningful"),
    [
        (5.0, 3.0, True),  # 2 points
        (5.0, 3.1, True),  # 1.9 points but 38%
        (8.0, 6.1, False),  # 1.9 points, 24%
        (4.0, 2.8, True),  # 30%
        (4.0, 2.9, False),  # 27.5%
        (3.0, 5.0, True),  # worse by 2 points
        (0.0, 1.0, False),
    ],
    ids=["2-points", "38-percent", "1.9-points", "30-percent", "27-percent", "worse", "zero"],
)
def test_clinically_important_change(before: float, now: float, meaningful: bool) -> None:
    assert Change("Pain", now, before, True).meaningful is meaningful


def test_change_in_words_says_direction_with_a_symbol() -> None:
    assert Change("Pain", 3.1, 5.2, True).change_words() == "▼ 2.1 lower, a clear change"
    assert Change("Night pain", 4.4, 4.0, True).change_words() == "▲ 0.4 higher, a small change"
    assert Change("Cramps a week", 3.0, 1.0, False).change_words() == "▲ 2.0 higher"
    assert Change("Pain", 4.02, 4.0, True).change_words() == "= the same"
    assert Change("Pain", 2.0, None, True).change_words() == "nothing to compare"
    assert Change("Pain", None, 2.0, True).change_words() == "nothing logged"


def test_cramp_counts_are_never_called_clinically_important() -> None:
    assert not Change("Cramps a week", 9.0, 1.0, False).meaningful


def test_compare_without_an_earlier_period() -> None:
    now = Summary(3, 4.0, 5.0, 2.0, 1.0)
    changes = compare(now, None)
    assert [c.now for c in changes] == [4.0, 5.0, 2.0, 1.0]
    assert all(c.before is None for c in changes)


# --- the SQL read ------------------------------------------------------------------------------


def test_read_days_agrees_with_the_store_daily_aggregate(store: Store) -> None:
    store.merge(demo_entries(40, today=TODAY, per_day=3))
    store.add(Entry(date=TODAY.isoformat(), cramps=2))  # cramps only: no pain that day
    start = TODAY - timedelta(days=29)
    days = read_days(store, start, TODAY)
    daily = store.daily(start.isoformat(), TODAY.isoformat())
    assert [d.date.isoformat() for d in days] == [s.date for s in daily]
    for mine, theirs in zip(days, daily, strict=True):
        assert mine.pain_mean == pytest.approx(theirs.pain_mean)
        assert (mine.pain_worst, mine.night_pain, mine.cramps) == (
            theirs.pain_worst,
            theirs.night_pain,
            theirs.cramps,
        )


# --- drawing -----------------------------------------------------------------------------------


def test_chart_lines_draw_bars_in_eighths_with_peaks_and_gaps() -> None:
    points = [Point(TODAY - timedelta(days=n), TODAY - timedelta(days=n), v)
              for n, v in zip(range(3, -1, -1), (10.0, 5.0, None, 0.0), strict=True)]  # fmt: skip
    peaks = [Point(p.start, p.end, v) for p, v in zip(points, (10.0, 9.0, None, 0.0), strict=True)]
    wide = [p for p in points for _ in range(2)]  # each day two columns: no gaps
    assert chart_lines(wide, 10, 2, 2, [p for p in peaks for _ in range(2)]) == [
        "10┤██░░    ",
        " 0┤████    ",
        "  └────··──",
    ]
    wider = [p for p in points for _ in range(3)]  # three or more: a gap after each bar
    assert chart_lines(wider, 10, 1, 2, gaps=True) == ["10┤██ ▄▄       ", "  └──────··────"]
    assert chart_lines(wider, 10, 1, 2) == ["10┤███▄▄▄      ", "  └──────···───"]


def test_a_blank_column_between_bars_never_hides_a_day() -> None:
    assert Axis(TODAY - timedelta(days=13), TODAY, 42).gaps  # 3 columns a day
    assert not Axis(TODAY - timedelta(days=13), TODAY, 41).gaps


def test_chart_lines_partial_cells_and_narrow_columns() -> None:
    points = [Point(TODAY - timedelta(days=4 - n), TODAY, n) for n in (1.0, 2.0, 3.0, 4.0)]
    assert chart_lines(points, 4, 1, 1) == ["4┤▂▄▆█", " └────"]


def test_dates_under_the_axis_start_at_its_left_and_end_at_its_right() -> None:
    axis = Axis(date(2026, 1, 1), TODAY, 30)
    assert axis_dates(axis, 2) == "   01 Jan" + "31 Mar 2026".rjust(24)
    assert axis_dates(Axis(date(2025, 12, 1), TODAY, 30), 1).startswith("  01 Dec 2025")


def test_count_scale_is_the_largest_value_rounded_up() -> None:
    assert nice_top([Point(TODAY, TODAY, 2.5), Point(TODAY, TODAY, None)]) == 3
    assert nice_top([Point(TODAY, TODAY, None)]) == 1


def test_the_dashboard_and_trends_call_the_same_change_clear() -> None:
    """The dashboard had its own copy of the rule: from 0 to 1 it said 'clearly worse' where
    trends, which counts 30% only of a baseline above 0, said 'a small change'."""
    days = tuple(date(2026, 11, 7) + timedelta(days=n) for n in range(14))
    for before, now in [(0.0, 1.0), (5.0, 3.4), (7.0, 4.9), (1.0, 1.6), (6.0, 4.5)]:
        overview = Overview(days, (before,) * 7 + (now,) * 7, (None,) * 14, now, before, 0, 0)
        words = overview.change_words().text
        clear = Change("Pain", now, before, True).meaningful
        assert ("clearly" in words) == clear, (before, now, words)


def test_a_change_is_the_difference_of_the_figures_shown() -> None:
    """Shown as 0.9 against 2.2, cramps a week were '▼ 1.2 lower'; 3.0 against 5.0 was
    '▼ 1.9 lower, a small change', though 2 points is a clear one."""
    assert Change("Cramps a week", 0.94, 2.16, False).change_words() == "▼ 1.3 lower"
    assert Change("Pain", 3.04, 4.96, True).change_words() == "▼ 2.0 lower, a clear change"
    days = tuple(date(2026, 11, 7) + timedelta(days=n) for n in range(14))
    overview = Overview(days, (None,) * 14, (None,) * 14, 3.04, 4.96, 0, 0)
    assert overview.change_words().text == (
        "Average pain 3.0 in the last 7 days, ▼ 2.0 lower: clearly better than 5.0 the week before."
    )


def test_a_clear_improvement_is_a_clear_change_downwards() -> None:
    from companion.change import clear_change, clear_improvement

    assert clear_improvement(7.0, 4.9)  # exactly 30%, despite rounding
    assert clear_improvement(8.0, 6.0)  # exactly 2 points
    assert not clear_improvement(6.0, 4.3)  # 1.7 points, 28%
    assert clear_change(4.0, 6.0) and not clear_improvement(4.0, 6.0)  # a clear rise
    assert not clear_improvement(0.0, 0.0)
