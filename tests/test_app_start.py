"""What the app does while it starts: read the diary once, load little, build its keys once.

The time itself is measured in benchmarks/bench_tui.py; these check the behaviour behind it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from companion.demo import fill
from screens.app import CompanionApp
from screens.dashboard import Dashboard
from screens.footer import KeyFooter

TODAY = date(2026, 3, 31)

START_AND_LIST_MODULES = """
import json, sys
from datetime import datetime
from screens.app import CompanionApp

app = CompanionApp(home=sys.argv[1], now=datetime(2026, 3, 31))

async def ready(pilot):
    await pilot.pause(0)
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=ready)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("companion", "screens"))))
"""


def test_the_first_frame_loads_only_what_the_dashboard_shows(home: Path) -> None:
    fill(home, days=60, today=TODAY)
    done = subprocess.run(
        [sys.executable, "-c", START_AND_LIST_MODULES, str(home)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert {"screens.dashboard", "companion.store", "companion.alerts"} <= loaded
    # Charts, summaries, CSV, triage and the other screens load when first opened.
    later = {
        "companion.trends",
        "companion.report",
        "companion.report_html",
        "companion.csvio",
        "companion.triage",
        "screens.diary",
        "screens.palette",
    }
    assert loaded & later == set()


async def test_the_dashboard_reads_the_diary_once_at_start(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(home, days=30, today=TODAY)
    reads: list[str] = []
    original = Dashboard.refresh_data

    def counted(self: Dashboard) -> None:
        reads.append("read")
        original(self)

    monkeypatch.setattr(Dashboard, "refresh_data", counted)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, Dashboard)
        assert "pain" in str(app.screen.query_one("#today", Static).render())
        await pilot.press("d")
        await pilot.press("escape")
        await pilot.pause()
    assert reads == ["read", "read"]  # at start, and again when shown after the diary


class FooterApp(App[None]):
    BINDINGS = [  # noqa: RUF012 (Textual's own type for BINDINGS is a plain list)
        Binding("n", "new", "New"),
        Binding("x", "extra", "Extra"),
        Binding("h", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.extra = True

    def compose(self) -> ComposeResult:
        yield Button("First", id="first")
        yield Button("Second", id="second")
        yield KeyFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.extra if action == "extra" else True


def footer_keys(app: App[Any]) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_the_footer_shows_the_keys_and_rebuilds_only_when_they_change() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = footer_keys(app)
        assert [k.key for k in shown] == ["n", "x", "ctrl+p"]
        assert all(k.has_class("-compact") for k in shown)

        app.screen.query_one("#second").focus()  # the bindings are refreshed, same keys
        await pilot.pause()
        assert footer_keys(app) == shown

        app.extra = False
        app.refresh_bindings()
        await pilot.pause()
        assert [k.key for k in footer_keys(app)] == ["n", "ctrl+p"]
