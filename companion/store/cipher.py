"""Diaries encrypted with SQLCipher 4: telling one by its first bytes, and opening one.

A plain SQLite file starts with "SQLite format 3\\0"; an SQLCipher file starts with a random
salt and is whole pages of ciphertext after it. ``sqlcipher3`` (the optional extra
``companion[encrypt]``) is imported only to open an encrypted file, so a plain diary costs
nothing more than before.

The rest of the companion works with the stdlib's ``sqlite3`` exceptions, so an SQLCipher
connection is wrapped: every error it raises comes out as the ``sqlite3`` error of the same
name, and a copy made from it (a backup, a staged file) is keyed with the same passphrase.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator

from companion.errors import StoreError, WrongPassphrase
from companion.targets import SQLITE_MAGIC

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

INSTALL = "pip install 'companion[encrypt]'"
# The smallest page SQLite writes, so every whole SQLCipher file is a multiple of it.
_PAGE = 512


def encrypted(path: str | os.PathLike[str]) -> bool:
    """Whether the file looks like an SQLCipher database: not empty, not plain SQLite, and
    whole pages long (a text file or another program's data almost never is). Never waits:
    a FIFO there is no diary (the store says so), and reading one would wait for a writer."""
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return False
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    size = info.st_size
    return bool(head) and head != SQLITE_MAGIC and size >= _PAGE and size % _PAGE == 0


def missing_extra(path: str | os.PathLike[str]) -> StoreError:
    return StoreError(
        f"{path}: this diary is encrypted and encryption is not installed (run: {INSTALL}), "
        "or it is not a diary at all (then move it away)"
    )


def _module(path: str | os.PathLike[str] = "the diary") -> Any:
    try:
        import sqlcipher3.dbapi2 as sqlcipher
    except ImportError:
        raise missing_extra(path) from None
    return sqlcipher


def available() -> bool:
    """Whether the encryption extra is installed (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("sqlcipher3") is not None


def quoted(passphrase: str) -> str:
    """The passphrase as an SQL string literal (PRAGMA key takes no parameters)."""
    return "'" + passphrase.replace("'", "''") + "'"


def connect(
    database: str | Path, passphrase: str | None, *, check: bool = True, **kwargs: Any
) -> sqlite3.Connection:
    """A connection to ``database``: the stdlib's for a plain one (``passphrase`` None), else
    SQLCipher keyed with ``passphrase`` (an empty one: SQLCipher on a plain file). With
    ``check``, the key is tried at once: a wrong passphrase raises WrongPassphrase before
    anything is read or written."""
    if passphrase is None:
        plain: sqlite3.Connection = sqlite3.connect(database, **kwargs)
        return plain
    sqlcipher = _module(database)
    try:
        raw = sqlcipher.connect(str(database), **kwargs)
    except sqlcipher.Error as exc:
        raise _as_sqlite3(exc) from None
    conn = Encrypted(raw, passphrase)
    try:
        # SQLCipher writes its own errors (a wrong key's failed HMAC) to stderr otherwise.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase:  # an empty one: SQLCipher reads and writes a plain file
            conn.execute(f"PRAGMA key = {quoted(passphrase)}")
        if check:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise WrongPassphrase(
                f"{database}: the passphrase is wrong (or the file was not encrypted by this "
                "companion, or by a newer one); nothing was changed"
            ) from None
        raise
    # The stdlib's type is what the rest of the companion is written against; Encrypted
    # gives every method it uses, raising the stdlib's errors.
    return conn  # type: ignore[return-value]


def passphrase_of(conn: sqlite3.Connection) -> str | None:
    """The passphrase a connection was opened with; None for a plain one."""
    return conn.passphrase if isinstance(conn, Encrypted) else None


def connect_like(
    conn: sqlite3.Connection, database: str | Path, **kwargs: Any
) -> sqlite3.Connection:
    """A new database keyed as ``conn`` is: a copy of an encrypted diary stays encrypted."""
    return connect(database, passphrase_of(conn), check=False, **kwargs)


def attach(conn: sqlite3.Connection, database: str | Path, name: str) -> None:
    """ATTACH ``database`` as ``name``, keyed as ``conn`` is (SQLCipher does not carry a
    passphrase over to an attached file by itself)."""
    key = passphrase_of(conn)
    if key is None:
        conn.execute(f"ATTACH DATABASE ? AS {name}", (str(database),))
    else:
        conn.execute(f"ATTACH DATABASE ? AS {name} KEY ?", (str(database), key))


def _as_sqlite3(exc: BaseException) -> sqlite3.Error:
    kind = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    if not (isinstance(kind, type) and issubclass(kind, sqlite3.Error)):
        kind = sqlite3.DatabaseError
    return kind(*exc.args)


class _Cursor:
    def __init__(self, cursor: Any, errors: type[BaseException]) -> None:
        self._cursor = cursor
        self._errors = errors

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._cursor)
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def fetchall(self) -> list[Any]:
        try:
            return list(self._cursor.fetchall())
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class Encrypted:
    """An SQLCipher connection that raises the stdlib's ``sqlite3`` errors."""

    def __init__(self, raw: Any, passphrase: str) -> None:
        self.raw = raw
        self.passphrase = passphrase
        self._errors: type[BaseException] = raw.Error

    def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Any:
        try:
            return _Cursor(self.raw.execute(sql, params), self._errors)
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def executemany(self, sql: str, params: Iterable[Any]) -> Any:
        try:
            return _Cursor(self.raw.executemany(sql, params), self._errors)
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def executescript(self, sql: str) -> Any:
        try:
            return _Cursor(self.raw.executescript(sql), self._errors)
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def backup(self, target: Any, **kwargs: Any) -> None:
        try:
            self.raw.backup(target.raw if isinstance(target, Encrypted) else target, **kwargs)
        except self._errors as exc:
            raise _as_sqlite3(exc) from None

    def close(self) -> None:
        self.raw.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)
