"""Insights: which factors go with better or worse days, reported only when the diary supports it.

Each factor (a trigger, a relief, a place, a word for the pain, ...) is compared on the days
it was named against the other days logged: the day's mean pain, its cramps and the night's
pain, on the same day (lag 0) and on the next (lag 1). A comparison counts as a finding only
with at least ``MIN_DAYS`` days on each side, a difference of at least ``MIN_DIFFERENCE``, and
a 95% interval that excludes zero once widened for the number of comparisons made
(Holm's step-down correction, which keeps the chance that any finding is a chance result at
5%). Days next to each other are not independent (a flare lasts days, a habit weeks): each
interval is also widened by how much the outcome carries over from one day to the next
times how much the factor comes in spells, the effective sample size of two AR(1) series
(Bretherton et al., 1999). The store aggregates the days (``companion.store.factor_days``);
everything else here is pure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.store import Store

MIN_DAYS = 7
MIN_DIFFERENCE = 1.0
ALPHA = 0.05
LAGS = (0, 1)
OUTCOMES = ("pain", "cramps", "night_pain")

CAUSE = (
    "An association is not a cause: a factor that goes with worse days may not make them "
    "worse (both may follow something else, such as a busy week), and one that goes with "
    "better days may not be what helped."
)
METHOD = (
    "Each factor is compared on the days it was named against the other days logged (Welch's "
    "t-test), for the day's pain, its cramps and the night's pain, the same day and the next. "
    f"A finding needs {MIN_DAYS} days on each side, a difference of at least "
    f"{MIN_DIFFERENCE:g} point (or cramp), and a 95% interval that excludes zero after "
    "correcting for the number of comparisons with Holm's method. The intervals allow for "
    "pain that carries over from day to day and factors that come in spells, so a run of "
    "days counts for less than as many separate days."
)

# How a factor reads in a sentence, by group: "On days with {label}, ...".
_LABELS: dict[str, tuple[str, str]] = {
    # group: (template for a word, the words for "other")
    "triggers": ("{} as a trigger", "another trigger"),
    "relief": ("{} as what helped", "something else that helped"),
    "locations": ("{} pain", "pain somewhere else"),
    "qualities": ("{} pain", "pain of another kind"),
    "medicine": ("{} taken", "another medicine taken"),
    "sleep": ("sleep {}", "other sleep"),
    "mood": ("{} mood", "another mood"),
    "activity": ("activity of {}", "other activity"),
}


def factor_label(factor: str) -> str:
    """'triggers:sitting' -> 'sitting as a trigger'."""
    group, _, word = factor.partition(":")
    template, other = _LABELS.get(group, (f"{group}: {{}}", f"{group}: other"))
    if word == "other":
        return other
    place, _, side = word.rpartition("_")
    if side in ("left", "right", "middle") and place:
        word = f"{place} ({side})"
    return template.format(word.replace("_", " "))


@dataclass(frozen=True)
class Comparison:
    """One factor against one outcome at one lag: the days on each side and their means."""

    factor: str
    outcome: str
    lag_days: int
    days_with: int
    days_without: int
    mean_with: float
    mean_without: float
    p: float  # two-sided, before any correction
    se: float
    df: float

    @property
    def difference(self) -> float:
        return self.mean_with - self.mean_without

    def interval(self, level: float) -> tuple[float, float]:
        """The two-sided interval for the difference at confidence ``level``."""
        half = t_quantile(1 - level, self.df) * self.se if self.se > 0 else 0.0
        return self.difference - half, self.difference + half


@dataclass(frozen=True)
class Finding:
    comparison: Comparison
    ci95: tuple[float, float]
    """The 95% interval, widened for the comparisons made."""

    @property
    def text(self) -> str:
        return sentence(self.comparison)

    def chart(self, width: int) -> list[str]:
        return chart(self.comparison, self.ci95, width)

    def as_json(self) -> dict[str, Any]:
        c = self.comparison
        return {
            "factor": c.factor,
            "outcome": c.outcome,
            "lag_days": c.lag_days,
            "difference": _rounded(c.difference),
            "ci95": [_rounded(self.ci95[0]), _rounded(self.ci95[1])],
            "days_with": c.days_with,
            "days_without": c.days_without,
            "mean_with": _rounded(c.mean_with),
            "mean_without": _rounded(c.mean_without),
            "text": self.text,
        }


def _rounded(value: float) -> float:
    """To two decimals, never '-0.0'."""
    return round(value, 2) + 0.0


@dataclass(frozen=True)
class Insights:
    """What the diary from ``start`` to ``end`` supports, and what it cannot say."""

    start: date
    end: date
    days_logged: int
    comparisons: int
    findings: list[Finding]
    nothing: list[str]
    """Factors compared at least once, with no finding."""
    too_few: list[tuple[str, int]]
    """Factors never compared (too few days with or without them), with their days named."""

    @property
    def counts(self) -> str:
        """'120 days logged, 90 comparisons made'."""
        from companion.wording import counted

        return (
            f"{counted(self.days_logged, 'day')} logged, "
            f"{counted(self.comparisons, 'comparison')} made"
        )


_WHEN = {
    ("pain", 0): "pain that day",
    ("pain", 1): "pain the next day",
    ("cramps", 0): "cramps that day",
    ("cramps", 1): "cramps the next day",
    ("night_pain", 0): "pain that night",
    ("night_pain", 1): "pain the next night",
}


def outcome_words(c: Comparison) -> str:
    """'pain the next day', 'cramps that day', 'pain that night'."""
    return _WHEN[c.outcome, c.lag_days]


def unit(c: Comparison) -> str:
    return "cramps" if c.outcome == "cramps" else "points"


def sentence(c: Comparison) -> str:
    """One plain sentence for a comparison."""
    size = abs(c.difference)
    if c.outcome == "cramps":
        more = "more" if c.difference > 0 else "fewer"
        said = f"there were {size:.1f} {more} {outcome_words(c)}"
    else:
        higher = "higher" if c.difference > 0 else "lower"
        said = f"{outcome_words(c)} was {size:.1f} points {higher}"
    return (
        f"On days with {factor_label(c.factor)}, {said} on average "
        f"({c.mean_with:.1f} against {c.mean_without:.1f}; "
        f"{c.days_with} days with, {c.days_without} without)."
    )


def resolve_range(
    start: date | None, end: date | None, today: date, first: date | None
) -> tuple[date, date]:
    """The dates to look at: by default the whole diary (from its ``first`` day) to today."""
    from companion.entry import FUTURE
    from companion.errors import UsageError

    end = end or today
    start = start or min(first or end, end)
    if start > end:
        raise UsageError(f"the start date {start} is after the end date {end}")
    if end > today:
        raise UsageError(f"the end date {end} {FUTURE}")
    return start, end


PAIN_TOP = 10.0


def chart(c: Comparison, ci95: tuple[float, float], width: int) -> list[str]:
    """A finding drawn in ``width`` characters: a bar each for the mean with and without the
    factor, on the outcome's own scale, then its interval in words."""
    from companion.blocks import hbar

    top = (
        PAIN_TOP
        if c.outcome != "cramps"
        else float(max(1, math.ceil(max(c.mean_with, c.mean_without))))
    )
    bars = max(4, width - 15)
    return [
        f"with    {hbar(c.mean_with, top, bars)} {c.mean_with:4.1f}",
        f"without {hbar(c.mean_without, top, bars)} {c.mean_without:4.1f}",
        f"95% interval, corrected: {ci95[0]:+.1f} to {ci95[1]:+.1f} {unit(c)}",
    ]


