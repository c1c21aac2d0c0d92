"""Every SQL statement of the dose log (tables ``doses`` and ``medicine_limits``, m0004).

Totals are summed here, per ingredient: a combination's ``parts`` (JSON, name to mg) are
spread into one row per ingredient, so that the paracetamol in co-codamol counts as
paracetamol. A dose logged without a time counts at the end of its day.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from companion.store.core import Store

COLUMNS = ("id", "date", "time", "medicine", "dose_mg", "parts", "note", "created", "updated")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM doses"
_ORDER = "date, coalesce(time, ''), id"
# Each dose as one row per ingredient, at its moment in seconds (the clock read as written).
_PARTS = """SELECT d.id, d.date, d.time, coalesce(j.key, d.medicine) AS medicine,
       coalesce(j.value, d.dose_mg) AS mg,
       CAST(strftime('%s', d.date || ' ' || coalesce(d.time, '23:59')) AS INTEGER) AS moment
  FROM doses AS d LEFT JOIN json_each(d.parts) AS j
 WHERE d.date BETWEEN :first AND :last"""
# The total of an ingredient within the 24 hours up to and including each dose.
_WINDOWS = f"""SELECT id, date, time, medicine, moment, sum(mg) OVER (
         PARTITION BY medicine ORDER BY moment RANGE BETWEEN 86399 PRECEDING AND CURRENT ROW
       ) AS total
  FROM ({_PARTS})"""


def insert(store: Store, row: Sequence[Any]) -> None:
    """One dose, its values in COLUMNS order."""
    with store.write() as conn:
        conn.execute(
            f"INSERT INTO doses ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            tuple(row),
        )


def delete_by_prefix(store: Store, prefix: str) -> tuple[Any, ...] | None:
    """Delete the one dose whose id starts with ``prefix`` and return its row; None when no
    dose (or more than one) has it."""
    with store.write() as conn:
        rows = conn.execute(
            f"{_SELECT} WHERE substr(id, 1, ?) = ? LIMIT 2", (len(prefix), prefix)
        ).fetchall()
        if len(rows) != 1:
            return None
        conn.execute("DELETE FROM doses WHERE id = ?", (rows[0][0],))
    return tuple(rows[0])


def between(store: Store, start: str, end: str) -> list[tuple[Any, ...]]:
    """The doses from ``start`` to ``end``, in time order, in COLUMNS order."""
    return store.read(f"{_SELECT} WHERE date BETWEEN ? AND ? ORDER BY {_ORDER}", (start, end))


def recent_names(store: Store, limit: int) -> list[str]:
    """The medicines logged lately, most recent first."""
    rows = store.read(
        "SELECT medicine FROM doses GROUP BY medicine ORDER BY max(date || coalesce(time, '')) "
        "DESC LIMIT ?",
        (limit,),
    )
    return [r[0] for r in rows]


def spelling(store: Store, name: str) -> str | None:
    """How the log (or a personal limit) first spelled ``name``, ignoring case."""
    rows = store.read(
        "SELECT medicine FROM doses WHERE medicine = ? COLLATE NOCASE "
        "UNION ALL SELECT medicine FROM medicine_limits WHERE medicine = ? COLLATE NOCASE "
        "LIMIT 1",
        (name, name),
    )
    return str(rows[0][0]) if rows else None


def has_doses(store: Store, first: str = "", last: str = "9999-12-31") -> bool:
    """Whether any dose is logged from ``first`` to ``last`` (YYYY-MM-DD; all, by default)."""
    sql = "SELECT EXISTS (SELECT 1 FROM doses WHERE date BETWEEN ? AND ?)"
    return bool(store.read(sql, (first, last))[0][0])


def personal_limits(store: Store) -> dict[str, float]:
    return {
        m: float(mg) for m, mg in store.read("SELECT medicine, daily_max_mg FROM medicine_limits")
    }


def set_limit(store: Store, medicine: str, mg: float | None, updated: str) -> None:
    """Set (or, with None, remove) a personal daily maximum."""
    with store.write() as conn:
        if mg is None:
            conn.execute("DELETE FROM medicine_limits WHERE medicine = ?", (medicine,))
            return
        conn.execute(
            """INSERT INTO medicine_limits (medicine, daily_max_mg, updated) VALUES (?, ?, ?)
               ON CONFLICT(medicine) DO UPDATE SET daily_max_mg = excluded.daily_max_mg,
                 updated = excluded.updated""",
            (medicine, mg, updated),
        )


def total(store: Store, medicine: str, first: str, last: str, since: int, until: int) -> float:
    """An ingredient's total of the doses whose moment (seconds) is from since to until;
    ``first`` and ``last`` bound their dates."""
    return _of_doses(store, "sum(mg)", _PARTS, medicine, first, last, since, until)


def largest_total(
    store: Store, medicine: str, first: str, last: str, since: int, until: int
) -> float:
    """An ingredient's largest total within the 24 hours up to any of its doses whose moment
    (seconds) is from since to until; ``first`` and ``last`` bound the dates counted."""
    return _of_doses(store, "max(total)", _WINDOWS, medicine, first, last, since, until)


def _of_doses(
    store: Store,
    aggregate: str,
    rows: str,
    medicine: str,
    first: str,
    last: str,
    since: int,
    until: int,
) -> float:
    """``aggregate`` over one ingredient's ``rows`` (doses or 24-hour windows) whose moment is
    from since to until; 0 when there are none."""
    (found,) = store.read(
        f"""SELECT coalesce({aggregate}, 0) FROM ({rows})
             WHERE medicine = :medicine AND moment BETWEEN :since AND :until""",
        {"first": first, "last": last, "medicine": medicine, "since": since, "until": until},
    )[0]
    return float(found)


def over(
    store: Store, first: str, start: str, last: str, limits_json: str
) -> list[tuple[str, str, str | None, float]]:
    """(ingredient, date, time, total) of each dose from ``start`` to ``last`` that ended
    24 hours over its ingredient's limit (``limits_json``: name to mg), in time order;
    doses from ``first`` count towards the totals."""
    return store.read(
        f"""SELECT w.medicine, w.date, w.time, w.total
              FROM ({_WINDOWS}) AS w JOIN json_each(:limits) AS l ON l.key = w.medicine
             WHERE w.date >= :start AND w.total > l.value + 1e-9
             ORDER BY w.date, coalesce(w.time, '23:59'), w.medicine""",
        {"first": first, "last": last, "start": start, "limits": limits_json},
    )


def day_totals(store: Store, first: str, last: str) -> list[tuple[str, str, int, float, float]]:
    """(date, ingredient, doses, total mg, largest mg) of each day, in date order."""
    return store.read(
        f"""SELECT date, medicine, count(*), sum(mg), max(mg) FROM ({_PARTS})
             GROUP BY date, medicine ORDER BY date, medicine""",
        {"first": first, "last": last},
    )
