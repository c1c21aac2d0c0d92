"""``companion backup`` and ``companion restore``: a copy of the diary, and putting one back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from companion.entry import entries_text


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    bak = sub.add_parser(
        "backup",
        parents=[common],
        help="write a copy of the diary (safe while the app is open)",
        description=(
            "Write a consistent copy of the diary to FILE (or into a folder), readable only "
            "by you. Without FILE it goes into the backups folder of the data directory, "
            "where it is kept until you remove it."
        ),
    )
    bak.add_argument("file", metavar="FILE", nargs="?", type=Path, help="file or folder")
    bak.set_defaults(func=cmd_backup)

    res = sub.add_parser(
        "restore",
        parents=[common],
        help="replace the diary with a backup (the current diary is kept as a backup)",
        description=(
            "Check FILE (it must be a healthy companion diary), keep the current diary in the "
            "backups folder, then replace the diary with FILE's contents."
        ),
    )
    res.add_argument("file", metavar="FILE", type=Path, help="a backup made by companion")
    res.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from companion.backup import backup_to

    target = args.file.expanduser() if args.file is not None else None
    written, entries = backup_to(getattr(args, "home", None), target)
    print(f"Backed up {entries_text(entries)} to {written}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from companion.backup import restore

    result = restore(getattr(args, "home", None), args.file.expanduser())
    kept = (
        f"; the diary as it was is kept in {result.kept}"
        if result.kept
        else " (there was no diary before)"
    )
    print(f"Restored {entries_text(result.entries)} from {args.file}{kept}")
    return 0
