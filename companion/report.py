"""The doctor's summary: what the diary says about a date range, and writing it out.

``summarise`` gathers the figures with SQL (SQLite aggregates; the diary never sits in
memory), ``companion.report_html`` lays them out as one page, and ``export`` writes the CSV
and/or the summary atomically, reporting progress for long diaries.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.csvio import DEMO_NOTE as DEMO_NOTE
from companion.entry import FUTURE, VOCABULARIES
from companion.errors import UsageError
from companion.ranges import PRESETS as PRESETS

if TYPE_CHECKING:
    from companion.alerts import Alert
    from companion.followups import Followup
    from companion.insights import Insights
    from companion.store import DayStats, Store

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


def default_paths(directory: Path, today: date, *, demo: bool = False) -> tuple[Path, Path]:
    """Where the app saves a CSV and a summary by default: the date in the name, and DEMO in
    that of a demo diary's export, so it never takes the name of a real one."""
    stem = f"companion-{'DEMO-' * demo}{today.isoformat()}"
    return directory / f"{stem}.csv", directory / f"{stem}.html"


# --- gathering ----------------------------------------------------------------------------


class _Reader:
    """Read-only SQL over one store and one range (the range's dates are the first parameters)."""

    def __init__(self, store: Store, start: date, end: date) -> None:
        self.store = store
        self.start, self.end = start, end
        self.range = (start.isoformat(), end.isoformat())

    def rows(self, sql: str, *params: Any) -> list[Any]:
        return self.store.read(sql, (*self.range, *params))

    def count(self) -> int:
        return int(self.rows("SELECT count(*) FROM entries WHERE date BETWEEN ? AND ?")[0][0])

    def daily(self) -> list[DayStats]:
        return self.store.daily(*self.range)

    def buckets(self) -> list[Bucket]:
        """Cramps per Monday-started week (per month for long ranges), gaps included."""
        monthly = monthly_buckets(self.start, self.end)
        key = "strftime('%Y-%m-01', date)" if monthly else "date(date, '-6 days', 'weekday 1')"
        found = {
            r[0]: (int(r[1]) if r[2] else None)
            for r in self.rows(
                f"SELECT {key} AS bucket, coalesce(sum(cramps), 0), count(cramps) FROM entries "
                "WHERE date BETWEEN ? AND ? GROUP BY bucket"
            )
        }
        starts = _bucket_starts(self.start, self.end, monthly=monthly)
        return [Bucket(day, found.get(day.isoformat())) for day in starts]

    def relief(self) -> list[tuple[str, int]]:
        """How many entries named each relief, most used first."""
        words = VOCABULARIES["relief"]
        sums = ", ".join(
            f"coalesce(sum(instr(';' || relief || ';', ';{w};') > 0), 0)" for w in words
        )
        (row,) = self.rows(f"SELECT {sums} FROM entries WHERE date BETWEEN ? AND ?")
        used = [(word, int(n)) for word, n in zip(words, row, strict=True) if n]
        return sorted(used, key=lambda pair: -pair[1])

    def medicines(self) -> tuple[int, list[tuple[str, int]], int]:
        """Entries naming a medicine, the most frequent texts, and how many others."""
        where = "date BETWEEN ? AND ? AND trim(coalesce(medications, '')) != ''"
        ((entries, distinct),) = self.rows(
            f"SELECT count(*), count(DISTINCT lower(trim(medications))) FROM entries WHERE {where}"
        )
        top = self.rows(
            f"SELECT min(trim(medications)), count(*) AS n FROM entries WHERE {where} "
            "GROUP BY lower(trim(medications)) ORDER BY n DESC, 1 LIMIT ?",
            MEDICINES_SHOWN,
        )
        return int(entries), [(r[0], int(r[1])) for r in top], int(distinct) - len(top)

    def top(self) -> list[TopEntry]:
        """The highest-pain entries; among equals, those with notes, then the latest."""
        rows = self.rows(
            "SELECT date, time, pain, worst_pain, night_pain, notes FROM entries "
            "WHERE date BETWEEN ? AND ? AND coalesce(pain, worst_pain) IS NOT NULL "
            "ORDER BY max(coalesce(pain, 0), coalesce(worst_pain, 0)) DESC, "
            "notes IS NOT NULL DESC, date DESC, coalesce(time, '') DESC, id LIMIT ?",
            TOP_ENTRIES,
        )
        return [TopEntry(*r) for r in rows]

    def triage(self) -> tuple[list[TriageRow], int, TriageSigns]:
        where = "FROM triage_results WHERE date BETWEEN ? AND ?"
        total = int(self.rows(f"SELECT count(*) {where}")[0][0])
        rows = self.rows(
            f"SELECT taken_at, date, disposition, reasons {where} ORDER BY taken_at DESC LIMIT ?",
            TRIAGE_SHOWN,
        )
        shown = [TriageRow(r[0], r[1], r[2], _reason_texts(r[3])) for r in rows]
        return shown, total, self.triage_signs(where)

    def triage_signs(self, where: str) -> TriageSigns:
        """Every result of the period that advised more than self-care: the warning signs
        its answers said yes to, so the summary's list of signs agrees with its results."""
        from companion.triage import triage

        content = triage()
        warning = content.warning_questions
        rows = self.rows(
            f"SELECT date, answers {where} AND disposition != 'self_care' ORDER BY date, taken_at"
        )
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