@dataclass(frozen=True)
class FactorDay:
    """One logged day: its outcomes (None when not recorded) and the factors named on it,
    each written ``group:word``."""

    date: date
    pain: float | None  # the mean of the day's pain
    cramps: int | None  # the day's cramps, counted over the entries that recorded them
    night_pain: int | None  # the worst pain of the night that began on this day
    factors: frozenset[str]

    def value(self, outcome: str) -> float | None:
        """The day's ``pain``, ``cramps`` or ``night_pain``."""
        value: float | None = getattr(self, outcome)
        return value


def read_days(store: Store, start: date, end: date) -> list[FactorDay]:
    """The days from start to end that have entries, in date order."""
    from companion.store.factor_days import FACTOR_SQL, factor_days

    groups = list(FACTOR_SQL)
    # A diary repeats the same few lists of words: each is read once.
    named: dict[tuple[str | None, ...], frozenset[str]] = {}
    days = []
    for row in factor_days(store, start.isoformat(), end.isoformat()):
        lists = tuple(row[4:])
        factors = named.get(lists)
        if factors is None:
            factors = named[lists] = frozenset(
                f"{group}:{word}"
                for group, text in zip(groups, lists, strict=True)
                if text
                for word in text.split(";")
                if word
            )
        days.append(FactorDay(date.fromisoformat(row[0]), row[1], row[2], row[3], factors))
    return days


