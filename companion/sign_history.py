"""What the red-flag rules remember beyond their windows of days.

A warning sign does not expire because nothing was logged since: it stays until a later
record settles it. This holds, for any day, when each sign was noted, when it was recorded
gone, when the person was seen, the saved triage results, and the temperatures and pain
scores around a fever. It comes from the store in SQL (only the entries that hold a sign or
a temperature, through a partial index, and only since the last 'seen' record before the
range), or from days and entries given directly, with the same result.

Moments are (date, clock) pairs, so records on the same day are ordered too. A clock is
the time written down, else the local time the record was written on that day; a record
written on a later day about an earlier one, with no time, counts as that day's end.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from companion.entry import Entry
from companion.store import DayStats, Store

Moment = tuple[str, str]  # (YYYY-MM-DD, clock); compared as tuples
DAY_END = "24:00"  # after every clock of a day
DAY_START = ""  # before every clock of a day
FEVER = "fever"


def clock_of(day: str, time: str | None, written: str | None) -> str:
    """The clock of a record about ``day``: its time, else when it was written that day."""
    if time:
        return time
    try:
        local = datetime.fromisoformat(written or "").astimezone()
    except ValueError:
        return DAY_END
    return local.strftime("%H:%M:%S") if local.date().isoformat() == day else DAY_END


@dataclass(frozen=True)
class TriageMark:
    """A saved triage result as the rules read it."""

    moment: Moment
    disposition: str
    reasons: tuple[dict[str, object], ...]  # as saved: {id, disposition, text, sources}
    answers: Mapping[str, object]

    @property
    def date(self) -> str:
        return self.moment[0]


def _upto(moments: Sequence[Moment], day: str) -> int:
    """How many of the sorted moments are on or before ``day``."""
    return bisect.bisect_right(moments, (day, "\uffff"))


@dataclass(frozen=True, eq=False)
class SignHistory:
    noted: Mapping[str, Sequence[Moment]] = field(default_factory=dict)  # per sign, sorted
    gone: Mapping[str, Sequence[Moment]] = field(default_factory=dict)  # per sign, sorted
    seen: Sequence[Moment] = ()  # sorted
    triage: Sequence[TriageMark] = ()  # sorted by moment
    hottest: Mapping[str, float] = field(default_factory=dict)  # day -> highest temperature
    worst_pain: Mapping[str, int] = field(default_factory=dict)  # day -> worst pain, near fevers

    def last_seen(self, today: date) -> Moment | None:
        n = _upto(self.seen, today.isoformat())
        return self.seen[n - 1] if n else None

    def last_gone(self, sign: str, today: date) -> Moment | None:
        marks = self.gone.get(sign, ())
        n = _upto(marks, today.isoformat())
        return marks[n - 1] if n else None

    def active(self, sign: str, today: date, *, gone_settles: bool = True) -> Sequence[Moment]:
        """When ``sign`` was noted, up to ``today``, since it was last settled: by a 'seen'
        record, or (if ``gone_settles``) by a record that it had gone."""
        marks = self.noted.get(sign, ())
        settled = [self.last_seen(today)]
        if gone_settles:
            settled.append(self.last_gone(sign, today))
        after = max((m for m in settled if m is not None), default=None)
        first = bisect.bisect_right(marks, after) if after else 0
        return marks[first : _upto(marks, today.isoformat())]

    def latest_triage(self, today: date) -> TriageMark | None:
        """The latest triage result up to ``today``, unless a 'seen' record came after it."""
        n = bisect.bisect_right([t.moment for t in self.triage], (today.isoformat(), "\uffff"))
        if not n:
            return None
        latest, seen = self.triage[n - 1], self.last_seen(today)
        return latest if seen is None or latest.moment > seen else None

    def event_days(self, start: str, end: str) -> set[str]:
        """Days from ``start`` to ``end`` on which something here changed."""
        marks = [*self.seen, *(t.moment for t in self.triage)]
        for group in (self.noted, self.gone):
            for moments in group.values():
                marks += moments
        return {day for day, _ in marks if start <= day <= end}


# --- building it ------------------------------------------------------------------------------


class _Builder:
    """Collects marks in any order, then sorts them into a SignHistory."""

    def __init__(self, fever_from: float) -> None:
        self.fever_from = fever_from
        self.noted: dict[str, list[Moment]] = defaultdict(list)
        self.gone: dict[str, list[Moment]] = defaultdict(list)
        self.seen: list[Moment] = []
        self.triage: list[TriageMark] = []
        self.hottest: dict[str, float] = {}
        self.flagged_fever: set[str] = set()
        self.temperature_days: set[str] = set()

    def sign(self, moment: Moment, flags: Iterable[str], temperature: float | None) -> None:
        day = moment[0]
        for flag in flags:
            self.noted[flag].append(moment)
            if flag == FEVER:
                self.flagged_fever.add(day)
        if temperature is not None:
            self.temperature_days.add(day)
            self.hottest[day] = max(self.hottest.get(day, temperature), temperature)
            if temperature >= self.fever_from:
                self.noted[FEVER].append(moment)

    def followup(self, moment: Moment, kind: str, signs: Iterable[str]) -> None:
        if kind == "seen":
            self.seen.append(moment)
        for sign in signs:
            self.gone[sign].append(moment)

    def fever_days(self) -> list[str]:
        return sorted({day for day, _ in self.noted.get(FEVER, ())})

    def build(self, worst_pain: Mapping[str, int]) -> SignHistory:
        # A day whose temperatures were all normal, with no fever noted, says the fever has
        # gone: it settles fevers of the days before it.
        for day in self.temperature_days:
            if self.hottest[day] < self.fever_from and day not in self.flagged_fever:
                self.gone[FEVER].append((day, DAY_START))
        return SignHistory(
            noted={k: sorted(v) for k, v in self.noted.items()},
            gone={k: sorted(v) for k, v in self.gone.items()},
            seen=sorted(self.seen),
            triage=sorted(self.triage, key=lambda t: t.moment),
            hottest=dict(self.hottest),
            worst_pain=dict(worst_pain),
        )


def of_items(items: Iterable[DayStats] | Iterable[Entry], *, fever_from: float) -> SignHistory:
    """The history of days or entries given directly (no follow-ups, no triage results)."""
    builder = _Builder(fever_from)
    pain: dict[str, int] = {}
    for item in items:
        if isinstance(item, Entry):
            moment = (item.date, clock_of(item.date, item.time, item.created))
            worst = item.worst_pain if item.worst_pain is not None else item.pain
        else:
            moment, worst = (item.date, DAY_END), item.pain_worst
        builder.sign(moment, item.red_flags, item.temperature_c)
        if worst is not None:
            pain[item.date] = max(pain.get(item.date, worst), worst)
    return builder.build(pain)


def load(store: Store, start: date, end: date, *, fever_from: float, pain_days: int) -> SignHistory:
    """What the rules need to be checked on any day from ``start`` to ``end``."""
    first, last = start.isoformat(), end.isoformat()
    # Nothing before the last 'seen' record ahead of the range can still be active.
    (cut,) = store.read(
        "SELECT max(date) FROM followups WHERE kind = 'seen' AND date < ?", (first,)
    )[0]
    since = cut or "0001-01-01"
    builder = _Builder(fever_from)
    for day, time, created, flags, temperature in store.read(
        """SELECT date, time, created, red_flags, temperature_c FROM entries
           WHERE (red_flags != '' OR temperature_c IS NOT NULL) AND date BETWEEN ? AND ?""",
        (since, last),
    ):
        signs = [f for f in flags.split(";") if f]
        builder.sign((day, clock_of(day, time, created)), signs, temperature)
    for day, time, created, kind, signs in store.read(
        "SELECT date, time, created, kind, signs FROM followups WHERE date BETWEEN ? AND ?",
        (since, last),
    ):
        builder.followup((day, clock_of(day, time, created)), kind, filter(None, signs.split(";")))
    # The latest result before the range, and every one in it.
    (before,) = store.read("SELECT max(date) FROM triage_results WHERE date < ?", (first,))[0]
    for day, taken_at, disposition, reasons, answers in store.read(
        "SELECT date, taken_at, disposition, reasons, answers FROM triage_results "
        "WHERE date BETWEEN ? AND ?",
        (max(since, before or since), last),
    ):
        builder.triage.append(
            TriageMark(
                (day, clock_of(day, None, taken_at)),
                disposition,
                tuple(r for r in _json_list(reasons) if isinstance(r, dict)),
                _json_dict(answers),
            )
        )
    return builder.build(_pain_around(store, builder.fever_days(), pain_days))


def _pain_around(store: Store, fever_days: list[str], days: int) -> dict[str, int]:
    """Each day's worst pain within ``days`` of a fever, in one query per run of days."""
    spans: list[list[date]] = []
    for day in fever_days:
        lo, hi = _shifted(day, -days), _shifted(day, days)
        if spans and lo <= spans[-1][1] + timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    found: dict[str, int] = {}
    for lo, hi in spans:
        rows = store.read(
            "SELECT date, max(coalesce(worst_pain, pain)) FROM entries WHERE date BETWEEN ? AND ? "
            "GROUP BY date HAVING max(coalesce(worst_pain, pain)) IS NOT NULL",
            (lo.isoformat(), hi.isoformat()),
        )
        found.update((day, int(worst)) for day, worst in rows)
    return found


def _shifted(day: str, days: int) -> date:
    """``day`` moved by ``days``, kept within the calendar."""
    ordinal = date.fromisoformat(day).toordinal() + days
    return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))


def _json_list(text: str) -> list[object]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _json_dict(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
