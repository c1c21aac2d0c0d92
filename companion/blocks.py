"""The characters every chart is drawn with: the trends' columns and the dashboard's bars."""

from __future__ import annotations

BLOCKS = "▁▂▃▄▅▆▇█"  # a cell filled from the bottom, an eighth more each
NO_DATA = "·"  # where nothing was logged, so a gap is never mistaken for a zero
PEAK = "░"  # shading from a bar up to its peak (the worst pain)
AXIS = "─"


def bar(value: float, high: float) -> str:
    """The block for ``value`` on a 0-``high`` scale in one cell: the lowest for 0 (a day
    logged at 0 still shows), the full block for ``high`` or more."""
    share = max(0.0, min(value, high)) / high
    return BLOCKS[round(share * (len(BLOCKS) - 1))]


RUNGS = "▏▎▍▌▋▊▉█"  # a cell filled from the left, an eighth more each


def hbar(value: float, high: float, width: int) -> str:
    """A bar of ``width`` cells for ``value`` on a 0-``high`` scale, to the nearest eighth of
    a cell; a value above 0 shows at least the thinnest rung."""
    eighths = round(max(0.0, min(value, high)) / high * width * 8)
    if value > 0:
        eighths = max(eighths, 1)
    whole, part = divmod(eighths, 8)
    return (RUNGS[-1] * whole + (RUNGS[part - 1] if part else "")).ljust(width)
