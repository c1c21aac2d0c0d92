"""Trends: pain, night pain and cramps over 2 weeks to the whole diary, with a summary.

The charts are block characters drawn by ``companion.trends.chart_lines``: they fit any
size down to 60x20, need no graphics, and look the same in every terminal and snapshot. They
share one time axis (``companion.trends.Axis``) and one scale width, so a column is the same
days in every chart and the last ends today at the right edge. The days are read once per
period; a resize only re-buckets them to the new width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from itertools import groupby
from typing import ClassVar

from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from companion.blocks import BLOCKS, NO_DATA, PEAK
from companion.trends import (
    CLEAR_CHANGE,
    PERIODS,
    Axis,
    Day,
    Point,
    Summary,
    axis_dates,
    chart_lines,
    compare,
    nice_top,
    period_range,
    previous_range,
    read_days,
    sample,
    summarize,
    weekly_cramps,
)
from screens.app import CompanionApp
from screens.commands import bindings
from screens.footer import KeyFooter
from screens.title_bar import TitleBar

Series = Callable[[Axis], tuple[Sequence[Point], Sequence[Point] | None]]
DEFAULT_PERIOD = 2  # 3 months
PAIN_TOP = 10.0
# Sleep, mood and activity: a chart each, on the same axis, shown once any day records it.
HABIT_CHARTS = (
    ("sleep_hours", "Sleep, hours:  {full} the night's"),
    ("mood", "Mood 0-10 (10 best):  {full} daily mean"),
    ("activity_min", "Walking or exercise, minutes:  {full} the day's"),
)
SLEEP_TOP = 12.0


class BlockChart(Widget):
    """A titled column chart over ``start``..``end``; ``series(axis)`` gives the points (and
    peaks) under each column of the axis. ``dates`` adds the first and last day below it."""

    DEFAULT_CSS = """
    BlockChart {
        height: 1fr;
        min-height: 5;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "blockchart--title",
        "blockchart--bar",
        "blockchart--peak",
        "blockchart--axis",
    }

    def __init__(self, title: str, *, dates: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.dates = dates
        self._series: Series | None = None
        self._span = (date.min, date.min)
        self._top = PAIN_TOP
        self._margin = 0
        self._strips: list[Strip] | None = None
        self._drawn_at: Size | None = None

    def plot(self, series: Series, start: date, end: date, top: float, margin: int) -> None:
        """Draw ``series`` from start to end on a scale of 0 to ``top``, the scale's labels in
        ``margin`` characters (the same in every chart, so their columns line up)."""
        self._series = series
        self._span = start, end
        self._top, self._margin = top, margin
        self._strips = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    def plain(self) -> str:
        """The chart as plain text, as drawn at the current size."""
        return "\n".join(strip.text for strip in self._lines())

    def render_line(self, y: int) -> Strip:
        lines = self._lines()
        return lines[y] if y < len(lines) else Strip.blank(self.size.width, self.rich_style)

    def _lines(self) -> list[Strip]:
        """Drawn once per size and series: a repaint reuses them."""
        if self._strips is None or self._drawn_at != self.size:
            self._strips = self._draw()
            self._drawn_at = self.size
        return self._strips

    def _draw(self) -> list[Strip]:
        width, height = self.size
        base = self.rich_style
        axis = base + self.get_component_rich_style("blockchart--axis")
        title = [Segment(self.title, base + self.get_component_rich_style("blockchart--title"))]
        lines: list[str] = []
        bars = height - 2 - self.dates  # rows of bars, under the title and over the axis
        if self._series is not None and bars >= 1:
            scale = Axis(*self._span, max(1, width - self._margin - 1))
            points, peaks = self._series(scale)
            if any(p.value is None for p in points):
                title.append(Segment(f"  {NO_DATA} nothing logged", axis))
            lines = chart_lines(points, self._top, bars, self._margin, peaks, gaps=scale.gaps)
            if self.dates:
                lines.append(axis_dates(scale, self._margin))
        styles = {
            **dict.fromkeys(BLOCKS, base + self.get_component_rich_style("blockchart--bar")),
            PEAK: base + self.get_component_rich_style("blockchart--peak"),
        }
        # One segment per run of a style, so a long line stays cheap to paint.
        rows = [
            [
                Segment("".join(run), style)
                for style, run in groupby(line, key=lambda char: styles.get(char, axis))
            ]
            for line in lines
        ]
        return [Strip(segments).adjust_cell_length(width, base) for segments in (title, *rows)]


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


class TrendsScreen(Screen[None]):
    """How pain, night pain and cramps have moved, over a period the person picks."""

    app = getters.app(CompanionApp)

    SCOPE = "trends"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "trends.tcss"

    period: reactive[int] = reactive(DEFAULT_PERIOD, init=False)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="trends"):
            yield Static(id="trends-periods")
            yield Static(id="trends-summary")
            full = BLOCKS[-1]
            yield BlockChart(f"Pain 0-10:  {full} daily mean  {PEAK} worst", id="pain-chart")
            yield BlockChart(f"Night pain 0-10:  {full} worst in the night", id="night-chart")
            yield BlockChart(f"Cramps a week:  {full} episodes", dates=True, id="cramp-chart")
            for name, title in HABIT_CHARTS:
                yield BlockChart(title.format(full=full), id=f"{name}-chart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#trends-summary").tooltip = CLEAR_CHANGE

    def on_screen_resume(self) -> None:
        # Also sent right after on_mount: the one read when the screen opens.
        self.load()

    def watch_period(self) -> None:
        self.load()

    def action_period(self, key: str) -> None:
        self.period = next(i for i, p in enumerate(PERIODS) if p.key == key)

    def action_shorter(self) -> None:
        self.period = max(0, self.period - 1)

    def action_longer(self) -> None:
        self.period = min(len(PERIODS) - 1, self.period + 1)

    def load(self) -> None:
        """Read the period's days (and the period before, for the summary), then draw."""
        store, today = self.app.store, self.app.today
        chosen = PERIODS[self.period]
        span = store.span()
        first = date.fromisoformat(span[0]) if span else None
        start, end = period_range(chosen, today, first)
        days = read_days(store, start, end)
        before: Summary | None = None
        if chosen.days is not None:
            earlier = previous_range(start, end)
            before = summarize(read_days(store, *earlier), *earlier)
        self._show_periods()
        self._show_summary(summarize(days, start, end), before, start, end)
        self._draw(days, start, end)

    def _show_periods(self) -> None:
        text = Text("Period: ")
        for i, period in enumerate(PERIODS):
            chosen = i == self.period
            text.append(f"[{period.label}]" if chosen else f" {period.label} ")
            if chosen:
                text.stylize("bold reverse", len(text) - len(period.label) - 2)
        self.query_one("#trends-periods", Static).update(text)

    def _show_summary(self, now: Summary, before: Summary | None, start: date, end: date) -> None:
        """A table whose first header is the period itself: dates and days logged."""
        length = (end - start).days + 1
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        first = f"{start:%d %b}" if start.year == end.year else f"{start:%d %b %Y}"
        table.add_column(f"{first} to {end:%d %b %Y}: {now.days_logged}/{length} days")
        table.add_column("now", justify="right")
        table.add_column("before" if before is not None else "", justify="right")
        table.add_column("change")
        for change in compare(now, before):
            table.add_row(
                change.label, _number(change.now), _number(change.before), change.change_words()
            )
        self.query_one("#trends-summary", Static).update(table)

    def _draw(self, days: list[Day], start: date, end: date) -> None:
        def pain(axis: Axis) -> tuple[Sequence[Point], Sequence[Point] | None]:
            spans = axis.spans
            return (
                sample(days, spans, lambda d: d.pain_mean),
                sample(days, spans, lambda d: d.pain_worst, how="max"),
            )

        def night(axis: Axis) -> tuple[Sequence[Point], Sequence[Point] | None]:
            return sample(days, axis.spans, lambda d: d.night_pain), None

        def cramps(axis: Axis) -> tuple[Sequence[Point], Sequence[Point] | None]:
            return weekly_cramps(days, axis), None

        # One scale for cramps at any width: the busiest single week (a wider bar, several
        # weeks' mean, is never taller).
        weeks = Axis(start, end, (end - start).days + 1)
        cramp_top = nice_top(weekly_cramps(days, weeks))
        habits = habit_tops(days)
        # One scale width in every chart, so that their columns line up.
        margin = max(len(f"{top:g}") for top in (PAIN_TOP, cramp_top, *habits.values()))
        self.query_one("#pain-chart", BlockChart).plot(pain, start, end, PAIN_TOP, margin)
        self.query_one("#night-chart", BlockChart).plot(night, start, end, PAIN_TOP, margin)
        self.query_one("#cramp-chart", BlockChart).plot(cramps, start, end, cramp_top, margin)
        shown = [self.query_one("#cramp-chart", BlockChart)]
        for name, _ in HABIT_CHARTS:
            chart = self.query_one(f"#{name}-chart", BlockChart)
            chart.display = name in habits
            if name in habits:
                chart.plot(habit_series(days, name), start, end, habits[name], margin)
                shown.append(chart)
        for chart in shown:  # the last chart shown carries the dates
            chart.dates = chart is shown[-1]


def habit_tops(days: Sequence[Day]) -> dict[str, float]:
    """The scale of each of sleep, mood and activity that some day records: sleep to 12
    hours and mood to 10 unless more was recorded, activity to its largest value."""
    tops: dict[str, float] = {}
    for name, _ in HABIT_CHARTS:
        values = [value for day in days if (value := getattr(day, name)) is not None]
        if values:
            least = {"sleep_hours": SLEEP_TOP, "mood": PAIN_TOP}.get(name, 1.0)
            tops[name] = max(least, float(math.ceil(max(values))))
    return tops


def habit_series(days: Sequence[Day], name: str) -> Series:
    def series(axis: Axis) -> tuple[Sequence[Point], Sequence[Point] | None]:
        return sample(days, axis.spans, lambda day: getattr(day, name)), None

    return series