def read(store: Store, start: date, end: date) -> Insights:
    """The insights of the diary from start to end."""
    return analyse(read_days(store, start, end), start, end)


@dataclass(frozen=True)
class _Side:
    """The days on one side of a comparison: how many, the sum and sum of squares of their
    values (centred, see ``_centred``)."""

    n: int
    total: float
    squares: float

    def mean(self) -> float:
        return self.total / self.n

    def variance(self) -> float:
        return max(0.0, (self.squares - self.total * self.total / self.n) / (self.n - 1))


def compare_all(days: Sequence[FactorDay]) -> list[Comparison]:
    """Every comparison with enough days on each side, for every outcome and lag.

    The days without a factor are all the days less those with it, so each comparison needs
    only the sums over the days the factor was named.
    """
    where: dict[str, list[int]] = {}
    for n, day in enumerate(days):
        for factor in day.factors:
            where.setdefault(factor, []).append(n)
    position = {d.date: n for n, d in enumerate(days)}
    following = [_next(position, d) for d in days]
    seconds = {n for n in following if n is not None}
    runs = {f: _persistence(on, following, seconds) for f, on in where.items()}
    found: list[Comparison] = []
    later_by_lag: dict[int, list[int | None]] = {0: list(range(len(days))), 1: following}
    for outcome in OUTCOMES:
        for lag in LAGS:
            later = later_by_lag[lag]
            values = [None if n is None else _centred(days[n], outcome) for n in later]
            everyone = _side([v for v in values if v is not None])
            carried = _autocorrelation(values, following)
            for factor in sorted(where):
                with_it = _side([v for n in where[factor] if (v := values[n]) is not None])
                if with_it.n < MIN_DAYS or everyone.n - with_it.n < MIN_DAYS:
                    continue
                without = _Side(
                    everyone.n - with_it.n,
                    everyone.total - with_it.total,
                    everyone.squares - with_it.squares,
                )
                shared = max(0.0, min(carried * runs[factor], 0.9))
                comparison = _welch(factor, outcome, lag, with_it, without)
                found.append(_widened(comparison, (1 + shared) / (1 - shared)))
    return found


def _persistence(on: list[int], following: list[int | None], seconds: set[int]) -> float:
    """How much a factor named one day is named the next: the correlation of its presence
    on a day and on the day after, over the pairs of days both logged (``seconds`` holds the
    later day of each pair)."""
    pairs = len(seconds)
    if pairs < 2:
        return 0.0
    named = set(on)
    first = sum(1 for n in on if following[n] is not None) / pairs
    second = sum(1 for n in on if n in seconds) / pairs
    both = sum(1 for n in on if following[n] in named) / pairs
    spread = first * (1 - first) * second * (1 - second)
    return (both - first * second) / math.sqrt(spread) if spread > 0 else 0.0


def _autocorrelation(values: list[float | None], following: list[int | None]) -> float:
    """The correlation of an outcome on one day with the next day's, over the pairs of days
    that both have it."""
    pairs = [
        (v, w)
        for v, m in zip(values, following, strict=True)
        if v is not None and m is not None and (w := values[m]) is not None
    ]
    if len(pairs) < 3:
        return 0.0
    n = len(pairs)
    mean_v = sum(v for v, _ in pairs) / n
    mean_w = sum(w for _, w in pairs) / n
    cross = sum((v - mean_v) * (w - mean_w) for v, w in pairs)
    spread = sum((v - mean_v) ** 2 for v, _ in pairs) * sum((w - mean_w) ** 2 for _, w in pairs)
    # Not ``statistics.correlation``: importing it costs more than the whole calculation.
    return cross / math.sqrt(spread) if spread > 0 else 0.0


def _widened(c: Comparison, factor: float) -> Comparison:
    """``c`` with its variance multiplied by ``factor`` and its degrees of freedom divided by
    it: days that follow each other are not independent observations."""
    if factor <= 1 or c.se == 0:
        return c
    se, df = c.se * math.sqrt(factor), max(1.0, c.df / factor)
    return replace(c, se=se, df=df, p=t_two_sided_p(c.difference / se, df))


