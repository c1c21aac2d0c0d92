"""Trend windows, period summaries and chart series, downsampled to a chart's width.

The store aggregates per day in SQL (``read_days``); everything else here is pure, so a
chart redraw after a resize only re-buckets the days already read.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import TYPE_CHECKING, Literal

from companion.blocks import AXIS, BLOCKS, NO_DATA, PEAK
from companion.change import as_shown, clear_change
from companion.ranges import PERIODS as PERIODS
from companion.ranges import Period

if TYPE_CHECKING:
    from companion.store import Store


@dataclass(frozen=True)
class Day:
    """One day of the diary, with only what the charts draw."""

    date: date
    pain_mean: float | None
    pain_worst: float | None
    night_pain: float | None
    cramps: int
    sleep_hours: float | None = None  # the longest recorded for the night
    mood: float | None = None  # the day's mean
    activity_min: float | None = None  # the most recorded for the day


def read_days(store: Store, start: date, end: date) -> list[Day]:
    """The days with entries from start to end, aggregated in SQL."""
    from companion.store.trends import chart_days

    rows = chart_days(store, start.isoformat(), end.isoformat())
    return [Day(date.fromisoformat(r[0]), *r[1:]) for r in rows]


def period_range(period: Period, today: date, first: date | None) -> tuple[date, date]:
    """The dates a period covers, ending today; "all" starts at the diary's first day."""
    if period.days is None:
        return (min(first, today) if first else today), today
    return today - timedelta(days=period.days - 1), today


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


# --- chart series ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One column of a chart: the dates it covers and its value (None: nothing logged)."""

    start: date
    end: date
    value: float | None


How = Literal["mean", "max"]
Span = tuple[date, date]


