"""SQLite's errors in words: the file, what went wrong and what to do."""

from __future__ import annotations

import os
import sqlite3

from companion.entry import SPEC
from companion.errors import StoreError, UnreadableDiary


def sql_error(path: str | os.PathLike[str], exc: sqlite3.Error) -> StoreError:
    """One line that names the file and what to do; SQLite's own text never reaches the person."""
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError) and "CHECK" in text:
        # "CHECK constraint failed: <expression>"; a column's expression starts with its name.
        words = text.partition(":")[2].split()
        name = words[0] if words and words[0] in SPEC else "entry"
        return StoreError(f"{path}: the diary refused a value for {name}")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the diary is busy in another program; try again")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the diary is read-only; check the folder's permissions")
    if "disk" in text and "full" in text:
        return StoreError(f"{path}: the disk is full, so nothing was saved; free some space")
    if "disk I/O error" in text:
        # On a full disk SQLite may fail first on its shared-memory file, as an I/O error.
        return StoreError(
            f"{path}: the disk could not be read or written (is it full?); "
            "free some space and try again"
        )
    if "not a database" in text or "malformed" in text:
        return UnreadableDiary(
            f"{path}: the file is damaged or not a diary; restore a backup "
            "('companion restore FILE') or move it away"
        )
    if "unable to open" in text:
        return StoreError(f"{path}: cannot open the diary; check the folder's permissions")
    return StoreError(f"{path}: database error ({type(exc).__name__})")
