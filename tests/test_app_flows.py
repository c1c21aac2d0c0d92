"""Pilot flows through the app, checked against what ends up in the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static

from companion.demo import fill
from companion.entry import Entry
from companion.paths import DIARY_FILE, LOG_FILE
from companion.store import Store
from screens.app import CompanionApp
from screens.commands import COMMANDS
from screens.dashboard import Dashboard
from screens.dialogs import Confirm, EmergencyNotice
from screens.diary import DiaryScreen
from screens.entry_form import EntryForm
from screens.help import HelpScreen, keys_help
from screens.widgets import ToggleGrid

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 9, 15)


def make_app(home: Path) -> CompanionApp:
    return CompanionApp(home=home, now=NOW)


def entries(home: Path) -> list[Entry]:
    with Store.open(home) as store:
        return list(store.iter_rows())


def reason(app: CompanionApp, name: str) -> str:
    return str(app.screen.query_one(f"#reason-{name}", Static).render())


async def test_log_an_entry_from_the_form(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, EntryForm)
        assert app.focused is not None and app.focused.id == "field-pain"
        await pilot.press("6", "tab", "8")
        app.screen.query_one("#field-notes").focus()
        await pilot.press(*"Long drive")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        today = str(app.screen.query_one("#today", Static).render())
    (entry,) = entries(home)
    assert (entry.date, entry.time, entry.pain, entry.worst_pain) == ("2026-11-20", "09:15", 6, 8)
    assert entry.notes == "Long drive"
    assert "pain 6/10" in today


async def test_sets_are_toggles(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "3")
        grid = app.screen.query_one("#field-locations", ToggleGrid)
        grid.focus()
        await pilot.press("space", "right", "space", "right", "space", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (entry,) = entries(home)
    assert entry.locations == {"lower_back_left", "lower_back_right"}


class GridApp(App[None]):
    """A grid of five words, 3 columns of 10 cells in 32: two cells left over per row."""

    def compose(self) -> ComposeResult:
        yield ToggleGrid([(w, w) for w in ("one", "two", "three", "four", "five")])


async def test_a_click_ticks_the_word_under_the_mouse() -> None:
    app = GridApp()
    async with app.run_test(size=(32, 5)) as pilot:
        grid = app.query_one(ToggleGrid)
        await pilot.click(ToggleGrid, offset=(31, 0))  # the leftover cells of row 1
        assert grid.selected == {"three"}
        await pilot.click(ToggleGrid, offset=(12, 1))
        assert grid.selected == {"three", "five"}
        await pilot.click(ToggleGrid, offset=(3, 0))
        await pilot.click(ToggleGrid, offset=(3, 0))  # a second click unticks
        assert grid.selected == {"three", "five"}


async def test_pain_11_is_refused_with_the_reason(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "1")
        assert "must be a whole number from 0 to 10" in reason(app, "pain")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        assert app.focused is not None and app.focused.id == "field-pain"
    assert entries(home) == []


async def test_an_entry_needs_pain_or_cramps(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        assert "needs pain or cramps" in reason(app, "pain")
    assert entries(home) == []


async def test_emergency_flag_opens_the_notice_on_save(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "4")
        flags = app.screen.query_one("#field-red_flags", ToggleGrid)
        flags.focus()
        assert flags.options[0][0] == "saddle_numbness"
        await pilot.press("space")
        assert "emergency" in reason(app, "red_flags")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyNotice)
        notice = str(app.screen.query_one("#notice", Static).render())
        assert "EMERGENCY" in notice and "not a diagnosis" in notice
        await pilot.press("escape")  # not closed by a stray escape
        assert isinstance(app.screen, EmergencyNotice)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
    (entry,) = entries(home)
    assert entry.red_flags == {"saddle_numbness"}


async def test_cancel_asks_before_dropping_changes(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "escape")
        assert isinstance(app.screen, Dashboard)  # nothing typed: leaves at once
        await pilot.press("n", "5", "escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, EntryForm)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
    assert entries(home) == []


async def test_edit_an_entry_from_the_diary(home: Path) -> None:
    fill(home, days=3, today=TODAY)
    newest = entries(home)[-1]
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, DiaryScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, EntryForm)
        assert app.screen.query_one("#field-pain", Input).value == str(newest.pain)
        await pilot.press("end", "backspace", "backspace", "1", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        assert app.screen.shown.entries[0].pain == 1
    with Store.open(home) as store:
        edited = store.get(newest.id)
    assert edited is not None
    assert edited.pain == 1 and edited.created == newest.created
    assert edited.values() == newest.with_changes(pain=1).values()


async def test_delete_and_undo(home: Path) -> None:
    fill(home, days=3, today=TODAY)
    newest = entries(home)[-1]
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "x")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # "no" keeps it
        assert len(entries(home)) == 3
        await pilot.press("x", "y")
        await pilot.pause()
        assert newest.id not in {e.id for e in entries(home)}
        await pilot.press("escape", "d")  # the undo lasts the session, not the screen
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        assert app.screen.query_one(OptionList).option_count == 3
    restored = {e.id: e for e in entries(home)}[newest.id]
    assert restored == newest


async def test_diary_pages_filters_and_jumps(home: Path) -> None:
    fill(home, days=120, today=TODAY)
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        first_page = [e.date for e in screen.shown.entries]
        assert first_page[0] == "2026-11-20" and len(first_page) == 50
        assert not screen.shown.has_newer and screen.shown.has_older
        await pilot.press("right_square_bracket")
        assert screen.shown.entries[0].date == "2026-10-01"
        await pilot.press("left_square_bracket")
        assert [e.date for e in screen.shown.entries] == first_page
        await pilot.press("c")
        assert screen.shown.entries and all(e.cramps for e in screen.shown.entries)
        await pilot.press("c", "slash", *"swim", "enter")
        assert screen.shown.entries
        assert all("swim" in (e.notes or "").lower() for e in screen.shown.entries)
        await pilot.press("g", *"2026-09-01", "enter")
        await pilot.pause()
        assert screen.shown.entries[0].date <= "2026-09-01"  # still only swims
        screen.query_one("#find", Input).value = ""
        await pilot.press("g", *"2026-09-01", "enter")
        await pilot.pause()
        assert screen.shown.entries[0].date == "2026-09-01"
        assert screen.shown.has_newer and not screen.shown.has_older  # the diary began 07-24


async def test_the_diary_keeps_one_line_per_entry_at_60_columns(home: Path) -> None:
    fill(home, days=5, today=TODAY)
    with Store.open(home) as store:
        store.add(Entry(date="2026-11-20", pain=3, notes="Long notes that go on. " * 10))
    app = make_app(home)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("d")
        lines = app.screen.query_one(OptionList)
        assert lines.option_count == 6
        assert lines.virtual_size.height == 6  # notes end in an ellipsis, never a second line
        await pilot.press("slash", *"go on", "enter")
        status = str(app.screen.query_one("#page-status", Static).render())
    assert status.startswith("1 entry, 2026-11-20 to 2026-11-20")


async def test_open_error_is_one_line_and_a_nonzero_exit(home: Path) -> None:
    home.mkdir()
    (home / DIARY_FILE).write_bytes(b"not a database at all, just some text")
    app = make_app(home)
    async with app.run_test(size=(80, 24)):
        pass
    assert app.return_code == 1
    assert (home / DIARY_FILE).read_bytes().startswith(b"not a database")


async def test_a_crash_prints_no_diary_text(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "private note about my back"

    def explode(self: Dashboard) -> None:
        raise ValueError(secret)

    app = make_app(home)
    with pytest.raises(ValueError):
        async with app.run_test(size=(80, 24)) as pilot:
            monkeypatch.setattr(Dashboard, "refresh_data", explode)
            await pilot.press("n", "escape")
            await pilot.pause()
    assert app.return_code == 1
    printed = capsys.readouterr()
    log = (home / LOG_FILE).read_text()
    assert "ValueError" in log and secret not in log
    assert secret not in printed.out + printed.err


async def test_help_lists_keys_and_what_the_app_is_not(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(record=True, width=250)
        console.print(keys_help())
        keys = console.export_text()
        for command in COMMANDS:
            assert f"{command.shown_key} " in keys and command.help in keys
        assert "not a diagnosis" in str(app.screen.query_one("#about", Static).render())
        # How many triage questions, counted from the content, not "a few".
        assert "41 questions at most, one at a time: the 7 about signs" in " ".join(keys.split())
        assert "for back pain without cramps, 36 at most" in " ".join(keys.split())
        await pilot.press("escape")
        assert isinstance(app.screen, Dashboard)


async def test_saving_an_edit_with_no_change_changes_nothing(home: Path) -> None:
    # Notes with Windows line endings, as an older import could store them.
    with Store.open(home) as store:
        kept = store.add(Entry("2026-11-20", time="08:00", pain=4, notes="one\r\ntwo\nthree"))
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "enter")
        assert isinstance(app.screen, EntryForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
    (after,) = entries(home)
    assert after.notes == "one\r\ntwo\nthree"
    assert after.updated == kept.updated