# The summary's share of an export's progress: its nine gathering steps, then the page.
REPORT_STEPS = 10


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
        reader.insights,
    ]
    results = []
    for done, step in enumerate(steps, 1):
        results.append(step())
        if progress:
            progress(done, REPORT_STEPS)
    count, days, buckets, relief, medicines, top, triage, alerts, insights = results
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
        insights=insights,
    )


# --- writing ------------------------------------------------------------------------------


def write_report(
    store: Store, path: Path, start: date, end: date, today: date, *, replace: bool = False
) -> Summary:
    """Write the summary to ``path`` (0600, atomically) and return what it shows.

    An existing file is replaced only with ``replace``; see ``companion.targets`` for the
    files that never are.
    """
    from companion.report_html import render
    from companion.targets import check_target, exists_message, private_output

    if check_target(path, store.path) and not replace:
        raise UsageError(exists_message(path))
    summary = summarise(store, start, end, today)
    page = render(summary)
    with private_output(path, replace=replace) as handle:
        handle.write(page)
    return summary


@dataclass(frozen=True)
class ExportResult:
    csv_path: Path | None
    csv_rows: int
    html_path: Path | None


def _counted(rows: Iterable[Row], tick: Callable[[int], None]) -> Iterator[Row]:
    for done, row in enumerate(rows, 1):
        if done % 500 == 0:
            tick(done)
        yield row


def _marked_demo(rows: Iterable[Row], notes: int) -> Iterator[Row]:
    """Every row's notes (column ``notes``) start with DEMO_NOTE: a demo CSV says what it is
    in every row a spreadsheet shows, and stays one that imports."""
    for row in rows:
        note = row[notes]
        yield (*row[:notes], f"{DEMO_NOTE}. {note}" if note else DEMO_NOTE, *row[notes + 1 :])


def export(
    store: Store,
    start: date,
    end: date,
    today: date,
    *,
    csv_path: Path | None = None,
    html_path: Path | None = None,
    progress: Progress | None = None,
    demo: bool = False,
    replace: bool = True,
) -> ExportResult:
    """Write the CSV and/or the summary for [start, end]; ``demo`` marks both as generated.

    Both files appear together or not at all: each is written to a temporary file, and the
    renames happen only once everything has been written. A file of the same name is
    replaced unless ``replace`` is False (the app asks first: ``targets.check_target``);
    the diary, a backup, a database, a device or a link never is.
    """
    from companion import csvio
    from companion.report_html import render
    from companion.targets import check_target, exists_message, private_output

    if csv_path is None and html_path is None:
        raise UsageError("choose a CSV, a summary, or both")
    for path in (csv_path, html_path):
        if path is not None and check_target(path, store.path) and not replace:
            raise UsageError(exists_message(path))
    reader = _Reader(store, start, end)
    total = (reader.count() if csv_path else 0) + (REPORT_STEPS if html_path else 0)

    def report(done: int) -> None:
        if progress:
            progress(min(done, total), total)

    rows = 0
    with contextlib.ExitStack() as files:
        if csv_path is not None:
            handle = files.enter_context(private_output(csv_path, newline="", replace=replace))
            handle.write("\ufeff")  # a BOM, so spreadsheets read the file as UTF-8
            stored: Iterable[Row] = store.iter_values(csvio.CSV_COLUMNS, *reader.range)
            if demo:
                stored = _marked_demo(stored, csvio.CSV_COLUMNS.index("notes"))
            rows = csvio.write_rows(_counted(stored, report), handle)
            report(rows)
        if html_path is not None:
            summary = summarise(store, start, end, today, lambda done, _: report(rows + done))
            page = render(dataclasses.replace(summary, demo=demo))
            files.enter_context(private_output(html_path, replace=replace)).write(page)
    report(total)
    return ExportResult(csv_path, rows, html_path)
