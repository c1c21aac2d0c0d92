"""Versions of a row and how they merge: the later edit wins, and nothing is silently lost.

A version is known by its key: its time (UTC, to the second), a counter for edits that could
not be given a later time than the version they replaced (a clock behind another computer's),
the computer that wrote it, and that computer's change-file number. Keys order every version
of a row the same way on every computer, and an edit always has a greater key than the
version it was made from, so taking the greatest key is deterministic, commutative and
idempotent, and never undoes an edit with the version it replaced.

Each version also carries what it had seen of each computer's edits (a version vector): two
versions neither of which had seen the other were made on two computers between syncs, a
conflict, and the one that lost is kept to be restored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

STAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00")
COMPUTER_RE = re.compile(r"[0-9a-f]{32}")
# What a deleted row's fingerprint starts with, before the time of the delete.
TOMBSTONE = "tombstone:"

Row = dict[str, Any]
Seen = dict[str, int]  # computer id -> the number of its last change file seen


@dataclass(frozen=True)
class Version:
    """One version of one row of a table: ``row`` None is a delete (a tombstone)."""

    table: str
    id: str
    stamp: str
    n: int
    computer: str
    seq: int
    seen: Seen
    row: Row | None

    @property
    def key(self) -> tuple[str, int, str, int]:
        return (self.stamp, self.n, self.computer, self.seq)


def after(base_stamp: str, base_n: int, stamp: str) -> tuple[str, int]:
    """The time and counter of an edit made at ``stamp`` on a version at (base_stamp, base_n):
    its own time when later, else the base's time with the counter one up."""
    return (stamp, 0) if stamp > base_stamp else (base_stamp, base_n + 1)


def had_seen(a: Seen, b: Seen) -> bool:
    """Whether a version that had seen ``b`` had seen everything ``a`` had."""
    return all(count <= b.get(computer, 0) for computer, count in a.items())


def concurrent(a: Seen, b: Seen) -> bool:
    return not had_seen(a, b) and not had_seen(b, a)


def joined(a: Seen, b: Seen) -> Seen:
    return {c: max(a.get(c, 0), b.get(c, 0)) for c in sorted(a.keys() | b.keys())}


def seen_text(seen: Seen) -> str:
    return json.dumps(seen, sort_keys=True, separators=(",", ":"))


def seen_of(text: str) -> Seen:
    value = json.loads(text)
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}
