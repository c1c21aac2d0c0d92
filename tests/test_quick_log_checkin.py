"""Logging in two keys (a digit on the dashboard, enter) and the evening check-in, driven by
keys and checked in the database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from textual import events
from textual.widgets import Input, Static

from companion.entry import Entry, build_entry
from companion.store import Store
from screens.app import CompanionApp
from screens.checkin import CheckIn
from screens.commands import BY_ID
from screens.dashboard import Dashboard
from screens.dialogs import Confirm
from screens.help import keys_help
from screens.quick_log import QuickLog

NOW = datetime(2026, 11, 20, 19, 5)


def entries(home: Path) -> list[Entry]:
    with Store.open(home) as store:
        return list(store.iter_rows())


def text_of(app: CompanionApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# --- the quick entry -----------------------------------------------------------------------


async def test_a_digit_then_enter_saves_that_pain_now(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        assert isinstance(app.screen, QuickLog)
        assert "Saves today at 19:05" in text_of(app, "#quick-hint")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        assert "pain 6/10" in text_of(app, "#today")
    (entry,) = entries(home)
    assert (entry.date, entry.time, entry.pain, entry.cramps, entry.notes) == (
        "2026-11-20",
        "19:05",
        6,
        None,
        None,
    )


async def test_a_second_digit_makes_ten_and_cramps_and_a_note_are_kept(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "0", "tab", "2", "tab", *"Long drive.", "enter")
        await pilot.pause()
    (entry,) = entries(home)
    assert (entry.pain, entry.cramps, entry.notes) == (10, 2, "Long drive.")


async def test_typed_fast_ten_then_enter_saves_ten(home: Path) -> None:
    """Keys queued before the dashboard handled the first: the '0' opened another quick
    entry over the first, with pain 0, and enter saved that."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("1", "0", "enter"):
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await pilot.pause()
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [Dashboard]
    assert [e.pain for e in entries(home)] == [10]


async def test_enter_pressed_twice_saves_one_entry_and_leaves_the_dashboard_up(
    home: Path,
) -> None:
    """A second enter reached the quick entry after the first had saved and closed it: it
    saved the entry again, then closed the dashboard beneath, and the app stopped."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("6", "enter", "enter"):
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await pilot.pause()
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [Dashboard]
        assert app.return_code is None
    assert [e.pain for e in entries(home)] == [6]


async def test_a_digit_typed_fast_after_n_opens_nothing_over_the_form(home: Path) -> None:
    """'n' opens its screen in the app's turn, after the key has passed the dashboard: a
    digit right behind it opened the quick entry first, and 'n' was lost."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "n6":
            app.post_message(events.Key(key, key))
        await pilot.pause()
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["Dashboard", "EntryForm"]


async def test_escape_cancels_and_saves_nothing(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "tab", "1", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
    assert entries(home) == []


async def test_a_pain_out_of_range_or_a_control_character_is_named_and_nothing_saved(
    home: Path,
) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "7", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuickLog)
        assert text_of(app, "#quick-hint") == (
            "Pain now: must be a whole number from 0 to 10. Nothing is saved yet."
        )
        assert app.focused is not None and app.focused.id == "quick-pain"
        app.screen.query_one("#quick-pain", Input).value = "4"
        notes = app.screen.query_one("#quick-notes", Input)
        notes.value = "pasted \x1b]2;title\x07"  # as a paste could put it there
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuickLog)
        assert "Notes" in text_of(app, "#quick-hint")
        assert "\x1b" not in text_of(app, "#quick-hint")
        assert app.focused is notes
        # Cramps with no pain is an entry too; nothing at all is not.
        app.screen.query_one("#quick-pain", Input).value = ""
        notes.value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "an entry needs pain or cramps" in text_of(app, "#quick-hint")
    assert entries(home) == []


