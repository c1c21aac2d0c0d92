"""The diary database: open safely, migrate, write in IMMEDIATE transactions, query in SQL.

Reads use the stdlib ``sqlite3`` connection directly so that a quick ``companion log`` does
not pay for importing sqlite-utils; sqlite-utils runs the migrations when any are pending.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Sequence

from companion import migrations, schema
from companion.entry import (
    FIELD_NAMES,
    SET_FIELDS,
    Entry,
    join_set,
    timestamp,
)
from companion.errors import StoreError, UnreadableDiary
from companion.passphrase import for_diary as passphrase_for
from companion.passphrase import remember as remember_passphrase
from companion.paths import (
    BACKUP_DIR,
    DIARY_FILE,
    FILE_MODE,
    LAST_DATE_FILE,
    as_path,
    create_private_file,
    ensure_private_dir,
    home_folder,
)
from companion.scratch import clear_stale
from companion.store import backup, cipher, precheck
from companion.store.errors import sql_error
from companion.targets import DIARY_COMPANIONS, SQLITE_MAGIC

# ``companion log`` opens the diary on every save: no ``typing``, ``dataclasses`` or
# ``pathlib`` on its way (see companion/paths.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from companion.store.importing import ImportResult
    from companion.store.records import DayStats, PageKey

BUSY_TIMEOUT_S = 30.0
COLUMNS = ("id", *FIELD_NAMES, "created", "updated")
_SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM entries"
_ORDER = "date, coalesce(time, ''), id"
# A day counts as "rest did not ease it" only when that pain was this high (0-10) or more.
REST_PAIN = 3


def row_to_entry(row: sqlite3.Row | tuple[Any, ...]) -> Entry:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in SET_FIELDS:
        text = values[name] or ""
        values[name] = frozenset(p for p in text.split(";") if p)
    return Entry(**values)


def entry_to_params(entry: Entry) -> dict[str, Any]:
    params: dict[str, Any] = {"id": entry.id, "created": entry.created, "updated": entry.updated}
    for name, value in entry.values().items():
        params[name] = join_set(name, value) if name in SET_FIELDS else value
    return params


class Store:
    """One open diary. Not thread-safe: use it from one thread at a time."""

    def __init__(
        self, conn: sqlite3.Connection, path: str | os.PathLike[str], *, readonly: bool = False
    ) -> None:
        self.conn = conn
        self._file = os.fspath(path)
        self.readonly = readonly
        """Opened in a folder that cannot be written: reading works, every write is refused."""
        self.last_date_file: Path | None = None
        """Where the latest entry's date is kept for the nudge (an encrypted diary, by choice)."""

    @property
    def path(self) -> Path:
        """The diary file."""
        return as_path(self._file)

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, home: str | os.PathLike[str] | None = None, *, passphrase: str | None = None
    ) -> Store:
        """Open (creating on first use) the diary in the data directory.

        In a folder that cannot be written (a read-only mount, a folder without write
        permission), an existing diary is opened for reading only. An encrypted diary is
        opened with ``passphrase``, else the one ``companion.passphrase`` finds or asks for.
        """
        directory = ensure_private_dir(home_folder(home))
        path = os.path.join(directory, DIARY_FILE)
        if not os.access(directory, os.W_OK) and os.path.lexists(path):
            return cls.open_path(path, readonly=True, passphrase=passphrase)
        # What a killed restore, import or export left here; never what another still uses.
        clear_stale(directory)
        backups = os.path.join(directory, BACKUP_DIR)
        store = cls.open_path(path, backups=backups, passphrase=passphrase)
        backup.daily(store.conn, backups)
        return store

    @classmethod
    def open_path(
        cls,
        path: str | os.PathLike[str],
        *,
        backups: str | os.PathLike[str] | None = None,
        readonly: bool = False,
        passphrase: str | None = None,
    ) -> Store:
        """Open a diary file. A foreign, damaged, newer or tampered file is refused and never
        written; a symbolic link at its path (or beside it) is never followed.

        With ``backups`` (a folder), a diary holding data is backed up there before any
        migration changes it. ``readonly`` opens it without writing anything at all. An
        encrypted file (SQLCipher) is opened with ``passphrase``, else the known one or one
        asked for; a wrong one changes nothing.
        """
        path = os.fspath(path)
        check_files(path, tighten=not readonly)
        key = _key(path, passphrase)
        if not readonly:
            create_private_file(path)
        opened = _inode(path)
        try:
            conn = (
                connect_read_only(path, key)
                if readonly
                else cipher.connect(
                    path,
                    key,
                    timeout=BUSY_TIMEOUT_S,
                    isolation_level=None,
                    check_same_thread=False,
                )
            )
        except sqlite3.Error as exc:
            raise sql_error(path, exc) from None
        try:
            pending = _inspect(conn, path)
            store = cls(conn, path, readonly=readonly)
            if readonly:
                if pending:
                    raise store.readonly_error()
                conn.execute("PRAGMA query_only=ON")
                return store
            _use_wal(conn)
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            if pending:
                if backups is not None:
                    backup.before_migration(conn, as_path(backups))
                store._migrate()
        except sqlite3.Error as exc:
            conn.close()
            raise sql_error(path, exc) from None
        except BaseException:
            conn.close()
            raise
        if not readonly and _inode(path) != opened:
            # Encrypted or decrypted meanwhile: this connection holds the file that was
            # replaced, and what it saved would be lost with it.
            conn.close()
            raise StoreError(f"{path}: the diary was replaced while it was opened; try again")
        if key is not None:
            folder = as_path(os.path.dirname(path))
            remember_passphrase(folder, key)
            kept = folder / LAST_DATE_FILE
            store.last_date_file = kept if not readonly and os.path.lexists(kept) else None
        return store

    def readonly_error(self) -> StoreError:
        return StoreError(
            f"{self.path}: the diary's folder is read-only, so nothing can be saved; "
            "check the folder's permissions"
        )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        from sqlite_utils import Database

        with self.write():
            migrations.apply(Database(self.conn, execute_plugins=False))
            # What the migrations made must be exactly the frozen layout, or none of it stays.
            problem = schema.problem(self.conn, _master(self.conn))
            if problem is not None:
                raise _layout_error(self.path, problem)

    # --- transactions --------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE so writers queue, never fail."""
        if self.readonly:
            raise self.readonly_error()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise sql_error(self.path, exc) from None
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._rollback()
            raise sql_error(self.path, exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise sql_error(self.path, exc) from None
        if self.last_date_file is not None:
            self.keep_last_date(self.last_date_file)

    def keep_last_date(self, target: Path) -> None:
        """Write the latest entry's date to ``target`` (0600, whole or not at all). A file the
        nudge reads must never fail a save: a problem writing it is passed over."""
        (day,) = self.conn.execute("SELECT max(date) FROM entries").fetchone()
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        with contextlib.suppress(OSError):
            fd = os.open(
                temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE
            )
            try:
                os.write(fd, f"{day or ''}\n".encode())
            finally:
                os.close(fd)
            os.replace(temporary, target)

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows of a read-only query, with errors turned into one-line StoreErrors."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise sql_error(self.path, exc) from None

    def data_version(self) -> int:
        """A number that changes when another connection, such as ``companion log`` in a
        shell, commits to the diary (SQLite's data_version): how an open screen knows to
        read it again."""
        return int(self.read("PRAGMA data_version")[0][0])

    # --- entries -------------------------------------------------------------------------

    def add(self, entry: Entry) -> Entry:
        now = timestamp()
        saved = entry.with_changes(created=entry.created or now, updated=now)
        with self.write() as conn:
            _insert(conn, saved)
        return saved

    def update(self, entry: Entry) -> Entry:
        saved = entry.with_changes(updated=timestamp())
        with self.write() as conn:
            if _update(conn, saved) == 0:
                raise StoreError(f"{self.path}: that entry no longer exists")
        return saved

    def delete(self, entry_id: str) -> Entry:
        """Remove an entry and return it, so the caller can offer an undo. The diary keeps a
        tombstone of it (a trigger of migration m0005) that carries the delete to other
        computers when they sync; ``restore`` takes it away again."""
        with self.write() as conn:
            row = conn.execute(f"{_SELECT} WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: that entry no longer exists")
            conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        return row_to_entry(row)

    def restore(self, entry: Entry) -> None:
        """Put back an entry exactly as it was (undo of a delete)."""
        with self.write() as conn:
            _insert(conn, entry)

    def ids_starting(self, prefix: str, limit: int = 2) -> list[str]:
        """Ids of entries that begin with ``prefix`` (lowercase hex and '-'), a few at most."""
        rows = self.read(
            "SELECT id FROM entries WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (prefix, prefix + "~", limit),
        )
        return [r[0] for r in rows]

    def get(self, entry_id: str) -> Entry | None:
        rows = self.read(f"{_SELECT} WHERE id = ?", (entry_id,))
        return row_to_entry(rows[0]) if rows else None

    def merge(self, entries: Iterable[Entry]) -> ImportResult:
        """Add or update whole entries by id in one transaction: all of them or none."""
        from companion.store.importing import merge_entries

        return merge_entries(self, entries)

    # --- queries -------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.read("SELECT count(*) FROM entries")[0][0])

    def span(self) -> tuple[str, str] | None:
        """First and last dates in the diary, or None when it is empty."""
        # Two subqueries: SQLite reads a lone min() or max() off the index's ends, but
        # scans every row for both in one SELECT.
        first, last = self.read(
            "SELECT (SELECT min(date) FROM entries), (SELECT max(date) FROM entries)"
        )[0]
        return (first, last) if first else None

    def entries_on(self, day: str) -> list[Entry]:
        rows = self.read(f"{_SELECT} WHERE date = ? ORDER BY {_ORDER}", (day,))
        return [row_to_entry(r) for r in rows]

    def page(
        self,
        *,
        after: PageKey | None = None,
        limit: int = 50,
        newest_first: bool = True,
        text: str | None = None,
        has_cramps: bool = False,
        night_pain: bool = False,
        on_or_before: str | None = None,
    ) -> list[Entry]:
        """One page of entries in keyset order; pass the last entry's key to get the next."""
        where: list[str] = []
        params: list[Any] = []
        if after is not None:
            where.append(f"({_ORDER}) {'<' if newest_first else '>'} (?, ?, ?)")
            params += [after.date, after.time, after.id]
        if on_or_before is not None:
            where.append("date <= ?")
            params.append(on_or_before)
        if text:
            where.append("instr(lower(coalesce(notes, '')), lower(?)) > 0")
            params.append(text)
        if has_cramps:
            where.append("cramps > 0")
        if night_pain:
            where.append("night_pain > 0")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        direction = "DESC" if newest_first else "ASC"
        order = f"date {direction}, coalesce(time, '') {direction}, id {direction}"
        rows = self.read(f"{_SELECT}{clause} ORDER BY {order} LIMIT ?", [*params, limit])
        return [row_to_entry(r) for r in rows]

    def iter_rows(self, start: str | None = None, end: str | None = None) -> Iterator[Entry]:
        """Entries in date order, streamed from a cursor so the diary never sits in memory."""
        return map(row_to_entry, self.iter_values(COLUMNS, start, end))

    def iter_values(
        self, columns: Sequence[str], start: str | None = None, end: str | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Stored values of the given columns in date order, streamed (for bulk exports)."""
        unknown = set(columns).difference(COLUMNS)
        if unknown:
            raise ValueError(f"not entry columns: {sorted(unknown)}")
        where, params = _range_clause(start, end)
        sql = f"SELECT {', '.join(columns)} FROM entries{where} ORDER BY {_ORDER}"
        try:
            # A plain loop, not ``yield from``: that would close the cursor when an abandoned
            # generator is collected, which fails once the store itself is closed.
            for row in self.conn.execute(sql, params):  # noqa: UP028
                yield row
        except sqlite3.Error as exc:
            raise sql_error(self.path, exc) from None

    def daily(self, start: str | None = None, end: str | None = None) -> list[DayStats]:
        """One row per day that has entries, aggregated in SQL."""
        from companion.store.records import DayStats

        where, params = _range_clause(start, end)
        rows = self.read(
            f"""SELECT date, count(*), avg(pain), max(coalesce(worst_pain, pain)),
                  max(night_pain), max(woke_at_night = 'yes'),
                  max(night_pain IS NOT NULL OR woke_at_night IS NOT NULL),
                  max(eased_by_rest = 'no' AND coalesce(worst_pain, pain) >= {REST_PAIN}),
                  max(eased_by_rest IS NOT NULL),
                  coalesce(sum(cramps), 0), max(cramp_minutes), avg(weight_kg),
                  max(temperature_c), group_concat(nullif(red_flags, ''), ';')
               FROM entries{where} GROUP BY date ORDER BY date""",
            params,
        )
        return [
            DayStats(
                date=r[0],
                entries=r[1],
                pain_mean=r[2],
                pain_worst=r[3],
                night_pain=r[4],
                woke_at_night=bool(r[5]),
                night_answered=bool(r[6]),
                rest_not_easing=bool(r[7]),
                rest_answered=bool(r[8]),
                cramps=r[9],
                cramp_minutes=r[10],
                weight_kg=r[11],
                temperature_c=r[12],
                red_flags=frozenset(p for p in (r[13] or "").split(";") if p),
            )
            for r in rows
        ]

    # --- settings ------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self.read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _range_clause(start: str | None, end: str | None) -> tuple[str, list[str]]:
    where: list[str] = []
    params: list[str] = []
    if start:
        where.append("date >= ?")
        params.append(start)
    if end:
        where.append("date <= ?")
        params.append(end)
    return (f" WHERE {' AND '.join(where)}" if where else "", params)


_INSERT = (
    f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
)
_UPDATE = (
    "UPDATE entries SET "
    + ", ".join(f"{c} = :{c}" for c in COLUMNS if c not in ("id", "created"))
    + " WHERE id = :id"
)


def _insert(conn: sqlite3.Connection, entry: Entry) -> None:
    conn.execute(_INSERT, entry_to_params(entry))


def _update(conn: sqlite3.Connection, entry: Entry) -> int:
    return conn.execute(_UPDATE, entry_to_params(entry)).rowcount


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the diary in WAL mode, which then stays a property of the file.

    Changing the journal mode does not wait for SQLite's busy handler: two programs that
    create the diary at the same moment would see "database is locked", so this retries.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def check_files(path: str | os.PathLike[str], *, tighten: bool = False) -> None:
    """The diary and what SQLite keeps beside it are plain files, never symbolic links.

    SQLite follows a link at the diary's path and writes wherever it points (creating the
    target with mode 0644); a FIFO there would block every start. With ``tighten`` (it will
    be written), the files beside it must not be another file's second name, and a file
    others may read (a copy put there by hand) loses their rights; the -wal and -shm files
    SQLite makes later take the diary's mode. The owner's own rights are left as they are:
    a diary made read-only stays so.
    """
    for suffix in DIARY_COMPANIONS:
        name = f"{path}{suffix}"  # os.lstat on text: this runs at every start
        try:
            info = os.lstat(name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(f"{name}: cannot check the file ({exc.strerror})") from None
        if stat.S_ISLNK(info.st_mode):
            raise StoreError(
                f"{name}: a symbolic link where the diary's files belong; the companion never "
                "follows one: move it away and put the diary file itself there"
            )
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{name}: not a regular file; move it away or use --home")
        if tighten and suffix and info.st_nlink > 1:
            # SQLite writes these over (a read writes the -shm too): a second name of
            # another file would have that file's content replaced.
            raise StoreError(
                f"{name}: this file has another name too (a hard link), so writing it would "
                "change another file; move it away"
            )
        mode = stat.S_IMODE(info.st_mode)
        if tighten and mode & ~FILE_MODE:
            try:
                os.chmod(name, mode & FILE_MODE)
            except OSError as exc:
                raise StoreError(f"{name}: cannot make the file private ({exc.strerror})") from None


def connect_read_only(
    file: str | os.PathLike[str], passphrase: str | None = None
) -> sqlite3.Connection:
    """Read an SQLite file, every save it holds, writing nothing at all beside it (a diary in
    a folder that cannot be written, a backup or a copy to restore).

    A write-ahead log holds the newest saves, and SQLite reads one through the shared memory
    file (-shm), which it makes if it is missing. Both there (a program has the file open,
    or stopped without closing it): read through them. A log without its -shm (a copy made
    without it) has no program sharing it, so it is read into this connection's own memory,
    taking no locks, with nothing made. No log: a WAL file is whole in itself and opened
    immutable (SQLite would make an empty log and a -shm beside it); any other read-only.
    """
    path = os.path.abspath(file)
    wal, shm = f"{path}-wal", f"{path}-shm"
    query, private_log = "mode=ro", False
    if os.path.lexists(wal) and not os.path.lexists(shm):
        query, private_log = f"mode=ro&vfs={_NO_LOCKS_VFS}", True
    elif not os.path.lexists(wal) and _in_wal_mode(path):
        query = "immutable=1"
    conn = cipher.connect(
        f"{file_uri(path)}?{query}",
        passphrase,
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
    )
    if private_log:
        # Taken before the first read, this keeps the log's index in memory, not in a -shm.
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    return conn


# SQLite's VFS without file locks: an exclusive "lock" on a file opened read-only succeeds.
_NO_LOCKS_VFS = "win32-none" if os.name == "nt" else "unix-none"


# What a file: URI holds unescaped in its path: RFC 3986's unreserved characters, and /.
_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")


def file_uri(path: str) -> str:
    """The file: URI of an absolute path, as pathlib's as_uri writes it, without pathlib:
    the check begun before the app loads (store.precheck) runs this in a thread that must
    import nothing."""
    if os.name == "nt":
        return as_path(path).as_uri()
    return "file://" + "".join(
        chr(byte) if byte in _URI_SAFE else f"%{byte:02X}" for byte in os.fsencode(path)
    )


def _in_wal_mode(path: str) -> bool:
    """Bytes 18 and 19 of an SQLite file's header are 2 in WAL mode."""
    try:
        with open(path, "rb") as handle:
            return handle.read(20)[18:] == b"\x02\x02"
    except OSError:
        return False


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _key(path: str, passphrase: str | None) -> str | None:
    """Refuse a file that is neither SQLite nor SQLCipher before SQLite can touch it; the
    passphrase to open it with, None for a plain file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the diary ({exc.strerror})") from None
    if not head or head == SQLITE_MAGIC:
        return None
    if not cipher.encrypted(path):
        raise UnreadableDiary(
            f"{path}: not a companion diary (not an SQLite file); move it away or use --home"
        )
    if not cipher.available():
        raise cipher.missing_extra(path)
    return passphrase if passphrase is not None else passphrase_for(as_path(path).parent)


def _master(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()


def _layout_error(path: str | os.PathLike[str], problem: str) -> StoreError:
    return UnreadableDiary(
        f"{path}: not the layout of a companion diary ({problem}); restore a backup with "
        "'companion restore FILE', or move it away"
    )


def _applied_migrations(
    conn: sqlite3.Connection,
    path: str | os.PathLike[str],
    master: list[tuple[str, str, str, str | None]],
) -> list[str]:
    """The migrations a diary has had; none for a new, empty file. Refuses other files."""
    if not master:
        return []
    if any(row[:2] == ("table", schema.MIGRATIONS_TABLE) for row in master):
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                (migrations.MIGRATION_SET,),
            )
        ]
        if applied:
            return applied
    raise UnreadableDiary(
        f"{path}: not a companion diary (another program's database); move it away or use --home"
    )


QUICK_CHECK_CACHE_PAGES = 20


def quick_check_passes(conn: sqlite3.Connection) -> bool:
    """SQLite's quick_check of the file's structure.

    Re-checking every row against the CHECK constraints (which every write already
    enforced) is left out: it is 99% of quick_check's time, 270 ms of 275 for 20,000
    entries. It reads each page once, so a page cache of a few pages does: filling the usual
    2 MB one first would cost a sixth of its time more.
    """
    (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute("PRAGMA ignore_check_constraints=ON")
    conn.execute(f"PRAGMA cache_size={QUICK_CHECK_CACHE_PAGES}")
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
    finally:
        conn.execute("PRAGMA ignore_check_constraints=OFF")
        conn.execute(f"PRAGMA cache_size={int(cache_size)}")
    return row is not None and row[0] == "ok"


def check_file(path: str) -> bool:
    """Whether the diary file at ``path`` passes quick_check, read on a connection of its
    own that writes nothing: the check the app begins before it loads Textual
    (store.precheck). It imports nothing, as that check's thread must not."""
    conn = connect_read_only(path)
    try:
        return quick_check_passes(conn)
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, path: str | os.PathLike[str]) -> bool:
    """Check the file is a healthy diary of a version we know, laid out exactly as the
    migrations make it; True if migrations are due. Reads only."""
    master = _master(conn)
    applied = _applied_migrations(conn, path, master)
    if any(name not in migrations.MIGRATION_NAMES for name in applied):
        raise UnreadableDiary(
            f"{path}: this diary was written by a newer version of companion; "
            "please upgrade companion to open it"
        )
    pending = len(applied) < len(migrations.MIGRATION_NAMES)
    if applied:
        if applied != list(migrations.MIGRATION_NAMES[: len(applied)]):
            raise _layout_error(path, "its migrations are out of order")
        # An older diary is checked against what its own migrations made, before any of
        # the new ones runs (that needs sqlite-utils, which it is about to load anyway).
        expected = schema.derive(len(applied)) if pending else schema.EXPECTED
        problem = schema.problem(conn, master, expected)
        if problem is not None:
            raise _layout_error(path, problem)
    if not (precheck.passed(path) or quick_check_passes(conn)):
        raise UnreadableDiary(
            f"{path}: the diary is damaged (quick_check failed); restore a backup "
            "with 'companion restore FILE'"
        )
    return pending
