"""The diary's side of a sync, in SQL: what changed here since the last sync, putting a
version read from the folder in place, and the versions a conflict set aside.

Everything here runs inside the caller's write transaction (``Store.write``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from companion.row_versions import (
    STAMP_RE,
    TOMBSTONE,
    Row,
    Seen,
    Version,
    after,
    concurrent,
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


# A table joins this list with a migration that gives it the trigger pair m0005_sync gives
# these (a delete by any path leaves a tombstone) and widens the tombstones' CHECK on tbl
# (transform_check).
TRAVELLING: dict[str, Travelling] = {
    t.name: t
    for t in (
        Travelling("entries", "id", "updated", "updated"),
        Travelling("followups", "id", "updated", "updated"),
        Travelling("triage_results", "id", "taken_at", None),
        Travelling("alert_acks", "rule", "acknowledged_at", None),
        Travelling("doses", "id", "updated", "updated"),
        Travelling("medicine_limits", "medicine", "updated", "updated"),
    )
}

SEQ_KEY = "sync.seq"


@dataclass(frozen=True)
class Local:
    """The version of a row as of the last sync."""

    stamp: str
    n: int
    computer: str
    seq: int
    seen: Seen

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


def _fingerprint(*pairs: Any) -> str:
    """SQL function ``sync_fingerprint(name, value, ...)``: a fingerprint of a row's values.

    Empty values are left out, so a column a later version adds (empty in every row until
    written) does not make every row look edited; Python's repr of a number is the same in
    every version, unlike SQLite's text of one.
    """
    kept = [
        (pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2) if pairs[i + 1] not in (None, "")
    ]
    return hashlib.sha256(repr(kept).encode("utf-8", "surrogatepass")).hexdigest()


_LOCAL_COLUMNS = "v.stamp, v.n, v.computer, v.seq, v.seen"


def _local(values: Sequence[Any]) -> Local | None:
    stamp, n, computer, seq, seen = values
    if stamp is None:
        return None
    return Local(stamp, n, computer, seq, seen_of(seen))


class SyncRows:
    """The travelling tables of one open diary, as a sync reads and writes them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.create_function("sync_fingerprint", -1, _fingerprint, deterministic=True)
        self._columns: dict[str, dict[str, Any]] = {}
        self._fingerprints: dict[str, str] = {}

    def columns(self, table: str) -> dict[str, Any]:
        """The table's columns and the value each takes when a change leaves it out."""
        if table not in self._columns:
            found: dict[str, Any] = {}
            for _, name, _, _, default, _ in self.conn.execute(f"PRAGMA table_info({table})"):
                found[name] = default[1:-1].replace("''", "'") if isinstance(default, str) else None
            self._columns[table] = found
        return self._columns[table]

    def _fingerprint_sql(self, table: str) -> str:
        """The fingerprint of a row of ``table`` (named ``t``), in SQL."""
        if table not in self._fingerprints:
            pairs = ", ".join(f"'{c}', t.{c}" for c in self.columns(table))
            self._fingerprints[table] = f"sync_fingerprint({pairs})"
        return self._fingerprints[table]

    def local_changes(self, me: str, seq: int, now: str) -> Iterator[Version]:
        """Every row and tombstone that differs from its version as last synced, as a new
        version written by this computer in change file ``seq``. Streamed from cursors:
        nothing is written meanwhile (``record_local`` does that afterwards)."""
        for table in TRAVELLING.values():
            names = list(self.columns(table.name))
            cursor = self.conn.execute(
                f"SELECT {', '.join('t.' + c for c in names)}, {_LOCAL_COLUMNS} "
                f"FROM {table.name} t "
                f"LEFT JOIN sync_versions v ON v.tbl = ? AND v.id = t.{table.key} "
                f"WHERE v.digest IS NOT {self._fingerprint_sql(table.name)}",
                (table.name,),
            )
            for values in cursor:
                row = dict(zip(names, values[: len(names)], strict=True))
                stamp = utc_stamp(row[table.stamp]) or now
                base = _local(values[len(names) :])
                yield _edit(table, str(row[table.key]), stamp, base, me, seq, row)
        cursor = self.conn.execute(
            f"SELECT t.tbl, t.id, t.deleted, {_LOCAL_COLUMNS} FROM tombstones t "
            "LEFT JOIN sync_versions v ON v.tbl = t.tbl AND v.id = t.id "
            f"WHERE v.digest IS NOT '{TOMBSTONE}' || t.deleted"
        )
        for tbl, row_id, deleted, *rest in cursor:
            if tbl in TRAVELLING:
                stamp = utc_stamp(deleted) or now
                yield _edit(TRAVELLING[tbl], row_id, stamp, _local(rest), me, seq, None)

    def record_local(self, version: Version) -> None:
        """Remember a version this computer wrote, giving the row the time it carries."""
        table = TRAVELLING[version.table]
        if version.row is None:
            self.conn.execute(
                "UPDATE tombstones SET deleted = ? WHERE tbl = ? AND id = ?",
                (version.stamp, table.name, version.id),
            )
        elif table.touch is not None:
            self.conn.execute(
                f"UPDATE {table.name} SET {table.touch} = ? WHERE {table.key} = ?",
                (version.stamp, version.id),
            )
        self._remember(version, version.seen)

    def _remember(self, version: Version, seen: Seen) -> None:
        """Record the version as the row's, with a fingerprint of what the diary now holds."""
        table = TRAVELLING[version.table]
        if version.row is None:
            fingerprint, params = "?", [TOMBSTONE + version.stamp]
        else:
            fingerprint = (
                f"(SELECT {self._fingerprint_sql(table.name)} FROM {table.name} t "
                f"WHERE t.{table.key} = ?)"
            )
            params = [version.id]
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_versions (tbl, id, stamp, n, computer, seq, seen, "
            f"digest) VALUES (?, ?, ?, ?, ?, ?, ?, {fingerprint})",
            [
                version.table,
                version.id,
                version.stamp,
                version.n,
                version.computer,
                version.seq,
                seen_text(seen),
                *params,
            ],
        )

    def current_row(self, table: str, row_id: str) -> Row | None:
        names = list(self.columns(table))
        found = self.conn.execute(
            f"SELECT {', '.join(names)} FROM {table} WHERE {TRAVELLING[table].key} = ?",
            (row_id,),
        ).fetchone()
        return dict(zip(names, found, strict=True)) if found is not None else None

    def whole(self, table: str, row: Row) -> Row:
        """The row with every column: one it leaves out (from an older version) at its
        default, as it will be stored."""
        return {name: row.get(name, default) for name, default in self.columns(table).items()}

    def apply(self, version: Version, found: str) -> tuple[str, bool]:
        """Merge one version read from the folder into the diary.

        Returns what happened to the diary ('added', 'changed', 'deleted' or 'unchanged')
        and whether a conflict set a version aside. Raises sqlite3.IntegrityError for a row
        the diary's checks refuse, ValueError for one that does not fit the table.
        """
        table = TRAVELLING[version.table]
        incoming = None
        if version.row is not None:
            if not version.row.keys() <= self.columns(table.name).keys():
                raise ValueError("a column this diary does not have")
            incoming = self.whole(table.name, version.row)
            if str(incoming[table.key]) != version.id:
                raise ValueError("a row whose key is not its id")
        rows = self.conn.execute(
            f"SELECT {_LOCAL_COLUMNS} FROM sync_versions v WHERE tbl = ? AND id = ?",
            (table.name, version.id),
        ).fetchall()
        local = _local(rows[0]) if rows else None
        if local is not None and local.key == version.key:
            return "unchanged", False
        current = self.current_row(table.name, version.id)
        if local is None:
            clash, seen = False, version.seen
        else:
            clash, seen = concurrent(local.seen, version.seen), joined(local.seen, version.seen)
        if local is not None and local.key > version.key:
            # This diary's version stays; the one read is kept if it was made alongside.
            kept = clash and incoming is not None and incoming != current
            if kept:
                assert incoming is not None
                self._keep(version, incoming, found)
            self.conn.execute(
                "UPDATE sync_versions SET seen = ? WHERE tbl = ? AND id = ?",
                (seen_text(seen), table.name, version.id),
            )
            return "unchanged", kept
        kept = clash and current is not None and current != incoming
        if kept:
            assert local is not None and current is not None
            lost = Version(table.name, version.id, *local.key, {}, current)
            self._keep(lost, current, found)
        if incoming is None:
            self.conn.execute(f"DELETE FROM {table.name} WHERE {table.key} = ?", (version.id,))
            self.conn.execute(
                "INSERT OR REPLACE INTO tombstones (tbl, id, deleted) VALUES (?, ?, ?)",
                (table.name, version.id, version.stamp),
            )
            self._remember(version, seen)
            return ("deleted" if current is not None else "unchanged"), kept
        self.put(table.name, incoming)
        self._remember(version, seen)
        if current is None:
            return "added", kept
        return ("changed" if current != incoming else "unchanged"), kept

    def put(self, table_name: str, row: Row) -> None:
        """Write a whole row in place of the one with its key, or as a new one."""
        table = TRAVELLING[table_name]
        names = list(self.columns(table_name))
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != table.key)
        # A new row takes its tombstone away through its table's trigger; a row there has none.
        self.conn.execute(
            f"INSERT INTO {table_name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT ({table.key}) DO UPDATE SET {updates}",
            [row.get(name) for name in names],
        )

    def _keep(self, version: Version, row: Row, found: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO sync_conflicts (tbl, id, stamp, n, computer, seq, row, found) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (version.table, version.id, *version.key, json.dumps(row, sort_keys=True), found),
        )


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


# --- the change files read, and this computer's numbering ---------------------------------


def last_seq(conn: sqlite3.Connection) -> int:
    """The number of the last change file this computer wrote into the diary's records."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (SEQ_KEY,)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


@contextlib.contextmanager
def all_or_nothing(conn: sqlite3.Connection) -> Iterator[None]:
    """A savepoint inside the sync's transaction: what the block wrote stays only if it
    ends without an exception."""
    conn.execute("SAVEPOINT change_file")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO change_file")
        conn.execute("RELEASE change_file")
        raise
    conn.execute("RELEASE change_file")


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
    rows = SyncRows(conn)
    row = rows.whole(conflict.table, conflict.row)
    touch = TRAVELLING[conflict.table].touch
    if touch is not None:
        row[touch] = now
    rows.put(conflict.table, row)
    conn.execute("DELETE FROM sync_conflicts WHERE rowid = ?", (number,))
    return conflict
