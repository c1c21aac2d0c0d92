"""Follow-up records (the followups table): 'seen' by a clinician, or warning signs 'gone'."""

from __future__ import annotations

from typing import Any

from companion.store.core import Store

COLUMNS = "id, date, time, kind, signs, created, updated"
Row = tuple[Any, ...]  # the COLUMNS, in order


def insert(store: Store, row: Row) -> None:
    with store.write() as conn:
        conn.execute(f"INSERT INTO followups ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row)


def remove(store: Store, followup_id: str) -> Row | None:
    """Delete one record and return it; None if it was not there."""
    with store.write() as conn:
        found: Row | None = conn.execute(
            f"SELECT {COLUMNS} FROM followups WHERE id = ?", (followup_id,)
        ).fetchone()
        if found is not None:
            conn.execute("DELETE FROM followups WHERE id = ?", (followup_id,))
    return found


def latest(store: Store, kind: str) -> Row | None:
    """The record of this kind written last."""
    rows = store.read(
        f"SELECT {COLUMNS} FROM followups WHERE kind = ? ORDER BY created DESC, rowid DESC LIMIT 1",
        (kind,),
    )
    return rows[0] if rows else None


def between(store: Store, start: str, end: str) -> list[Row]:
    """Records dated from ``start`` to ``end``, in date and time order."""
    return store.read(
        f"SELECT {COLUMNS} FROM followups WHERE date BETWEEN ? AND ? "
        "ORDER BY date, coalesce(time, ''), created",
        (start, end),
    )


def first_seen_between(store: Store, start: str, end: str) -> str | None:
    (found,) = store.read(
        "SELECT min(date) FROM followups WHERE kind = 'seen' AND date BETWEEN ? AND ?",
        (start, end),
    )[0]
    return found if isinstance(found, str) else None


def last_seen_before(store: Store, day: str) -> str | None:
    (found,) = store.read(
        "SELECT max(date) FROM followups WHERE kind = 'seen' AND date < ?", (day,)
    )[0]
    return found if isinstance(found, str) else None


def for_history(store: Store, start: str, end: str) -> list[tuple[Any, ...]]:
    """(date, time, created, kind, signs) of every record in the range."""
    return store.read(
        "SELECT date, time, created, kind, signs FROM followups WHERE date BETWEEN ? AND ?",
        (start, end),
    )
