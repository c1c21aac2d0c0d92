"""What a sync did and when the last one was, in the words the CLI and the app both show."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from companion.wording import counted

if TYPE_CHECKING:
    from companion.sync.engine import SyncResult

# A folder shared with other things can hold many files that are not the companion's.
NOTES_SHOWN = 10


def result_lines(result: SyncResult) -> list[str]:
    """A line for what was sent, one for what was read, one for conflicts, then the notes.
    Folder and file names are as found: the caller makes them safe to show."""
    lines = [
        f"Sent {counted(result.sent, 'change', 'changes')} to {result.folder}."
        if result.written is not None
        else f"Nothing new to send to {result.folder}."
    ]
    if result.read:
        done = [
            f"{result.changes[what]} {what}"
            for what in ("added", "changed", "deleted")
            if result.changes[what]
        ]
        lines.append(
            f"Read {counted(result.read, 'file', 'files')} from your other computers: "
            f"{', '.join(done) or 'nothing new'}."
        )
    if result.conflicts:
        verb = "was" if result.conflicts == 1 else "were"
        lines.append(
            f"{counted(result.conflicts, 'version', 'versions')} edited on two computers "
            f"between syncs lost to a later edit and {verb} kept: see "
            "'companion sync --conflicts'."
        )
    lines += [f"Note: {note}" for note in result.notes[:NOTES_SHOWN]]
    if len(result.notes) > NOTES_SHOWN:
        more = len(result.notes) - NOTES_SHOWN
        lines.append(f"Note: and {counted(more, 'other file')} skipped.")
    return lines


def last_synced(stamp: str | None, now: datetime) -> str | None:
    """'Last synced today at 14:05', in local time; None before the first sync."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp).astimezone(now.tzinfo)
    except ValueError:
        return None
    day = moment.date()
    if day == now.date():
        when = f"today at {moment:%H:%M}"
    elif (now.date() - day).days == 1:
        when = f"yesterday at {moment:%H:%M}"
    else:
        when = f"on {day.isoformat()} at {moment:%H:%M}"
    return f"Last synced {when}"
