"""What the app does while it starts: read the diary once, load little; and its key footer.

The time itself is measured in benchmarks/bench_tui.py; these check the behaviour behind it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from companion.demo import fill
from screens.alerts import AlertsScreen
from screens.app import CompanionApp
from screens.commands import APP, BY_ID, COMMANDS, Command
from screens.dashboard import Column, Dashboard
from screens.diary import DiaryScreen
from screens.footer import KeyFooter
from screens.trends import TrendsScreen

TODAY = date(2026, 3, 31)

START_AND_LIST_MODULES = """
import gc, json, sys
from datetime import datetime
from screens.start import load_app

CompanionApp = load_app()  # as the companion command starts the app
paused = not gc.isenabled()
app = CompanionApp(home=sys.argv[1], now=datetime(2026, 3, 31))
collecting = []

async def ready(pilot):
    await pilot.pause(0)
    collecting.append(gc.isenabled())
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=ready)
ours = ("companion", "screens", "statistics", "sqlite_utils", "hashlib")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ours)))
print(json.dumps([paused, collecting, gc.get_freeze_count()]))
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
    loaded = set(json.loads(done.stdout.strip().splitlines()[-2]))
    assert {"screens.dashboard", "companion.store", "companion.alerts"} <= loaded
    # Charts, summaries, CSV, triage and the other screens load when first opened; the
    # migrations' tools when a migration is due; the sync's code when syncing; the dose
    # log's code and the medicine list once the diary holds a dose to show or check.
    later = {
        "statistics",
        "sqlite_utils",
        "hashlib",
        "companion.store.sync",
        "companion.doses",
        "companion.medicines",
        "companion.trends",
        "companion.report",
        "companion.report_html",
        "companion.csvio",
        "companion.triage",
        "screens.diary",
        "screens.palette",
    }
    assert loaded & later == set()
    # The collector pauses while the app starts, and collects again once it is shown; what
    # start-up made is left out of later collections, and of the last one at exit.
    paused, collecting, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    assert paused and collecting == [True] and frozen > 0


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


async def test_the_dashboard_looks_the_same_with_and_without_focus(home: Path) -> None:
    """Its column skips the restyle Textual makes when focus comes or goes (a pass over the
    whole screen before the first frame): no rule may depend on that focus."""
    fill(home, days=30, today=TODAY)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        column = app.screen.query_one(Column)
        assert app.focused is column  # the arrow keys scroll it

        def looks() -> list[list[str]]:
            nodes = list(column.walk_children(with_self=True))
            app.stylesheet.update_nodes(nodes, animate=False)
            return [node._css_styles.css_lines for node in nodes]

        focused = looks()
        column.blur()
        await pilot.pause()
        assert app.focused is None
        assert looks() == focused


@pytest.mark.parametrize(
    ("key", "screen_class"), [("d", DiaryScreen), ("r", TrendsScreen), ("a", AlertsScreen)]
)
async def test_a_screen_reads_the_diary_once_when_opened_and_again_when_shown(
    home: Path, monkeypatch: pytest.MonkeyPatch, key: str, screen_class: type[Screen[None]]
) -> None:
    fill(home, days=30, today=TODAY)
    reads: list[str] = []
    original = screen_class.load  # type: ignore[attr-defined]

    def counted(self: Screen[None], *args: object) -> None:
        reads.append("read")
        original(self, *args)

    monkeypatch.setattr(screen_class, "load", counted)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen_class)
        assert reads == ["read"]
        await pilot.press("n", "escape")  # the entry form over it, closed unchanged
        await pilot.pause()
    assert reads == ["read", "read"]


def app_keys() -> list[str]:
    """The app's footer keys as the registry words them: key, space, short title."""
    return [
        f"{c.shown_key} {c.short or c.title}"
        for c in COMMANDS
        if c.scope == APP and c.footer and c.id != "back"
    ]


@pytest.mark.parametrize("width", [80, 60])
async def test_the_footer_shows_every_key_with_the_palette_at_the_right(
    home: Path, width: int
) -> None:
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test(size=(width, 24)):
        line = app.screen.query_one(KeyFooter).render().plain
    assert len(line) == width
    assert line.endswith("▏^p palette ")
    shown = " ".join(app_keys())
    if width == 80:  # all fit; at 60 those that fit whole, and the help key that lists them
        assert line.startswith(shown + " ")
    else:
        assert line.startswith("n New d Diary t Triage r Trends a Alerts ? Help ")


