"""Sync of a 20,000-entry diary (about 11 years): the first sync that sends all of it, the
first sync of a second computer that reads all of it, and a sync with nothing new (what a
person waits for most days).

Run alone with ``.venv/bin/python benchmarks/bench_sync.py``; ``benchmarks/run.py`` calls
``run()`` and prints its rows with the others.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ENTRIES = 20_000
PER_DAY = 5
TODAY = date(2026, 3, 31)
REPEAT = 7
SEND_GOAL_MS = 10000.0
READ_GOAL_MS = 15000.0
NOTHING_NEW_GOAL_MS = 1000.0


def _row(name: str, ms: float, goal_ms: float) -> dict[str, Any]:
    return {
        "benchmark": name,
        "median_ms": round(ms, 1),
        "goal": f"< {goal_ms:g} ms",
        "result": "PASS" if ms < goal_ms else "MISS",
    }


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def run() -> list[dict[str, Any]]:
    from companion.demo import fill
    from companion.store import Store
    from companion.sync.engine import sync

    with tempfile.TemporaryDirectory() as tmp:
        a, b, shared = Path(tmp) / "a", Path(tmp) / "b", Path(tmp) / "shared"
        fill(a, days=ENTRIES // PER_DAY, today=TODAY, per_day=PER_DAY)
        with Store.open(a) as store:
            send = _timed(lambda: sync(store, shared))
            nothing = statistics.median(_timed(lambda: sync(store, shared)) for _ in range(REPEAT))
        with Store.open(b) as store:
            read = _timed(lambda: sync(store, shared))
    return [
        _row(f"sync: send {ENTRIES:,} entries", send, SEND_GOAL_MS),
        _row(f"sync: read {ENTRIES:,} entries", read, READ_GOAL_MS),
        _row("sync: nothing new", nothing, NOTHING_NEW_GOAL_MS),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
