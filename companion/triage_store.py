"""Triage results kept in the diary (the triage_results table), for the person and reports.

``reasons`` is stored as a JSON list of {id, disposition, text, sources}, exactly as
``companion triage --json`` prints them; ``answers`` as the JSON object of answers given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from companion.entry import new_id, now_local, timestamp
from companion.store import Store, triage_results
from companion.triage import Answer, Result


@dataclass(frozen=True, eq=False)
class SavedResult:
    id: str
    taken_at: str
    date: str
    disposition: str
    answers: dict[str, Answer]
    reasons: list[dict[str, Any]]


def save_result(store: Store, result: Result, day: date | None = None) -> SavedResult:
    """Store one result, dated ``day`` (default: today), in one write transaction."""
    saved = SavedResult(
        id=new_id(),
        taken_at=timestamp(),
        date=(day or now_local().date()).isoformat(),
        disposition=result.disposition,
        answers=dict(result.answers),
        reasons=[r.to_json() for r in result.reasons],
    )
    triage_results.insert(
        store,
        (
            saved.id,
            saved.taken_at,
            saved.date,
            saved.disposition,
            json.dumps(saved.answers, sort_keys=True),
            json.dumps(saved.reasons),
        ),
    )
    return saved


def results(store: Store, start: str | None = None, end: str | None = None) -> list[SavedResult]:
    """Saved results with dates from ``start`` to ``end`` (ISO dates, inclusive), oldest first."""
    rows = triage_results.between(store, start, end)
    return [SavedResult(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5])) for r in rows]
