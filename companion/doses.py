"""The dose log: doses of medicines, personal limits, and totals within any 24 hours.

Doses live in the ``doses`` table and personal limits in ``medicine_limits`` (migration
m0004). Every total is summed in SQL, per ingredient, so that the paracetamol in a
combination product counts towards the day's paracetamol. A dose logged without a time
counts at the end of its day: with every dose of that day, and with those of the next day
within 24 hours of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from companion.entry import ValidationError, new_id, plain_text, timestamp
from companion.medicines import NOTE_MAX, Dose, medicines
from companion.store import Store

_COLUMNS = "id, date, time, medicine, dose_mg, parts, note, created, updated"
_ORDER = "date, coalesce(time, ''), id"
# Each dose as one row per ingredient, at its moment (an untimed dose at the end of its day).
_PARTS = """SELECT d.id, d.date, d.time, coalesce(j.key, d.medicine) AS medicine,
       coalesce(j.value, d.dose_mg) AS mg,
       CAST(strftime('%s', d.date || ' ' || coalesce(d.time, '23:59')) AS INTEGER) AS moment
  FROM doses AS d LEFT JOIN json_each(d.parts) AS j
 WHERE d.date BETWEEN :first AND :last"""
# The total of an ingredient within the 24 hours up to and including each dose.
_WINDOWS = f"""SELECT id, date, time, medicine, sum(mg) OVER (
         PARTITION BY medicine ORDER BY moment RANGE BETWEEN 86399 PRECEDING AND CURRENT ROW
       ) AS total
  FROM ({_PARTS})"""
DAY_SECONDS = 86_400


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


def parse_note(text: str | None) -> str | None:
    if text is None:
        return None
    text = plain_text("note", text.strip())
    if len(text) > NOTE_MAX:
        raise ValidationError("note", f"is longer than {NOTE_MAX} characters")
    return text or None


def _record(row: tuple[Any, ...]) -> DoseRecord:
    parts = json.loads(row[5]) if row[5] else None
    dose = Dose(
        row[3], float(row[4]), {str(k): float(v) for k, v in parts.items()} if parts else None
    )
    return DoseRecord(row[1], row[2], dose, row[6], row[0], row[7], row[8])


def add(store: Store, record: DoseRecord) -> DoseRecord:
    now = timestamp()
    saved = DoseRecord(
        record.date, record.time, record.dose, record.note, record.id or new_id(), now, now
    )
    parts = json.dumps(saved.dose.parts, sort_keys=True) if saved.dose.parts else None
    with store.write() as conn:
        conn.execute(
            f"INSERT INTO doses ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                saved.id,
                saved.date,
                saved.time,
                saved.medicine,
                saved.dose.dose_mg,
                parts,
                saved.note,
                saved.created,
                saved.updated,
            ),
        )
    return saved


def delete_by_prefix(store: Store, prefix: str) -> DoseRecord | None:
    """Delete the one dose whose id starts with ``prefix``; None when no dose (or more than
    one) has it."""
    with store.write() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM doses WHERE substr(id, 1, ?) = ? LIMIT 2",
            (len(prefix), prefix),
        ).fetchall()
        if len(rows) != 1:
            return None
        conn.execute("DELETE FROM doses WHERE id = ?", (rows[0][0],))
    return _record(rows[0])


def iter_doses(
    store: Store, start: str | None = None, end: str | None = None
) -> Iterator[DoseRecord]:
    """Doses in time order, from a cursor."""
    rows = store.read(
        f"SELECT {_COLUMNS} FROM doses WHERE date BETWEEN ? AND ? ORDER BY {_ORDER}",
        (start or "0001-01-01", end or "9999-12-31"),
    )
    return map(_record, rows)


def spelled_as_before(store: Store, name: str) -> str:
    """A name the list does not know, as the log first spelled it ('Vitamin D' for 'vitamin
    d'), so that its doses add up and a limit set for it applies; else as given."""
    rows = store.read(
        "SELECT medicine FROM doses WHERE medicine = ? COLLATE NOCASE "
        "UNION ALL SELECT medicine FROM medicine_limits WHERE medicine = ? COLLATE NOCASE "
        "LIMIT 1",
        (name, name),
    )
    return str(rows[0][0]) if rows else name


def has_doses(store: Store) -> bool:
    return bool(store.read("SELECT EXISTS (SELECT 1 FROM doses)")[0][0])


def recent_names(store: Store, limit: int = 20) -> list[str]:
    """The medicines logged lately, most recent first (for completion)."""
    rows = store.read(
        "SELECT medicine FROM doses GROUP BY medicine ORDER BY max(date || coalesce(time, '')) "
        "DESC LIMIT ?",
        (limit,),
    )
    return [r[0] for r in rows]


# --- limits ------------------------------------------------------------------------------------


def personal_limits(store: Store) -> dict[str, float]:
    return {
        m: float(mg) for m, mg in store.read("SELECT medicine, daily_max_mg FROM medicine_limits")
    }


def set_limit(store: Store, medicine: str, mg: float | None) -> None:
    """Set (or, with None, remove) a personal daily maximum for a medicine."""
    with store.write() as conn:
        if mg is None:
            conn.execute("DELETE FROM medicine_limits WHERE medicine = ?", (medicine,))
            return
        conn.execute(
            """INSERT INTO medicine_limits (medicine, daily_max_mg, updated) VALUES (?, ?, ?)
               ON CONFLICT(medicine) DO UPDATE SET daily_max_mg = excluded.daily_max_mg,
                 updated = excluded.updated""",
            (medicine, mg, timestamp()),
        )


def limits(store: Store) -> dict[str, Limit]:
    """Every daily maximum that applies: the list's, replaced by the person's own."""
    found = {
        m.name: Limit(m.daily_max_mg, False, m.source)
        for m in medicines().values()
        if m.daily_max_mg is not None
    }
    for name, mg in personal_limits(store).items():
        found[name] = Limit(mg, True, None)
    return found


# --- totals ------------------------------------------------------------------------------------


def _day_before(day: str) -> str:
    return date.fromordinal(max(1, date.fromisoformat(day).toordinal() - 1)).isoformat()


def total_24h(store: Store, medicine: str, day: str, time: str | None) -> float:
    """An ingredient's total within the 24 hours up to ``day`` ``time`` (its end, untimed)."""
    moment = datetime.fromisoformat(f"{day} {time or '23:59'}")
    since = moment - timedelta(seconds=DAY_SECONDS - 1)
    (total,) = store.read(
        f"""SELECT coalesce(sum(mg), 0) FROM ({_PARTS})
             WHERE medicine = :medicine AND moment BETWEEN :since AND :until""",
        {
            "first": _day_before(day),
            "last": day,
            "medicine": medicine,
            "since": _epoch(since),
            "until": _epoch(moment),
        },
    )[0]
    return float(total)


def _epoch(moment: datetime) -> int:
    # Local clock times compared as written, the way the SQL reads them.
    return int((moment - datetime(1970, 1, 1)).total_seconds())


def over_limits(store: Store, start: str, end: str) -> list[Over]:
    """Every dose from ``start`` to ``end`` that ended a 24 hours over its ingredient's limit,
    in time order."""
    found = limits(store)
    rows = store.read(
        f"""SELECT w.medicine, w.date, w.time, w.total, l.value
              FROM ({_WINDOWS}) AS w JOIN json_each(:limits) AS l ON l.key = w.medicine
             WHERE w.date >= :start AND w.total > l.value + 1e-9
             ORDER BY w.date, coalesce(w.time, '23:59'), w.medicine""",
        {
            "first": _day_before(start),
            "last": end,
            "start": start,
            "limits": json.dumps({m: limit.mg for m, limit in found.items()}),
        },
    )
    return [Over(m, d, t, float(total), found[m]) for m, d, t, total, _ in rows]


@dataclass(frozen=True)
class DayTotal:
    date: str
    medicine: str  # an ingredient
    doses: int
    total_mg: float
    largest_mg: float


def day_totals(store: Store, start: str | None = None, end: str | None = None) -> list[DayTotal]:
    """Each ingredient's total for each calendar day, in date order."""
    rows = store.read(
        f"""SELECT date, medicine, count(*), sum(mg), max(mg) FROM ({_PARTS})
             GROUP BY date, medicine ORDER BY date, medicine""",
        {"first": start or "0001-01-01", "last": end or "9999-12-31"},
    )
    return [DayTotal(d, m, int(n), float(total), float(big)) for d, m, n, total, big in rows]
