"""Putting a backup back: checked first, shown and asked, then one transaction.

The file to restore is copied into the data folder (it is only read) and checked there: a
healthy companion diary of a version this program knows, laid out exactly as the companion
makes one, every entry passing the validator; an older one is migrated. If the diary holds
entries, the person is shown both sides and asked. Then, in one write transaction on the
open diary, the diary as it was is backed up and every table's rows replaced: a save in
another program lands before (and is in that backup) or waits and lands in the restored
diary, never "Saved" and gone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from companion.entry import ValidationError, check_stored, entries_text, now_local
from companion.errors import StoreError, UnreadableDiary, UsageError
from companion.paths import BACKUP_DIR, DIARY_FILE, ensure_private_dir, home_dir
from companion.scratch import scratch_file
from companion.store.backup import SUFFIX, automatic
from companion.store.cipher import attach, connect_like

if TYPE_CHECKING:
    from companion.store.core import Store


@dataclass(frozen=True)
class Contents:
    """What a diary holds, as restore shows it before putting one in place of another."""

    entries: int
    newest: str | None

    def __str__(self) -> str:
        return f"{entries_text(self.entries)}, newest {self.newest}" if self.entries else "empty"


@dataclass(frozen=True)
class RestoreResult:
    entries: int
    kept: Path | None


# Asked before a diary holding entries is replaced: (the diary now, the backup) -> go ahead?
Confirm = Callable[[Contents, Contents], bool]


def restore(home: str | Path | None, source: Path, confirm: Confirm) -> RestoreResult | None:
    """Replace the diary with a checked backup, keeping the current diary as a backup.

    ``source`` must be a healthy companion diary of a version this program knows, laid out
    exactly as the companion makes one, every row passing the validator (an older one is
    migrated); it is only read. If the diary holds entries, ``confirm`` is asked first, and
    None returned if it says no. The replacement is one write transaction on the open
    diary, and the backup of the diary as it was is taken inside it: a save in another
    program lands before (and is in that backup) or waits and lands in the restored diary.
    A diary that cannot be opened (damaged, foreign) is moved into the backups folder instead.
    """
    from companion.store.core import Store, check_files

    directory = ensure_private_dir(home_dir(home))
    diary = directory / DIARY_FILE
    backups = directory / BACKUP_DIR
    if not os.access(directory, os.W_OK):
        raise StoreError(
            f"{diary}: the diary's folder is read-only, so nothing can be restored; "
            "check the folder's permissions"
        )
    if _same_file(source, diary):
        raise UsageError(f"{source}: that is the diary itself; choose a backup file")
    check_files(diary)
    key = _diary_passphrase(diary)
    try:
        with scratch_file(directory, "restore") as staged:
            incoming = _check_backup(source, staged, key)
            current = _open_current(diary, backups)
            if current is None and os.path.lexists(diary):
                return RestoreResult(incoming.entries, _set_aside(diary, staged, backups))
            with current or Store.open_path(diary, backups=backups) as store:
                now = _contents(store)
                if now.entries and not confirm(now, incoming):
                    return None
                return RestoreResult(incoming.entries, _replace(store, staged, backups))
    except OSError as exc:
        raise StoreError(f"{directory}: cannot stage the backup ({exc.strerror})") from None


def _diary_passphrase(diary: Path) -> str | None:
    """The passphrase of an encrypted diary, tried on it before anything is staged; None
    for a plain one."""
    from companion import passphrase
    from companion.store import cipher

    if not cipher.encrypted(diary):
        return None
    if not cipher.available():
        raise cipher.missing_extra(diary)
    key = passphrase.for_diary(diary.parent)
    cipher.connect(diary, key).close()
    passphrase.remember(diary.parent, key)
    return key


def _check_backup(source: Path, staged: Path, key: str | None) -> Contents:
    """Copy ``source`` to ``staged`` and check the copy: its layout, then every row."""
    from companion.store.core import COLUMNS, Store

    try:
        _stage(source, staged, key)
        try:
            # Opening the copy checks it is a companion diary of a known version, laid out
            # exactly as the migrations make it, and brings an older one up to date.
            restored = Store.open_path(staged, passphrase=key)
        except StoreError as exc:
            raise StoreError(str(exc).replace(str(staged), str(source))) from None
        with restored:
            for row in restored.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM entries"):
                values = dict(zip(COLUMNS, row, strict=True))
                try:
                    check_stored(values)
                except ValidationError as exc:
                    raise StoreError(
                        f"{source}: the entry of {values['date']} has a value the diary "
                        f"cannot hold ({exc})"
                    ) from None
            return _contents(restored)
    except StoreError as exc:
        raise StoreError(f"{exc}; the diary was not changed") from None


def _stage(source: Path, staged: Path, key: str | None) -> None:
    """Check ``source`` without writing to it, or beside it, and copy it to ``staged``.

    With ``key`` (the diary is encrypted), the backup must be encrypted with the same
    passphrase, and the staged copy is encrypted too; a plain diary takes plain backups.
    """
    from companion.store import cipher
    from companion.store.core import connect_read_only
    from companion.targets import SQLITE_MAGIC

    if source.exists() and not source.is_file():  # a pipe would keep it waiting for ever
        raise UsageError(
            f"{source}: not a file (a folder, a device or a pipe); name the backup file"
        )
    try:
        with source.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{source}: cannot read the file ({exc.strerror})") from None
    locked = head != SQLITE_MAGIC
    if locked and not cipher.encrypted(source):
        raise StoreError(f"{source}: not a companion diary backup (not an SQLite file)")
    if locked and key is None:
        raise StoreError(
            f"{source}: an encrypted backup, and the diary is not encrypted; run "
            "'companion encrypt' with the backup's passphrase first, then restore it"
        )
    if key is not None and not locked:
        raise StoreError(
            f"{source}: a backup that is not encrypted, and the diary is; to put it back, "
            "run 'companion decrypt', restore it, then 'companion encrypt'"
        )
    try:
        src = connect_read_only(source.resolve(), key)
    except sqlite3.Error:
        raise StoreError(f"{source}: cannot open the file") from None
    try:
        tables = src.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if not tables:
            raise StoreError(f"{source}: an empty database, not a companion diary backup")
        problems = [r[0] for r in src.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StoreError(f"{source}: the backup is damaged (integrity_check failed)")
        out = cipher.connect(staged, key, check=False, isolation_level=None)
        try:
            src.backup(out)
        finally:
            out.close()
    except sqlite3.Error:
        raise StoreError(
            f"{source}: the backup is damaged or not a diary; choose another backup"
        ) from None
    finally:
        src.close()


def _open_current(diary: Path, backups: Path) -> Store | None:
    """The diary to restore into; None if there is none, or it is not one this program can
    use (to be set aside). Any other problem (busy, read-only, a full disk) stops the restore.
    """
    from companion.store.core import Store

    if not os.path.lexists(diary):
        return None
    try:
        return Store.open_path(diary, backups=backups)
    except UnreadableDiary:
        return None


def _contents(store: Store) -> Contents:
    span = store.span()
    return Contents(store.count(), span[1] if span else None)


def _replace(store: Store, staged: Path, backups: Path) -> Path | None:
    """Replace every table's rows with the staged copy's, in one write transaction.

    The copy has exactly the diary's layout (checked), so the rows go across table by table.
    The diary as it was is backed up first, inside the same transaction, through a second
    connection that reads what was last committed: nothing can be committed in between.
    """
    from companion import schema
    from companion.store.errors import sql_error

    conn = store.conn
    # Tombstones go across last: emptying and filling the other tables makes and clears
    # tombstones through their triggers, and the copy's own must be what stays.
    ordered = sorted((o[1] for o in schema.EXPECTED if o[0] == "table"), key="tombstones".__eq__)
    tables = [*ordered, schema.MIGRATIONS_TABLE]
    # The staged copy is keyed as the diary is.
    source = connect_like(conn, staged, isolation_level=None)
    try:
        # SQLite attaches only a file of the same text encoding: one kept as UTF-16 (by
        # another tool, on either side) has its rows read and written here instead.
        attached = _encoding(source) == _encoding(conn)
        if attached:
            attach(conn, staged, "restored")
    except sqlite3.Error as exc:
        source.close()
        raise sql_error(store.path, exc) from None
    try:
        with store.write():
            holds_data = any(
                conn.execute(f"SELECT EXISTS (SELECT 1 FROM main.{t})").fetchone()[0]
                for t in tables
                if t != schema.MIGRATIONS_TABLE
            )
            kept = _keep(store, backups) if holds_data else None
            for table in tables:
                names = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
                columns = ", ".join(names)
                conn.execute(f"DELETE FROM main.{table}")
                insert = f"INSERT INTO main.{table} ({columns})"
                if attached:
                    conn.execute(f"{insert} SELECT {columns} FROM restored.{table}")
                else:
                    conn.executemany(
                        f"{insert} VALUES ({', '.join('?' * len(names))})",
                        source.execute(f"SELECT {columns} FROM {table}"),
                    )
        return kept
    finally:
        with contextlib.suppress(sqlite3.Error):
            if attached:
                conn.execute("DETACH DATABASE restored")
        source.close()


def _encoding(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA encoding").fetchone()[0])


def _keep(store: Store, backups: Path) -> Path:
    """The automatic backup of the diary as last committed (see ``_replace``)."""
    from companion.store.core import BUSY_TIMEOUT_S
    from companion.store.errors import sql_error

    try:
        reader = connect_like(store.conn, store.path, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise sql_error(store.path, exc) from None
    try:
        return automatic(reader, backups, "restore")
    finally:
        reader.close()


def _set_aside(diary: Path, staged: Path, backups: Path) -> Path:
    """Keep an unreadable diary in the backups folder and put the restored one in place.

    The old file is linked into the folder first and the new one renamed over it, so
    there is never a moment with no diary; its write-ahead log goes with it, since a stale
    log must never be read together with the restored file.
    """
    ensure_private_dir(backups)
    stamp = now_local().strftime("%Y-%m-%dT%H%M%S")
    kept = backups / f"diary-{stamp}-unreadable{SUFFIX}"
    try:
        os.link(diary, kept)
        wal = diary.with_name(diary.name + "-wal")
        if wal.exists():
            os.replace(wal, kept.with_name(kept.name + "-wal"))
        with contextlib.suppress(FileNotFoundError):
            diary.with_name(diary.name + "-shm").unlink()
        os.replace(staged, diary)
    except OSError as exc:
        raise StoreError(f"{diary}: cannot replace the diary ({exc.strerror})") from None
    return kept


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
