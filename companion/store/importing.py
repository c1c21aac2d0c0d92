"""Importing entries: checked and staged outside the write lock, merged by id in one short
transaction.

Reading and checking a big CSV takes a while (500,000 rows: about 15 s here). The rows go
first into a private staging database beside the diary, without touching the diary's lock;
then one write transaction merges them with set-based SQL (about 7 s for those rows, half of
it the database's own checks), so a save in another program waits a few seconds instead of
failing "busy" after waiting 30 s for the whole import.

Rows are matched by id. A new id adds an entry. For an id the diary has, a column the file
leaves out keeps the diary's value and an empty cell clears it; a row whose ``updated`` is
older than the diary's version is kept out and counted, so an old export never undoes a later
edit (a row without ``updated`` counts as a fresh edit). The same id twice in one file is
refused, naming both lines. It is all or nothing: one bad row and nothing is imported.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.csvio import CsvRow
from companion.entry import SET_FIELDS, Entry, join_set, new_id, timestamp
from companion.errors import DataError, StoreError
from companion.scratch import scratch_file

if TYPE_CHECKING:
    from companion.store.core import Store


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int
    older: int = 0


def import_csv(store: Store, path: Path) -> ImportResult:
    """``companion import``: the rows of a CSV in the export format, merged into the diary."""
    from companion.csvio import read_csv

    return _import(store, read_csv(path), where=str(path), rows_are="lines")


def merge_entries(store: Store, entries: Iterable[Entry]) -> ImportResult:
    """Whole entries (every field, as if just edited), merged into the diary by id."""
    rows = (CsvRow(n, e.id, None, e.values()) for n, e in enumerate(entries, 1))
    return _import(store, rows, where=str(store.path), rows_are="entries")


def _import(store: Store, rows: Iterable[CsvRow], *, where: str, rows_are: str) -> ImportResult:
    from companion.store.errors import sql_error

    if store.readonly:
        raise store.readonly_error()
    try:
        with scratch_file(store.path.parent, "import") as staging:
            fields = _stage(staging, rows, where, rows_are)
            if not fields:
                return ImportResult(0, 0, 0)
            return _merge(store, staging, fields, where)
    except sqlite3.Error as exc:
        raise sql_error(store.path, exc) from None
    except OSError as exc:
        raise StoreError(f"{store.path.parent}: cannot stage the import ({exc.strerror})") from None


def _stage(path: Path, rows: Iterable[CsvRow], where: str, rows_are: str) -> tuple[str, ...]:
    """Write the rows into a fresh database at ``path``; return the fields they carry.

    A scratch copy, so no journal and no syncing: if anything stops it, it is thrown away.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        fields: tuple[str, ...] = ()
        insert = ""
        for row in rows:
            if not fields:
                fields = tuple(row.values)  # the same columns in every row of a file
                conn.execute(
                    "CREATE TABLE staged (line INTEGER NOT NULL, id TEXT NOT NULL, "
                    f"updated TEXT, {', '.join(fields)})"
                )
                conn.execute("CREATE UNIQUE INDEX staged_by_id ON staged (id)")
                insert = f"INSERT INTO staged VALUES ({', '.join('?' * (3 + len(fields)))})"
            entry_id = row.id or new_id()
            values = [_stored(name, row.values[name]) for name in fields]
            try:
                conn.execute(insert, (row.line, entry_id, row.updated, *values))
            except sqlite3.IntegrityError:
                (first,) = conn.execute(
                    "SELECT line FROM staged WHERE id = ?", (entry_id,)
                ).fetchone()
                raise DataError(
                    f"{where}: {rows_are} {first} and {row.line} have the same id"
                ) from None
        conn.execute("COMMIT")
        return fields
    finally:
        conn.close()


def _stored(name: str, value: Any) -> Any:
    return join_set(name, value) if name in SET_FIELDS else value


def _merge(store: Store, staging: Path, fields: tuple[str, ...], where: str) -> ImportResult:
    """Merge the staged rows in one write transaction: the only time the lock is held."""
    conn = store.conn
    conn.execute("ATTACH DATABASE ? AS staging", (str(staging),))
    try:
        with store.write():
            return _merge_staged(conn, fields, where)
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("DETACH DATABASE staging")


def _merge_staged(conn: sqlite3.Connection, fields: tuple[str, ...], where: str) -> ImportResult:
    rows = "FROM staging.staged s LEFT JOIN main.entries e ON e.id = s.id"
    older = "(e.id IS NOT NULL AND s.updated IS NOT NULL AND s.updated < e.updated)"
    same = "(e.id IS NOT NULL AND " + " AND ".join(f"s.{f} IS e.{f}" for f in fields) + ")"
    kind = f"CASE WHEN e.id IS NULL THEN 'new' WHEN {older} THEN 'older' WHEN {same} THEN 'same' "
    counts = dict(
        conn.execute(
            f"SELECT kind, count(*) FROM (SELECT {kind} ELSE 'changed' END AS kind {rows}) "
            "GROUP BY kind"
        )
    )
    # After the merge an entry still needs pain or cramps; a left-out column keeps the diary's.
    pain, cramps = (f"{'s' if f in fields else 'e'}.{f}" for f in ("pain", "cramps"))
    (line,) = conn.execute(
        f"SELECT min(s.line) {rows} WHERE NOT {older} AND {pain} IS NULL AND {cramps} IS NULL"
    ).fetchone()
    if line is not None:
        raise DataError(f"{where}: line {line}: pain: an entry needs pain or cramps (or both)")
    # A newer row keeps its own time, so a later import of an older copy is recognised.
    updated = (
        "CASE WHEN e.id IS NULL THEN coalesce(s.updated, :now) "
        "WHEN s.updated > e.updated THEN s.updated ELSE :now END"
    )
    conn.execute(
        f"""INSERT INTO main.entries (id, {", ".join(fields)}, created, updated)
            SELECT s.id, {", ".join(f"s.{f}" for f in fields)},
                   min(coalesce(s.updated, :now), :now), {updated}
            {rows} WHERE NOT {older} AND NOT {same}
            ON CONFLICT (id) DO UPDATE SET
              {", ".join(f"{f} = excluded.{f}" for f in fields)}, updated = excluded.updated""",
        {"now": timestamp()},
    )
    return ImportResult(
        added=counts.get("new", 0),
        changed=counts.get("changed", 0),
        unchanged=counts.get("same", 0),
        older=counts.get("older", 0),
    )
