"""Where an export may be written, and writing it there: whole or not at all, mode 0600.

An export (the CSV, the summary, a backup copy) goes to a new file, or over an existing
regular file when the person says so (``--force``, or yes in the app). Never over the diary
or the files SQLite keeps beside it, into the backups folder, over any SQLite database, over
a device, a FIFO or a socket, and never through a symbolic link: those would be replaced by
a text file, or written through to somewhere else.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator

from companion.errors import StoreError, UsageError
from companion.paths import BACKUP_DIR, FILE_MODE

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from pathlib import Path
    from typing import IO, Any

SQLITE_MAGIC = b"SQLite format 3\x00"
# A write-ahead log starts with one of these (big-endian 0x377f0682 or 0x377f0683).
WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
DIARY_COMPANIONS = ("", "-wal", "-shm", "-journal")
# Beside an SQLite file, the logs of changes not yet in it: SQLite lays them over whatever
# file has that name when it is next opened.
SQLITE_LOGS = ("-wal", "-journal")


def check_target(path: Path, diary: Path) -> bool:
    """Raise UsageError, one line naming ``path``, if an export may never be written there;
    else say whether a file is there already (replace it only if the person agrees).

    ``diary`` is the open diary's path (``store.path``). The app's export screen asks this
    before writing, and asks the person first when it returns True.
    """
    refuse_unsafe(path, diary)
    if _inside(path, diary.parent / BACKUP_DIR):
        raise UsageError(f"{path}: that is in the backups folder; choose another folder")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return False
    except OSError:
        return True  # exists but unreadable: replacing it needs the person's say-so anyway
    if head == SQLITE_MAGIC or head[:4] in WAL_MAGICS:
        raise UsageError(f"{path}: that is a database, not an export; choose another file")
    return True


def refuse_unsafe(path: Path, diary: Path) -> None:
    """Refuse a symlink, anything but a regular file, and the diary's own files.

    What every copy of the diary refuses too: a backup may replace an older backup, never
    the diary itself.
    """
    refuse_special(path)
    for suffix in DIARY_COMPANIONS:
        own = diary.with_name(diary.name + suffix)
        if _same_path(path, own):
            raise UsageError(
                f"{path}: that is the diary itself (or a file SQLite keeps beside it); "
                "choose another file"
            )


def refuse_special(path: Path) -> None:
    """A symbolic link, a folder, a device, a FIFO or a socket is never written over."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot check the file ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{path}: that is a symbolic link; name the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(
            f"{path}: not a regular file (a folder, device or pipe); choose a file name"
        )


def refuse_open_database(path: Path) -> None:
    """A database with its write-ahead log or journal beside it is open in another program,
    or was not closed: a copy renamed over it would be read with that log laid over it (the
    other database's pages, not the copy's). It is never replaced."""
    for suffix in SQLITE_LOGS:
        log = path.with_name(path.name + suffix)
        if os.path.lexists(log):
            raise UsageError(
                f"{path}: {log.name} is beside it, so the file is open in another program or "
                "was not closed; close that program, or choose another file"
            )


def exists_message(path: Path) -> str:
    return f"{path}: a file of that name exists; add --force to replace it"


@contextlib.contextmanager
def private_output(
    path: Path, *, mode: str = "w", newline: str | None = None, replace: bool = True
) -> Iterator[IO[Any]]:
    """Write a file atomically with mode 0600: a temporary file beside it, renamed at the end.

    Only a regular file is ever replaced, and with ``replace=False`` none at all: checked
    again just before the rename, since the file may have appeared meanwhile. If anything
    fails, the old file (if any) is untouched and the temporary file removed.
    """
    from companion.scratch import scratch_file

    with contextlib.ExitStack() as stack:
        try:
            tmp = stack.enter_context(scratch_file(path.parent, path.name))
        except OSError as exc:
            raise StoreError(f"{path}: cannot write here ({exc.strerror})") from None
        try:
            encoding = None if "b" in mode else "utf-8"
            with open(tmp, mode, encoding=encoding, newline=newline) as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            refuse_special(path)
            if not replace and os.path.lexists(path):
                raise UsageError(exists_message(path))
            os.replace(tmp, path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot write the file ({exc.strerror})") from None


def _same_path(a: Path, b: Path) -> bool:
    """The same file by name (after resolving folders) or, for a hard link, by inode."""
    try:
        if a.parent.resolve() / a.name == b.parent.resolve() / b.name:
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except (OSError, RuntimeError):
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        where, folder = path.parent.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return False
    return where == folder or folder in where.parents
