"""Alert evaluation and the trends screen on a 20,000-entry diary (about 11 years).

Run alone with ``.venv/bin/python benchmarks/bench_alerts.py``; ``benchmarks/run.py`` calls
``run()`` and prints its rows with the others.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import ComposeResult

ENTRIES = 20_000
PER_DAY = 5
TODAY = date(2026, 3, 31)
REPEAT = 15
EVALUATE_GOAL_MS = 20.0
REDRAW_GOAL_MS = 150.0


def _median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()  # warm caches (rules file, SQLite pages) as a running app would have them
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def _median_ms_async(action: Callable[[int], Awaitable[object]]) -> float:
    await action(0)
    times = []
    for n in range(1, REPEAT + 1):
        start = time.perf_counter()
        await action(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _row(name: str, median_ms: float, goal_ms: float) -> dict[str, Any]:
    return {
        "benchmark": name,
        "median_ms": round(median_ms, 2),
        "goal": f"< {goal_ms:g} ms",
        "result": "PASS" if median_ms < goal_ms else "MISS",
    }


def _evaluate(home: Path) -> float:
    from companion.alerts import evaluate
    from companion.store import Store

    with Store.open(home) as store:
        return _median_ms(lambda: evaluate(store, TODAY))


def _redraws(home: Path) -> tuple[float, float, float]:
    """At 120x40 with "all" shown: a full redraw (read the diary, summarize, lay out and
    paint), a redraw after a resize (re-bucket the days to the new width and paint), and the
    same resize on a bare screen (header, a line, footer): what the test harness and Textual
    cost on their own."""
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    from screens.app import CompanionApp
    from screens.trends import TrendsScreen

    class Bare(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("A bare screen")
            yield Footer(compact=True)

    result: dict[str, float] = {}

    async def measure(screen: Screen[None], name: str) -> None:
        app = CompanionApp(home=home, today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.push_screen(screen)
            if isinstance(screen, TrendsScreen):
                await pilot.press("5")
            await pilot.pause()

            async def resize(n: int) -> None:
                await pilot.resize_terminal(120 - n % 2, 40)

            result[f"{name} resize"] = await _median_ms_async(resize)
            if isinstance(screen, TrendsScreen):

                async def full(_: int) -> None:
                    screen.load()
                    await pilot.pause()

                result["full"] = await _median_ms_async(full)

    async def both() -> None:
        await measure(Bare(), "bare")
        await measure(TrendsScreen(), "trends")

    asyncio.run(both())
    return result["full"], result["trends resize"], result["bare resize"]


def run() -> list[dict[str, Any]]:
    from companion.demo import fill

    home = Path(tempfile.mkdtemp(prefix="companion-bench-alerts-"))
    try:
        fill(home, days=ENTRIES // PER_DAY, per_day=PER_DAY, today=TODAY)
        full, resize, bare = _redraws(home)
        return [
            _row(f"alerts: evaluate, {ENTRIES:,} entries", _evaluate(home), EVALUATE_GOAL_MS),
            _row("trends: 'all' at 120x40, read and redraw", full, REDRAW_GOAL_MS),
            _row("trends: 'all' at 120x40, redraw after resize", resize, REDRAW_GOAL_MS),
            _row("  bare screen, same resize (harness floor)", bare, REDRAW_GOAL_MS),
            _row("  trends' own share of a resize redraw", resize - bare, REDRAW_GOAL_MS),
        ]
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    for row in run():
        print("  ".join(f"{key}={value}" for key, value in row.items()))
