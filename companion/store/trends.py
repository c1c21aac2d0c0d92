"""What the trends' charts draw, aggregated by day in SQL."""

from __future__ import annotations

from typing import Any

from companion.store.core import Store


def chart_days(store: Store, start: str, end: str) -> list[tuple[Any, ...]]:
    """(date, mean pain, worst pain, worst night pain, cramps, longest sleep, mean mood, most
    activity) of each day with entries.

    Lighter than ``Store.daily``: the whole diary's days for "all" come back in a fraction
    of the time.
    """
    return store.read(
        """SELECT date, avg(pain), max(coalesce(worst_pain, pain)), max(night_pain),
                  coalesce(sum(cramps), 0), max(sleep_hours), avg(mood), max(activity_min)
           FROM entries WHERE date BETWEEN ? AND ? GROUP BY date ORDER BY date""",
        (start, end),
    )
