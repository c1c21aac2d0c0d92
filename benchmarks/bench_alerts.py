"""Alert evaluation and the trends screen on a 20,000-entry diary (about 11 years).

Warning signs do not expire, so the rules look for them across the whole diary: the last
row is a diary where every entry notes a sign and a temperature, never settled.

Run alone with ``.venv/bin/python benchmarks/bench_alerts.py``; ``benchmarks/run.py`` calls
``run()`` and prints its rows with the others.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

ENTRIES = 20_000
PER_DAY = 5
TODAY = date(2026, 3, 31)
REPEAT = 15
EVALUATE_GOAL_MS = 20.0
# Every entry a sign: the sign history reads all 20,000 of them, by their index.
EVERY_SIGN_GOAL_MS = 60.0
REDRAW_GOAL_MS = 150.0
# With a dose log beside the diary: five doses a day for as long, one a combination.
DOSES_GOAL_MS = 30.0


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


def _evaluate_every_sign(home: Path) -> float:
    from companion.store import Store

    with Store.open(home) as store, store.write() as conn:
        conn.execute("UPDATE entries SET red_flags = 'lump', temperature_c = 36.8")
    return _evaluate(home)


def _redraws(home: Path) -> tuple[float, float]:
    """At 120x40 with "all" shown: a full redraw (read the diary, summarize, lay out and
    paint) and a redraw at a new chart width (re-bucket the days already read, lay out and
    paint), as after a resize."""
    from screens.app import CompanionApp
    from screens.trends import TrendsScreen

    result: list[float] = []

    async def measure() -> None:
        app = CompanionApp(home=home, today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("r", "5")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TrendsScreen)
            body = screen.query_one("#trends")

            # pause(0) processes the pending messages and draws once, without the idle
            # wait of a bare pause() (which polls CPU use for about 100 ms).
            async def full(_: int) -> None:
                screen.load()
                await pilot.pause(0)

            async def rewidth(n: int) -> None:
                body.styles.padding = (0, 1 + n % 2)
                await pilot.pause(0)

            result.extend([await _median_ms_async(full), await _median_ms_async(rewidth)])

    asyncio.run(measure())
    return result[0], result[1]


def _evaluate_with_doses(home: Path) -> float:
    from datetime import timedelta

    from companion.entry import new_id
    from companion.store import Store

    doses = ("paracetamol", "ibuprofen", "naproxen", "atorvastatin", "co-codamol")
    rows = [
        (
            new_id(),
            (TODAY - timedelta(days=n)).isoformat(),
            f"{7 + 3 * k:02d}:00",
            medicine,
            530.0 if medicine == "co-codamol" else 400.0,
            '{"codeine": 30, "paracetamol": 500}' if medicine == "co-codamol" else None,
        )
        for n in range(ENTRIES // PER_DAY)
        for k, medicine in enumerate(doses)
    ]
    with Store.open(home) as store, store.write() as conn:
        conn.executemany(
            "INSERT INTO doses (id, date, time, medicine, dose_mg, parts, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, '', '')",
            rows,
        )
    return _evaluate(home)


def run() -> list[dict[str, Any]]:
    from companion.demo import fill

    home = Path(tempfile.mkdtemp(prefix="companion-bench-alerts-"))
    try:
        fill(home, days=ENTRIES // PER_DAY, per_day=PER_DAY, today=TODAY)
        full, rewidth = _redraws(home)
        return [
            _row(f"alerts: evaluate, {ENTRIES:,} entries", _evaluate(home), EVALUATE_GOAL_MS),
            _row("trends: 'all' at 120x40, read and redraw", full, REDRAW_GOAL_MS),
            _row("trends: 'all' at 120x40, redraw at a new width", rewidth, REDRAW_GOAL_MS),
            # Before every entry notes a sign: that row's diary is another.
            _row(
                f"alerts: evaluate, and {ENTRIES:,} doses over as long",
                _evaluate_with_doses(home),
                DOSES_GOAL_MS,
            ),
            _row(
                f"alerts: evaluate, {ENTRIES:,} entries each noting a sign",
                _evaluate_every_sign(home),
                EVERY_SIGN_GOAL_MS,
            ),
        ]
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