@dataclass(frozen=True)
class Axis:
    """The days under each of ``width`` columns, from ``start`` at the left to ``end`` at the
    right edge. The charts of a screen share one, so a column is the same days in each."""

    start: date
    end: date
    width: int

    @property
    def gaps(self) -> bool:
        """Whether a bar can end in a blank column to set it apart from the next: only when
        every day has three columns or more, so a blank one never hides a day."""
        return self.width >= 3 * ((self.end - self.start).days + 1)

    @property
    def spans(self) -> list[Span]:
        """Each column's first and last day: the days shared out evenly, a day spread over
        several columns when there are more columns than days."""
        days = (self.end - self.start).days + 1
        width = max(1, self.width)
        first = self.start.toordinal()
        spans = []
        for column in range(width):
            low = column * days // width
            high = max(low, (column + 1) * days // width - 1)
            spans.append((date.fromordinal(first + low), date.fromordinal(first + high)))
        return spans


def buckets(start: date, end: date, width: int, unit: int = 1) -> int:
    """How many days each column covers so that the range fits in ``width`` columns, in
    whole multiples of ``unit`` days."""
    days = (end - start).days + 1
    units = math.ceil(days / unit)
    return unit * max(1, math.ceil(units / max(width, 1)))


def _columns(start: date, end: date, step: int) -> list[Span]:
    """Spans of ``step`` days ending on ``end``, oldest first; the first may be shorter."""
    first, last = start.toordinal(), end.toordinal()
    count = math.ceil((last - first + 1) / step)
    # In day numbers: the oldest span may reach back before the calendar's first day.
    return [
        (date.fromordinal(max(first, last - (i + 1) * step + 1)), date.fromordinal(last - i * step))
        for i in range(count - 1, -1, -1)
    ]


def _days_in(days: Sequence[Day], spans: Sequence[Span]) -> list[list[Day]]:
    """The days that fall in each span, found by bisection: a range that reaches back to a
    mistyped year 0001 costs no more than its days logged."""
    ordered = sorted(days, key=lambda d: d.date)
    keys = [d.date for d in ordered]
    return [ordered[bisect_left(keys, first) : bisect_right(keys, last)] for first, last in spans]


def sample(
    days: Sequence[Day],
    spans: Sequence[Span],
    value: Callable[[Day], float | None],
    how: How = "mean",
) -> list[Point]:
    """A point per span: the mean (or max) of its days' values, None where none was logged."""
    pick: Callable[[list[float]], float] = fmean if how == "mean" else max
    points = []
    for (first, last), group in zip(spans, _days_in(days, spans), strict=True):
        known = [v for d in group if (v := value(d)) is not None]
        points.append(Point(first, last, pick(known) if known else None))
    return points


def downsample(
    days: Sequence[Day],
    start: date,
    end: date,
    width: int,
    value: Callable[[Day], float | None],
    how: How = "mean",
) -> list[Point]:
    """At most ``width`` points over start..end, each as many whole days (the summary's
    charts say how many); the last point always ends on ``end``."""
    return sample(days, _columns(start, end, buckets(start, end, width)), value, how)


def weekly_cramps(days: Sequence[Day], axis: Axis) -> list[Point]:
    """Cramps a week under each column of ``axis``, in bars of whole columns from the right
    edge, each a week or more (as few columns as make a week, never splitting a day), a
    shorter first bar scaled to a week; None where nothing was logged. The columns of one bar
    share its point."""
    spans = axis.spans
    bars: list[tuple[int, int]] = []  # first and last column, from the right
    right = len(spans) - 1
    while right >= 0:
        left = right
        while left > 0 and (
            (spans[right][1] - spans[left][0]).days + 1 < 7 or spans[left - 1][1] >= spans[left][0]
        ):
            left -= 1
        bars.append((left, right))
        right = left - 1
    bars.reverse()
    weeks = [(spans[left][0], spans[right][1]) for left, right in bars]
    points = []
    for (left, right), (first, last), group in zip(bars, weeks, _days_in(days, weeks), strict=True):
        length = (last - first).days + 1
        rate = sum(d.cramps for d in group) * 7 / length if group else None
        points += [Point(first, last, rate)] * (right - left + 1)
    return points


# --- summaries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """A period in four numbers (None where nothing was logged)."""

    days_logged: int
    pain: float | None  # mean of the daily mean pain
    worst: float | None  # mean of the daily worst pain
    night: float | None  # mean of the nightly pain
    cramps_per_week: float | None


def _mean_of(days: Sequence[Day], value: Callable[[Day], float | None]) -> float | None:
    known = [v for d in days if (v := value(d)) is not None]
    return fmean(known) if known else None


# Cramps a week are counted over the days logged, as pain is averaged over them (a day with
# nothing logged is not a day without cramps), and only from a week's worth of days: from two
# days, one bad day would read as a rate, and that rate would swing with the period chosen.
RATE_MIN_DAYS = 7


def summarize(days: Sequence[Day], start: date, end: date) -> Summary:
    inside = [d for d in days if start <= d.date <= end]
    enough = len(inside) >= RATE_MIN_DAYS
    return Summary(
        days_logged=len(inside),
        pain=_mean_of(inside, lambda d: d.pain_mean),
        worst=_mean_of(inside, lambda d: d.pain_worst),
        night=_mean_of(inside, lambda d: d.night_pain),
        cramps_per_week=7 * sum(d.cramps for d in inside) / len(inside) if enough else None,
    )


@dataclass(frozen=True)
class Change:
    """One measure, this period against the one before."""

    label: str
    now: float | None
    before: float | None
    on_pain_scale: bool  # the 2-point-or-30% test applies to 0-10 scores only
    missing: str = "nothing logged"
    """Why there is no figure for this period."""

    @property
    def delta(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return as_shown(self.now) - as_shown(self.before)

    @property
    def meaningful(self) -> bool:
        """A change of 2 points or 30% (farrar-2001); never for cramp counts."""
        if self.now is None or not self.on_pain_scale or self.before is None:
            return False
        return clear_change(as_shown(self.before), as_shown(self.now))

    def change_words(self) -> str:
        """The change with a symbol and a word, e.g. '▼ 2.1 lower, a clear change'."""
        delta = self.delta
        if delta is None:
            return "nothing to compare" if self.now is not None else self.missing
        if abs(delta) < 0.05:
            return "= the same"
        text = f"▲ {delta:.1f} higher" if delta > 0 else f"▼ {-delta:.1f} lower"
        if not self.on_pain_scale:
            return text
        return f"{text}, {'a clear' if self.meaningful else 'a small'} change"


CLEAR_CHANGE = "A clear change is 2 points or 30% or more (Farrar 2001)."


def compare(now: Summary, before: Summary | None) -> list[Change]:
    def was(name: str) -> float | None:
        return getattr(before, name) if before is not None else None

    few = 0 < now.days_logged < RATE_MIN_DAYS
    return [
        Change("Pain (daily mean)", now.pain, was("pain"), True),
        Change("Worst pain", now.worst, was("worst"), True),
        Change("Night pain", now.night, was("night"), True),
        Change(
            "Cramps a week",
            now.cramps_per_week,
            was("cramps_per_week"),
            False,
            f"too few days ({now.days_logged}; {RATE_MIN_DAYS} needed)"
            if few
            else "nothing logged",
        ),
    ]


# --- drawing --------------------------------------------------------------------------------


def nice_top(points: Sequence[Point]) -> float:
    """The top of a count chart's scale: the largest value rounded up, at least 1."""
    return float(max(1, math.ceil(max((p.value or 0 for p in points), default=0))))


def chart_lines(
    points: Sequence[Point],
    top: float,
    height: int,
    margin: int,
    peaks: Sequence[Point] | None = None,
    *,
    gaps: bool = False,
) -> list[str]:
    """A column chart in block characters, one column per point: ``height`` rows of bars then
    an axis row, each led by the scale in ``margin`` characters and a rule.

    Each point is a bar measured in eighths of a cell; a peak (the worst pain) is shading
    above its bar; the axis shows NO_DATA under columns with nothing logged, so a gap is
    never mistaken for a zero. Neighbouring columns that share a point draw one bar; with
    ``gaps`` (see ``Axis.gaps``), one three or more wide ends in a blank column.
    """
    plot = len(points)
    rows: list[list[str]] = [[" "] * plot for _ in range(height)]
    axis = [AXIS] * plot
    for x, point in enumerate(points):
        if gaps and (x + 1 == plot or points[x + 1] != point) and points[max(0, x - 2)] == point:
            continue  # the last column of a bar three or more wide
        if point.value is None:
            axis[x] = NO_DATA
            continue
        eighths = round(min(max(point.value / top, 0.0), 1.0) * height * 8)
        peak = peaks[x].value if peaks is not None else None
        peak_cells = round(min(max((peak or 0) / top, 0.0), 1.0) * height)
        for level in range(height):
            filled = eighths - 8 * level
            if filled > 0:
                rows[height - 1 - level][x] = BLOCKS[min(filled, 8) - 1]
            elif level < peak_cells:
                rows[height - 1 - level][x] = PEAK
    label = f"{top:g}"
    lines = []
    for n, row in enumerate(rows):
        scale = label if n == 0 else "0" if n == height - 1 else ""
        lines.append(f"{scale.rjust(margin)}{'┤' if scale else '│'}{''.join(row)}")
    lines.append(" " * margin + "└" + "".join(axis))
    return lines


def axis_dates(axis: Axis, margin: int) -> str:
    """The first day under the left edge of the plot and the last (today) at the right."""
    year = "" if axis.start.year == axis.end.year else " %Y"
    first, last = f"{axis.start:%d %b{year}}", f"{axis.end:%d %b %Y}"
    return " " * (margin + 1) + first + last.rjust(max(0, axis.width - len(first)))
