"""What the red-flag rules remember beyond their windows of days.

A warning sign does not expire because nothing was logged since: it stays until a later
record settles it. This holds, for any day, when each sign was noted (a cramp that lasted
too long among them), when it was recorded gone, when the person was seen, the saved triage
results, and the temperatures and pain scores around a fever. It comes from the store in
SQL (only the entries that hold a sign, a temperature or a long cramp, through partial
indexes, and only since the last 'seen' record before the range), or from days and entries
given directly, with the same result.

Moments are (date, clock) pairs, so records on the same day are ordered too. A clock is
the time written down, else the local time the record was written on that day; a record
written on a later day about an earlier one, with no time, counts as that day's end.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from companion.record import Record
from companion.store import Store, followups, triage_results, warning_signs

Moment = tuple[str, str]  # (YYYY-MM-DD, clock); compared as tuples
DAY_END = "24:00"  # after every clock of a day
DAY_START = ""  # before every clock of a day
FEVER = "fever"
# A cramp that lasted longer than the long-cramp rule allows, kept as a sign of its own.
LONG_CRAMP = "long_cramp"


def clock_of(day: str, time: str | None, written: str | None) -> str:
    """The clock of a record about ``day``: its time, else when it was written that day."""
    if time:
        return time
    try:
        local = datetime.fromisoformat(written or "").astimezone()
    except ValueError:
        return DAY_END
    return local.strftime("%H:%M:%S") if local.date().isoformat() == day else DAY_END


class TriageMark(Record):
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


# The records below are Records and plain classes: a dataclass builds its methods again at
# every start, and a NamedTuple checks its annotations, on the way to the app's first frame.


class Marks(Record):
    """When signs were noted, in order. A run of them is counted, and read at its ends, in
    time that does not grow with the diary: a sign noted every day for years, never
    settled, costs a report over those years no more than one noted once."""

    moments: Sequence[Moment]
    signs: Sequence[str]
    distinct: Sequence[int]  # how many distinct days among moments[:i]

    @classmethod
    def of(cls, pairs: Iterable[tuple[Moment, str]]) -> Marks:
        ordered_pairs = sorted(pairs)
        moments = [m for m, _ in ordered_pairs]
        distinct = [0]
        for i, (day, _) in enumerate(moments):
            distinct.append(distinct[-1] + (i == 0 or moments[i - 1][0] != day))
        return cls(moments, [s for _, s in ordered_pairs], distinct)

    def span(self, after: Moment | None, today: date) -> range:
        """The marks after ``after`` (all, if None), up to ``today``."""
        lo = bisect.bisect_right(self.moments, after) if after is not None else 0
        return range(lo, max(lo, _upto(self.moments, today.isoformat())))

    def day_count(self, span: range) -> int:
        if not span:
            return 0
        lo, hi = span.start, span.stop
        shares_a_day = lo > 0 and self.moments[lo - 1][0] == self.moments[lo][0]
        return self.distinct[hi] - self.distinct[lo] + shares_a_day

    def days(self, span: range, limit: int) -> list[tuple[str, frozenset[str]]]:
        """The span's first day and its latest days, at most ``limit`` days in all, each with
        the signs noted on it, in date order."""
        found: dict[str, set[str]] = {}
        i = span.stop - 1
        while i >= span.start and (len(found) < limit - 1 or self.moments[i][0] in found):
            found.setdefault(self.moments[i][0], set()).add(self.signs[i])
            i -= 1
        if i >= span.start:  # the days in between are left out; the first day is not
            first = self.moments[span.start][0]
            j = span.start
            while j <= i and self.moments[j][0] == first:
                found.setdefault(first, set()).add(self.signs[j])
                j += 1
        return [(day, frozenset(found[day])) for day in sorted(found)]


class Noted:
    """A run of noted signs not yet settled: how many days, and the days to show."""

    __slots__ = ("count", "days", "last")

    def __init__(self, count: int, days: list[tuple[str, frozenset[str]]], last: Moment) -> None:
        self.count = count
        self.days = days
        self.last = last


class Fevers:
    """The days a fever was noted, and the pain around each. A fever counts with back pain
    when pain was logged that day or within the pain window around it, so a fever on a day
    of pain 0 after a painkiller still counts (nice-cks-lbp)."""

    __slots__ = ("after_only", "around", "before", "pain_day")

    def __init__(
        self,
        around: int = 0,
        before: Sequence[str] = (),  # fever days with pain that day or in the days before
        after_only: Sequence[str] = (),  # fever days with pain only in the days after
        pain_day: Mapping[str, str] | None = None,  # the day of that pain
    ) -> None:
        self.around = around
        self.before = before
        self.after_only = after_only
        self.pain_day: Mapping[str, str] = pain_day or {}

    def counted(self, first: str, last: str, today: date, limit: int) -> tuple[int, list[str]]:
        """How many fever days from ``first`` to ``last`` count as of ``today``, and the
        first and latest of them to show (at most ``limit``, two or more)."""
        edge = date.fromordinal(max(1, today.toordinal() - self.around)).isoformat()
        end = today.isoformat()

        def between(days: Sequence[str], lo: str, hi: str) -> Sequence[str]:
            return days[bisect.bisect_left(days, lo) : bisect.bisect_right(days, hi)]

        # A day more than the window back has all its days after it on record; a later one
        # counts once the day with pain has come.
        runs = [
            between(self.before, first, last),
            between(self.after_only, first, min(last, edge)),
            [d for d in between(self.after_only, max(first, edge), last)
             if d > edge and self.pain_day[d] <= end],
        ]  # fmt: skip
        heads = sorted(r[0] for r in runs if r)
        tails = sorted(d for r in runs for d in r[-(limit - 1) :])
        return sum(len(r) for r in runs), sorted({*heads[:1], *tails[-(limit - 1) :]})


class SignHistory:
    """Signs noted and settled, triage results, and the temperatures, long cramps and pain
    around fevers, as the rules read them."""

    def __init__(
        self,
        *,
        noted: Mapping[str, Marks],  # per sign
        gone: Mapping[str, Sequence[Moment]],  # per sign, sorted
        seen: Sequence[Moment],  # sorted
        triage: Sequence[TriageMark],  # sorted by moment
        hottest: Mapping[str, float],  # day -> highest temperature
        longest: Mapping[str, float],  # day -> a long cramp's minutes
        worst_pain: Mapping[str, int],  # day -> worst pain, near fevers
        fevers: Fevers,
    ) -> None:
        self.noted = noted
        self.gone = gone
        self.seen = seen
        self.triage = triage
        self.hottest = hottest
        self.longest = longest
        self.worst_pain = worst_pain
        self.fevers = fevers
        self._groups: dict[tuple[str, ...], Marks] = {}

    def last_seen(self, today: date) -> Moment | None:
        n = _upto(self.seen, today.isoformat())
        return self.seen[n - 1] if n else None

    def last_gone(self, sign: str, today: date) -> Moment | None:
        marks = self.gone.get(sign, ())
        n = _upto(marks, today.isoformat())
        return marks[n - 1] if n else None

    def settled(self, sign: str | None, today: date) -> Moment | None:
        """When the sign was last settled as of ``today``: by a 'seen' record, or (unless
        ``sign`` is None) by a record that it had gone."""
        marks = [self.last_seen(today), self.last_gone(sign, today) if sign else None]
        return max((m for m in marks if m is not None), default=None)

    def marks(self, signs: tuple[str, ...]) -> Marks:
        if len(signs) == 1:
            return self.noted.get(signs[0]) or Marks.of(())
        if signs not in self._groups:
            self._groups[signs] = Marks.of(
                (m, s) for s in signs for m in (self.noted[s].moments if s in self.noted else ())
            )
        return self._groups[signs]

    def noted_days(
        self, signs: tuple[str, ...], today: date, limit: int, *, gone_settles: bool = True
    ) -> Noted | None:
        """The signs noted, up to ``today``, since they were last settled: by a 'seen'
        record, or (if ``gone_settles``, for one sign) by a record that it had gone."""
        marks = self.marks(signs)
        span = marks.span(self.settled(signs[0] if gone_settles else None, today), today)
        if not span:
            return None
        return Noted(marks.day_count(span), marks.days(span, limit), marks.moments[span.stop - 1])

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
        for noted in self.noted.values():
            marks += noted.moments
        for gone in self.gone.values():
            marks += gone
        return {day for day, _ in marks if start <= day <= end}


# --- building it ------------------------------------------------------------------------------


class _Builder:
    """Collects marks in any order, then sorts them into a SignHistory."""

    def __init__(self, fever_from: float, cramp_over: float) -> None:
        self.fever_from = fever_from
        self.cramp_over = cramp_over
        self.longest: dict[str, float] = {}
        self.noted: list[tuple[Moment, str]] = []
        self.gone: dict[str, list[Moment]] = defaultdict(list)
        self.seen: list[Moment] = []
        self.triage: list[TriageMark] = []
        self.hottest: dict[str, float] = {}
        self.flagged_fever: set[str] = set()
        self.temperature_days: set[str] = set()

    def sign(self, moment: Moment, flags: Iterable[str], temperature: float | None) -> None:
        day = moment[0]
        for flag in flags:
            self.noted.append((moment, flag))
            if flag == FEVER:
                self.flagged_fever.add(day)
        if temperature is not None:
            self.temperature_days.add(day)
            self.hottest[day] = max(self.hottest.get(day, temperature), temperature)
            if temperature >= self.fever_from:
                self.noted.append((moment, FEVER))

    def cramp(self, moment: Moment, minutes: float | None) -> None:
        if minutes is not None and minutes > self.cramp_over:
            self.noted.append((moment, LONG_CRAMP))
            self.longest[moment[0]] = max(self.longest.get(moment[0], minutes), minutes)

    def followup(self, moment: Moment, kind: str, signs: Iterable[str]) -> None:
        if kind == "seen":
            self.seen.append(moment)
        for sign in signs:
            self.gone[sign].append(moment)

    def fever_days(self) -> list[str]:
        return sorted({m[0] for m, sign in self.noted if sign == FEVER})

    def build(self, worst_pain: Mapping[str, int], pain: PainWindow) -> SignHistory:
        # A day whose temperatures were all normal, with no fever noted, says the fever has
        # gone: it settles fevers of the days before it.
        for day in self.temperature_days:
            if self.hottest[day] < self.fever_from and day not in self.flagged_fever:
                self.gone[FEVER].append((day, DAY_START))
        by_sign: dict[str, list[tuple[Moment, str]]] = defaultdict(list)
        for moment, sign in self.noted:
            by_sign[sign].append((moment, sign))
        return SignHistory(
            noted={sign: Marks.of(pairs) for sign, pairs in by_sign.items()},
            gone={k: sorted(v) for k, v in self.gone.items()},
            seen=sorted(self.seen),
            triage=sorted(self.triage, key=lambda t: t.moment),
            hottest=dict(self.hottest),
            longest=dict(self.longest),
            worst_pain=dict(worst_pain),
            fevers=_fevers(self.fever_days(), worst_pain, pain),
        )


class PainWindow(Record):
    """How a fever is tied to back pain: pain of ``least`` or more within ``days`` of it."""

    least: float
    days: int


def _fevers(days: list[str], worst_pain: Mapping[str, int], pain: PainWindow) -> Fevers:
    """Each fever day's pain: that day, else the latest day before it in the window, else
    the first day after it."""
    before: list[str] = []
    after_only: list[str] = []
    pain_day: dict[str, str] = {}
    for day in days:
        centre = date.fromisoformat(day).toordinal()
        earlier = [centre - n for n in range(pain.days + 1)]
        later = [centre + n for n in range(1, pain.days + 1)]
        for group, ordinals in ((before, earlier), (after_only, later)):
            found = next(
                (
                    d
                    for n in ordinals
                    if 1 <= n <= date.max.toordinal()
                    and worst_pain.get(d := date.fromordinal(n).isoformat(), -1) >= pain.least
                ),
                None,
            )
            if found is not None:
                group.append(day)
                pain_day[day] = found
                break
    return Fevers(pain.days, before, after_only, pain_day)


def load(
    store: Store,
    start: date,
    end: date,
    *,
    fever_from: float,
    cramp_over: float,
    pain: PainWindow,
) -> SignHistory:
    """What the rules need to be checked on any day from ``start`` to ``end``."""
    first, last = start.isoformat(), end.isoformat()
    # Nothing before the last 'seen' record ahead of the range can still be active.
    cut = followups.last_seen_before(store, first)
    since = cut or "0001-01-01"
    builder = _Builder(fever_from, cramp_over)
    for day, time, created, flags, temperature in warning_signs.signs_and_temperatures(
        store, since, last
    ):
        signs = [f for f in flags.split(";") if f]
        builder.sign((day, clock_of(day, time, created)), signs, temperature)
    for day, time, created, minutes in warning_signs.long_cramps(store, cramp_over, since, last):
        builder.cramp((day, clock_of(day, time, created)), minutes)
    for day, time, created, kind, signs in followups.for_history(store, since, last):
        builder.followup((day, clock_of(day, time, created)), kind, filter(None, signs.split(";")))
    # The latest result before the range, and every one in it.
    before = triage_results.latest_before(store, first)
    for day, taken_at, disposition, reasons, answers in triage_results.for_history(
        store, max(since, before or since), last
    ):
        builder.triage.append(
            TriageMark(
                (day, clock_of(day, None, taken_at)),
                disposition,
                tuple(r for r in _json_list(reasons) if isinstance(r, dict)),
                _json_dict(answers),
            )
        )
    return builder.build(_pain_around(store, builder.fever_days(), pain.days, last), pain)


def _pain_around(store: Store, fever_days: list[str], days: int, end: str) -> dict[str, int]:
    """Each day's worst pain within ``days`` of a fever, up to ``end``, in one query per run
    of days."""
    spans: list[list[date]] = []
    for day in fever_days:
        lo, hi = _shifted(day, -days), _shifted(day, days)
        if spans and lo <= spans[-1][1] + timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    found: dict[str, int] = {}
    for lo, hi in spans:
        rows = warning_signs.worst_pain_by_day(store, lo.isoformat(), min(hi.isoformat(), end))
        found.update((day, int(worst)) for day, worst in rows)
    return found


def _shifted(day: str, days: int) -> date:
    """``day`` moved by ``days``, kept within the calendar."""
    ordinal = date.fromisoformat(day).toordinal() + days
    return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))


def _json_list(text: str) -> list[object]:
    import json  # only when there are triage results to read

    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _json_dict(text: str) -> dict[str, object]:
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
