"""``companion backup`` and ``companion restore``: a copy of the diary, and putting one back."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.entry import entries_text
from companion.errors import UsageError
from companion.terminal import safe_text

if TYPE_CHECKING:
    from companion.store.restore import Contents


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
            "Check FILE (it must be a healthy companion diary), show what it holds beside "
            "what the diary holds and ask, keep the current diary in the backups folder, "
            "then replace the diary with FILE's contents."
        ),
    )
    res.add_argument("file", metavar="FILE", type=Path, help="a backup made by companion")
    res.add_argument(
        "--yes", action="store_true", help="replace the diary without asking (for scripts)"
    )
    res.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:

    target = Path(os.path.expanduser(args.file)) if args.file is not None else None
    written, entries = backup_to(getattr(args, "home", None), target)
    print(f"Backed up {entries_text(entries)} to {safe_text(str(written))}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from companion.store.restore import restore

    source = Path(os.path.expanduser(args.file))
    result = restore(
        getattr(args, "home", None),
        source,
        lambda now, backup: _confirm(source, now, backup, args.yes),
    )
    if result is None:
        print("Nothing was restored; the diary is as it was.", file=sys.stderr)
        return 1
    kept = (
        f"; the diary as it was is kept in {result.kept}"
        if result.kept
        else " (the diary held nothing to keep)"
    )
    print(f"Restored {entries_text(result.entries)} from {safe_text(str(source))}{kept}")
    return 0


def _confirm(source: Path, now: Contents, backup: Contents, yes: bool) -> bool:
    """Show both sides and ask; never waits on a standard input that is not a terminal."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(
            f"restore replaces your diary ({now}) with {source} ({backup}); "
            "run it in a terminal to be asked, or add --yes"
        )
    print(f"Your diary now: {now}", file=sys.stderr)
    print(f"The backup {safe_text(str(source))}: {backup}", file=sys.stderr)
    print("Your diary as it is now is kept in the backups folder first.", file=sys.stderr)
    print("Replace your diary with the backup? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def backup_to(home: str | Path | None, target: Path | None) -> tuple[Path, int]:
    """``companion backup [FILE]``: the diary into FILE, or a named backup in the folder."""
    from companion.entry import now_local
    from companion.paths import BACKUP_DIR, ensure_private_dir
    from companion.scratch import clear_stale
    from companion.store import Store
    from companion.store.backup import SUFFIX, snapshot
    from companion.targets import refuse_unsafe

    with Store.open(home) as store:
        if target is None:
            if store.readonly:
                raise store.readonly_error()
            directory = ensure_private_dir(store.path.parent / BACKUP_DIR)
            clear_stale(directory)
            stamp = now_local().strftime("%Y-%m-%dT%H%M%S")
            target = directory / f"diary-{stamp}{SUFFIX}"
        elif target.is_dir() and not target.is_symlink():
            target = target / f"diary-{now_local().date().isoformat()}{SUFFIX}"
        refuse_unsafe(target, store.path)
        snapshot(store.conn, target)
        return target, store.count()
