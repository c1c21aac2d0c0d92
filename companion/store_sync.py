"""The diary's side of a sync, in SQL: what changed here since the last sync, putting a
version read from the folder in place, and the versions a conflict set aside.

Everything here runs inside the caller's write transaction (``Store.write``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from companion.sync.versions import (
    STAMP_RE,
    Row,
    Seen,
    Version,
    after,
    concurrent,
    digest,
    joined,
    seen_of,
    seen_text,
)


@dataclass(frozen=True)
class Travelling:
    """A table whose rows travel: its key column, the column its version's time comes from,
    and the column an edit's time is written to (None: the table keeps no such time)."""

    name: str
    key: str
    stamp: str
    touch: str | None


# A table joins this list with a trigger pair in a migration (see m0005_sync), so that a
# delete by any path leaves a tombstone; the medicine doses table (id + updated) is next.
TRAVELLING: dict[str, Travelling] = {
    t.name: t
    for t in (
        Travelling("entries", "id", "updated", "updated"),
        Travelling("followups", "id", "updated", "updated"),
        Travelling("triage_results", "id", "taken_at", None),
        Travelling("alert_acks", "rule", "acknowledged_at", None),
    )
}

LAST_SYNC_KEY = "sync.last"
FOLDER_KEY = "sync.folder"
SEQ_KEY = "sync.seq"


@dataclass(frozen=True)
class Local:
    """The version of a row as of the last sync, and the fingerprint of what it held."""

    stamp: str
    n: int
    computer: str
    seq: int
    seen: Seen
    digest: str

    @property
    def key(self) -> tuple[str, int, str, int]:
        return (self.stamp, self.n, self.computer, self.seq)


@dataclass(frozen=True)
class Conflict:
    number: int
    table: str
    id: str
    stamp: str
    computer: str
    row: Row
    found: str


def columns(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    """The table's columns and the value each takes when a change leaves it out."""
    found: dict[str, Any] = {}
    for _, name, _, _, default, _ in conn.execute(f"PRAGMA table_info({table})"):
        found[name] = default[1:-1].replace("''", "'") if isinstance(default, str) else None
    return found


def utc_stamp(value: object) -> str | None:
    """A time as ``timestamp`` writes it (UTC, seconds), from any ISO time with an offset."""
    if not isinstance(value, str):
        return None
    if STAMP_RE.fullmatch(value):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _local(values: tuple[Any, ...]) -> Local | None:
    stamp, n, computer, seq, seen, fingerprint = values
    if stamp is None:
        return None
    return Local(stamp, n, computer, seq, seen_of(seen), fingerprint)


_LOCAL_COLUMNS = "v.stamp, v.n, v.computer, v.seq, v.seen, v.digest"


def local_changes(conn: sqlite3.Connection, me: str, seq: int, now: str) -> Iterator[Version]:
    """Every row and tombstone that differs from its version as last synced, as a new version
    written by this computer in change file ``seq``. Streamed from cursors: nothing is
    written meanwhile (``record_local`` does that afterwards)."""
    for table in TRAVELLING.values():
        names = list(columns(conn, table.name))
        cursor = conn.execute(
            f"SELECT {', '.join('t.' + c for c in names)}, {_LOCAL_COLUMNS} FROM {table.name} t "
            f"LEFT JOIN sync_versions v ON v.tbl = ? AND v.id = t.{table.key}",
            (table.name,),
        )
        for values in cursor:
            row = dict(zip(names, values[: len(names)], strict=True))
            base = _local(values[len(names) :])
            if base is not None and base.digest == digest(row):
                continue
            stamp = utc_stamp(row[table.stamp]) or now
            yield _edit(table, str(row[table.key]), stamp, base, me, seq, row)
    cursor = conn.execute(
        f"SELECT t.tbl, t.id, t.deleted, {_LOCAL_COLUMNS} FROM tombstones t "
        "LEFT JOIN sync_versions v ON v.tbl = t.tbl AND v.id = t.id"
    )
    for tbl, row_id, deleted, *rest in cursor:
        base = _local(tuple(rest))
        if tbl not in TRAVELLING or (base is not None and base.digest == digest(None, deleted)):
            continue
        yield _edit(TRAVELLING[tbl], row_id, utc_stamp(deleted) or now, base, me, seq, None)


def _edit(
    table: Travelling,
    row_id: str,
    stamp: str,
    base: Local | None,
    me: str,
    seq: int,
    row: Row | None,
) -> Version:
    n = 0
    if base is not None:
        stamp, n = after(base.stamp, base.n, stamp)
    if row is not None and table.touch is not None:
        # The entry says when it was last edited as every computer will see it.
        row = {**row, table.touch: stamp}
    seen = dict(base.seen) if base is not None else {}
    seen[me] = seq
    return Version(table.name, row_id, stamp, n, me, seq, seen, row)


def record_local(conn: sqlite3.Connection, version: Version) -> None:
    """Remember a version this computer wrote, giving the row the time the version carries."""
    table = TRAVELLING[version.table]
    if version.row is None:
        conn.execute(
            "UPDATE tombstones SET deleted = ? WHERE tbl = ? AND id = ?",
            (version.stamp, table.name, version.id),
        )
    elif table.touch is not None:
        conn.execute(
            f"UPDATE {table.name} SET {table.touch} = ? WHERE {table.key} = ?",
            (version.stamp, version.id),
        )
    _remember(conn, version, version.seen, digest(version.row, version.stamp))


def _remember(conn: sqlite3.Connection, version: Version, seen: Seen, fingerprint: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_versions (tbl, id, stamp, n, computer, seq, seen, digest) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            version.table,
            version.id,
            version.stamp,
            version.n,
            version.computer,
            version.seq,
            seen_text(seen),
            fingerprint,
        ),
    )


