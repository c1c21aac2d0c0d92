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
    # Each medicine in the dose log that day, whatever its case as typed.
    "medicine": "(SELECT group_concat(replace(lower(medicine), ';', ','), ';') FROM doses"
    " WHERE doses.date = entries.date)",
    # Cut-offs a clinician would name: under 6 hours' sleep, a mood of 3 or less out of 10,
    # half an hour or more of activity. Days that did not record them count as without.
    "sleep": "CASE WHEN sleep_hours < 6 THEN 'under_6_hours' END",
    "mood": "CASE WHEN mood <= 3 THEN 'low' END",
    "activity": "CASE WHEN activity_min >= 30 THEN '30_minutes_or_more' END",
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
