"""The red-flag rules of content/red_flags.toml, run over the diary's recent days.

``evaluate`` is pure: it reads only the windows the rules need (about six weeks of daily
aggregates, six months of weight readings and the first date) and returns the alerts, most
severe first. ``active_alerts`` leaves out what the person has acknowledged, unless the
pattern has got worse or is made only of newer days; emergency alerts are always active.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from companion.content import check_sources, known_sources, load_toml
from companion.entry import VOCABULARIES, Entry, ordered
from companion.errors import DataError, UsageError
from companion.safety import (
    DEFAULT_EMERGENCY_NUMBER,
    FLAG_WORDS,
    NOT_A_DIAGNOSIS,
    emergency_number,
)
from companion.store import REST_PAIN, DayStats, Store

RULES_FILE = "red_flags.toml"
LEVELS = ("emergency", "urgent", "soon")
# Never colour alone: every level has a word and a symbol.
LEVEL_SYMBOLS = {"emergency": "‼", "urgent": "▲", "soon": "●"}
LEVEL_WORDS = {"emergency": "EMERGENCY", "urgent": "URGENT", "soon": "SEE A DOCTOR SOON"}


@dataclass(frozen=True)
class Evidence:
    date: str  # YYYY-MM-DD
    detail: str  # what the diary held that day, in fixed wording, never the person's text


@dataclass(frozen=True)
class Alert:
    rule: str
    level: str
    title: str
    explanation: str
    advice: str
    sources: tuple[str, ...]
    since: str
    evidence: tuple[Evidence, ...]
    strength: float = 0.0  # how strong the pattern is, in the rule's strength_unit

    @property
    def label(self) -> str:
        """The level as a symbol and a word, e.g. '▲ URGENT'."""
        return f"{LEVEL_SYMBOLS[self.level]} {LEVEL_WORDS[self.level]}"


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    title: str
    explanation: str
    advice: str
    sources: tuple[str, ...]
    thresholds: dict[str, Any]

    def __getitem__(self, name: str) -> float:
        return float(self.thresholds[name])

    def get(self, name: str) -> float:
        return float(self.thresholds.get(name, 0))

    @property
    def reach(self) -> int:
        """How many days back, today included, the rule reads daily aggregates."""
        return int(
            max(
                self.get("days"),
                self.get("recent_days") + self.get("before_days"),
                self.get("slope_days"),
                self.get("baseline_to") + 1,
                self.get("weeks") * 7,
                self.get("flag_days"),
            )
        )


# --- the diary as the rules see it ---------------------------------------------------------


@dataclass(frozen=True)
class Diary:
    """Daily aggregates and weight readings over a range of dates, asked about day by day."""

    days: dict[str, DayStats]
    weights: Sequence[tuple[str, float]]  # (date, mean kg), in date order
    first_date: str | None

    def window(self, today: date, first_ago: int, last_ago: int) -> list[DayStats]:
        """Days from ``last_ago`` to ``first_ago`` days before today that have entries, oldest
        first (0 days ago is today)."""
        found = (self.days.get(_ago(today, n)) for n in range(last_ago, first_ago - 1, -1))
        return [d for d in found if d is not None]

    def weights_between(self, start: str, end: str) -> Sequence[tuple[str, float]]:
        lo = bisect.bisect_left(self.weights, (start,))
        hi = bisect.bisect_right(self.weights, (end, float("inf")))
        return self.weights[lo:hi]


def _fmean(values: Iterable[float]) -> float:
    """The mean by exact summation, as ``statistics.fmean`` computes it (importing
    ``statistics`` costs the app's start 3 ms)."""
    known = list(values)
    return math.fsum(known) / len(known)


def _ago(today: date, days: int) -> str:
    """The date ``days`` before ``today``; the calendar's first day if that is before it
    (a diary may hold any date from the year 1)."""
    return date.fromordinal(max(1, today.toordinal() - days)).isoformat()


def day_stats(day: str, entries: Sequence[Entry]) -> DayStats:
    """One day's aggregate from its entries, exactly as ``Store.daily`` computes it in SQL."""

    def worst(e: Entry) -> int | None:
        return e.worst_pain if e.worst_pain is not None else e.pain

    pains = [e.pain for e in entries if e.pain is not None]
    weights = [e.weight_kg for e in entries if e.weight_kg is not None]
    return DayStats(
        date=day,
        entries=len(entries),
        pain_mean=_fmean(pains) if pains else None,
        pain_worst=max((w for e in entries if (w := worst(e)) is not None), default=None),
        night_pain=max((e.night_pain for e in entries if e.night_pain is not None), default=None),
        woke_at_night=any(e.woke_at_night == "yes" for e in entries),
        rest_not_easing=any(
            e.eased_by_rest == "no" and (worst(e) or 0) >= REST_PAIN for e in entries
        ),
        rest_answered=any(e.eased_by_rest is not None for e in entries),
        cramps=sum(e.cramps or 0 for e in entries),
        cramp_minutes=max(
            (e.cramp_minutes for e in entries if e.cramp_minutes is not None), default=None
        ),
        weight_kg=_fmean(weights) if weights else None,
        temperature_c=max(
            (e.temperature_c for e in entries if e.temperature_c is not None), default=None
        ),
        red_flags=frozenset().union(*(e.red_flags for e in entries)),
    )


def _reach() -> int:
    return max(r.reach for r in rules())


def _weight_reach() -> int:
    return max(int(r.get("window_days")) for r in rules())


def load_diary(store: Store, start: date, end: date) -> Diary:
    """What the rules need to be evaluated on any day from ``start`` to ``end``."""
    days = {d.date: d for d in store.daily(_ago(start, _reach() - 1), end.isoformat())}
    weights = store.read(
        """SELECT date, avg(weight_kg) FROM entries
           WHERE date BETWEEN ? AND ? AND weight_kg IS NOT NULL GROUP BY date ORDER BY date""",
        (_ago(start, _weight_reach() - 1), end.isoformat()),
    )
    span = store.span()
    return Diary(days, [(d, float(kg)) for d, kg in weights], span[0] if span else None)


def days_to_check(diary: Diary, start: date, end: date) -> Iterator[date]:
    """The days from ``start`` to ``end`` on which a rule can fire, in order.

    Every alert's evidence is logged days within its rule's reach, so a day with nothing
    logged within the longest reach before it cannot raise one (a rule that fired on
    missing entries would have to change this): a report over a diary with one stray date
    decades back checks hundreds of days, not tens of thousands.
    """
    reach = max(_reach(), _weight_reach())
    logged = sorted({*diary.days, *(day for day, _ in diary.weights)})
    done, stop = start.toordinal() - 1, end.toordinal()
    for day in logged:
        first = date.fromisoformat(day).toordinal()
        last = min(first + reach - 1, stop)
        for n in range(max(first, done + 1), last + 1):
            yield date.fromordinal(n)
        done = max(done, last)


def diary_of(source: Iterable[DayStats] | Iterable[Entry], today: date) -> Diary:
    """The same view of days or entries given directly, keeping only the windows needed."""
    first = _ago(today, _reach() - 1)
    weight_first = _ago(today, _weight_reach() - 1)
    end = today.isoformat()
    days: dict[str, DayStats] = {}
    entries: dict[str, list[Entry]] = defaultdict(list)
    weights: dict[str, list[float]] = defaultdict(list)
    first_date: str | None = None
    for item in source:
        if item.date > end:
            continue
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
    return Diary(days, [(d, _fmean(weights[d])) for d in sorted(weights)], first_date)


# --- the rules ------------------------------------------------------------------------------

Finding = tuple[list[Evidence], float]
Check = Callable[[Rule, Diary, date], Finding | None]


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def _emergency_symptom(rule: Rule, diary: Diary, today: date) -> Finding | None:
    flags = frozenset(rule.thresholds["flags"])
    evidence = [
        Evidence(
            d.date,
            "noted " + "; ".join(FLAG_WORDS[f] for f in ordered("red_flags", d.red_flags & flags)),
        )
        for d in diary.window(today, 0, int(rule["days"]) - 1)
        if d.red_flags & flags
    ]
    return (evidence, len(evidence)) if evidence else None


def _fever_with_back_pain(rule: Rule, diary: Diary, today: date) -> Finding | None:
    evidence: list[Evidence] = []
    strength = 0.0
    for d in diary.window(today, 0, int(rule["days"]) - 1):
        hot = d.temperature_c is not None and d.temperature_c >= rule["min_temperature_c"]
        if not (hot or "fever" in d.red_flags) or (d.pain_worst or 0) < rule["min_pain"]:
            continue
        fever = f"temperature {_num(d.temperature_c)} °C" if hot and d.temperature_c else "fever"
        evidence.append(Evidence(d.date, f"{fever} with pain {d.pain_worst}/10"))
        strength = max(strength, d.temperature_c if hot and d.temperature_c else 0.0)
    floor = rule["min_temperature_c"]
    return (evidence, max(strength, floor)) if evidence else None


def _long_cramp(rule: Rule, diary: Diary, today: date) -> Finding | None:
    long = [
        d
        for d in diary.window(today, 0, int(rule["days"]) - 1)
        if d.cramp_minutes is not None and d.cramp_minutes > rule["over_minutes"]
    ]
    if not long:
        return None
    evidence = [Evidence(d.date, f"a cramp of {_num(d.cramp_minutes or 0)} min") for d in long]
    return evidence, max(d.cramp_minutes or 0 for d in long)


def _slope(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares slope of y on x."""
    mx = _fmean(x for x, _ in points)
    my = _fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def _nights(days: Iterable[DayStats]) -> list[DayStats]:
    return [d for d in days if d.night_pain is not None]


def _night_pain_rising(
    rule: Rule, recent: list[DayStats], before: list[DayStats], span: list[DayStats], today: date
) -> bool:
    """The last week's night pain is 2 points above the two weeks before, or it has climbed
    steadily over four weeks to a mean of 4 or more."""
    recent_mean = _fmean(d.night_pain or 0 for d in recent)
    if (
        len(before) >= rule["min_before_nights"]
        and recent_mean >= _fmean(d.night_pain or 0 for d in before) + rule["rise_points"]
    ):
        return True
    points = [((date.fromisoformat(d.date) - today).days, float(d.night_pain or 0)) for d in span]
    return (
        recent_mean >= rule["slope_min_recent_mean"]
        and len(points) >= rule["slope_min_points"]
        and _slope(points) >= rule["slope_per_day"] - 1e-9
    )


def _worsening_night_pain(rule: Rule, diary: Diary, today: date) -> Finding | None:
    recent_days = int(rule["recent_days"])
    recent = _nights(diary.window(today, 0, recent_days - 1))
    painful = [d for d in recent if (d.night_pain or 0) >= rule["min_night_pain"]]
    if len(painful) < rule["min_nights"]:
        return None
    before = _nights(diary.window(today, recent_days, recent_days + int(rule["before_days"]) - 1))
    span = _nights(diary.window(today, 0, int(rule["slope_days"]) - 1))
    # The rise must hold without the worst night too, so one bad night never makes a trend.
    worst = max(recent, key=lambda d: (d.night_pain or 0, d.date))
    rest = [d for d in recent if d is not worst]
    if not (
        _night_pain_rising(rule, recent, before, span, today)
        and _night_pain_rising(rule, rest, before, [d for d in span if d is not worst], today)
    ):
        return None
    strength = _fmean(d.night_pain or 0 for d in recent)
    return [Evidence(d.date, f"night pain {d.night_pain}/10") for d in painful], strength


def _not_eased_by_rest(rule: Rule, diary: Diary, today: date) -> Finding | None:
    answered = [d for d in diary.window(today, 0, int(rule["days"]) - 1) if d.rest_answered]
    not_eased = [d for d in answered if d.rest_not_easing]
    if len(not_eased) < rule["min_days"] or len(not_eased) < rule["min_share"] * len(answered):
        return None
    evidence = [Evidence(d.date, f"rest did not ease pain of {d.pain_worst}/10") for d in not_eased]
    return evidence, len(not_eased)


def _no_improvement_6_weeks(rule: Rule, diary: Diary, today: date) -> Finding | None:
    first = diary.first_date
    if first is None or (today - date.fromisoformat(first)).days < rule["min_span_days"]:
        return None
    recent = [
        d for d in diary.window(today, 0, int(rule["recent_days"]) - 1) if d.pain_mean is not None
    ]
    baseline = [
        d
        for d in diary.window(today, int(rule["baseline_from"]), int(rule["baseline_to"]))
        if d.pain_mean is not None
    ]
    if len(recent) < rule["min_days"] or len(baseline) < rule["min_days"]:
        return None
    now = _fmean(d.pain_mean or 0 for d in recent)
    then = _fmean(d.pain_mean or 0 for d in baseline)
    fall = then - now
    improved = fall >= rule["improvement_points"] - 1e-9 or fall >= (
        rule["improvement_share"] * then - 1e-9
    )
    if now < rule["min_recent_mean"] or improved:
        return None
    evidence = [
        Evidence(d.date, f"pain {_num(d.pain_mean or 0)}/10 (the day's mean)")
        for d in (*baseline, *recent)
    ]
    return evidence, now


def _frequent_cramps(rule: Rule, diary: Diary, today: date) -> Finding | None:
    evidence: list[Evidence] = []
    for week in range(int(rule["weeks"]) - 1, -1, -1):
        days = [d for d in diary.window(today, 7 * week, 7 * week + 6) if d.cramps > 0]
        if len(days) < rule["min_days_per_week"]:
            return None
        evidence += [
            Evidence(d.date, f"{d.cramps} cramp{'s' if d.cramps > 1 else ''}") for d in days
        ]
    return evidence, len(evidence)


def _weight_loss(rule: Rule, diary: Diary, today: date) -> Finding | None:
    readings = diary.weights_between(_ago(today, int(rule["window_days"]) - 1), today.isoformat())
    gap = int(rule["min_gap_days"])
    # The biggest fall from an earlier reading to one at least ``gap`` days later: walk the
    # readings keeping the heaviest one that is far enough back.
    heaviest: tuple[str, float] | None = None
    best: tuple[float, tuple[str, float], tuple[str, float]] | None = None
    earlier = 0
    for day, kg in readings:
        cutoff = _ago(date.fromisoformat(day), gap)
        while earlier < len(readings) and readings[earlier][0] <= cutoff:
            if heaviest is None or readings[earlier][1] > heaviest[1]:
                heaviest = readings[earlier]
            earlier += 1
        if heaviest is not None:
            share = (heaviest[1] - kg) / heaviest[1]
            if best is None or share > best[0]:
                best = (share, heaviest, (day, kg))
    evidence: list[Evidence] = []
    strength = 0.0
    if best is not None and best[0] >= rule["min_loss_share"] - 1e-9:
        share, (d1, w1), (d2, w2) = best
        evidence += [
            Evidence(d1, f"weight {_num(w1)} kg"),
            Evidence(d2, f"weight {_num(w2)} kg, {_num(share * 100)}% less"),
        ]
        strength = share * 100
    flagged = [
        d
        for d in diary.window(today, 0, int(rule["flag_days"]) - 1)
        if "unexplained_weight_loss" in d.red_flags
    ]
    if flagged:
        evidence += [
            Evidence(d.date, "noted " + FLAG_WORDS["unexplained_weight_loss"]) for d in flagged
        ]
        strength = max(strength, rule["min_loss_share"] * 100)
    if not evidence:
        return None
    return sorted(evidence, key=lambda e: e.date), strength


CHECKS: dict[str, Check] = {
    "emergency_symptom": _emergency_symptom,
    "fever_with_back_pain": _fever_with_back_pain,
    "long_cramp": _long_cramp,
    "worsening_night_pain": _worsening_night_pain,
    "not_eased_by_rest": _not_eased_by_rest,
    "no_improvement_6_weeks": _no_improvement_6_weeks,
    "frequent_cramps": _frequent_cramps,
    "weight_loss": _weight_loss,
}


@cache
def rules() -> tuple[Rule, ...]:
    """The rules of content/red_flags.toml, checked, in the order they are written."""
    data = load_toml(RULES_FILE)
    sources = known_sources()
    found: list[Rule] = []
    for raw in data.get("rule", []):
        rule_id = str(raw.get("id", "?"))
        where = f"{RULES_FILE}: rule {rule_id}"
        missing = [
            k
            for k in ("id", "level", "title", "explanation", "advice", "sources", "thresholds")
            if not raw.get(k)
        ]
        if missing:
            raise DataError(f"{where}: missing {', '.join(missing)}")
        if raw["level"] not in LEVELS:
            raise DataError(f"{where}: level must be one of {', '.join(LEVELS)}")
        if rule_id not in CHECKS:
            raise DataError(f"{where}: no such rule in this version of companion")
        unknown = set(raw["thresholds"].get("flags", ())) - set(VOCABULARIES["red_flags"])
        if unknown:
            raise DataError(f"{where}: unknown warning sign {sorted(unknown)[0]}")
        found.append(
            Rule(
                id=rule_id,
                level=raw["level"],
                title=raw["title"],
                explanation=raw["explanation"],
                advice=raw["advice"],
                sources=check_sources(raw["sources"], where, sources),
                thresholds=dict(raw["thresholds"]),
            )
        )
    return tuple(found)


def rule(rule_id: str) -> Rule:
    for r in rules():
        if r.id == rule_id:
            return r
    raise UsageError(f"{rule_id}: no such alert rule")


# --- evaluation -----------------------------------------------------------------------------


def check(diary: Diary, today: date, number: str = DEFAULT_EMERGENCY_NUMBER) -> list[Alert]:
    """Every rule over the diary as it stood on ``today``, most severe first."""
    alerts: list[Alert] = []
    for r in rules():
        finding = CHECKS[r.id](r, diary, today)
        if finding is None:
            continue
        evidence, strength = finding
        alerts.append(
            Alert(
                rule=r.id,
                level=r.level,
                title=r.title,
                explanation=f"{r.explanation} {NOT_A_DIAGNOSIS}",
                advice=r.advice.format(emergency_number=number),
                sources=r.sources,
                since=evidence[0].date,
                evidence=tuple(evidence),
                strength=float(strength),
            )
        )
    return sorted(alerts, key=lambda a: LEVELS.index(a.level))


def evaluate(source: Store | Iterable[DayStats] | Iterable[Entry], today: date) -> list[Alert]:
    """The alerts the diary raises as of ``today`` (entries after it are ignored)."""
    if isinstance(source, Store):
        return check(load_diary(source, today, today), today, emergency_number(source))
    return check(diary_of(source, today), today)


# --- acknowledgements -----------------------------------------------------------------------


def active_alerts(store: Store, today: date) -> list[Alert]:
    """The alerts as of ``today`` less those acknowledged, unless they have come back."""
    acks = {
        rule_id: (acknowledged_at[:10], strength)
        for rule_id, acknowledged_at, strength in store.read(
            "SELECT rule, acknowledged_at, strength FROM alert_acks"
        )
    }
    return [a for a in evaluate(store, today) if not _covered(a, acks.get(a.rule), today)]


def _covered(alert: Alert, ack: tuple[str, float] | None, today: date) -> bool:
    """Whether an acknowledgement still covers the alert.

    It does not once the evidence is made only of days after it was given (the pattern has
    come back), or the pattern is stronger by the rule's worse_by; nor for emergencies, nor
    when looking at a day before it was given.
    """
    if ack is None or alert.level == "emergency":
        return False
    acknowledged_on, strength = ack
    if acknowledged_on > today.isoformat() or alert.since > acknowledged_on:
        return False
    return alert.strength < strength + rule(alert.rule)["worse_by"]


def acknowledge(store: Store, alert: Alert, *, now: datetime | None = None) -> None:
    """Hide a soon or urgent alert until it gets worse or comes back; never an emergency."""
    if alert.level == "emergency":
        raise UsageError(
            f"{alert.rule}: an emergency alert cannot be dismissed; it stays until the "
            "warning sign is more than a week old"
        )
    when = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    with store.write() as conn:
        conn.execute(
            """INSERT INTO alert_acks (rule, acknowledged_at, since, strength)
               VALUES (?, ?, ?, ?)
               ON CONFLICT(rule) DO UPDATE SET acknowledged_at = excluded.acknowledged_at,
                 since = excluded.since, strength = excluded.strength""",
            (alert.rule, when, alert.since, alert.strength),
        )
