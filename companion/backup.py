"""Backups of the diary and restoring one: SQLite's backup API, never a copy of a live file.

Automatic backups live in ``<home>/backups``: one a day (taken when the diary is first
opened that day) and one before every schema migration and every restore. The automatic
ones from the last seven days that had any are kept; backups asked for by name are never
removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from companion.entry import now_local
from companion.errors import StoreError, UsageError
from companion.paths import BACKUP_DIR, DIARY_FILE, ensure_private_dir, home_dir

KEEP_DAYS = 7
AUTOMATIC_KINDS = ("daily", "migration", "restore")
SUFFIX = ".sqlite3"
_KINDS_RE = "|".join(AUTOMATIC_KINDS)
_AUTOMATIC_RE = re.compile(
    rf"diary-(?P<date>\d{{4}}-\d{{2}}-\d{{2}})(T\d{{6}}(-\d+)?)?-(?:{_KINDS_RE})\.sqlite3"
)
# A backup interrupted by a crash leaves its temporary file; one older than this is litter.
STALE_PART_S = 24 * 3600


@dataclass(frozen=True)
class RestoreResult:
    entries: int
    kept: Path | None


@dataclass(frozen=True)
class Contents:
    """What a diary holds, to show before one replaces the other."""

    entries: int
    span: tuple[str, str] | None
    """The first and last dates, or None when it has no entries."""


@dataclass(frozen=True)
class Replacing:
    """What a restore would replace: the diary now (None if it cannot be read) and the backup."""

    now: Contents | None
    backup: Contents


def snapshot(conn: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of an open diary to ``target``: atomic, mode 0600.

    The copy is made in a temporary file beside the target and renamed over it at the end,
    so a crash or a full disk leaves any older file of that name as it was.
    """
    import tempfile  # lazily: it pulls in shutil and the compression modules at every start

    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise StoreError(f"{target}: cannot write a backup here ({exc.strerror})") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        out = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(out)
            # The copy carries the diary's WAL flag; a backup should be one plain file.
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, sqlite3.Error):
            from companion.store import sql_error

            raise sql_error(target, exc) from None
        if isinstance(exc, OSError):
            raise StoreError(f"{target}: cannot write the backup ({exc.strerror})") from None
        raise
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


def daily(conn: sqlite3.Connection, directory: Path) -> Path | None:
    """Today's backup, unless it exists already (one stat) or the diary is empty.

    Never raises: a backup that cannot be written must not stop a person logging, and the
    next start tries again.
    """
    target = directory / f"diary-{now_local().date().isoformat()}-daily{SUFFIX}"
    if target.exists():
        return None
    try:
        if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM entries)").fetchone()[0]:
            return None
        ensure_private_dir(directory)
        snapshot(conn, target)
        rotate(directory)
    except (StoreError, sqlite3.Error, OSError):
        return None
    return target


def rotate(directory: Path, keep_days: int = KEEP_DAYS) -> list[Path]:
    """Remove automatic backups outside the last ``keep_days`` days that have any."""
    by_date: dict[str, list[Path]] = {}
    removed: list[Path] = []
    now = time.time()
    for path in directory.iterdir():
        match = _AUTOMATIC_RE.fullmatch(path.name)
        if match:
            by_date.setdefault(match["date"], []).append(path)
        elif path.name.endswith(".part") and now - _mtime(path) > STALE_PART_S:
            removed.append(path)
    for day in sorted(by_date, reverse=True)[keep_days:]:
        removed += by_date[day]
    for path in removed:
        _remove(path)
    return removed


def backup_to(home: str | Path | None, target: Path | None) -> tuple[Path, int]:
    """``companion backup [FILE]``: the diary into FILE, or a named backup in the folder."""
    from companion.store import Store

    with Store.open(home) as store:
        if target is None:
            directory = ensure_private_dir(store.path.parent / BACKUP_DIR)
            stamp = now_local().strftime("%Y-%m-%dT%H%M%S")
            target = directory / f"diary-{stamp}{SUFFIX}"
        elif target.is_dir():
            target = target / f"diary-{now_local().date().isoformat()}{SUFFIX}"
        if _same_file(target, store.path):
            raise UsageError(f"{target}: that is the diary itself; choose another file")
        snapshot(store.conn, target)
        return target, store.count()


