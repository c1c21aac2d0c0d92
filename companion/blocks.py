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
