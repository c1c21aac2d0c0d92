"""What every screen says about itself: its title in the header, its keys whole in the footer,
and warning signs by name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from companion.demo import fill
from companion.entry import build_entry
from companion.store import Store
from screens.app import CompanionApp
from screens.commands import COMMANDS, Command
from screens.diary import DiaryScreen
from screens.footer import KeyFooter

NOW = datetime(2026, 11, 20, 9, 15)
SCREENS = [c for c in COMMANDS if c.screen is not None]
TITLES = {"triage": "Triage questions", "export": "Export for a doctor"}


@pytest.mark.parametrize("command", SCREENS, ids=[c.id for c in SCREENS])
async def test_every_screen_names_itself_in_the_header(home: Path, command: Command) -> None:
    """Trends, the triage questions and alerts had no title."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(command.key)
        await pilot.pause()
        title = TITLES.get(command.id, command.title)
        assert app.screen.sub_title == title
        header = app.screen.query_one("HeaderTitle").render()
        assert str(header).replace("\xa0", " ") == f"Companion — {title}"


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("command", SCREENS, ids=[c.id for c in SCREENS])
async def test_footer_keys_are_whole_and_the_help_key_stays(
    home: Path, command: Command, width: int
) -> None:
    """The diary's footer ended in '…t Tri' at 80 columns."""
    fill(home, days=3, today=NOW.date())
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press(command.key)
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        line = footer.render().plain
        drawn = [place for place in footer._places if place[2] is not footer._palette]
    labels = [f"{item.display} {item.description}" for _, _, item in drawn]
    assert line.split("▏")[0].rstrip() == " ".join(labels)  # no key cut in two
    # The screen's own keys and the way back first; at 80 columns the help key as well.
    way_back = [n for n, label in enumerate(labels) if label.startswith("esc ")]
    assert way_back, labels
    if width == 80 and command.id not in ("triage", "help"):  # the questions keep it out
        assert "? Help" in labels
    # The key of the screen on show would do nothing there.
    assert f"{command.shown_key} {command.short or command.title}" not in labels


async def test_the_diary_and_the_dashboard_name_the_warning_signs(home: Path) -> None:
    """The diary said '! 1' and the dashboard '! 2 warning signs'."""
    with Store.open(home) as store:
        store.add(build_entry({"date": "2026-11-20", "time": "08:00", "pain": "5",
                               "red_flags": "fever;saddle_numbness", "notes": "Hot."}))  # fmt: skip
        store.add(build_entry({"date": "2026-11-19", "pain": "4", "red_flags": "lump"}))
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        today = str(app.screen.query_one("#today", Static).render())
        assert "!! saddle numbness, fever  Hot." in today
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        lines = [str(screen.query_one("#entries").get_option_at_index(i).prompt) for i in (0, 1)]  # type: ignore[attr-defined]
    assert lines[0].endswith("!! saddle numbness, fever | Hot.")
    assert lines[1].endswith("! lump")


async def test_alert_evidence_names_the_signs_in_words(home: Path) -> None:
    """The alerts screen listed an entry's signs as 'saddle_numbness, unexplained_weight_loss'."""
    with Store.open(home) as store:
        signs = "saddle_numbness;unexplained_weight_loss"
        store.add(
            build_entry({"date": "2026-11-20", "time": "08:00", "pain": "5", "red_flags": signs})
        )
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        evidence = app.screen.query_one("#evidence")
        lines = [str(evidence.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
                 for i in range(evidence.option_count)]  # type: ignore[attr-defined]  # fmt: skip
    assert "  2026-11-20 08:00: pain 5/10, warning signs: saddle numbness, weight loss" in lines


async def test_the_welcome_gives_a_demo_command_that_works(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW, demo_command=".venv/bin/companion --demo")
    async with app.run_test(size=(80, 24)):
        welcome = str(app.screen.query_one("#welcome", Static).render())
    assert "quit and run .venv/bin/companion --demo:" in " ".join(welcome.split())
