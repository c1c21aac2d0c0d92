"""``companion backup`` and ``companion restore``: a copy of the diary, and putting one back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.entry import entries_text
from companion.errors import UsageError

if TYPE_CHECKING:
    from companion.backup import Contents, Replacing


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
            "Check FILE (it must be a healthy companion diary), show what it would replace "
            "and ask, keep the current diary in the backups folder, then replace the diary "
            "with FILE's contents."
        ),
    )
    res.add_argument("file", metavar="FILE", type=Path, help="a backup made by companion")
    res.add_argument(
        "--yes", action="store_true", help="replace the diary without asking (for a script)"
    )
    res.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from companion.backup import backup_to

    target = args.file.expanduser() if args.file is not None else None
    written, entries = backup_to(getattr(args, "home", None), target)
    print(f"Backed up {entries_text(entries)} to {written}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from companion.backup import restore

    result = restore(
        getattr(args, "home", None),
        args.file.expanduser(),
        None if args.yes else lambda replacing: _ask_to_replace(replacing, args.file),
    )
    if result is None:
        print("Not restored: your diary was not changed.")
        return 0
    kept = (
        f"; the diary as it was is kept in {result.kept}"
        if result.kept
        else " (there was no diary before)"
    )
    print(f"Restored {entries_text(result.entries)} from {args.file}{kept}")
    return 0


def _contents(contents: Contents | None) -> str:
    """'22 entries, 2026-11-01 to 2026-11-22'."""
    if contents is None:
        return "cannot be read; it is set aside in the backups folder"
    if contents.span is None:
        return "no entries"
    first, last = contents.span
    return f"{entries_text(contents.entries)}, {first} to {last}"


def _ask_to_replace(replacing: Replacing, source: Path) -> bool:
    """Show what the backup would replace and ask; a script must say --yes instead."""
    now, backup = _contents(replacing.now), _contents(replacing.backup)
    if not sys.stdin.isatty():
        diary = f"({now})" if replacing.now else "(which cannot be read)"
        raise UsageError(
            f"restoring {source} ({backup}) replaces your diary {diary}: give --yes to do it"
        )
    print(f"Your diary now: {now}")
    print(f"The backup:     {backup} ({source})")
    if replacing.now is not None:
        print("Your diary as it is now is kept in the backups folder first.")
    try:
        answer = input("Replace your diary with the backup? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