def _centred(day: FactorDay | None, outcome: str) -> float | None:
    """The day's value, less 5 (the middle of the 0-10 scale) so the squares stay small."""
    value = None if day is None else day.value(outcome)
    return None if value is None else value - 5


def _side(values: list[float]) -> _Side:
    return _Side(len(values), sum(values), sum([v * v for v in values]))


def _next(position: dict[date, int], day: FactorDay) -> int | None:
    """Where the day after ``day`` is, if it was logged (none after the calendar's end)."""
    if day.date == date.max:
        return None
    return position.get(day.date + timedelta(days=1))


def _welch(factor: str, outcome: str, lag: int, a: _Side, b: _Side) -> Comparison:
    va, vb = a.variance() / a.n, b.variance() / b.n
    se = math.sqrt(va + vb)
    difference = a.mean() - b.mean()
    if se > 0:
        df = (va + vb) ** 2 / (va * va / (a.n - 1) + vb * vb / (b.n - 1))
        p = t_two_sided_p(difference / se, df)
    else:
        # Every day on both sides alike: a difference is certain, no difference is none.
        df, p = math.inf, 0.0 if difference else 1.0
    return Comparison(factor, outcome, lag, a.n, b.n, a.mean() + 5, b.mean() + 5, p, se, df)


def select(comparisons: Sequence[Comparison]) -> list[Finding]:
    """The comparisons that hold up, strongest evidence first.

    Holm's step-down correction: the k-th smallest of m p-values must be at most
    ALPHA / (m - k + 1), and so must every one before it. Each interval is built at its own
    step's level, 1 - ALPHA / (m - k + 1), so it excludes zero exactly when the step holds;
    the chance that any finding is a chance result stays at 5% or less.
    """
    m = len(comparisons)
    ranked = sorted(comparisons, key=lambda c: (c.p, c.factor, c.outcome, c.lag_days))
    findings = []
    for k, c in enumerate(ranked):
        tail = ALPHA / (m - k)
        if c.p > tail:
            break
        low, high = c.interval(1 - tail)
        if abs(c.difference) >= MIN_DIFFERENCE and (low > 0 or high < 0):
            findings.append(Finding(c, (low, high)))
    return findings


def analyse(days: Sequence[FactorDay], start: date, end: date) -> Insights:
    comparisons = compare_all(days)
    findings = select(comparisons)
    compared = {c.factor for c in comparisons}
    found = {f.comparison.factor for f in findings}
    named: dict[str, int] = {}
    for day in days:
        for factor in day.factors:
            named[factor] = named.get(factor, 0) + 1
    return Insights(
        start=start,
        end=end,
        days_logged=len(days),
        comparisons=len(comparisons),
        findings=findings,
        nothing=_in_order(compared - found),
        too_few=[(f, named[f]) for f in _in_order(set(named) - compared)],
    )


def _in_order(factors: Iterable[str]) -> list[str]:
    """Factors in the order of their groups, then of the words in each group."""
    from companion.entry import VOCABULARIES

    def key(factor: str) -> tuple[int, int, str]:
        group, _, word = factor.partition(":")
        groups = list(_LABELS)
        words = VOCABULARIES.get(group, ())
        return (
            groups.index(group) if group in groups else len(groups),
            words.index(word) if word in words else len(words),
            word,
        )

    return sorted(factors, key=key)


# --- Student's t distribution, from the regularised incomplete beta function ---------------


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom."""
    if math.isinf(df):
        return math.erfc(abs(t) / math.sqrt(2))
    return _betainc(df / 2, 0.5, df / (df + t * t))


def t_quantile(tail: float, df: float) -> float:
    """The t > 0 with P(|T| >= t) = ``tail``, by bisection on ``t_two_sided_p``."""
    low, high = 0.0, 1.0
    while t_two_sided_p(high, df) > tail:
        low, high = high, high * 2
    for _ in range(80):
        middle = (low + high) / 2
        if t_two_sided_p(middle, df) > tail:
            low = middle
        else:
            high = middle
    return high


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    # The continued fraction converges quickly on this side of the mean; else use symmetry.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 400):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return result
