"""The trends screen as a new user read it: one time axis for every chart, ending today."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from companion.blocks import BLOCKS
from companion.entry import Entry
from companion.store import Store
from screens.app import CompanionApp
from screens.trends import BlockChart

TODAY = date(2026, 3, 31)
MARKED = 30  # days ago: the one day of top pain, night pain and cramps


def diary(home: Path) -> None:
    """91 days of pain 2 and night pain 2; on one day 30 days ago, 10 and 10 and 5 cramps."""
    with Store.open(home) as store:
        store.merge(
            Entry(
                date=(TODAY - timedelta(days=n)).isoformat(),
                pain=10 if n == MARKED else 2,
                night_pain=10 if n == MARKED else 2,
                cramps=5 if n == MARKED else 0,
            )
            for n in range(91)
        )


def columns(chart: BlockChart) -> tuple[int, dict[int, str]]:
    """Where the plot starts, and each plot column's cells from the top row to the axis."""
    lines = chart.plain().splitlines()[1:]  # under the title
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    left = lines[axis].index("└") + 1
    width = len(lines[axis].rstrip())
    return left, {x: "".join(line[x] for line in lines[: axis + 1]) for x in range(left, width)}


@pytest.mark.parametrize("size", [(80, 40), (200, 50)])
async def test_the_charts_share_one_axis_that_ends_today_at_the_right_edge(
    home: Path, size: tuple[int, int]
) -> None:
    diary(home)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 20, 0))
    async with app.run_test(size=size) as pilot:
        await pilot.press("r")  # 3 months
        await pilot.pause()
        charts = {c.id: c for c in app.screen.query(BlockChart)}
        pain, night, cramps = (
            columns(charts[n]) for n in ("pain-chart", "night-chart", "cramp-chart")
        )
        widths = {c.size.width for c in charts.values() if c.display}
        dates = charts["cramp-chart"].plain().splitlines()[-1]
    assert len(widths) == 1
    (width,) = widths
    # The same columns in every chart, from the same left edge to the right edge.
    assert pain[0] == night[0] == cramps[0]
    assert list(pain[1]) == list(night[1]) == list(cramps[1]) == list(range(pain[0], width))
    # Today is the last column: logged, so drawn, in pain and night pain.
    assert any(cell in BLOCKS for cell in pain[1][width - 1])
    assert any(cell in BLOCKS for cell in night[1][width - 1])
    # The one bad day is in the same columns of both pain charts, and under the cramp bar.
    top_pain = {x for x, cells in pain[1].items() if cells[0] == "█"}
    top_night = {x for x, cells in night[1].items() if cells[0] == "█"}
    cramp_bar = {x for x, cells in cramps[1].items() if set(cells) & set(BLOCKS)}
    assert top_pain and top_pain == top_night
    assert top_pain <= cramp_bar
    # ...at the share of the width that 30 days of 91 make, counted from the right.
    plot = width - pain[0]
    assert abs((width - 1 - max(top_pain)) - MARKED * plot / 91) <= 1 + plot / 91
    assert dates.rstrip().endswith("31 Mar 2026") and len(dates.rstrip()) == width
    assert dates[pain[0] :].startswith("31 Dec")


async def test_too_few_days_for_a_weekly_rate_say_so(home: Path) -> None:
    with Store.open(home) as store:
        store.add(Entry(date="2026-03-29", pain=4, cramps=1))
        store.add(Entry(date="2026-03-31", pain=5, cramps=1))
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 20, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        for period in "12345":
            await pilot.press(period)
            console = Console(width=200, file=io.StringIO(), record=True)
            console.print(app.screen.query_one("#trends-summary", Static).content)
            (cramps,) = [ln for ln in console.export_text().splitlines() if "Cramps" in ln]
            assert cramps.split() == ["Cramps", "a", "week", "-", "-", "too", "few", "days",
                                      "(2;", "7", "needed)"] or cramps.split()[3:] == [
                                      "-", "too", "few", "days", "(2;", "7", "needed)"]  # fmt: skip


@pytest.mark.slow
async def test_sleep_mood_and_activity_charts_share_the_axis_once_recorded(home: Path) -> None:
    diary(home)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 20, 0))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        charts = {c.id: c for c in app.screen.query(BlockChart)}
        assert not charts["sleep_hours-chart"].display and not charts["mood-chart"].display
        assert charts["cramp-chart"].plain().splitlines()[-1].rstrip().endswith("31 Mar 2026")
    with Store.open(home) as store:
        store.add(Entry(date=(TODAY - timedelta(days=MARKED)).isoformat(), pain=3, mood=9))
        store.add(Entry(date=TODAY.isoformat(), pain=3, sleep_hours=4.5, activity_min=150))
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 20, 0))
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        charts = {c.id: c for c in app.screen.query(BlockChart)}
        assert all(charts[n].display for n in ("sleep_hours-chart", "mood-chart"))
        # The same columns as the night chart: mood's one day sits where the worst night is.
        night_left, night = columns(charts["night-chart"])
        mood_left, mood = columns(charts["mood-chart"])
        assert night_left == mood_left
        worst_night = {x for x, cells in night.items() if cells[0] in BLOCKS}
        mood_days = {x for x, cells in mood.items() if any(c in BLOCKS for c in cells[:-1])}
        assert mood_days == worst_night != set()
        # The dates move under the last chart shown.
        activity = charts["activity_min-chart"].plain().splitlines()
        assert activity[-1].rstrip().endswith("31 Mar 2026")
        assert "└" in charts["cramp-chart"].plain().splitlines()[-1]
        assert "150┤" in charts["activity_min-chart"].plain()
