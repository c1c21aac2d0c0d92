"""Computers for the sync tests: a data directory each, one shared folder, a clock each."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from companion.entry import build_entry
from companion.store import Store
from companion.sync.engine import SyncResult, sync

# The diary as every computer must end up holding it: what syncs, and the tombstones.
SYNCED_TABLES = {
    "entries": "id",
    "followups": "id",
    "triage_results": "id",
    "alert_acks": "rule",
    "tombstones": "tbl, id",
}
# Near the real time: a delete is stamped by SQLite's own clock (the tombstone trigger).
START = datetime.now(UTC).replace(microsecond=0)


class Clock:
    """The time each computer's saves are stamped with: one shared time plus each
    computer's own error, so that edits land in the same second or out of order."""

    def __init__(self) -> None:
        self.now = START
        self.skew = timedelta(0)

    def stamp(self) -> str:
        return (self.now + self.skew).isoformat(timespec="seconds")


@dataclass
class Home:
    name: str
    store: Store
    computer: str
    folder: Path
    clock: Clock
    skew: timedelta = timedelta(0)
    ids: list[str] = field(default_factory=list)

    def sync(self) -> SyncResult:
        with self.on_clock():
            return sync(self.store, self.folder, self.computer, now=self.clock.stamp())

    @contextlib.contextmanager
    def on_clock(self) -> Iterator[None]:
        self.clock.skew = self.skew
        with mock.patch("companion.store.core.timestamp", self.clock.stamp):
            yield

    def log(self, pain: int, notes: str = "") -> str:
        with self.on_clock():
            saved = self.store.add(
                build_entry({"date": "2026-11-01", "pain": str(pain), "notes": notes or None})
            )
        return saved.id

    def edit(self, entry_id: str, pain: int) -> bool:
        entry = self.store.get(entry_id)
        if entry is None:
            return False
        with self.on_clock():
            self.store.update(entry.with_changes(pain=pain))
        return True


@contextlib.contextmanager
def homes(tmp: Path, count: int = 3) -> Iterator[list[Home]]:
    clock = Clock()
    folder = tmp / "shared"
    made: list[Home] = []
    # Durability is not what these tests check: no waiting for the disk.
    with mock.patch("os.fsync"), contextlib.ExitStack() as stack:
        for i in range(count):
            name = "abc"[i]
            store = stack.enter_context(Store.open(tmp / f"home-{name}"))
            store.conn.execute("PRAGMA synchronous=OFF")
            made.append(Home(name, store, name * 32, folder, clock))
        yield made


def diary(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: store.read(f"SELECT * FROM {table} ORDER BY {order}")
        for table, order in SYNCED_TABLES.items()
    }
