"""The entry form as a new user met it: dates, last night, numbers, warning signs, at 60x20."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static
from textual.widgets._select import SelectOverlay

from companion.entry import Entry
from companion.safety import FLAG_WORDS
from companion.store import Store
from screens.app import CompanionApp
from screens.dashboard import Dashboard
from screens.dialogs import EmergencyNotice
from screens.entry_form import EntryForm
from screens.widgets import Tick, ToggleGrid

NOW = datetime(2026, 11, 20, 9, 15)


def entries(home: Path) -> list[Entry]:
    with Store.open(home) as store:
        return list(store.iter_rows())


def value(app: CompanionApp, name: str) -> str:
    return app.screen.query_one(f"#field-{name}", Input).value


def reason(app: CompanionApp, name: str) -> str:
    return str(app.screen.query_one(f"#reason-{name}", Static).render())


async def type_into(app: CompanionApp, pilot: object, name: str, text: str) -> None:
    field = app.screen.query_one(f"#field-{name}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)  # type: ignore[attr-defined]


# --- dates and last night --------------------------------------------------------------------


async def test_a_date_after_today_is_refused_as_it_is_typed_and_on_save(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "4")
        await type_into(app, pilot, "date", "2026-11-21")
        assert reason(app, "date") == "✗ is after today: a diary records what has happened"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        assert app.focused is not None and app.focused.id == "field-date"
        await type_into(app, pilot, "date", "2026-11-20")
        assert reason(app, "date") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [e.date for e in entries(home)] == ["2026-11-20"]


async def test_in_the_small_hours_an_entry_is_about_last_night(home: Path) -> None:
    """At 00:30 the night is not over: the form starts on the day before, without a time,
    and says why."""
    app = CompanionApp(home=home, now=datetime(2026, 11, 21, 0, 30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "3")
        assert app.screen.query_one("#last-night", Tick).value is True
        assert (value(app, "date"), value(app, "time")) == ("2026-11-20", "")
        hint = app.screen.query_one("#last-night-hint", Static)
        assert hint.display
        assert "Saved on Fri 20 Nov, without a time: a night belongs to the day it began" in str(
            hint.render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [(e.date, e.time) for e in entries(home)] == [("2026-11-20", None)]


async def test_about_last_night_in_the_morning_is_the_day_before_without_a_time(
    home: Path,
) -> None:
    """It used to keep the time it was ticked (yesterday at 10:22, which never happened)."""
    app = CompanionApp(home=home, now=datetime(2026, 11, 21, 10, 22))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "3")
        assert (value(app, "date"), value(app, "time")) == ("2026-11-21", "10:22")
        assert not app.screen.query_one("#last-night-hint").display
        await pilot.click("#last-night")
        assert (value(app, "date"), value(app, "time")) == ("2026-11-20", "")
        await pilot.click("#last-night")
        assert (value(app, "date"), value(app, "time")) == ("2026-11-21", "10:22")
        await pilot.click("#last-night")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [(e.date, e.time) for e in entries(home)] == [("2026-11-20", None)]


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "typed", "problem"),
    [
        ("pain", "6.5", "must be a whole number from 0 to 10"),
        ("pain", "six", "must be a whole number from 0 to 10"),
        ("morning_stiffness_min", "6.5", "must be a whole number from 0 to 1440"),
        ("weight_kg", "72,5", "must be a number from 20 to 400"),
    ],
)
async def test_what_is_typed_stays_and_says_why_it_is_not_a_number(
    home: Path, name: str, typed: str, problem: str
) -> None:
    """6.5 used to become 65 (a valid number of minutes), and letters vanished unexplained."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "4")
        await type_into(app, pilot, name, typed)
        assert value(app, name) == typed
        assert reason(app, name) == f"✗ {problem}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
    assert entries(home) == []


async def test_a_number_with_a_decimal_point_saves(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "7")
        await type_into(app, pilot, "weight_kg", "72.5")
        assert reason(app, "weight_kg") == "kg, 20-400"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (entry,) = entries(home)
    assert (entry.pain, entry.weight_kg) == (7, 72.5)


# --- layout at 80x24 and 60x20 -------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_warning_sign_reads_in_full(home: Path, size: tuple[int, int]) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n")
        grid = app.screen.query_one("#field-red_flags", ToggleGrid)
        grid.focus()
        await pilot.pause()
        assert grid.region.right <= size[0]
        shown = " ".join(grid.render().plain.split())
    for flag, words in FLAG_WORDS.items():
        assert words in shown, flag
    assert shown.count("(!! emergency)") == 6  # never split across lines


async def test_an_open_dropdown_leaves_the_hints_beside_it_whole(home: Path) -> None:
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        app.screen.query_one("#field-eased_by_rest").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        overlay = app.screen.query_one("#field-eased_by_rest").query_one(SelectOverlay)
        assert overlay.display
        hint = app.screen.query_one("#reason-morning_stiffness_min")
        assert str(hint.render()) == "minutes, 0-1440"
        assert overlay.region.right <= hint.region.x