def restore(
    home: str | Path | None,
    source: Path,
    confirm: Callable[[Replacing], bool] | None = None,
) -> RestoreResult | None:
    """Replace the diary with a checked backup, keeping the current diary as a backup.

    ``source`` must be a healthy companion diary of a version this program knows (an older
    one is migrated). It is only read. Once it is checked, and if there is a diary to
    replace, ``confirm`` is shown what would be replaced; when it says no, nothing changes
    and the result is None. If the current diary opens, its contents are replaced in one
    transaction through the backup API, so a program that has it open sees either the old
    diary or the restored one; if it cannot be opened (damaged, foreign), the file is moved
    into the backups folder and the restored one takes its place.
    """
    from companion.store import Store

    directory = ensure_private_dir(home_dir(home))
    diary = directory / DIARY_FILE
    backups = directory / BACKUP_DIR
    if _same_file(source, diary):
        raise UsageError(f"{source}: that is the diary itself; choose a backup file")
    try:
        staged = _stage(source, directory)
        try:
            # Opening the copy checks it is a companion diary of a known version, and
            # brings an older one up to date.
            restored = Store.open_path(staged)
        except StoreError as exc:
            _remove_all(staged)
            raise StoreError(str(exc).replace(str(staged), str(source))) from None
    except StoreError as exc:
        raise StoreError(f"{exc}; the diary was not changed") from None
    try:
        with restored:
            entries = restored.count()
            backup = Contents(entries, restored.span())
            if not diary.exists():
                restored.close()
                os.replace(staged, diary)
                return RestoreResult(entries, None)
            try:
                current = Store.open_path(diary)
            except StoreError:
                if confirm is not None and not confirm(Replacing(None, backup)):
                    return None
                restored.close()
                return RestoreResult(entries, _set_aside(diary, staged, backups))
            with current:
                now = Contents(current.count(), current.span())
                if confirm is not None and not confirm(Replacing(now, backup)):
                    return None
                kept = automatic(current.conn, backups, "restore")
                _match_page_size(restored.conn, current.conn)
                try:
                    restored.conn.backup(current.conn)
                except sqlite3.Error as exc:
                    from companion.store import sql_error

                    raise sql_error(diary, exc) from None
            return RestoreResult(entries, kept)
    finally:
        _remove_all(staged)


def _stage(source: Path, directory: Path) -> Path:
    """Check ``source`` without writing to it and copy it into the data directory."""
    from companion.store import SQLITE_MAGIC

    try:
        with source.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{source}: cannot read the file ({exc.strerror})") from None
    if head != SQLITE_MAGIC:
        raise StoreError(f"{source}: not a companion diary backup (not an SQLite file)")
    staged = directory / f".restore-{os.getpid()}{SUFFIX}"
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        raise StoreError(f"{source}: cannot open the file") from None
    try:
        tables = src.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if not tables:
            raise StoreError(f"{source}: an empty database, not a companion diary backup")
        problems = [r[0] for r in src.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StoreError(f"{source}: the backup is damaged (integrity_check failed)")
        snapshot(src, staged)
    except sqlite3.Error:
        raise StoreError(
            f"{source}: the backup is damaged or not a diary; choose another backup"
        ) from None
    finally:
        src.close()
    return staged


def _match_page_size(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """The backup API cannot change a WAL diary's page size, so the source adapts to it."""
    size = target.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] != size:
        source.execute("PRAGMA journal_mode=DELETE")
        source.execute(f"PRAGMA page_size={int(size)}")
        source.execute("VACUUM")


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
        _remove(diary.with_name(diary.name + "-shm"))
        os.replace(staged, diary)
    except OSError as exc:
        raise StoreError(f"{diary}: cannot replace the diary ({exc.strerror})") from None
    return kept


def _remove_all(path: Path) -> None:
    """A database file and whatever SQLite keeps beside it."""
    for name in (path.name, *(path.name + s for s in ("-wal", "-shm", "-journal"))):
        _remove(path.with_name(name))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