SCREENS = [c for c in COMMANDS if c.screen is not None]


@pytest.mark.parametrize("command", SCREENS, ids=[c.id for c in SCREENS])
async def test_every_screen_shows_its_own_keys_and_the_way_back_at_60_columns(
    home: Path, command: Command
) -> None:
    fill(home, days=3, today=TODAY)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press(command.key)
        footer = app.screen.query_one(KeyFooter)
        line = footer.render().plain
    labels = [f"{key.display} {key.description}" for key in footer.keys]
    # The screen's own keys come first, then the way back (out of the triage questions, after
    # asking); the app's other keys may be cut.
    way_back = next(i for i, label in enumerate(labels) if label in ("esc Back", "esc Leave"))
    for label in labels[: way_back + 1]:
        assert label in line, line


def _looks(screen: Screen[object]) -> dict[str, str]:
    """The box of every widget with an id: what a stylesheet from another screen could change."""
    return {
        widget.id: f"{widget.styles.margin} {widget.styles.padding} {widget.styles.width}"
        for widget in screen.query("*")
        if widget.id
    }


@pytest.mark.slow
async def test_a_screen_looks_the_same_whichever_screens_were_opened_before(home: Path) -> None:
    """A screen's stylesheet applies to every screen once it is loaded: no rule may leak."""
    alone = {}
    for command in SCREENS:
        async with CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0)).run_test() as pilot:
            await pilot.press(command.key)
            alone[command.id] = _looks(pilot.app.screen)
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test() as pilot:
        # Every stylesheet loaded; escape, since the triage questions keep the app's keys out.
        await pilot.press(*(key for command in SCREENS for key in (command.key, "escape")))
        for command in SCREENS:
            await pilot.press(command.key)
            assert _looks(app.screen) == alone[command.id], command.id
            await pilot.press("escape")


async def test_a_click_on_a_key_presses_it_and_the_mouse_shows_its_help(home: Path) -> None:
    app = CompanionApp(home=home, now=datetime(2026, 3, 31, 9, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        diary = footer.render().plain.index("d Diary")
        await pilot.hover(KeyFooter, offset=(diary + 3, 0))
        assert footer.tooltip == BY_ID["diary"].help
        await pilot.hover(KeyFooter, offset=(diary - 1, 0))  # the gap between keys
        assert footer.tooltip is None
        await pilot.click(KeyFooter, offset=(diary + 3, 0))
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)


class KeysApp(App[None]):
    """Three keys: one that comes and goes, one shown but disabled, one never shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New"),
        Binding("x", "extra", "Extra"),
        Binding("z", "later", "Later"),
        Binding("h", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.extra = True
        self.rang = 0

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "later":
            return None  # shown, disabled
        return self.extra if action == "extra" else True

    def bell(self) -> None:
        self.rang += 1


async def test_the_footer_follows_the_bindings_and_a_disabled_key_only_rings() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        assert [(k.key, k.enabled) for k in footer.keys] == [
            ("n", True),
            ("x", True),
            ("z", False),
            ("ctrl+p", True),
        ]
        later = footer.render().plain.index("z Later")
        await pilot.click(KeyFooter, offset=(later, 0))
        assert app.rang == 1

        app.extra = False
        app.refresh_bindings()
        await pilot.pause()
        assert [k.key for k in footer.keys] == ["n", "z", "ctrl+p"]
        assert footer.render().plain.startswith("n New z Later ")


async def test_a_footer_taken_away_unsubscribes_from_the_bindings() -> None:
    """The footer subscribed to its screen's bindings and never unsubscribed: one removed
    from a screen stayed in the screen's subscriptions, kept alive, while the screen lived."""
    app = KeysApp()
    async with app.run_test(size=(80, 24)):
        footer = app.screen.query_one(KeyFooter)
        signal = app.screen.bindings_updated_signal
        assert footer in signal._subscriptions
        await footer.remove()
        assert footer not in signal._subscriptions
