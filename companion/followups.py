"""What the person records after an alert: that they were seen, or that a sign has gone.

Kept in the ``followups`` table (migration m0002), one row per record with a stable id and
an ``updated`` time. A 'seen' record settles the alerts whose evidence is on or before it;
a 'gone' record says which warning signs have gone. Both are facts the person records,
never a dismissal: anything logged later raises an alert again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from companion.entry import (
    VOCABULARIES,
    ValidationError,
    join_set,
    new_id,
    now_local,
    ordered,
    parse_date,
    parse_value,
    timestamp,
)
from companion.errors import UsageError
from companion.store import Store
from companion.store import followups as stored

Kind = Literal["seen", "gone"]
SIGNS = VOCABULARIES["red_flags"]
_COLUMNS = "id, date, time, kind, signs, created, updated"


@dataclass(frozen=True)
class Followup:
    id: str
    date: str
    time: str | None
    kind: Kind
    signs: tuple[str, ...]  # vocabulary order; empty for 'seen'
    created: str
    updated: str

    @property
    def when(self) -> str:
        return f"{self.date} {self.time}" if self.time else self.date


def _row(row: tuple[str, ...]) -> Followup:
    signs = tuple(ordered("red_flags", frozenset(s for s in row[4].split(";") if s)))
    return Followup(row[0], row[1], row[2], row[3], signs, row[5], row[6])  # type: ignore[arg-type]


def moment(day: str | None, clock: str | None, now: datetime) -> tuple[str, str | None]:
    """The date and time a record is for: now, or the day given (at the time given, if any).

    A day without a time stays without one: "seen that day", compared by when it was written.
    """
    try:
        when = parse_date(day) if day is not None else now.date().isoformat()
        at = parse_value("time", clock) if clock else None
    except ValidationError as exc:
        raise UsageError(f"--{exc.field}: {exc.problem}") from None
    today = now.date().isoformat()
    if when > today:
        raise UsageError("--date: is after today; record it once it has happened")
    if when == today and at is not None and at > now.strftime("%H:%M"):
        raise UsageError("--time: is later than now; record it once it has happened")
    return when, (at or now.strftime("%H:%M")) if day is None else at


def record(
    store: Store,
    kind: Kind,
    signs: frozenset[str] = frozenset(),
    *,
    day: str | None = None,
    clock: str | None = None,
    now: datetime | None = None,
) -> Followup:
    """Write one record in one transaction and return it."""
    if kind == "gone" and not signs:
        raise UsageError("name the warning signs that have gone")
    if kind == "seen" and signs:
        raise UsageError("a 'seen' record names no signs: it settles every alert before it")
    unknown = sorted(signs.difference(SIGNS))
    if unknown:
        raise UsageError(f"{unknown[0]} is not a warning sign; choose from: {', '.join(SIGNS)}")
    when, at = moment(day, clock, now or now_local())
    stamp = timestamp()
    made = Followup(new_id(), when, at, kind, tuple(ordered("red_flags", signs)), stamp, stamp)
    row = (made.id, made.date, made.time, made.kind, join_set("red_flags", signs), stamp, stamp)
    stored.insert(store, row)
    return made


def remove(store: Store, followup_id: str) -> Followup | None:
    """Delete one record (an undo); None if it was not there."""
    found = stored.remove(store, followup_id)
    return None if found is None else _row(found)


def latest(store: Store, kind: Kind) -> Followup | None:
    """The record of this kind written last."""
    found = stored.latest(store, kind)
    return None if found is None else _row(found)


def between(store: Store, start: str, end: str) -> list[Followup]:
    """Records dated from ``start`` to ``end``, in date order (for the summary)."""
    return [_row(r) for r in stored.between(store, start, end)]
