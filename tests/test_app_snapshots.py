"""SVG snapshots of the main screens at 80x24, with a frozen clock and a seeded diary.

Regenerate with ``pytest tests/test_app_snapshots.py --snapshot-update`` and look at the
SVGs under tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from companion.demo import fill
from screens.app import CompanionApp

NOW = datetime(2026, 11, 20, 9, 15)
SIZE = (80, 24)

SnapCompare = Callable[..., bool]


@pytest.fixture
def seeded_app(home: Path) -> CompanionApp:
    fill(home, days=120, today=NOW.date())
    return CompanionApp(home=home, now=NOW)


def test_dashboard(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    assert snap_compare(seeded_app, terminal_size=SIZE)


def test_first_run_welcome(snap_compare: SnapCompare, home: Path) -> None:
    assert snap_compare(CompanionApp(home=home, now=NOW), terminal_size=SIZE)


def test_entry_form(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    assert snap_compare(seeded_app, press=["n", "6", "tab", "1", "1"], terminal_size=SIZE)


def test_diary(snap_compare: SnapCompare, seeded_app: CompanionApp) -> None:
    async def open_diary(pilot: Any) -> None:
        await pilot.press("d", "down", "down")

    assert snap_compare(seeded_app, run_before=open_diary, terminal_size=SIZE)
