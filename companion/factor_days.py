"""The diary's days as insights compare them: each day's outcomes and the factors named on it,
aggregated per day in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.store import Store

# Each group of factors: an SQL expression over one entry giving its words, joined with ';'.
# A factor is named on a day when any entry of that day names it. A new group is one line.
FACTOR_SQL: dict[str, str] = {
    "triggers": "triggers",
    "relief": "relief",
    "locations": "locations",
    "qualities": "qualities",
}


@dataclass(frozen=True)
class FactorDay:
    """One logged day: its outcomes (None when not recorded) and the factors named on it,
    each written ``group:word``."""

    date: date
    pain: float | None  # the mean of the day's pain
    cramps: int | None  # the day's cramps, counted over the entries that recorded them
    night_pain: int | None  # the worst pain of the night that began on this day
    factors: frozenset[str]

    def value(self, outcome: str) -> float | None:
        """The day's ``pain``, ``cramps`` or ``night_pain``."""
        value: float | None = getattr(self, outcome)
        return value


def read_factor_days(store: Store, start: date, end: date) -> list[FactorDay]:
    """The days from start to end that have entries, in date order."""
    groups = list(FACTOR_SQL)
    words = ", ".join(f"group_concat(nullif({FACTOR_SQL[g]}, ''), ';')" for g in groups)
    rows = store.read(
        f"""SELECT date, avg(pain), sum(cramps), max(night_pain), {words}
            FROM entries WHERE date BETWEEN ? AND ? GROUP BY date ORDER BY date""",
        (start.isoformat(), end.isoformat()),
    )
    # A diary repeats the same few lists of words: each is read once.
    named: dict[tuple[str | None, ...], frozenset[str]] = {}
    days = []
    for row in rows:
        lists = row[4:]
        factors = named.get(lists)
        if factors is None:
            factors = named[lists] = frozenset(
                f"{group}:{word}"
                for group, text in zip(groups, lists, strict=True)
                if text
                for word in text.split(";")
                if word
            )
        days.append(FactorDay(date.fromisoformat(row[0]), row[1], row[2], row[3], factors))
    return days