async def test_nothing_covers_the_emergency_notice(home: Path) -> None:
    """At 60x20 the "saved" toast sat over the notice; now the notice says it was saved."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await pilot.press("n", "4")
        app.screen.query_one("#field-red_flags").focus()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        app.notify("Meanwhile")
        await pilot.pause(0.3)
        notice = app.screen
        assert isinstance(notice, EmergencyNotice)
        text = " ".join(str(notice.query_one("#notice", Static).render()).split())
        assert "Call your local emergency number" in text
        assert text.endswith("Saved the entry for 2026-11-20.")
        assert "Meanwhile" in [n.message for n in app._notifications]  # sent, not shown
        assert "Meanwhile" not in app.export_screenshot()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
    assert len(entries(home)) == 1


async def test_a_date_typed_by_hand_is_no_longer_about_last_night(home: Path) -> None:
    app = CompanionApp(home=home, now=datetime(2026, 11, 21, 0, 30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "3")
        toggle = app.screen.query_one("#last-night", Tick)
        assert toggle.value
        await type_into(app, pilot, "date", "2026-11-19")
        assert not toggle.value  # unticked, and the date typed stays
        assert not app.screen.query_one("#last-night-hint").display
        assert (value(app, "date"), value(app, "time")) == ("2026-11-19", "")
        await type_into(app, pilot, "time", "23:10")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [(e.date, e.time) for e in entries(home)] == [("2026-11-19", "23:10")]


class TwoTicks(App[None]):
    def compose(self) -> ComposeResult:
        yield Tick("Ticked", True, id="ticked")
        yield Tick("Unticked", id="unticked")


async def test_a_tick_shows_its_state_with_a_mark_not_colour_alone() -> None:
    """Textual's checkbox draws the same X ticked or not; a person who cannot tell the colours
    apart reads ✓ or a blank."""
    app = TwoTicks()
    async with app.run_test(size=(40, 8)) as pilot:
        ticked, unticked = app.query_one("#ticked", Tick), app.query_one("#unticked", Tick)
        assert ticked.render().plain.startswith("▐✓▌ Ticked")
        assert unticked.render().plain.startswith("▐ ▌ Unticked")
        await pilot.click("#unticked")
        ticked.toggle()
        await pilot.pause()
        assert (ticked.value, unticked.value) == (False, True)
        assert ticked.render().plain.startswith("▐ ▌ Ticked")
        assert unticked.render().plain.startswith("▐✓▌ Unticked")


async def test_an_edit_that_makes_worst_pain_lower_than_pain_now_says_why(home: Path) -> None:
    with Store.open(home) as store:
        store.add(Entry(date="2026-11-20", time="08:00", pain=3, worst_pain=4))
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "enter")
        await pilot.pause()
        await type_into(app, pilot, "pain", "9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        assert reason(app, "worst_pain") == (
            "✗ is lower than pain now; the worst pain of the day is at least that"
        )
        assert app.focused is not None and app.focused.id == "field-worst_pain"
    assert [(e.pain, e.worst_pain) for e in entries(home)] == [(3, 4)]


@pytest.mark.slow
async def test_another_day_typed_by_hand_has_no_time_unless_one_is_typed(home: Path) -> None:
    """At 09:15, an entry typed in for the 17th was saved at 09:15 on the 17th: a time the
    person never gave. ``companion log --date`` leaves it empty."""
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "3")
        assert value(app, "time") == "09:15"
        await type_into(app, pilot, "date", "2026-11-17")
        assert value(app, "time") == ""
        await type_into(app, pilot, "date", "2026-11-20")  # today again: now again
        assert value(app, "time") == "09:15"
        await type_into(app, pilot, "time", "07:40")
        await type_into(app, pilot, "date", "2026-11-18")  # a time typed by the person stays
        assert value(app, "time") == "07:40"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n", "2")
        await type_into(app, pilot, "date", "2026-11-17")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert sorted((e.date, e.time) for e in entries(home)) == [
        ("2026-11-17", None),
        ("2026-11-18", "07:40"),
    ]


async def test_an_edit_changes_only_what_was_edited(home: Path) -> None:
    """The form shows stored values in a form fit to read (6 figures of a number, a control
    character escaped, line endings as one): saving the pain used to write those back, so
    78.123456 kg became 78.1235 and a note's escape character the four letters '\\x1b'."""
    with Store.open(home) as store:
        before = store.add(
            Entry(
                date="2026-11-19",
                time="08:00",
                pain=3,
                cramps=1,
                cramp_minutes=1.333333333333,
                weight_kg=78.123456,
                temperature_c=37.55555,
                medications="ibu\x1b[8mprofen",
                notes="woke at 3\r\nstiff\rwalked\x1b]2;x\x07",
            )
        )
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "enter")
        await pilot.pause()
        await type_into(app, pilot, "pain", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EntryForm)
    (after,) = entries(home)
    assert after.pain == 5
    assert after.with_changes(pain=3, updated=before.updated) == before
