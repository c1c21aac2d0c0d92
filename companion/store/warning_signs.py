"""What the red-flag rules read beyond the daily aggregates: warning signs, temperatures,
long cramps, the pain around a fever and weights, each through an index of its own."""

from __future__ import annotations

from typing import Any

from companion.store.core import Store


def signs_and_temperatures(store: Store, start: str, end: str) -> list[tuple[Any, ...]]:
    """(date, time, created, red_flags, temperature_c) of the entries that hold either."""
    return store.read(
        """SELECT date, time, created, red_flags, temperature_c FROM entries
           WHERE (red_flags != '' OR temperature_c IS NOT NULL) AND date BETWEEN ? AND ?""",
        (start, end),
    )


def long_cramps(store: Store, over: float, start: str, end: str) -> list[tuple[Any, ...]]:
    """(date, time, created, cramp_minutes) of cramps longer than ``over`` minutes."""
    # Through the index of cramp lengths (m0003): "+date" keeps SQLite off the date index,
    # which would read every entry since the last 'seen' record.
    return store.read(
        """SELECT date, time, created, cramp_minutes FROM entries
           WHERE cramp_minutes > ? AND +date BETWEEN ? AND ?""",
        (over, start, end),
    )


def worst_pain_by_day(store: Store, start: str, end: str) -> list[tuple[str, int]]:
    """Each day's worst pain, for the days that have one."""
    return store.read(
        "SELECT date, max(coalesce(worst_pain, pain)) FROM entries WHERE date BETWEEN ? AND ? "
        "GROUP BY date HAVING max(coalesce(worst_pain, pain)) IS NOT NULL",
        (start, end),
    )


def weights(store: Store, start: str, end: str) -> list[tuple[str, float]]:
    """(date, mean weight) of each day with a weight, in date order."""
    return store.read(
        """SELECT date, avg(weight_kg) FROM entries
           WHERE date BETWEEN ? AND ? AND weight_kg IS NOT NULL GROUP BY date ORDER BY date""",
        (start, end),
    )
