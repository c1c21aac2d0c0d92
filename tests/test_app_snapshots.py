"""SVG snapshots of the main screens at 80x24, with a frozen clock and a seeded diary.

Regenerate with ``pytest tests/test_app_snapshots.py --snapshot-update`` and look at the
SVGs under tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from companion.demo import fill
from screens.app import CompanionApp

NOW = datetime(2026, 11, 20, 9, 15)
SIZE = (80, 24)

SnapCompare = Callable[..., bool]


@pytest.fixture
def seeded_app(home: Path) -> CompanionApp:
    fill(home, days=120, today=NOW.date())
    return CompanionApp(home=home, now=NOW)


def typing(*keys: str) -> Callable[[Any], Awaitable[None]]:
    """Press the keys, then hold the text cursor still: a blinking one is drawn or not
    depending on when the picture is taken."""

    async def run(pilot: Any) -> None:
        await pilot.press(*keys)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run


def test_dashboard(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    assert snap_compare(seeded_app, terminal_size=SIZE)


def test_first_run_welcome(snap_compare: SnapCompare, home: Path) -> None:
    assert snap_compare(CompanionApp(home=home, now=NOW), terminal_size=SIZE)


def test_entry_form(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    assert snap_compare(
        seeded_app, run_before=typing("n", "6", "tab", "1", "1"), terminal_size=SIZE
    )


def test_quick_entry(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    """A digit on the dashboard: the one-line quick entry at its foot, pain set."""
    assert snap_compare(seeded_app, run_before=typing("6", "tab", "1"), terminal_size=SIZE)


def test_evening_check_in(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    assert snap_compare(seeded_app, run_before=typing("v", "5", "enter", "7"), terminal_size=SIZE)


def test_diary(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    async def open_diary(pilot: Any) -> None:
        await pilot.press("d", "down", "down")

    assert snap_compare(seeded_app, run_before=open_diary, terminal_size=SIZE)


# --- what a new user tripped over: each one a layout defect ---------------------------------


def test_warning_signs_read_in_full_at_60_by_20(snap_compare: SnapCompare, home: Path) -> None:
    async def tick_one(pilot: Any) -> None:
        await pilot.press("n", "4")
        pilot.app.screen.query_one("#field-red_flags").focus()
        await pilot.press("down", "space")

    app = CompanionApp(home=home, now=NOW)
    assert snap_compare(app, run_before=tick_one, terminal_size=(60, 20))


def test_an_open_dropdown_leaves_the_hints_whole(snap_compare: SnapCompare, home: Path) -> None:
    async def open_dropdown(pilot: Any) -> None:
        await pilot.press("n", "4")
        pilot.app.screen.query_one("#field-eased_by_rest").focus()
        await pilot.pause()
        await pilot.press("enter")

    app = CompanionApp(home=home, now=NOW)
    assert snap_compare(app, run_before=open_dropdown, terminal_size=SIZE)


def test_nothing_covers_the_emergency_notice(snap_compare: SnapCompare, home: Path) -> None:
    async def save_an_emergency_sign(pilot: Any) -> None:
        await pilot.press("n", "4")
        pilot.app.screen.query_one("#field-red_flags").focus()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        pilot.app.notify("A second message, as the alerts might send.")

    app = CompanionApp(home=home, now=NOW)
    assert snap_compare(app, run_before=save_an_emergency_sign, terminal_size=(60, 20))


def test_the_last_14_days_read_whole_at_60_by_20(snap_compare: SnapCompare, home: Path) -> None:
    """The summaries beside the bars were cut: 'avg 5.6 (5-7…', 'no night pai…'."""
    from companion.entry import build_entry
    from companion.store import Store

    with Store.open(home) as store:
        for day in ("2026-11-07", "2026-11-10", "2026-11-13"):
            store.add(build_entry({"date": day, "pain": "5"}))
        store.add(build_entry({"date": "2026-11-20", "time": "08:00", "pain": "7"}))
        store.add(build_entry({"date": "2026-11-20", "time": "09:00", "pain": "8"}))
    app = CompanionApp(home=home, now=NOW)
    assert snap_compare(app, terminal_size=(60, 20))


def test_a_note_cannot_wipe_the_dashboard(snap_compare: SnapCompare, home: Path) -> None:
    """A note stored with '\\x1b[2J' cleared the terminal mid-frame: the header and today's
    entries vanished."""
    from companion.entry import Entry
    from companion.store import Store

    with Store.open(home) as store:
        store.add(Entry(date="2026-11-20", time="08:00", pain=5, notes="ok \x1b[2J cleared"))
    assert snap_compare(CompanionApp(home=home, now=NOW), terminal_size=SIZE)


def test_trends_share_one_axis_ending_today(
    snap_compare: SnapCompare, seeded_app: CompanionApp
) -> None:
    async def open_trends(pilot: Any) -> None:
        await pilot.press("r")
        pilot.app.screen.query_one("#trends").scroll_end(animate=False)

    assert snap_compare(seeded_app, run_before=open_trends, terminal_size=SIZE)


def test_diary_names_warning_signs_and_its_keys_fit(
    snap_compare: SnapCompare, seeded_app: CompanionApp, home: Path
) -> None:
    from companion.entry import build_entry
    from companion.store import Store

    with Store.open(home) as store:
        store.add(build_entry({"date": "2026-11-20", "time": "09:00", "pain": "5",
                               "red_flags": "saddle_numbness;fever", "notes": "Hot."}))  # fmt: skip
    assert snap_compare(seeded_app, press=["d"], terminal_size=SIZE)
