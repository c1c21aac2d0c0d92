"""Sync in the app: the key asks for the folder (the last one filled in), the sync runs, and
the dashboard says when it was."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.widgets import Input, Static

from companion.entry import Entry
from companion.store import Store
from screens.app import CompanionApp
from screens.dashboard import Dashboard
from screens.dialogs import AskFolder

NOW = datetime(2026, 11, 20, 9, 15)


async def test_the_sync_key_asks_for_a_folder_syncs_and_shows_when(tmp_path: Path) -> None:
    home, other, shared = tmp_path / "home", tmp_path / "other", tmp_path / "shared"
    with Store.open(other) as store:
        store.add(Entry("2026-11-19", pain=6))
    with Store.open(home) as store:
        store.add(Entry("2026-11-20", pain=3))
    from companion.sync.engine import sync

    with Store.open(other) as store:
        sync(store, shared)

    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query_one("#sync-status").display  # not set up yet
        await pilot.press("y")
        assert isinstance(app.screen, AskFolder)
        await pilot.press("enter")  # nothing typed: says so, stays
        assert isinstance(app.screen, AskFolder)
        assert "Type the folder" in str(app.screen.query_one("#reason", Static).render())
        app.screen.query_one(Input).value = str(shared)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        messages = [n.message for n in app._notifications]
        assert any("Sent 1 change" in m and "1 added" in m for m in messages), messages
        app.screen.refresh_data()
        status = str(app.screen.query_one("#sync-status", Static).render())
        assert app.screen.query_one("#sync-status").display
        assert status.startswith("Last synced ") and "y to sync" in status

        # The next time the folder is filled in; escape syncs nothing.
        await pilot.press("y")
        assert app.screen.query_one(Input).value == str(shared)
        await pilot.press("escape")
        assert isinstance(app.screen, Dashboard)
    with Store.open(home) as store:
        assert sorted(e.pain for e in store.iter_rows()) == [3, 6]


async def test_a_folder_that_cannot_be_used_is_said_and_nothing_changes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "file").write_text("x")
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")
        app.screen.query_one(Input).value = str(tmp_path / "file")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (note,) = app._notifications
        assert note.title == "Not synced" and "not a folder" in note.message
        assert not app.screen.query_one("#sync-status").display
