"""``companion sync``: the diary on every computer, through a folder a sync program carries."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.errors import DataError, UsageError
from companion.terminal import safe_text

if TYPE_CHECKING:
    from companion.store import Store
    from companion.store.sync import Conflict
    from companion.sync.engine import SyncResult


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    syn = sub.add_parser(
        "sync",
        parents=[common],
        help="sync the diary with your other computers through a shared folder",
        description=(
            "Write this computer's changes since its last sync into DIR and merge every "
            "other computer's changes found there. DIR is a folder that a sync program "
            "(Syncthing, Nextcloud, Dropbox, a git repository, a USB stick) carries between "
            "your computers; anyone who can read it can read your diary. Without DIR, the "
            "folder of the last sync is used. When the same entry was edited on two "
            "computers between syncs, the later edit wins and the other is kept: "
            "--conflicts lists those, --restore N puts one back."
        ),
    )
    syn.add_argument("folder", metavar="DIR", nargs="?", type=Path, help="the shared folder")
    what = syn.add_mutually_exclusive_group()
    what.add_argument(
        "--conflicts", action="store_true", help="list the versions conflicts set aside"
    )
    what.add_argument(
        "--restore",
        metavar="N",
        type=int,
        help="put back version N of --conflicts as the current one (synced next time)",
    )
    syn.set_defaults(func=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    from companion.store import Store

    with Store.open(getattr(args, "home", None)) as store:
        if args.conflicts:
            _print_conflicts(store)
            return 0
        if args.restore is not None:
            return _restore(store, args.restore)
        folder = args.folder or _remembered(store)
        from companion.sync.engine import sync

        result = sync(store, folder)
    _print_result(result)
    return 0


def _remembered(store: Store) -> Path:
    from companion.store.sync_keys import FOLDER_KEY

    folder = store.setting(FOLDER_KEY)
    if not folder:
        raise UsageError("give the shared folder to sync through: companion sync DIR")
    return Path(folder)


def _print_result(result: SyncResult) -> None:
    from companion.sync.words import result_lines

    for line in result_lines(result):
        print(safe_text(line))


_KINDS = {
    "entries": "entry",
    "followups": "record",
    "triage_results": "triage result",
    "alert_acks": "alert acknowledgement",
}


def describe_conflict(conflict: Conflict) -> str:
    """What a set-aside version holds, in one line without free text."""
    row = conflict.row
    if conflict.table == "entries":
        from companion.entry_line import describe
        from companion.store import COLUMNS, row_to_entry

        try:
            return describe(row_to_entry(tuple(row.get(c) for c in COLUMNS)))
        except (TypeError, ValueError):
            return "an entry"
    if conflict.table == "followups":
        what = "seen by a clinician" if row.get("kind") == "seen" else "warning signs gone"
        return f"{row.get('date')}: {what}"
    if conflict.table == "alert_acks":
        return f"alert {row.get('rule')} acknowledged"
    return f"{row.get('date')}: {row.get('disposition')}"


def _print_conflicts(store: Store) -> None:
    from companion.store import sync as store_sync

    found = store_sync.conflicts(store.conn)
    if not found:
        print("No conflicts: nothing was set aside.")
        return
    for c in found:
        when = c.stamp.replace("T", " ")[:16]
        print(
            f"{c.number}. {_KINDS.get(c.table, c.table)} {safe_text(describe_conflict(c))} "
            f"(edited {when} UTC on computer {c.computer[:8]}; lost to a later edit)"
        )
    print("Put one back with 'companion sync --restore N'; the next sync carries it over.")


def _restore(store: Store, number: int) -> int:
    from companion.entry import timestamp
    from companion.store import sync as store_sync

    with store.write() as conn:
        restored = store_sync.restore_conflict(conn, number, timestamp())
    if restored is None:
        raise DataError(f"--restore: no conflict {number}; see 'companion sync --conflicts'")
    print(
        f"Put back {_KINDS.get(restored.table, restored.table)} "
        f"{safe_text(describe_conflict(restored))}; the next sync carries it to your other "
        "computers."
    )
    return 0
