"""The dashboard's figures: the last two weeks, and this week against the week before.

Built from the store's daily aggregates (``Store.daily`` over ``DAYS_SHOWN`` days) and said in
words here; the dashboard only styles and lays them out. A clear change is
``companion.change``'s rule, the one the trends use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from companion.change import as_shown, clear_change
from companion.record import Record

if TYPE_CHECKING:
    from companion.store.records import DayStats

DAYS_SHOWN = 14
WEEK = 7
# Under half a point is noise: "about the same".
SAME = 0.5

Tone = Literal["better", "worse", "same"]


class Sentence(Record):
    """A sentence with one part to stress: ``lead``, ``stress``, ``tail``. ``tone`` says
    whether the stressed part is good news, bad news or neither (None when nothing is)."""

    lead: str
    stress: str = ""
    tail: str = ""
    tone: Tone | None = None

    @property
    def text(self) -> str:
        return self.lead + self.stress + self.tail


def short(value: float) -> str:
    """A score with at most one decimal and no trailing zero: 6, 5.5."""
    return f"{value:.1f}".removesuffix(".0")


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def summary(values: Sequence[float | None], what: str) -> str:
    """'avg 5.6 (5-7.5)', '6 on one day' or 'no pain logged': beside a row of days."""
    known = [v for v in values if v is not None]
    if not known:
        return f"no {what} logged"
    if len(known) == 1:
        return f"{short(known[0])} on one day"
    low, high = short(min(known)), short(max(known))
    return f"avg {sum(known) / len(known):.1f} ({low}-{high})"


def _count(cramps: int) -> str:
    return "no cramps" if cramps == 0 else f"{cramps} cramp{'s' if cramps != 1 else ''}"


class Overview(Record):
    """The numbers the dashboard shows, day by day for ``DAYS_SHOWN`` days up to today."""

    days: tuple[date, ...]
    pain: tuple[float | None, ...]  # each day's mean pain; None where nothing was logged
    night: tuple[float | None, ...]
    this_week: float | None
    last_week: float | None
    cramps_this_week: int
    cramps_last_week: int

    @classmethod
    def of(cls, stats: Sequence[DayStats], today: date) -> Overview:
        by_day = {s.date: s for s in stats}
        days = tuple(today - timedelta(days=DAYS_SHOWN - 1 - i) for i in range(DAYS_SHOWN))
        rows = [by_day.get(d.isoformat()) for d in days]
        pain = tuple(r.pain_mean if r else None for r in rows)
        night = tuple(float(r.night_pain) if r and r.night_pain is not None else None for r in rows)
        return cls(
            days=days,
            pain=pain,
            night=night,
            this_week=_mean(pain[-WEEK:]),
            last_week=_mean(pain[-2 * WEEK : -WEEK]),
            cramps_this_week=sum(r.cramps for r in rows[-WEEK:] if r),
            cramps_last_week=sum(r.cramps for r in rows[-2 * WEEK : -WEEK] if r),
        )

    def change_words(self) -> Sentence:
        """This week's average pain against last week's, in words and a symbol."""
        if self.this_week is None:
            return Sentence("No pain scores in the last 7 days yet.")
        now = f"Average pain {self.this_week:.1f} in the last 7 days"
        if self.last_week is None:
            return Sentence(f"{now}; nothing to compare with the week before.")
        this_week, last_week = as_shown(self.this_week), as_shown(self.last_week)
        delta = this_week - last_week
        before = f"{self.last_week:.1f} the week before"
        if abs(delta) < SAME:
            return Sentence(f"{now}, ", "= about the same", f" as {before}.", "same")
        amount = "clearly" if clear_change(last_week, this_week) else "a little"
        if delta < 0:
            words = f"▼ {-delta:.1f} lower: {amount} better"
            return Sentence(f"{now}, ", words, f" than {before}.", "better")
        words = f"▲ {delta:.1f} higher: {amount} worse"
        return Sentence(f"{now}, ", words, f" than {before}.", "worse")

    def cramp_words(self) -> str:
        return (
            f"Cramps: {_count(self.cramps_this_week)} in the last 7 days, "
            f"{_count(self.cramps_last_week)} the week before."
        )
