"""The doctor's summary: what the diary says about a range of dates.

``summarise`` gathers the figures from the store (SQLite aggregates; the diary never sits in
memory); ``companion.report`` writes them out, and ``companion.report_html`` lays them out
as one page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from companion.entry import FUTURE, VOCABULARIES
from companion.errors import UsageError
from companion.ranges import PRESETS as PRESETS

if TYPE_CHECKING:
    from companion.alerts import Alert
    from companion.doses import Limit
    from companion.followups import Followup
    from companion.insights import Insights
    from companion.store import Store
    from companion.store.records import DayStats

DEFAULT_DAYS = 90
TOP_ENTRIES = 5
TRIAGE_SHOWN = 5
MEDICINES_SHOWN = 8
# Longer ranges count cramps per month, so the bars stay readable.
WEEKLY_BARS_MAX = 60

Progress = Callable[[int, int], None]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Bucket:
    """Cramps in one week (or month): None when no entry in it recorded cramps."""

    start: date
    cramps: int | None


@dataclass(frozen=True)
class TopEntry:
    date: str
    time: str | None
    pain: int | None
    worst_pain: int | None
    night_pain: int | None
    notes: str | None = field(repr=False)  # diary text stays out of tracebacks, as in Entry


@dataclass(frozen=True)
class TriageRow:
    taken_at: str
    date: str
    disposition: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TriageSigns:
    """The warning signs answered yes in the period's triage results, and whether any result
    advised more than self-care (with or without a sign to name)."""

    signs: list[tuple[str, list[str]]]  # (the question's short words, dates), question order
    raised: int  # results that were not self-care


@dataclass(frozen=True)
class MedicineRow:
    """One medicine (or ingredient of a combination) from the dose log, over the period."""

    medicine: str = field(repr=False)  # may be a name as the person wrote it
    doses: int
    days: int
    mean_daily_mg: float  # on the days it was taken
    max_daily_mg: float
    days_over: int  # days on which a 24 hours ending that day went over the limit
    limit: Limit | None


@dataclass(frozen=True)
class Habits:
    """Sleep, mood and activity over the period: means and the days that recorded each."""

    sleep_hours: float | None
    sleep_days: int
    mood: float | None
    mood_days: int
    activity_min: float | None
    activity_days: int


@dataclass(frozen=True)
class Summary:
    """Everything the one-page summary shows, for one date range."""

    start: date
    end: date
    written: date
    entries: int
    days: list[DayStats]
    buckets: list[Bucket]
    relief: list[tuple[str, int]]
    medicine_entries: int
    medicines: list[tuple[str, int]] = field(repr=False)  # as written by the person
    medicines_other: int
    top: list[TopEntry]
    triage: list[TriageRow]
    triage_total: int
    alerts_active: list[Alert] = field(default_factory=list)
    alerts_fired: list[Alert] = field(default_factory=list)
    triage_signs: TriageSigns = field(default_factory=lambda: TriageSigns([], 0))
    followups: list[Followup] = field(default_factory=list)
    doses: list[MedicineRow] = field(default_factory=list)
    habits: Habits = field(default_factory=lambda: Habits(None, 0, None, 0, None, 0))
    insights: Insights | None = None
    demo: bool = False
    """From a generated demo diary: the page says so wherever it is read or printed."""

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def monthly(self) -> bool:
        return monthly_buckets(self.start, self.end)


def monthly_buckets(start: date, end: date) -> bool:
    return (end - start).days // 7 > WEEKLY_BARS_MAX


# --- ranges and names ---------------------------------------------------------------------


def preset_range(preset: str, today: date, span: tuple[str, str] | None) -> tuple[date, date]:
    """The dates a preset stands for; the whole diary is ``store.span()`` up to today."""
    if preset not in PRESETS:
        raise UsageError(f"range: choose one of {', '.join(PRESETS).lower()}")
    days = PRESETS[preset]
    if days is not None:
        return today - timedelta(days=days - 1), today
    if span is None:
        return today, today
    first, last = (date.fromisoformat(d) for d in span)
    return min(first, today), max(last, today)


def resolve_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """Fill in a missing end (today) or start (DEFAULT_DAYS up to the end, never before the
    first day of the calendar); check order."""
    end = end or today
    start = start or end - min(timedelta(days=DEFAULT_DAYS - 1), end - date.min)
    if start > end:
        raise UsageError(f"the start date {start} is after the end date {end}")
    if end > today:
        # The days still to come would count as days with nothing logged.
        raise UsageError(f"the end date {end} {FUTURE}")
    return start, end


# --- gathering ----------------------------------------------------------------------------


class _Reader:
    """Read-only SQL over one store and one range (the range's dates are the first parameters)."""

    def __init__(self, store: Store, start: date, end: date) -> None:
        self.store = store
        self.start, self.end = start, end
        self.range = (start.isoformat(), end.isoformat())

    def count(self) -> int:
        from companion.store import summary

        return summary.count(self.store, *self.range)

    def daily(self) -> list[DayStats]:
        return self.store.daily(*self.range)

    def buckets(self) -> list[Bucket]:
        """Cramps per Monday-started week (per month for long ranges), gaps included."""
        from companion.store import summary

        monthly = monthly_buckets(self.start, self.end)
        found = {
            r[0]: (int(r[1]) if r[2] else None)
            for r in summary.cramp_buckets(self.store, *self.range, monthly=monthly)
        }
        starts = _bucket_starts(self.start, self.end, monthly=monthly)
        return [Bucket(day, found.get(day.isoformat())) for day in starts]

    def relief(self) -> list[tuple[str, int]]:
        """How many entries named each relief, most used first."""
        from companion.store import summary

        words = VOCABULARIES["relief"]
        counts = summary.word_counts(self.store, *self.range, "relief", words)
        used = [(word, n) for word, n in zip(words, counts, strict=True) if n]
        return sorted(used, key=lambda pair: -pair[1])

    def medicines(self) -> tuple[int, list[tuple[str, int]], int]:
        """Entries naming a medicine, the most frequent texts, and how many others."""
        from companion.store import summary

        entries, distinct, top = summary.medicines(self.store, *self.range, MEDICINES_SHOWN)
        return entries, [(r[0], int(r[1])) for r in top], distinct - len(top)

    def doses(self) -> list[MedicineRow]:
        """Each medicine of the dose log: how often, the daily totals, the days over a
        limit (a 24 hours that ended that day), most taken first."""
        from companion.doses import day_totals, limits, over_limits

        first, last = self.range
        days_over: dict[str, set[str]] = {}
        for over in over_limits(self.store, first, last):
            days_over.setdefault(over.medicine, set()).add(over.date)
        found = limits(self.store)
        by_medicine: dict[str, list[tuple[int, float]]] = {}
        for total in day_totals(self.store, first, last):
            by_medicine.setdefault(total.medicine, []).append((total.doses, total.total_mg))
        rows = [
            MedicineRow(
                medicine=name,
                doses=sum(n for n, _ in days),
                days=len(days),
                mean_daily_mg=sum(mg for _, mg in days) / len(days),
                max_daily_mg=max(mg for _, mg in days),
                days_over=len(days_over.get(name, ())),
                limit=found.get(name),
            )
            for name, days in by_medicine.items()
        ]
        return sorted(rows, key=lambda r: (-r.days, -r.doses, r.medicine))

    def habits(self) -> Habits:
        from companion.store import summary

        return Habits(*summary.habits(self.store, *self.range))

    def top(self) -> list[TopEntry]:
        """The highest-pain entries; among equals, those with notes, then the latest."""
        from companion.store import summary

        return [TopEntry(*r) for r in summary.top_pain(self.store, *self.range, TOP_ENTRIES)]

    def triage(self) -> tuple[list[TriageRow], int, TriageSigns]:
        from companion.store import triage_results

        total = triage_results.count(self.store, *self.range)
        rows = triage_results.latest(self.store, *self.range, TRIAGE_SHOWN)
        shown = [TriageRow(r[0], r[1], r[2], _reason_texts(r[3])) for r in rows]
        return shown, total, self.triage_signs()

    def triage_signs(self) -> TriageSigns:
        """Every result of the period that advised more than self-care: the warning signs
        its answers said yes to, so the summary's list of signs agrees with its results."""
        from companion.store import triage_results
        from companion.triage import triage

        content = triage()
        warning = content.warning_questions
        rows = triage_results.answers_beyond_self_care(self.store, *self.range)
        dates: dict[str, list[str]] = {}
        for day, raw in rows:
            answers = _json_object(raw)
            for q in content.questions:
                if q.id in warning and answers.get(q.id) is True:
                    dates.setdefault(q.id, [])
                    if day not in dates[q.id]:
                        dates[q.id].append(day)
        order = [q.id for q in content.questions]
        signs = [(content.by_id[q].short, dates[q]) for q in sorted(dates, key=order.index)]
        return TriageSigns(signs, len(rows))

    def insights(self) -> Insights:
        from companion import insights

        return insights.read(self.store, self.start, self.end)

    def followups(self) -> list[Followup]:
        from companion import followups

        return followups.between(self.store, *self.range)

    def alerts(self) -> tuple[list[Alert], list[Alert]]:
        """Alerts active at the end of the range, and every episode that fired during it.

        The rules are checked as of each day of the range (a rule may look at only three
        days). An alert whose evidence overlaps the previous one of the same rule is the same
        episode, kept as it last stood. Acknowledged alerts are included: this is for a
        clinician.
        """
        from companion.alert_diary import days_to_check, load_diary
        from companion.alert_rules import LEVELS
        from companion.alerts import check

        diary = load_diary(self.store, self.start, self.end)
        episodes: dict[str, list[Alert]] = {}
        for day in days_to_check(diary, self.start, self.end):
            for alert in check(diary, day):
                runs = episodes.setdefault(alert.rule, [])
                if runs and alert.since <= max(e.date for e in runs[-1].evidence):
                    runs[-1] = alert
                else:
                    runs.append(alert)
        fired = sorted(
            (a for runs in episodes.values() for a in runs),
            key=lambda a: (LEVELS.index(a.level), a.since),
        )
        return check(diary, self.end), fired


def _bucket_starts(start: date, end: date, *, monthly: bool) -> list[date]:
    """The first day of each month, or each Monday, from the one holding ``start``.

    Counted in month and day numbers, so a range ending in the calendar's last month or
    week does not step past it.
    """
    if monthly:
        months = range(start.year * 12 + start.month - 1, end.year * 12 + end.month)
        return [date(m // 12, m % 12 + 1, 1) for m in months]
    monday = start.toordinal() - start.weekday()  # 1 Jan of the year 1 was a Monday
    return [date.fromordinal(n) for n in range(monday, end.toordinal() + 1, 7)]


def _reason_texts(raw: str) -> tuple[str, ...]:
    try:
        reasons = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(reasons, list):
        return ()
    return tuple(str(r["text"]) for r in reasons if isinstance(r, dict) and r.get("text"))


def _json_object(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# The summary's share of an export's progress: its eleven gathering steps, then the page.
REPORT_STEPS = 12


def summarise(
    store: Store, start: date, end: date, today: date, progress: Progress | None = None
) -> Summary:
    """Gather the summary for [start, end]; ``progress(done, REPORT_STEPS)`` after each step."""
    reader = _Reader(store, start, end)
    steps: list[Callable[[], Any]] = [
        reader.count,
        reader.daily,
        reader.buckets,
        reader.relief,
        reader.medicines,
        reader.top,
        reader.triage,
        reader.alerts,
        reader.doses,
        reader.habits,
        reader.insights,
    ]
    results = []
    for done, step in enumerate(steps, 1):
        results.append(step())
        if progress:
            progress(done, REPORT_STEPS)
    count, days, buckets, relief, medicines, top, triage, alerts, doses, habits, insights = results
    followups = reader.followups()  # a handful of rows, with the alerts they settle
    return Summary(
        start=start,
        end=end,
        written=today,
        entries=count,
        days=days,
        buckets=buckets,
        relief=relief,
        medicine_entries=medicines[0],
        medicines=medicines[1],
        medicines_other=medicines[2],
        top=top,
        triage=triage[0],
        triage_total=triage[1],
        triage_signs=triage[2],
        followups=followups,
        alerts_active=alerts[0],
        alerts_fired=alerts[1],
        doses=doses,
        habits=habits,
        insights=insights,
    )
