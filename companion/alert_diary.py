"""The diary as the red-flag rules see it: windows of daily aggregates, weight readings,
and the sign history, read from the store in SQL.

The windows are the reach of the rules (about seven weeks of days, a year of weights); what
the rules remember beyond them (warning signs until settled, triage results, 'seen'
records) is ``companion.sign_history``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from companion import sign_history
from companion.alert_rules import FEVER_RULE, LONG_CRAMP_RULE, ago, rule, rules
from companion.record import Record
from companion.sign_history import SignHistory
from companion.store import Store, followups, warning_signs
from companion.store import doses as dose_store
from companion.store.records import DayStats

if TYPE_CHECKING:
    from companion.doses import Over


class DoseView(Record):
    """What the medicine rules read of the dose log."""

    # Every 24 hours over an ingredient's limit, up to the last day, in time order.
    over: Sequence[Over] = ()
    # Each day in reach: the ingredients taken and the largest single dose of each.
    taken: Mapping[str, Mapping[str, float]] = MappingProxyType({})


class Diary(Record):
    """Daily aggregates and weight readings over a range of dates, and the sign history."""

    days: dict[str, DayStats]
    weights: Sequence[tuple[str, float]]  # (date, mean kg), in date order
    first_date: str | None
    history: SignHistory
    doses: DoseView = DoseView()

    def window(self, today: date, first_ago: int, last_ago: int) -> list[DayStats]:
        """Days from ``last_ago`` to ``first_ago`` days before today that have entries, oldest
        first (0 days ago is today). Days before the calendar's first are not there."""
        last = today.toordinal() - first_ago
        found = (
            self.days.get(date.fromordinal(n).isoformat())
            for n in range(max(1, today.toordinal() - last_ago), last + 1)
        )
        return [d for d in found if d is not None]

    def weights_between(self, start: str, end: str) -> Sequence[tuple[str, float]]:
        lo = bisect.bisect_left(self.weights, (start,))
        hi = bisect.bisect_right(self.weights, (end, float("inf")))
        return self.weights[lo:hi]


def day_reach() -> int:
    return max(r.reach for r in rules())


def weight_reach() -> int:
    return max(int(r.get("window_days")) for r in rules())


def history_options() -> dict[str, Any]:
    """How the sign history reads fevers and long cramps: their rules' thresholds."""
    fever = rule(FEVER_RULE)
    return {
        "fever_from": fever["min_temperature_c"],
        "cramp_over": rule(LONG_CRAMP_RULE)["over_minutes"],
        "pain": sign_history.PainWindow(fever["min_pain"], int(fever["pain_days"])),
    }


def load_diary(store: Store, start: date, end: date) -> Diary:
    """What the rules need to be evaluated on any day from ``start`` to ``end``."""
    reach = max(day_reach(), weight_reach())
    # A 'seen' record settles a pattern that fired when it was written, so the days behind
    # the earliest one that can matter are read too.
    seen = followups.first_seen_between(store, ago(start, reach), end.isoformat())
    first = min(start, date.fromisoformat(seen)) if seen else start
    days = {d.date: d for d in store.daily(ago(first, day_reach() - 1), end.isoformat())}
    weights = warning_signs.weights(store, ago(first, weight_reach() - 1), end.isoformat())
    span = store.span()
    history = sign_history.load(store, start, end, **history_options())
    return Diary(
        days,
        [(d, float(kg)) for d, kg in weights],
        span[0] if span else None,
        history,
        _dose_view(store, ago(first, _dose_reach() - 1), end.isoformat()),
    )


def _dose_reach() -> int:
    return max(int(r.get("medicine_days")) for r in rules())


def _dose_view(store: Store, first: str, last: str) -> DoseView:
    """Every 24 hours over a limit, and the medicines taken on each day, within the rules'
    reach (a day over a limit stays until a 'seen' record, within that reach)."""
    # Without a dose in reach (a 24 hours over a limit may begin the day before ``first``),
    # the medicines list is not loaded: a tenth of `log`'s time.
    if not dose_store.has_doses(store, ago(date.fromisoformat(first), 1), last):
        return DoseView()
    from companion import doses

    taken: dict[str, dict[str, float]] = defaultdict(dict)
    for total in doses.day_totals(store, first, last):
        taken[total.date][total.medicine] = total.largest_mg
    return DoseView(doses.over_limits(store, first, last), taken)


def days_to_check(diary: Diary, start: date, end: date) -> Iterator[date]:
    """The days from ``start`` to ``end`` on which an alert can fire or change, in order.

    A pattern's evidence is logged days within its rule's reach (a year for weights, weeks
    for the rest), so a day with nothing logged within reach before it raises none; a sign
    or a triage result stays the same from one record to the next. So: ``start`` (for what
    is active from before), the reach of every logged day, and the days of the sign
    history's records. A report over a diary with one stray date decades back checks
    hundreds of days, not thousands.
    """
    first, stop = start.toordinal(), end.toordinal()
    spans = [(first, first)]
    for days, reach in ((diary.days, day_reach()), ((d for d, _ in diary.weights), weight_reach())):
        for day in days:
            ordinal = date.fromisoformat(day).toordinal()
            spans.append((ordinal, ordinal + reach - 1))
    for day in diary.history.event_days(start.isoformat(), end.isoformat()):
        ordinal = date.fromisoformat(day).toordinal()
        spans.append((ordinal, ordinal))
    for day in diary.doses.taken:
        ordinal = date.fromisoformat(day).toordinal()
        spans.append((ordinal, ordinal + _dose_reach() - 1))
    for over in diary.doses.over:
        ordinal = date.fromisoformat(over.date).toordinal()
        spans.append((ordinal, ordinal))
    done = first - 1
    for lo, hi in sorted(spans):
        for n in range(max(lo, done + 1), min(hi, stop) + 1):
            yield date.fromordinal(n)
        done = max(done, hi)
