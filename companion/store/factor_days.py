"""What insights compare, aggregated by day in SQL: each day's outcomes and the factors named
on it."""

from __future__ import annotations

from typing import Any

from companion.store.core import Store

# Each group of factors: an SQL expression over one entry giving its words, joined with ';'.
# A factor is named on a day when any entry of that day names it. A new group is one line.
FACTOR_SQL: dict[str, str] = {
    "triggers": "triggers",
    "relief": "relief",
    "locations": "locations",
    "qualities": "qualities",
}


def factor_days(store: Store, start: str, end: str) -> list[tuple[Any, ...]]:
    """(date, mean pain, cramps, worst night pain, then the words of each group of
    ``FACTOR_SQL`` named that day, joined with ';') of each day with entries, in date order.

    Cramps are summed over the entries that recorded them: NULL when none did.
    """
    words = ", ".join(f"group_concat(nullif({sql}, ''), ';')" for sql in FACTOR_SQL.values())
    return store.read(
        f"""SELECT date, avg(pain), sum(cramps), max(night_pain), {words}
            FROM entries WHERE date BETWEEN ? AND ? GROUP BY date ORDER BY date""",
        (start, end),
    )