async def test_in_the_small_hours_a_quick_entry_is_about_last_night(home: Path) -> None:
    app = CompanionApp(home=home, now=datetime(2026, 11, 21, 0, 40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        assert "Saves on Fri 20 Nov, about last night (no time)" in text_of(app, "#quick-hint")
        await pilot.press("enter")
        await pilot.pause()
    assert [(e.date, e.time, e.pain) for e in entries(home)] == [("2026-11-20", None, 5)]


async def test_digits_belong_to_the_screen_on_show(home: Path) -> None:
    """On trends 1-5 choose the period; only the dashboard opens the quick entry."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "2")
        await pilot.pause()
        assert not isinstance(app.screen, QuickLog)
        await pilot.press("escape", "2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
    assert entries(home) == []


async def test_the_palette_opens_it_and_help_lists_the_keys(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        for words, screen in (("Quick entry", QuickLog), ("Evening check-in", CheckIn)):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*words)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert type(app.screen) is screen
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p", *"Quick entry")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen.query_one("#quick-pain", Input).value == ""  # no digit: no pain
        assert BY_ID["quick"].shown_key == "0-9"
    console = Console(width=100, record=True)
    console.print(keys_help())
    shown = console.export_text()
    assert "0-9" in shown and "Quick entry" in shown
    assert "Evening check-in" in shown and "⇧tab" in shown


# --- the evening check-in ------------------------------------------------------------------


async def answer(pilot: Any, *answers: tuple[str, ...]) -> None:
    for keys in answers:
        await pilot.press(*keys, "enter")
        await pilot.pause()


async def test_the_check_in_writes_the_entry_the_form_would(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, CheckIn)
        assert text_of(app, "#progress") == "Check-in: question 1 of 6"
        await answer(pilot, ("5",), ("7",), ("2",))
        assert text_of(app, "#progress") == "Check-in: question 4 of 7"  # cramps: how long
        await answer(pilot, ("3",), ("space", "right", "space"), ("4",), ("y",))
        assert text_of(app, "#progress") == "Check-in: what will be saved"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
    (entry,) = entries(home)
    expected = build_entry(
        {
            "date": "2026-11-20",
            "time": "19:05",
            "pain": "5",
            "worst_pain": "7",
            "cramps": "2",
            "cramp_minutes": "3",
            "relief": "rest;walking",
            "night_pain": "4",
            "woke_at_night": "yes",
        }
    )
    assert entry.values() == expected.values()


async def test_skipped_questions_stay_empty_and_no_cramps_skips_how_long(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        await answer(pilot, ("3",), (), ("0",))
        assert text_of(app, "#progress") == "Check-in: question 4 of 6"
        assert "What helped" in text_of(app, "#question")
        await answer(pilot, (), (), ("n",))
        await pilot.press("enter")
        await pilot.pause()
    (entry,) = entries(home)
    assert (entry.pain, entry.worst_pain, entry.cramps, entry.cramp_minutes) == (3, None, 0, None)
    assert (entry.relief, entry.night_pain, entry.woke_at_night) == (frozenset(), None, "no")


async def test_a_wrong_answer_is_named_and_the_question_stays(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        await answer(pilot, tuple("11"))
        assert text_of(app, "#progress") == "Check-in: question 1 of 6"
        assert "must be a whole number from 0 to 10" in text_of(app, "#reason")
        app.screen.query_one("#answer", Input).value = ""
        await answer(pilot, ("6",), ("2",))  # worst today below the pain now
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved: Worst pain is lower than pain now" in text_of(app, "#reason")
        assert "worst pain today" in text_of(app, "#question")
        assert app.screen.query_one("#answer", Input).value == "2"
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.screen.query_one("#answer", Input).value == "6"  # kept
    assert entries(home) == []


async def test_leaving_with_answers_asks_first(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("escape")  # nothing answered: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        await pilot.press("v")
        await pilot.pause()
        await answer(pilot, ("4",))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CheckIn)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        # An answer typed but not yet taken with enter counts too.
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("7", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
    assert entries(home) == []
