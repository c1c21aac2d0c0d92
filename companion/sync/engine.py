"""One sync: this computer's changes out to the folder, every other computer's in.

It all happens in one write transaction on the diary. This computer's change file is written
whole (under a temporary name, then put in place) before the diary records it as written, and
each file read is merged under a savepoint: a sync stopped at any moment leaves the diary as
it was before it and the folder holding only whole files (and perhaps a change file the next
sync writes again under the next number, which merges to the same diary).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from companion import migrations
from companion.computer import computer_id
from companion.entry import timestamp
from companion.errors import StoreError, UsageError
from companion.store import Store
from companion.store import sync as store_sync
from companion.store.sync_keys import FOLDER_KEY, LAST_SYNC_KEY
from companion.sync import folder as files
from companion.sync.folder import BadFile, ChangeFile


@dataclass
class SyncResult:
    folder: Path
    written: Path | None = None
    sent: int = 0
    read: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    conflicts: int = 0
    notes: list[str] = field(default_factory=list)


def sync(
    store: Store, folder: Path, me: str | None = None, *, now: str | None = None
) -> SyncResult:
    """Write this computer's changes since its last sync into ``folder`` and merge every
    change file there that this diary has not merged yet. ``me`` is this computer's id
    (by default the one kept beside the diary)."""
    if store.readonly:
        raise store.readonly_error()
    me = me or computer_id(store.path.parent)
    folder = files.prepare(folder.absolute())
    if _inside(folder, store.path.parent):
        raise UsageError(
            f"{folder}: that is the diary's own folder; sync through a folder of its own"
        )
    result = SyncResult(folder)
    secret = _passphrase(store)
    stamp = now or timestamp()
    known = len(migrations.MIGRATION_NAMES)
    with store.write() as conn:
        # Looked at with the diary's lock held: a second sync of this diary at the same
        # moment waits, then sees the file this one wrote.
        found, result.notes = files.scan(folder, me)
        seq = files.next_seq(found, me, store_sync.last_seq(conn))
        rows = store_sync.SyncRows(conn)
        changes = rows.local_changes(me, seq, stamp)
        result.written = files.write(folder, me, seq, changes, known, stamp, secret)
        if result.written is not None:
            try:
                for version in files.read(ChangeFile(result.written, me, seq), known, secret):
                    rows.record_local(version)
                    result.sent += 1
            except BadFile as exc:
                raise StoreError(f"{result.written}: {exc} just after it was written") from None
            store_sync.mark_applied(conn, result.written.name, stamp)
            store_sync.set_settings(conn, {store_sync.SEQ_KEY: str(seq)})
        done = store_sync.applied_files(conn)
        for change in found:
            if change.path.name not in done:
                _merge_file(rows, change, known, stamp, result, secret)
        store_sync.set_settings(conn, {LAST_SYNC_KEY: stamp, FOLDER_KEY: str(folder)})
    return result


def _inside(folder: Path, data: Path) -> bool:
    resolved, home = folder.resolve(), data.resolve()
    return resolved == home or home in resolved.parents


def _passphrase(store: Store) -> str | None:
    """An encrypted diary's passphrase, which seals the change files it writes."""
    from companion.store import cipher

    if not cipher.encrypted(store.path):
        return None
    from companion.passphrase import for_diary

    return for_diary(store.path.parent)


def _merge_file(
    rows: store_sync.SyncRows,
    change: ChangeFile,
    known: int,
    stamp: str,
    result: SyncResult,
    secret: str | None,
) -> None:
    """Merge one file under a savepoint: all of it, or (with a note) none of it."""
    changes: Counter[str] = Counter()
    conflicts = 0
    try:
        with store_sync.all_or_nothing(rows.conn):
            for version in files.read(change, known, secret):
                if version.table not in store_sync.TRAVELLING:
                    raise BadFile("holds a kind of record this version does not know; upgrade")
                what, kept = rows.apply(version, stamp)
                changes[what] += 1
                conflicts += kept
    except (BadFile, sqlite3.IntegrityError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, BadFile) else "holds a change this diary refuses"
        result.notes.append(f"{change.path.name}: skipped, {reason}")
        return
    store_sync.mark_applied(rows.conn, change.path.name, stamp)
    result.read += 1
    result.changes.update(changes)
    result.conflicts += conflicts
