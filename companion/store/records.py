"""What the store's reads return besides entries: a day's figures and where a page ends.

Named tuples: a frozen dataclass builds its methods again at every start, milliseconds
each on the way to the app's first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.record import Record

if TYPE_CHECKING:
    from companion.entry import Entry


class PageKey(Record):
    """Where a page of entries ends, for keyset pagination."""

    date: str
    time: str
    id: str

    @classmethod
    def of(cls, entry: Entry) -> PageKey:
        return cls(entry.date, entry.time or "", entry.id)


class DayStats(Record):
    """One day of the diary, aggregated in SQL."""

    date: str
    entries: int
    pain_mean: float | None
    pain_worst: int | None
    night_pain: int | None
    woke_at_night: bool
    night_answered: bool  # night pain or waking was recorded (a logged night)
    rest_not_easing: bool
    rest_answered: bool
    cramps: int
    cramp_minutes: float | None
    weight_kg: float | None
    temperature_c: float | None
    red_flags: frozenset[str]
