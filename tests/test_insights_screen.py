"""The insights screen as a person reads it: each finding with its chart, what was compared
and found nothing, what had too few days, and the caveat first."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console
from test_insights import TODAY, planted_diary

from companion.entry import Entry
from companion.insights import CAUSE
from companion.store import Store
from screens.app import CompanionApp
from screens.help import keys_help
from screens.insights import FindingChart, InsightsScreen

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 20, 0)


def screen_text(app: CompanionApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def words(app: CompanionApp) -> str:
    """Everything on the screen's widgets, rendered, as one line of words."""
    texts = [str(w.render()) for w in app.screen.query("Static, FindingChart")]
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_finding_shows_as_a_sentence_with_its_chart(
    home: Path, size: tuple[int, int]
) -> None:
    with Store.open(home) as store:
        planted_diary(store)
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=size) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InsightsScreen)
        said = words(app)
        (chart,) = [
            c for c in app.screen.query(FindingChart) if "sitting" in c.finding.comparison.factor
        ]
        lines = str(chart.render()).splitlines()
        # On screen, the caveat is read before any finding.
        drawn = screen_text(app)
    assert "On days with sitting as a trigger, pain that day was" in said
    assert " ".join(CAUSE.split()) in said and "Holm" in said
    assert "150 days logged" in said
    assert "Too few days to say" in said and "lower back (left) pain (150)" in said
    assert lines[0].startswith("with    █") and lines[1].startswith("without █")
    assert lines[2].startswith("95% interval, corrected: +")
    assert all(len(line) <= size[0] - 2 for line in lines)
    assert "An association is not a cause" in drawn


async def test_too_few_days_and_nothing_found_say_so(home: Path) -> None:
    with Store.open(home) as store:
        store.add(Entry(date="2026-11-30", pain=3, triggers=frozenset({"cold"})))
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        said = words(app)
        assert not app.screen.query(FindingChart)
        assert "Too few days to compare anything yet" in said
        assert "cold as a trigger (1)" in said
        assert not app.screen.query_one("#insights-nothing").display


async def test_an_entry_made_from_the_screen_is_counted_when_it_shows_again(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert "0 days logged" in words(app)
        with Store.open(home) as store:
            store.add(Entry(date="2026-11-30", pain=3))
        await pilot.press("n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, InsightsScreen)
        assert "1 day logged, 0 comparisons made" in words(app)


async def test_insights_are_offered_by_the_palette_and_the_help(home: Path) -> None:
    from test_screens_read import palette_titles

    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        offered = await palette_titles(app, pilot)
    assert "Insights (i)" in offered
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(keys_help())
    keys = console.export_text()
    assert "Which factors go with better or worse days" in keys
    line = next(line for line in keys.splitlines() if "Which factors go with" in line)
    assert line.split()[0] == "i"
