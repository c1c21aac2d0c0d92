"""What counts as a clear change in pain on the 0-10 scale: the one rule the dashboard, the
trends and the "no improvement" alert all use."""

from __future__ import annotations

# A change of about 2 points or 30% on the 0-10 scale is clinically important (farrar-2001).
MEANINGFUL_POINTS = 2.0
MEANINGFUL_SHARE = 0.3


def clear_change(before: float, now: float) -> bool:
    """A change of 2 points, or of 30% of a baseline above 0 (a share of nothing is no
    measure)."""
    size = abs(now - before) + 1e-9  # so 7.0 -> 4.9 (exactly 30%) counts despite rounding
    return size >= MEANINGFUL_POINTS or (before > 0 and size >= MEANINGFUL_SHARE * before)


def clear_improvement(before: float, now: float) -> bool:
    """Pain that has clearly fallen: by 2 points, or by 30% of what it was."""
    return now < before and clear_change(before, now)


def as_shown(value: float) -> float:
    """A figure as the screens show it, to one decimal: a change is worked out from these, so
    that it is the difference a person reads (2.2 and 0.9: 1.3, not 1.2)."""
    return round(value, 1)
