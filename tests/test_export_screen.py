"""Pilot flows through the export screen, checked against the files it leaves behind."""

from __future__ import annotations

import asyncio
import csv
import os
import sqlite3
import stat
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from companion import report
from companion.demo import fill
from companion.store import Store
from screens.app import CompanionApp
from screens.dialogs import Confirm
from screens.export import ExportScreen

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, 0)
CSV_NAME, HTML_NAME = "companion-2026-11-21.csv", "companion-2026-11-21.html"


def make_app(home: Path) -> CompanionApp:
    fill(home, days=120, today=TODAY)
    return CompanionApp(home=home, now=NOW)


async def open_export(pilot: Pilot[None], folder: Path) -> ExportScreen:
    await pilot.press("e")
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one("#folder", Input).value = str(folder)
    await pilot.pause()
    return screen


async def export(pilot: Pilot[None]) -> str:
    """Press ^s, wait for the writing to finish, return the status line."""
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return str(pilot.app.screen.query_one("#status", Static).render())


def field(screen: ExportScreen, name: str) -> str:
    return screen.query_one(f"#{name}", Input).value


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


async def test_writes_both_files_private_with_the_full_path_shown(
    home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "appointment"
    out.mkdir()
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot, out)
        assert (field(screen, "start"), field(screen, "end")) == ("2026-08-24", "2026-11-21")
        assert f"{CSV_NAME} and {HTML_NAME}" in str(screen.query_one("#targets").render())
        status = await export(pilot)
    csv_path, html_path = out / CSV_NAME, out / HTML_NAME
    assert f"✓ Saved {csv_path} (90 entries) and {html_path}" in status.replace("\n", " ")
    for path in (csv_path, html_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = csv_rows(csv_path)
    assert len(rows) == 90
    assert (rows[0]["date"], rows[-1]["date"]) == ("2026-08-24", "2026-11-21")
    page = html_path.read_text(encoding="utf-8")
    assert "24 Aug 2026 to 21 Nov 2026 (90 days)" in page and "<script" not in page
    assert sorted(p.name for p in out.iterdir()) == [CSV_NAME, HTML_NAME]


async def test_range_keys_and_typed_dates(home: Path, tmp_path: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot, tmp_path)
        preset = screen.query_one("#preset", Select)
        screen.query_one("#write").focus()
        await pilot.press("1")
        assert field(screen, "start") == (TODAY - timedelta(days=29)).isoformat()
        await pilot.press("3")
        assert field(screen, "start") == "2025-11-22"
        await pilot.press("4")
        first = (TODAY - timedelta(days=119)).isoformat()
        assert (field(screen, "start"), field(screen, "end")) == (first, "2026-11-21")
        await pilot.press("5")
        assert app.focused is screen.query_one("#start", Input)
        await pilot.press(*"2026-11-01")  # the field is selected on focus: typing replaces it
        assert preset.value == 4
        screen.query_one("#write").focus()
        await pilot.press("s")  # the CSV alone
        status = await export(pilot)
    assert "✓ Saved" in status and "(21 entries)" in status
    rows = csv_rows(tmp_path / CSV_NAME)
    assert [r["date"] for r in rows] == [
        (date(2026, 11, 1) + timedelta(days=n)).isoformat() for n in range(21)
    ]
    assert not (tmp_path / HTML_NAME).exists()


async def test_problems_are_one_line_and_write_nothing(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(home)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_export(pilot, out)
        screen.query_one("#start", Input).value = "2026-02-30"
        status = await export(pilot)
        assert status == "✗ Not exported. From: is not a real calendar date"
        assert screen.query_one("#status").has_class("error")
        screen.query_one("#start", Input).value = "2026-12-01"
        status = await export(pilot)
        assert status == "✗ Not exported. From: the start date is after the end date"
        screen.query_one("#start", Input).value = "2026-11-01"
        screen.query_one("#end", Input).value = "2026-11-25"  # the summary said '... of 25 days'
        status = await export(pilot)
        assert status == "✗ Not exported. To: is after today: a diary records what has happened"
        screen.query_one("#end", Input).value = "2026-11-21"
        screen.query_one("#folder", Input).value = str(tmp_path / "missing")
        status = await export(pilot)
        assert "Folder:" in status and "is not a folder that exists" in status
        screen.query_one("#folder", Input).value = "~no-such-user/reports"
        status = await export(pilot)
        assert status == "✗ Not exported. Folder: ~no-such-user/reports is not a folder that exists"
        screen.query_one("#folder", Input).value = str(out)
        screen.query_one("#write").focus()
        await pilot.press("c", "s")
        status = await export(pilot)
        assert status == "✗ Not exported. Write: choose the CSV, the summary, or both"
    assert list(out.iterdir()) == []


async def test_a_failed_write_leaves_nothing_behind(home: Path, tmp_path: Path) -> None:
    """The summary cannot be saved (a folder has its name): the CSV is not kept either."""
    out = tmp_path / "out"
    (out / HTML_NAME).mkdir(parents=True)
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_export(pilot, out)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Confirm)  # something of that name is there
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#status", Static).render())
    assert status.startswith("✗ Not exported; nothing was written.")
    assert "not a regular file" in status
    assert [p.name for p in out.iterdir()] == [HTML_NAME]
    assert not any((out / HTML_NAME).iterdir())


async def test_an_existing_export_is_replaced_only_when_asked_to(
    home: Path, tmp_path: Path
) -> None:
    (tmp_path / CSV_NAME).write_text("the export I gave my doctor\n", encoding="utf-8")
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot, tmp_path)
        assert "asks before replacing" in str(screen.query_one("#targets").render())
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Confirm)
        assert f"Replace {CSV_NAME} in {tmp_path}?" in str(app.screen.query_one(Static).render())
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert app.screen is screen
        assert "nothing was replaced" in str(screen.query_one("#status").render())
        assert (tmp_path / CSV_NAME).read_text(encoding="utf-8") == "the export I gave my doctor\n"
        assert not (tmp_path / HTML_NAME).exists()
        await pilot.press("ctrl+s", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(csv_rows(tmp_path / CSV_NAME)) == 90
    assert (tmp_path / HTML_NAME).exists()


async def test_a_demo_export_says_demo_in_its_names_and_inside(home: Path, tmp_path: Path) -> None:
    """A demo export took the names of a real one, and replaced it: generated data could
    have gone to a doctor."""
    real_csv = tmp_path / CSV_NAME
    real_csv.write_text("the real export\n", encoding="utf-8")
    fill(home, days=120, today=TODAY)
    app = CompanionApp(home=home, now=NOW, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot, tmp_path)
        targets = str(screen.query_one("#targets").render())
        assert "companion-DEMO-2026-11-21.csv and companion-DEMO-2026-11-21.html" in targets
        status = await export(pilot)
    assert "✓ Saved" in status
    assert real_csv.read_text(encoding="utf-8") == "the real export\n"
    rows = csv_rows(tmp_path / "companion-DEMO-2026-11-21.csv")
    assert len(rows) == 90
    assert all(row["notes"].startswith("DEMO: generated data, not a real diary") for row in rows)
    page = (tmp_path / "companion-DEMO-2026-11-21.html").read_text(encoding="utf-8")
    assert "<title>DEMO: generated data, not a real diary. Back pain" in page
    assert '<p id="demo" class="demo">DEMO: generated data, not a real diary.</p>' in page
    # ...and in the footer, on screen and on every printed page.
    assert page.count("DEMO: generated data") == 4


async def test_replacing_both_files_says_both_are_lost(home: Path, tmp_path: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot, tmp_path)
        assert "✓ Saved" in await export(pilot)
        written = {name: (tmp_path / name).read_bytes() for name in (CSV_NAME, HTML_NAME)}
        assert str(screen.query_one("#targets").render()).endswith(
            "(asks before replacing the files there)"
        )
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Confirm)
        assert str(app.screen.query_one(Static).render()) == (
            f"Replace {CSV_NAME} and {HTML_NAME} in {tmp_path}? The files there now are lost."
        )
        await pilot.press("n")
        await pilot.pause()
        assert str(screen.query_one("#status").render()) == "Not exported: nothing was replaced."
        assert not screen.query_one("#progress").display  # the last export's 100% is gone
    assert {name: (tmp_path / name).read_bytes() for name in written} == written


