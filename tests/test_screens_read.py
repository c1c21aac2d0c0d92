"""What every screen says about itself: its title in the header, its keys whole in the footer,
and warning signs by name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from companion.demo import fill
from companion.entry import Entry, build_entry
from companion.store import Store
from screens.app import CompanionApp
from screens.commands import COMMANDS, Command
from screens.diary import DiaryScreen
from screens.footer import KeyFooter
from screens.title_bar import TitleBar

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
        header = app.screen.query_one(TitleBar).heading
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
    # The questions (triage, the check-in) keep it out: there a key answers them.
    if width == 80 and command.id not in ("triage", "checkin", "help"):
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


def screen_lines(app: CompanionApp) -> list[str]:
    """The screen as drawn, one string a row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def sparse_fortnight(home: Path) -> None:
    """Three days of pain in the week before, today twice, and no night pain at all."""
    with Store.open(home) as store:
        for day in ("2026-11-07", "2026-11-10", "2026-11-13"):
            store.add(build_entry({"date": day, "pain": "5"}))
        store.add(build_entry({"date": "2026-11-20", "time": "08:00", "pain": "7"}))
        store.add(build_entry({"date": "2026-11-20", "time": "09:00", "pain": "8"}))


@pytest.mark.parametrize("width", [60, 80, 200])
async def test_the_fortnight_reads_whole_at_any_width(home: Path, width: int) -> None:
    """At 60 columns the panel said 'avg 5.6 (5-7…' and 'no night pai…'."""
    sparse_fortnight(home)
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(width, 24)):
        lines = screen_lines(app)
    top = next(n for n, line in enumerate(lines) if "Last 14 days" in line)
    pain, night, axis = (line.strip().strip("│ ") for line in lines[top + 1 : top + 4])
    assert pain.endswith("avg 5.6 (5-7.5)")
    assert night.endswith("no night pain logged")
    assert axis.split() == ["07", "Nov", "20", "Nov"]


async def test_the_advice_library_and_its_articles_name_themselves(home: Path) -> None:
    """Opened from a triage result, the library and an article had no title in the header."""
    from companion import triage
    from screens.triage import OutcomeScreen

    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(OutcomeScreen(triage.triage().evaluate({"main_problem": "pain"})))
        await pilot.press("enter")  # the plan's first article
        await pilot.pause()
        header = str(app.screen.query_one(TitleBar).heading).replace("\xa0", " ")
        assert header == "Companion — Advice: Staying active"
        await pilot.press("escape", "l")
        await pilot.pause()
        header = str(app.screen.query_one(TitleBar).heading).replace("\xa0", " ")
        assert header == "Companion — Advice"


async def palette_titles(app: CompanionApp, pilot: object) -> list[str]:
    from textual.command import CommandList

    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await pilot.pause(0.5)  # type: ignore[attr-defined]
    results = app.screen.query_one(CommandList)
    titles = [
        str(results.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(results.option_count)
    ]
    await pilot.press("escape")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return titles


async def test_the_palette_offers_what_works_on_the_screen_on_show(home: Path) -> None:
    """On the dashboard the palette offered 'Back', which did nothing there, and on the diary
    'Diary', the screen already on show."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        on_dashboard = await palette_titles(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        on_diary = await palette_titles(app, pilot)
    assert "Diary (d)" in on_dashboard and "Back (esc)" not in on_dashboard
    assert "Back (esc)" in on_diary and "Diary (d)" not in on_diary
    assert "Edit (enter)" in on_diary


async def test_a_note_with_an_escape_sequence_cannot_rewrite_the_screen(home: Path) -> None:
    """'\\x1b[2J' in a stored note cleared the terminal mid-frame: the dashboard lost its
    header and today's entries, the diary everything but the note."""
    with Store.open(home) as store:  # written by another tool: no validator
        store.add(Entry(date="2026-11-20", time="08:00", pain=5, notes="ok \x1b[2J cleared"))
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = screen_lines(app)
        await pilot.press("d")
        await pilot.pause()
        diary = screen_lines(app)
    for lines in (dashboard, diary):
        assert "\x1b" not in "".join(lines)
    assert dashboard[0].split() == ["⭘", "Companion"]
    assert "08:00  pain 5/10  ok \\x1b[2J cleared" in "".join(dashboard)
    assert any(line.rstrip().endswith("ok \\x1b[2J cleared") for line in diary)
