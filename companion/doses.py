"""The dose log: doses of medicines, personal limits, and totals within any 24 hours.

The SQL is in ``companion.store.doses``; here, what the rest of the companion works with. A
dose logged without a time counts at the end of its day: with every dose of that day, and
with those of the next day within 24 hours of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from companion.entry import ValidationError, new_id, plain_text, timestamp
from companion.medicines import NOTE_MAX, Dose, medicines
from companion.store import Store
from companion.store import doses as dose_store

DAY_SECONDS = 86_400
RECENT_NAMES = 20
_FIRST, _LAST = "0001-01-01", "9999-12-31"


@dataclass(frozen=True)
class DoseRecord:
    """One dose taken, as the log keeps it."""

    date: str
    time: str | None
    dose: Dose
    note: str | None = None
    id: str = ""
    created: str = ""
    updated: str = ""

    def __repr__(self) -> str:
        # Keep the note out of logs and tracebacks that print objects.
        return f"DoseRecord(id={self.id!r}, date={self.date!r})"

    @property
    def medicine(self) -> str:
        return self.dose.medicine


@dataclass(frozen=True)
class Limit:
    """The daily maximum that applies to a medicine, and where it comes from."""

    mg: float
    personal: bool
    source: str | None  # the listed limit's source id; None for a personal one


@dataclass(frozen=True)
class Over:
    """A 24 hours in which an ingredient's total went over its limit, ending at a dose."""

    medicine: str
    date: str
    time: str | None
    total_mg: float
    limit: Limit


@dataclass(frozen=True)
class DayTotal:
    date: str
    medicine: str  # an ingredient
    doses: int
    total_mg: float
    largest_mg: float


def parse_note(text: str | None) -> str | None:
    if text is None:
        return None
    text = plain_text("note", text.strip())
    if len(text) > NOTE_MAX:
        raise ValidationError("note", f"is longer than {NOTE_MAX} characters")
    return text or None


def _record(row: Sequence[Any]) -> DoseRecord:
    values = dict(zip(dose_store.COLUMNS, row, strict=True))
    parts = json.loads(values["parts"]) if values["parts"] else None
    dose = Dose(
        values["medicine"],
        float(values["dose_mg"]),
        {str(k): float(v) for k, v in parts.items()} if parts else None,
    )
    return DoseRecord(
        values["date"],
        values["time"],
        dose,
        values["note"],
        values["id"],
        values["created"],
        values["updated"],
    )


def add(store: Store, record: DoseRecord) -> DoseRecord:
    now = timestamp()
    saved = DoseRecord(
        record.date, record.time, record.dose, record.note, record.id or new_id(), now, now
    )
    parts = json.dumps(saved.dose.parts, sort_keys=True) if saved.dose.parts else None
    values = {
        "id": saved.id,
        "date": saved.date,
        "time": saved.time,
        "medicine": saved.medicine,
        "dose_mg": saved.dose.dose_mg,
        "parts": parts,
        "note": saved.note,
        "created": saved.created,
        "updated": saved.updated,
    }
    dose_store.insert(store, [values[c] for c in dose_store.COLUMNS])
    return saved


def delete_by_prefix(store: Store, prefix: str) -> DoseRecord | None:
    """Delete the one dose whose id starts with ``prefix``; None when none (or several) has."""
    row = dose_store.delete_by_prefix(store, prefix)
    return _record(row) if row is not None else None


def iter_doses(
    store: Store, start: str | None = None, end: str | None = None
) -> Iterator[DoseRecord]:
    """Doses in time order."""
    return map(_record, dose_store.between(store, start or _FIRST, end or _LAST))


def recent_names(store: Store) -> list[str]:
    """The medicines logged lately, most recent first (for completion)."""
    return dose_store.recent_names(store, RECENT_NAMES)


def spelled_as_before(store: Store, name: str) -> str:
    """A name the list does not know, as the log first spelled it ('Vitamin D' for 'vitamin
    d'), so that its doses add up and a limit set for it applies; else as given."""
    return dose_store.spelling(store, name) or name


# --- limits ------------------------------------------------------------------------------------


def set_limit(store: Store, medicine: str, mg: float | None) -> None:
    """Set (or, with None, remove) a personal daily maximum for a medicine."""
    dose_store.set_limit(store, medicine, mg, timestamp())


def limits(store: Store) -> dict[str, Limit]:
    """Every daily maximum that applies: the list's, replaced by the person's own."""
    found = {
        m.name: Limit(m.daily_max_mg, False, m.source)
        for m in medicines().values()
        if m.daily_max_mg is not None
    }
    for name, mg in dose_store.personal_limits(store).items():
        found[name] = Limit(mg, True, None)
    return found


# --- totals ------------------------------------------------------------------------------------


def _day_before(day: str) -> str:
    return date.fromordinal(max(1, date.fromisoformat(day).toordinal() - 1)).isoformat()


def _epoch(moment: datetime) -> int:
    # Local clock times compared as written, the way the SQL reads them.
    return int((moment - datetime(1970, 1, 1)).total_seconds())


def total_24h(store: Store, medicine: str, day: str, time: str | None) -> float:
    """An ingredient's total within the 24 hours up to ``day`` ``time`` (its end, untimed)."""
    moment = datetime.fromisoformat(f"{day} {time or '23:59'}")
    since = moment - timedelta(seconds=DAY_SECONDS - 1)
    return dose_store.total(store, medicine, _day_before(day), day, _epoch(since), _epoch(moment))


def total_24h_around(store: Store, medicine: str, day: str, time: str | None) -> float:
    """An ingredient's largest total within any 24 hours that hold ``day`` ``time``: a dose
    logged after later ones counts with them too."""
    moment = datetime.fromisoformat(f"{day} {time or '23:59'}")
    until = moment + timedelta(seconds=DAY_SECONDS - 1)
    return dose_store.largest_total(
        store, medicine, _day_before(day), until.date().isoformat(), _epoch(moment), _epoch(until)
    )


def over_limits(store: Store, start: str, end: str) -> list[Over]:
    """Every dose from ``start`` to ``end`` that ended a 24 hours over its ingredient's limit,
    in time order."""
    found = limits(store)
    as_json = json.dumps({m: limit.mg for m, limit in found.items()})
    rows = dose_store.over(store, _day_before(start), start, end, as_json)
    return [Over(m, d, t, float(total), found[m]) for m, d, t, total in rows]


def day_totals(store: Store, start: str | None = None, end: str | None = None) -> list[DayTotal]:
    """Each ingredient's total for each calendar day, in date order."""
    rows = dose_store.day_totals(store, start or _FIRST, end or _LAST)
    return [DayTotal(d, m, int(n), float(total), float(big)) for d, m, n, total, big in rows]
