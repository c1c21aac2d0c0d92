"""This computer's id: made once, kept in the data directory, private.

A sync folder holds one set of change files per computer, named by its id; the id also breaks
ties between edits made in the same second. It lives beside the diary, not in it, so a diary
restored from a backup or copied elsewhere does not take another computer's name with it.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from companion.errors import StoreError
from companion.paths import FILE_MODE

COMPUTER_FILE = "computer-id"
ID_RE = re.compile(r"[0-9a-f]{32}")


def computer_id(directory: Path) -> str:
    """The id kept in ``directory`` (the data directory), made there on first use.

    Written whole under a temporary name and linked into place, so a kill never leaves a
    half-written id, and two programs starting at once agree on the one that landed first.
    """
    path = directory / COMPUTER_FILE
    if os.path.lexists(path):
        return _read(path)
    made = os.urandom(16).hex()
    temporary = directory / f".{COMPUTER_FILE}.{os.getpid()}.{os.urandom(4).hex()}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            os.write(fd, f"{made}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the file ({exc.strerror})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return made


def _read(path: Path) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read this computer's id ({exc.strerror})") from None
    try:
        text = os.read(fd, 100).decode("ascii", "replace").strip()
    finally:
        os.close(fd)
    if not ID_RE.fullmatch(text):
        # A half-written id (a kill between create and write) or anything else: made anew
        # would give this computer a second name in every sync folder, so it is never guessed.
        raise StoreError(
            f"{path}: not a computer id (32 letters 0-9 and a-f); delete the file and the "
            "companion makes a new one"
        )
    return text