async def test_a_folder_whose_name_looks_like_markup_is_shown_as_typed(
    home: Path, tmp_path: Path
) -> None:
    """A folder name is shown as it is, never read as the screen's markup ('[/x]' stopped
    the app, '[b]' turned bold and vanished from the path)."""
    out = tmp_path / "visit [b]GP"
    out.mkdir()
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(pilot, tmp_path / "[/x]")
        assert f"Folder: {tmp_path}/[/x] is not a folder" in str(
            screen.query_one("#targets").render()
        )
        screen.query_one("#folder", Input).value = str(out)
        await pilot.pause()
        status = await export(pilot)
        assert f"✓ Saved {out / CSV_NAME} (90 entries)" in status.replace("\n", " ")
        await pilot.press("ctrl+s")  # again: the files are there, so it asks first
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert f"in {out}?" in str(app.screen.query_one(Static).render()).replace("\n", " ")


async def test_a_diary_in_a_read_only_folder_exports_and_stays_as_it_was(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export opens a connection of its own: in a folder that cannot be written, it reads
    the diary as the app does, without writing a byte there."""
    app = make_app(home)
    before = {path.name: path.read_bytes() for path in home.iterdir() if path.is_file()}
    real_access = os.access
    # As a read-only mount answers (root ignores mode bits, so they cannot stand in here).
    monkeypatch.setattr(os, "access", lambda p, m: False if m == os.W_OK else real_access(p, m))
    out = tmp_path / "out"
    out.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.store.readonly
        await open_export(pilot, out)
        status = await export(pilot)
    assert status.startswith("✓ Saved") and "(90 entries)" in status
    assert len(csv_rows(out / CSV_NAME)) == 90
    assert {path.name: path.read_bytes() for path in home.iterdir() if path.is_file()} == before


# --- a whole diary of 20,000 entries, written in a thread -----------------------------------

BIG_ENTRIES = 20_000
PER_DAY = 5


@pytest.fixture(scope="module")
def big_diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About eleven years at five entries a day, made once for these tests."""
    home = tmp_path_factory.mktemp("big") / "home"
    fill(home, days=BIG_ENTRIES // PER_DAY, today=TODAY, per_day=PER_DAY)
    return home


async def start_whole_diary_export(pilot: Pilot[None], folder: Path) -> ExportScreen:
    """Everything since the first entry, both files; the writing started, not waited for."""
    screen = await open_export(pilot, folder)
    await pilot.press("4")  # all
    assert (
        field(screen, "start") == (TODAY - timedelta(days=BIG_ENTRIES // PER_DAY - 1)).isoformat()
    )
    screen.action_write()  # ^s, without waiting for the app to be idle: that is the whole export
    return screen


class ExportGate:
    """The export's first progress report waits until the test has left the screen, so the
    person is always faster than the export (on a loaded machine it could finish first);
    ``stopped`` is set once it has stopped, whether it finished or not: a cancelled worker's
    thread runs on to its next check of the cancel."""

    def __init__(self) -> None:
        self.left = threading.Event()
        self.stopped = threading.Event()


@pytest.fixture
def export_gate(monkeypatch: pytest.MonkeyPatch) -> ExportGate:
    gate = ExportGate()
    original = report.export

    def watched(*args: Any, progress: Any, **kwargs: Any) -> report.ExportResult:
        def gated(done: int, total: int) -> None:
            gate.left.wait(timeout=30)
            progress(done, total)

        try:
            return original(*args, progress=gated, **kwargs)
        finally:
            gate.stopped.set()

    monkeypatch.setattr(report, "export", watched)
    return gate


async def until(stopped: threading.Event) -> None:
    for _ in range(400):
        if stopped.is_set():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("the export never stopped")


@pytest.mark.slow
async def test_leaving_during_a_whole_diary_export_says_cancelled_and_writes_nothing(
    big_diary: Path, tmp_path: Path, export_gate: ExportGate
) -> None:
    """Escape part-way through a whole-diary export cancelled it without a word."""
    app = CompanionApp(home=big_diary, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_whole_diary_export(pilot, tmp_path)
        assert str(screen.query_one("#status").render()) == "Writing…"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)
        export_gate.left.set()
        await until(export_gate.stopped)
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Export cancelled: nothing was written."]
    assert list(tmp_path.iterdir()) == []  # no file, whole or partial, and no scratch file


@pytest.mark.slow
async def test_quitting_during_a_whole_diary_export_writes_nothing(
    big_diary: Path, tmp_path: Path, export_gate: ExportGate
) -> None:
    app = CompanionApp(home=big_diary, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_whole_diary_export(pilot, tmp_path)
        await pilot.press("ctrl+q")
    export_gate.left.set()
    await until(export_gate.stopped)
    assert app.return_code == 0
    assert list(tmp_path.iterdir()) == []


class WatchedConnection:
    """The app's diary connection, noting the thread of every statement run on it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.threads: set[str] = set()

    def execute(self, *args: Any) -> sqlite3.Cursor:
        self.threads.add(threading.current_thread().name)
        return self._conn.execute(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.mark.slow
async def test_the_export_reads_the_diary_through_a_connection_of_its_own(
    big_diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export thread read through the app's connection, which is not thread-safe, while
    the screens went on using it."""
    opened: list[tuple[str, Store]] = []
    open_path = Store.open_path

    def noted(path: Path, **options: Any) -> Store:
        store = open_path(path, **options)
        opened.append((threading.current_thread().name, store))
        return store

    app = CompanionApp(home=big_diary, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        watched = WatchedConnection(app.store.conn)
        app.store.conn = watched  # type: ignore[assignment]
        monkeypatch.setattr(Store, "open_path", noted)
        await start_whole_diary_export(pilot, tmp_path)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#status", Static).render())
        app.store.conn = watched._conn
    assert watched.threads == {threading.main_thread().name}
    ((thread, store),) = opened  # one connection, opened by the export's thread...
    assert thread != threading.main_thread().name
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        store.conn.execute("SELECT 1")  # ...and closed by it
    assert status.startswith("✓ Saved") and "(20000 entries)" in status
    assert len(csv_rows(tmp_path / CSV_NAME)) == BIG_ENTRIES
