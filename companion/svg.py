"""Inline SVG charts for the doctor's summary: plain markup, no scripts, readable on paper.

Series are told apart by a word in the legend and a dash pattern, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

WIDTH = 680  # user units; a full-width chart on the page, 10-unit text stays legible
TICK_SPACING = 85
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 22, 20
GRID = "#d9dde3"
INK = "#3b4350"
# Days without entries longer than this break the line, so a gap in the diary shows.
MAX_GAP_DAYS = 7


@dataclass(frozen=True)
class Line:
    """One series: (day offset from the chart's start, value) pairs, in order."""

    key: str
    label: str
    points: Sequence[tuple[int, float]]
    colour: str
    dash: str = ""
    width: float = 2.0


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: no entries at all in that bucket


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(title: str, width: int, height: int, body: list[str]) -> str:
    text = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{text}" class="chart" preserveAspectRatio="xMidYMid meet">'
        f"<title>{text}</title>{''.join(body)}</svg>"
    )


def _y_axis(width: int, height: int, y_max: float, ticks: Sequence[float]) -> list[str]:
    plot_h = height - TOP - BOTTOM
    parts = []
    for tick in ticks:
        y = TOP + plot_h * (1 - tick / y_max)
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 5}" y="{_num(y + 3.5)}" text-anchor="end" font-size="10" '
            f'fill="{INK}">{_num(tick)}</text>'
        )
    return parts


def date_ticks(start: date, end: date, most: int = 8) -> list[tuple[int, str]]:
    """Tick positions (day offsets) and labels: Mondays for short spans, months for long."""
    span = (end - start).days
    if span <= 100:
        weeks = max(1, -(-(span // 7 + 1) // most))
        days = range((7 - start.weekday()) % 7, span + 1, 7 * weeks)
        return [(d, _short(start + timedelta(days=d))) for d in days]
    # Months by number, so a range in the calendar's last month never steps past it.
    first = start.year * 12 + start.month - 1 + (start.day > 1)
    months = [date(m // 12, m % 12 + 1, 1) for m in range(first, end.year * 12 + end.month)]
    if span > 3 * 366:
        years = [m for m in months if m.month == 1]
        step = max(1, -(-len(years) // most))
        return [((y - start).days, str(y.year)) for y in years[::step]]
    chosen = months[:: max(1, -(-len(months) // most))]
    return [
        ((m - start).days, m.strftime("%b %Y" if i == 0 or m.year != chosen[i - 1].year else "%b"))
        for i, m in enumerate(chosen)
    ]


def _short(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _runs(points: Sequence[tuple[int, float]], gap: int) -> list[list[tuple[int, float]]]:
    runs: list[list[tuple[int, float]]] = []
    for point in points:
        if runs and point[0] - runs[-1][-1][0] <= gap:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def line_chart(
    title: str,
    lines: Sequence[Line],
    *,
    start: date,
    end: date,
    y_max: float = 10,
    y_ticks: Sequence[float] = (0, 2, 4, 6, 8, 10),
    width: int = WIDTH,
    height: int = 140,
    gap: int = MAX_GAP_DAYS,
) -> str:
    """A time-series chart; each line is drawn as polylines broken at long gaps."""
    span = max(1, (end - start).days)
    plot_w = width - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM

    def xy(offset: int, value: float) -> str:
        x = LEFT + plot_w * offset / span
        y = TOP + plot_h * (1 - min(value, y_max) / y_max)
        return f"{_num(x)},{_num(y)}"

    body = _y_axis(width, height, y_max, y_ticks)
    for offset, label in date_ticks(start, end, most=width // TICK_SPACING):
        x = _num(LEFT + plot_w * offset / span)
        body.append(
            f'<line x1="{x}" x2="{x}" y1="{height - BOTTOM}" y2="{height - BOTTOM + 4}" '
            f'stroke="{INK}"/><text x="{x}" y="{height - 5}" text-anchor="middle" '
            f'font-size="10" fill="{INK}">{escape(label)}</text>'
        )
    body.append(
        f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{height - BOTTOM}" '
        f'y2="{height - BOTTOM}" stroke="{INK}"/>'
    )
    legend_x = LEFT
    for line in lines:
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        style = f'stroke="{line.colour}" stroke-width="{line.width}"{dash}'
        for run in _runs(line.points, gap):
            if len(run) == 1:
                x, y = xy(*run[0]).split(",")
                body.append(
                    f'<circle class="pt-{line.key}" cx="{x}" cy="{y}" r="2.2" '
                    f'fill="{line.colour}"/>'
                )
            else:
                coords = " ".join(xy(*p) for p in run)
                body.append(
                    f'<polyline class="line-{line.key}" points="{coords}" fill="none" '
                    f'stroke-linejoin="round" {style}/>'
                )
        body.append(
            f'<line x1="{legend_x}" x2="{legend_x + 26}" y1="9" y2="9" {style}/>'
            f'<text x="{legend_x + 31}" y="12.5" font-size="10.5" fill="{INK}">'
            f"{escape(line.label)}</text>"
        )
        legend_x += 40 + 6 * len(line.label)
    return _frame(title, width, height, body)


def bar_chart(
    title: str, bars: Sequence[Bar], *, colour: str, width: int = WIDTH, height: int = 110
) -> str:
    """Bars with their value written above; buckets without entries are marked 'no data'.

    The title doubles as the legend, beside a swatch of the bars' colour."""
    plot_w = width - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    top_value = max((b.value or 0 for b in bars), default=0)
    y_max = float(max(4, top_value + (-top_value % 4)))  # four whole-number steps
    ticks = [y_max * i / 4 for i in range(5)]
    body = _y_axis(width, height, y_max, ticks)
    slot = plot_w / max(1, len(bars))
    every = max(1, -(-len(bars) * TICK_SPACING // 2 // width))  # at most a label per 42 units
    baseline = TOP + plot_h
    for i, bar in enumerate(bars):
        x = LEFT + slot * i
        centre = _num(x + slot / 2)
        if bar.value is None:
            body.append(
                f'<text class="nodata" x="{centre}" y="{_num(baseline - 3)}" '
                f'text-anchor="middle" font-size="8" fill="{INK}">no data</text>'
            )
        else:
            h = plot_h * bar.value / y_max
            body.append(
                f'<rect class="bar" x="{_num(x + slot * 0.15)}" y="{_num(baseline - h)}" '
                f'width="{_num(slot * 0.7)}" height="{_num(h)}" fill="{colour}"/>'
            )
            if bar.value:
                body.append(
                    f'<text class="value" x="{centre}" y="{_num(baseline - h - 3)}" '
                    f'text-anchor="middle" font-size="10" fill="{INK}">{bar.value}</text>'
                )
        if i % every == 0:
            body.append(
                f'<text x="{centre}" y="{height - 5}" text-anchor="middle" font-size="10" '
                f'fill="{INK}">{escape(bar.label)}</text>'
            )
    body.append(
        f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{baseline}" y2="{baseline}" stroke="{INK}"/>'
        f'<rect x="{LEFT}" y="4" width="10" height="10" fill="{colour}"/>'
        f'<text x="{LEFT + 15}" y="12.5" font-size="10.5" fill="{INK}">{escape(title)}</text>'
    )
    return _frame(title, width, height, body)