def current_row(conn: sqlite3.Connection, table: str, row_id: str) -> Row | None:
    travelling = TRAVELLING[table]
    names = list(columns(conn, table))
    found = conn.execute(
        f"SELECT {', '.join(names)} FROM {table} WHERE {travelling.key} = ?", (row_id,)
    ).fetchone()
    return dict(zip(names, found, strict=True)) if found is not None else None


def apply(conn: sqlite3.Connection, version: Version, found: str) -> tuple[str, bool]:
    """Merge one version read from the folder into the diary.

    Returns what happened to the diary ('added', 'changed', 'deleted' or 'unchanged') and
    whether a conflict set a version aside. Raises sqlite3.IntegrityError for a row the
    diary's checks refuse, ValueError for one that does not fit the table.
    """
    table = TRAVELLING[version.table]
    (local_values,) = conn.execute(
        "SELECT stamp, n, computer, seq, seen, digest FROM sync_versions v "
        "WHERE tbl = ? AND id = ?",
        (table.name, version.id),
    ).fetchall() or [(None,) * 6]
    local = _local(local_values)
    if local is not None and local.key == version.key:
        return "unchanged", False
    clash = local is not None and concurrent(local.seen, version.seen)
    seen = joined(local.seen, version.seen) if local is not None else version.seen
    current = current_row(conn, table.name, version.id)
    if local is not None and local.key > version.key:
        kept = clash and version.row is not None and digest(version.row) != local.digest
        if kept:
            assert version.row is not None
            _keep(conn, version, version.row, found)
        conn.execute(
            "UPDATE sync_versions SET seen = ? WHERE tbl = ? AND id = ?",
            (seen_text(seen), table.name, version.id),
        )
        return "unchanged", kept
    kept = (
        clash
        and current is not None
        and local is not None
        and digest(current) != digest(version.row, version.stamp)
    )
    if kept:
        assert current is not None and local is not None
        lost = Version(
            table.name, version.id, local.stamp, local.n, local.computer, local.seq, {}, current
        )
        _keep(conn, lost, current, found)
    if version.row is None:
        conn.execute(f"DELETE FROM {table.name} WHERE {table.key} = ?", (version.id,))
        conn.execute(
            "INSERT OR REPLACE INTO tombstones (tbl, id, deleted) VALUES (?, ?, ?)",
            (table.name, version.id, version.stamp),
        )
        _remember(conn, version, seen, digest(None, version.stamp))
        return ("deleted" if current is not None else "unchanged"), kept
    _put(conn, table, version.id, version.row)
    stored = current_row(conn, table.name, version.id)
    _remember(conn, version, seen, digest(stored))
    if current is None:
        return "added", kept
    return ("changed" if digest(current) != digest(stored) else "unchanged"), kept


def _put(conn: sqlite3.Connection, table: Travelling, row_id: str, row: Row) -> None:
    """Write a whole row; a column the row leaves out takes its default."""
    defaults = columns(conn, table.name)
    unknown = row.keys() - defaults.keys()
    if unknown:
        raise ValueError("a column this diary does not have")
    if str(row.get(table.key)) != row_id:
        raise ValueError("a row whose key is not its id")
    names = list(defaults)
    values = [row.get(name, defaults[name]) for name in names]
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != table.key)
    conn.execute("DELETE FROM tombstones WHERE tbl = ? AND id = ?", (table.name, row_id))
    conn.execute(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT ({table.key}) DO UPDATE SET {updates}",
        values,
    )


def _keep(conn: sqlite3.Connection, version: Version, row: Row, found: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO sync_conflicts (tbl, id, stamp, n, computer, seq, row, found) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            version.table,
            version.id,
            version.stamp,
            version.n,
            version.computer,
            version.seq,
            json.dumps(row, sort_keys=True),
            found,
        ),
    )


# --- the change files read, and this computer's numbering ---------------------------------


def applied_files(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sync_files")}


def mark_applied(conn: sqlite3.Connection, name: str, when: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_files (name, applied) VALUES (?, ?)", (name, when))


def set_settings(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        values.items(),
    )


# --- conflicts -------------------------------------------------------------------------------


def conflicts(conn: sqlite3.Connection) -> list[Conflict]:
    """The versions conflicts set aside, oldest first (a few at most: never many)."""
    return [
        Conflict(number, tbl, row_id, stamp, computer, json.loads(row), found)
        for number, tbl, row_id, stamp, computer, row, found in conn.execute(
            "SELECT rowid, tbl, id, stamp, computer, row, found FROM sync_conflicts ORDER BY rowid"
        )
    ]


def restore_conflict(conn: sqlite3.Connection, number: int, now: str) -> Conflict | None:
    """Put a set-aside version back as an edit made now; None if there is no such conflict.
    The next sync carries it to the other computers."""
    found = [c for c in conflicts(conn) if c.number == number]
    if not found:
        return None
    conflict = found[0]
    table = TRAVELLING[conflict.table]
    row = dict(conflict.row)
    if table.touch is not None:
        row[table.touch] = now
    _put(conn, table, conflict.id, row)
    conn.execute("DELETE FROM sync_conflicts WHERE rowid = ?", (number,))
    return conflict
