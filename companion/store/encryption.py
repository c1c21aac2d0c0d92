"""Turning the diary into an SQLCipher 4 database and back, and its backups with it.

The diary is backed up first. Then, holding the diary's write lock (a save elsewhere waits),
SQLCipher's ``sqlcipher_export`` writes a converted copy beside it, every table of the copy
is compared with the diary row for row, the copy is opened and checked as any diary is, and
only then renamed over the diary: a crash at any moment leaves either the old diary or the
whole new one. Every backup in the backups folder is converted the same way afterwards, so
nothing plain stays behind an encrypted diary (a run stopped half-way is finished by running
the command again).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

from companion import passphrase
from companion.errors import DataError, StoreError
from companion.paths import BACKUP_DIR, DIARY_FILE, ensure_private_dir, home_dir
from companion.scratch import clear_stale, scratch_file, sync_folder
from companion.store import backup, cipher
from companion.targets import SQLITE_MAGIC

# How long to wait for another program's save before saying the diary is in use.
_BUSY_MS = 2000


@dataclass(frozen=True)
class Converted:
    entries: int
    """Entries in the diary, every one checked in the converted copy."""
    converted: bool
    """False when the diary was already as asked (only backups were converted)."""
    backups: int = 0
    """Backups converted."""
    left: list[Path] = field(default_factory=list)
    """Backups that could not be converted (damaged, or another passphrase)."""


def is_encrypted(home: str | Path | None) -> bool:
    return cipher.encrypted(home_dir(home) / DIARY_FILE)


def convert(home: str | Path | None, old: str | None, new: str | None) -> Converted:
    """Re-write the diary in ``home`` from passphrase ``old`` to ``new`` (None: plain), then
    every backup beside it. ``old`` must open the diary as it is now."""
    from companion.store.core import Store

    directory = ensure_private_dir(home_dir(home))
    diary = directory / DIARY_FILE
    backups = directory / BACKUP_DIR
    if not os.access(directory, os.W_OK):
        raise StoreError(f"{directory}: the data folder is read-only; nothing was changed")
    if (new is not None) != cipher.encrypted(diary):
        with Store.open(directory, passphrase=old) as store:
            entries = store.count()
            backup.automatic(store.conn, backups, "encrypt" if new else "decrypt")
            _exclusive(store.conn, diary)
            _replace(store.conn, diary, old, new)
        done = True
    else:
        # Already as asked: the passphrase must still open it, and the backups follow it.
        with Store.open(directory, passphrase=new) as store:
            entries = store.count()
        done = False
    converted, left = _convert_backups(backups, old, new)
    return Converted(entries, done, converted, left)


def _exclusive(conn: sqlite3.Connection, diary: Path) -> None:
    """Take the diary out of WAL mode (its -wal and -shm go) and hold its write lock.

    Leaving WAL mode fails while another program has the diary open: that program would go
    on writing to the file about to be replaced.
    """
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(
                f"{diary}: the diary is open in another program (the app?); close it and "
                "try again; nothing was changed"
            ) from None
        raise


def _replace(lock: sqlite3.Connection, path: Path, old: str | None, new: str | None) -> None:
    """Convert the database at ``path`` while ``lock`` holds its write lock (or nothing else
    uses it), then rename the checked copy over it."""
    from companion.store.core import Store
    from companion.store.errors import sql_error

    try:
        with scratch_file(path.parent, "convert") as staged:
            _export(path, staged, old, new)
            # Opened as a diary is (layout, quick_check, the passphrase); a backup is a diary.
            Store.open_path(staged, passphrase=new).close()
            with open(staged, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(staged, path)
            sync_folder(path.parent)
    except sqlite3.Error as exc:
        raise sql_error(path, exc) from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the converted copy ({exc.strerror})") from None
    finally:
        with contextlib.suppress(sqlite3.Error):
            lock.execute("ROLLBACK")


def _export(source: Path, target: Path, old: str | None, new: str | None) -> None:
    """Write ``source`` (opened with ``old``) into the empty ``target`` keyed with ``new``,
    and check every table of the copy holds exactly the source's rows."""
    # SQLCipher with an empty key reads and writes plain SQLite files.
    conn = cipher.connect(source, old or "", timeout=_BUSY_MS / 1000, isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), new or ""))
        conn.execute("SELECT sqlcipher_export('converted')")
        tables = [
            r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            if _differ(conn, table):
                raise StoreError(
                    f"{source}: the converted copy did not hold every row of {table}; "
                    "nothing was changed"
                )
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()


def _differ(conn: sqlite3.Connection, table: str) -> bool:
    quoted = '"' + table.replace('"', '""') + '"'
    counts = conn.execute(
        f"SELECT (SELECT count(*) FROM main.{quoted}), (SELECT count(*) FROM converted.{quoted})"
    ).fetchone()
    if counts[0] != counts[1]:
        return True
    missing = conn.execute(
        f"SELECT EXISTS (SELECT * FROM main.{quoted} EXCEPT SELECT * FROM converted.{quoted})"
    ).fetchone()[0]
    return bool(missing)


def _convert_backups(folder: Path, old: str | None, new: str | None) -> tuple[int, list[Path]]:
    """Convert every backup in ``folder`` not yet as asked; those that cannot be read with
    ``old`` (damaged, or kept with another passphrase) are listed, never removed."""
    if not folder.is_dir():
        return 0, []
    clear_stale(folder)
    converted = 0
    left: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file() or not path.name.endswith(backup.SUFFIX):
            continue
        plain = _plain(path)
        if plain is None or plain == (new is None):
            continue
        try:
            if os.path.lexists(f"{path}-wal"):
                raise StoreError(f"{path}: a damaged diary kept with its log")
            _replace_backup(path, old, new)
        except (DataError, sqlite3.Error, OSError):
            left.append(path)
            continue
        converted += 1
    return converted, left


def _replace_backup(path: Path, old: str | None, new: str | None) -> None:
    with scratch_file(path.parent, path.name) as staged:
        _export(path, staged, old, new)
        with open(staged, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staged, path)


def _plain(path: Path) -> bool | None:
    """True for a plain SQLite file, False for an encrypted one, None for anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return None
    if head == SQLITE_MAGIC:
        return True
    return False if cipher.encrypted(path) else None


def backups_in(home: str | Path | None, *, plain: bool) -> list[Path]:
    """The plain (or the encrypted) files in the backups folder."""
    folder = home_dir(home) / BACKUP_DIR
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir()) if p.is_file() and _plain(p) is plain]


def can_unlock(home: Path) -> None:
    """Before the app starts: an encrypted diary whose passphrase nothing gives needs a
    terminal to type it on (the unlock screen); without one, the line ``ask`` gives."""
    diary = home / DIARY_FILE
    if (
        not sys.stdin.isatty()
        and cipher.encrypted(diary)
        and cipher.available()
        and passphrase.known(home) is None
    ):
        passphrase.ask(diary=diary)
