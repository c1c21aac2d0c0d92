"""The red-flag rules' view of the diary worked out in Python from entries or days given
directly: an oracle for the SQL the companion reads them with (``Store.daily``,
``alert_diary.load_diary``, ``sign_history.load``), and a way to check a rule on a handful of
entries without a diary file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from companion import sign_history
from companion.alert_diary import Diary, day_reach, history_options, weight_reach
from companion.alert_rules import ago, fmean
from companion.alerts import Alert, check
from companion.alerts import evaluate as evaluate_store
from companion.entry import Entry
from companion.store import REST_PAIN, Store
from companion.store.records import DayStats


def evaluate(source: Store | Iterable[DayStats] | Iterable[Entry], today: date) -> list[Alert]:
    """The alerts as of ``today``: from a diary file as the app reads it, or from entries or
    days given (entries after ``today`` are ignored)."""
    if isinstance(source, Store):
        return evaluate_store(source, today)
    return check(diary_of(source, today), today)


def day_stats(day: str, entries: Sequence[Entry]) -> DayStats:
    """One day's aggregate from its entries, exactly as ``Store.daily`` computes it in SQL."""

    def worst(e: Entry) -> int | None:
        return e.worst_pain if e.worst_pain is not None else e.pain

    pains = [e.pain for e in entries if e.pain is not None]
    weights = [e.weight_kg for e in entries if e.weight_kg is not None]
    return DayStats(
        date=day,
        entries=len(entries),
        pain_mean=fmean(pains) if pains else None,
        pain_worst=max((w for e in entries if (w := worst(e)) is not None), default=None),
        night_pain=max((e.night_pain for e in entries if e.night_pain is not None), default=None),
        woke_at_night=any(e.woke_at_night == "yes" for e in entries),
        night_answered=any(
            e.night_pain is not None or e.woke_at_night is not None for e in entries
        ),
        rest_not_easing=any(
            e.eased_by_rest == "no" and (worst(e) or 0) >= REST_PAIN for e in entries
        ),
        rest_answered=any(e.eased_by_rest is not None for e in entries),
        cramps=sum(e.cramps or 0 for e in entries),
        cramp_minutes=max(
            (e.cramp_minutes for e in entries if e.cramp_minutes is not None), default=None
        ),
        weight_kg=fmean(weights) if weights else None,
        temperature_c=max(
            (e.temperature_c for e in entries if e.temperature_c is not None), default=None
        ),
        red_flags=frozenset().union(*(e.red_flags for e in entries)),
    )


def of_items(
    items: Iterable[DayStats] | Iterable[Entry],
    *,
    fever_from: float,
    cramp_over: float,
    pain: sign_history.PainWindow,
) -> sign_history.SignHistory:
    """The history of days or entries given directly (no follow-ups, no triage results)."""
    builder = sign_history._Builder(fever_from, cramp_over)
    worst_by_day: dict[str, int] = {}
    for item in items:
        if isinstance(item, Entry):
            moment = (item.date, sign_history.clock_of(item.date, item.time, item.created))
            worst = item.worst_pain if item.worst_pain is not None else item.pain
        else:
            moment, worst = (item.date, sign_history.DAY_END), item.pain_worst
        builder.sign(moment, item.red_flags, item.temperature_c)
        builder.cramp(moment, item.cramp_minutes)
        if worst is not None:
            worst_by_day[item.date] = max(worst_by_day.get(item.date, worst), worst)
    return builder.build(worst_by_day, pain)


def diary_of(source: Iterable[DayStats] | Iterable[Entry], today: date) -> Diary:
    """The same view of days or entries given directly: the windows the rules read, and the
    sign history of them all."""
    first = ago(today, day_reach() - 1)
    weight_first = ago(today, weight_reach() - 1)
    end = today.isoformat()
    days: dict[str, DayStats] = {}
    entries: dict[str, list[Entry]] = defaultdict(list)
    weights: dict[str, list[float]] = defaultdict(list)
    first_date: str | None = None
    kept: list[Any] = []
    for item in source:
        if item.date > end:
            continue
        kept.append(item)
        first_date = min(first_date or item.date, item.date)
        kg = item.weight_kg
        if kg is not None and item.date >= weight_first:
            weights[item.date].append(kg)
        if item.date < first:
            continue
        if isinstance(item, Entry):
            entries[item.date].append(item)
        else:
            days[item.date] = item
    days.update((day, day_stats(day, group)) for day, group in entries.items())
    history = of_items(kept, **history_options())
    return Diary(days, [(d, fmean(weights[d])) for d in sorted(weights)], first_date, history)
