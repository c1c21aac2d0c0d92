"""Backups of the diary: SQLite's backup API, never a copy of a live file.

Automatic backups live in ``<home>/backups``: one a day (taken when the diary is first
opened that day) and one before every schema migration and every restore. The automatic
ones from the last seven days that had any are kept; backups asked for by name are never
removed. Putting one back is ``companion.store.restore``.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3

from companion.entry import now_local
from companion.errors import CompanionError, StoreError
from companion.paths import as_path, ensure_private_dir
from companion.scratch import clear_stale, scratch_file
from companion.store.cipher import connect_like

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from pathlib import Path

KEEP_DAYS = 7
AUTOMATIC_KINDS = ("daily", "migration", "restore")
SUFFIX = ".sqlite3"
_KINDS_RE = "|".join(AUTOMATIC_KINDS)
# Text, compiled by ``re`` on first use: only a day's first open rotates the backups.
_AUTOMATIC_RE = (
    rf"diary-(?P<date>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})(T[0-9]{{6}}(-[0-9]+)?)?-(?:{_KINDS_RE})"
    r"\.sqlite3"
)


def snapshot(conn: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of an open diary to ``target``: atomic, mode 0600.

    The copy is made in a temporary file beside the target and renamed over it at the end,
    so a crash or a full disk leaves any older file of that name as it was (and the next
    backup to that folder clears away what a killed one left).
    """
    from companion.targets import refuse_open_database, refuse_special

    refuse_open_database(target)
    try:
        with scratch_file(target.parent, target.name) as tmp:
            # A copy of an encrypted diary is encrypted with the same passphrase.
            out = connect_like(conn, tmp, isolation_level=None)
            try:
                conn.backup(out)
                # The copy carries the diary's WAL flag; a backup should be one plain file.
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            refuse_special(target)
            refuse_open_database(target)  # again: it may have been opened meanwhile
            os.replace(tmp, target)
    except sqlite3.Error as exc:
        from companion.store.errors import sql_error

        raise sql_error(target, exc) from None
    except OSError as exc:
        raise StoreError(f"{target}: cannot write the backup ({exc.strerror})") from None
    return target


def automatic(conn: sqlite3.Connection, directory: Path, kind: str) -> Path:
    """A timestamped backup into the backups folder, then rotation of the old ones."""
    ensure_private_dir(directory)
    stamp = now_local().strftime("%Y-%m-%dT%H%M%S")
    target = directory / f"diary-{stamp}-{kind}{SUFFIX}"
    serial = 1
    while target.exists():
        serial += 1
        target = directory / f"diary-{stamp}-{serial}-{kind}{SUFFIX}"
    snapshot(conn, target)
    rotate(directory)
    return target


def before_migration(conn: sqlite3.Connection, directory: Path) -> Path | None:
    """Back up a diary that already holds data before its schema changes."""
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return automatic(conn, directory, "migration") if tables else None


def daily(conn: sqlite3.Connection, folder: str | os.PathLike[str]) -> Path | None:
    """Today's backup, unless it exists already (one stat) or the diary is empty.

    Never raises: a backup that cannot be written must not stop a person logging, and the
    next start tries again.
    """
    name = f"diary-{now_local().date().isoformat()}-daily{SUFFIX}"
    if os.path.exists(os.path.join(folder, name)):
        return None
    directory = as_path(folder)
    target = directory / name
    try:
        if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM entries)").fetchone()[0]:
            return None
        ensure_private_dir(directory)
        snapshot(conn, target)
        rotate(directory)
    except (CompanionError, sqlite3.Error, OSError):
        return None
    return target


def rotate(directory: Path, keep_days: int = KEEP_DAYS) -> list[Path]:
    """Remove automatic backups outside the last ``keep_days`` days that have any, and what
    killed backups left in the folder."""
    by_date: dict[str, list[Path]] = {}
    removed = clear_stale(directory)
    for path in directory.iterdir():
        match = re.fullmatch(_AUTOMATIC_RE, path.name)
        if match:
            by_date.setdefault(match["date"], []).append(path)
    for day in sorted(by_date, reverse=True)[keep_days:]:
        for path in by_date[day]:
            _remove(path)
            removed.append(path)
    return removed


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
