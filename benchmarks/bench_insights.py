"""Insights over ten years of daily entries: the statistics alone, and ``companion insights``
as a person runs it (the interpreter's start included).

Run alone with ``.venv/bin/python benchmarks/bench_insights.py``; ``benchmarks/run.py`` calls
``run()`` and prints its rows with the others.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from harness import BIN, environment, run_once

DAYS = 3653  # ten years
TODAY = date(2026, 3, 31)
REPEAT = 9
GOAL_MS = 500.0


def _row(name: str, median_ms: float) -> dict[str, Any]:
    return {
        "benchmark": name,
        "median_ms": round(median_ms, 1),
        "goal": f"< {GOAL_MS:g} ms",
        "result": "PASS" if median_ms < GOAL_MS else "MISS",
    }


def _read_ms(home: Path) -> float:
    from companion import insights
    from companion.store import Store

    with Store.open(home) as store:
        start, end = insights.resolve_range(None, None, TODAY, date.fromisoformat(store.span()[0]))  # type: ignore[index]
        insights.read(store, start, end)
        times = []
        for _ in range(REPEAT):
            began = time.perf_counter()
            insights.read(store, start, end)
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def run() -> list[dict[str, Any]]:
    from companion.demo import fill

    work = Path(tempfile.mkdtemp(prefix="bench-insights-"))
    try:
        home = work / "home"
        fill(home, DAYS, today=TODAY)
        argv = [str(BIN / "companion"), "--home", str(home), "insights", "--json"]
        argv += ["--today", TODAY.isoformat()]
        env = environment(work)
        run_once(argv, env=env)
        command = statistics.median(run_once(argv, env=env) for _ in range(REPEAT)) * 1000
        return [
            _row("insights: 10 years, statistics in-process", _read_ms(home)),
            _row("companion insights --json: 10 years", command),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for row in run():
        print(row)
