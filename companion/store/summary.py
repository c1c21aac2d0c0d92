"""What the doctor's summary reads of the entries in a range of dates, aggregated in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from companion.store.core import Store

_RANGE = "date BETWEEN ? AND ?"
_MEDICINE = f"{_RANGE} AND trim(coalesce(medications, '')) != ''"


def count(store: Store, start: str, end: str) -> int:
    return int(store.read(f"SELECT count(*) FROM entries WHERE {_RANGE}", (start, end))[0][0])


def cramp_buckets(
    store: Store, start: str, end: str, *, monthly: bool
) -> list[tuple[str, int, int]]:
    """(first day, cramps, entries counting cramps) per Monday-started week, or per month."""
    key = "strftime('%Y-%m-01', date)" if monthly else "date(date, '-6 days', 'weekday 1')"
    return store.read(
        f"SELECT {key} AS bucket, coalesce(sum(cramps), 0), count(cramps) FROM entries "
        f"WHERE {_RANGE} GROUP BY bucket",
        (start, end),
    )


def word_counts(store: Store, start: str, end: str, field: str, words: Sequence[str]) -> list[int]:
    """How many entries name each word of a list field (``field`` is a column name)."""
    sums = ", ".join(f"coalesce(sum(instr(';' || {field} || ';', ';{w};') > 0), 0)" for w in words)
    (row,) = store.read(f"SELECT {sums} FROM entries WHERE {_RANGE}", (start, end))
    return [int(n) for n in row]


def medicines(store: Store, start: str, end: str, limit: int) -> tuple[int, int, list[Any]]:
    """Entries naming a medicine, how many different texts, and the ``limit`` most frequent
    (text, entries), written as first written, alike whatever the case or spaces."""
    ((entries, distinct),) = store.read(
        f"SELECT count(*), count(DISTINCT lower(trim(medications))) FROM entries WHERE {_MEDICINE}",
        (start, end),
    )
    top = store.read(
        f"SELECT min(trim(medications)), count(*) AS n FROM entries WHERE {_MEDICINE} "
        "GROUP BY lower(trim(medications)) ORDER BY n DESC, 1 LIMIT ?",
        (start, end, limit),
    )
    return int(entries), int(distinct), top


def top_pain(store: Store, start: str, end: str, limit: int) -> list[tuple[Any, ...]]:
    """(date, time, pain, worst_pain, night_pain, notes) of the highest-pain entries; among
    equals, those with notes, then the latest."""
    return store.read(
        "SELECT date, time, pain, worst_pain, night_pain, notes FROM entries "
        f"WHERE {_RANGE} AND coalesce(pain, worst_pain) IS NOT NULL "
        "ORDER BY max(coalesce(pain, 0), coalesce(worst_pain, 0)) DESC, "
        "notes IS NOT NULL DESC, date DESC, coalesce(time, '') DESC, id LIMIT ?",
        (start, end, limit),
    )


def habits(
    store: Store, start: str, end: str
) -> tuple[float | None, int, float | None, int, float | None, int]:
    """The mean sleep, mood and activity, each with the number of days that recorded it."""
    (row,) = store.read(
        "SELECT avg(sleep_hours), count(DISTINCT CASE WHEN sleep_hours IS NOT NULL "
        "THEN date END), avg(mood), count(DISTINCT CASE WHEN mood IS NOT NULL THEN date END), "
        "avg(activity_min), count(DISTINCT CASE WHEN activity_min IS NOT NULL THEN date END) "
        f"FROM entries WHERE {_RANGE}",
        (start, end),
    )
    return row[0], int(row[1]), row[2], int(row[3]), row[4], int(row[5])
