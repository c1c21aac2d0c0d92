"""The named date ranges the app offers: trend periods and export presets.

Kept apart from ``trends`` and ``report`` so the key bindings built from them at start-up
do not load the code that draws charts or writes summaries.
"""

from __future__ import annotations

from companion.record import Record


class Period(Record):
    key: str
    label: str
    days: int | None  # None: the whole diary

    @property
    def description(self) -> str:
        return f"the last {self.label}" if self.days else "the whole diary"


PERIODS: tuple[Period, ...] = (
    Period("2w", "2 weeks", 14),
    Period("1m", "1 month", 30),
    Period("3m", "3 months", 91),
    Period("1y", "1 year", 365),
    Period("all", "all", None),
)

# The ranges offered for export, by name: days up to today, or None for the whole diary.
PRESETS: dict[str, int | None] = {
    "Last 30 days": 30,
    "Last 90 days": 90,
    "Last year": 365,
    "Whole diary": None,
}
