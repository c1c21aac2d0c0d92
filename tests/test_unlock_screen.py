"""The app on an encrypted diary: the unlock screen, three tries, and the export screen's
word that exports are plain."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from companion import passphrase
from companion.demo import fill
from companion.paths import DIARY_FILE
from companion.store import encryption
from screens.app import CompanionApp
from screens.dashboard import Dashboard
from screens.export import ExportScreen
from screens.unlock import Unlock

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, 0)
SECRET = "correct horse battery staple"


def encrypted_diary(home: Path) -> str:
    fill(home, days=30, today=TODAY)
    encryption.convert(home, None, SECRET)
    passphrase.forget()  # as a new process would start
    return hashlib.sha256((home / DIARY_FILE).read_bytes()).hexdigest()


async def type_passphrase(pilot: Pilot[None], text: str) -> None:
    field = pilot.app.screen.query_one("#passphrase", Input)
    field.value = text
    field.focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_app_opens_on_unlock_and_then_the_dashboard(home: Path) -> None:
    encrypted_diary(home)
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, Unlock)
        # Nothing behind it is reachable before the diary is open, by key or by palette.
        app.screen.set_focus(None)
        await pilot.press("d", "e", "n", "ctrl+p")
        assert isinstance(app.screen, Unlock)
        await app.run_action("open('diary')")
        assert isinstance(app.screen, Unlock)
        field = app.screen.query_one("#passphrase", Input)
        assert field.password
        await type_passphrase(pilot, SECRET)
        assert isinstance(app.screen, Dashboard)
        assert app.store.count() > 0
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        note = str(app.screen.query_one("#plain-exports", Static).render())
        assert "not" in note and "encrypted" in note
        await pilot.press("escape")
        assert isinstance(app.screen, Dashboard)
        await pilot.press("d")
        await pilot.press("escape")
        assert isinstance(app.screen, Dashboard)


async def test_three_wrong_passphrases_close_the_app_and_change_nothing(home: Path) -> None:
    before = encrypted_diary(home)
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_passphrase(pilot, "wrong one")
        status = str(app.screen.query_one("#unlock-status", Static).render())
        assert "2 tries left" in status
        await type_passphrase(pilot, "wrong two")
        assert "1 try left" in str(app.screen.query_one("#unlock-status", Static).render())
        # The third wrong try closes the app, cancelling what is still running.
        with contextlib.suppress(WorkerCancelled):
            await type_passphrase(pilot, "wrong three")
    assert app.return_code == 1
    assert hashlib.sha256((home / DIARY_FILE).read_bytes()).hexdigest() == before
    assert not (home / (DIARY_FILE + "-wal")).exists()


async def test_a_plain_diary_has_no_unlock_and_no_plain_export_note(home: Path) -> None:
    fill(home, days=10, today=TODAY)
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, Dashboard)
        await pilot.press("e")
        assert not app.screen.query("#plain-exports")
