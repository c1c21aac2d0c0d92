"""Crash safety: SIGKILL at random moments never loses an acknowledged save, never leaves
half an import, and never damages the file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from companion.paths import DIARY_FILE
from companion.store import Store

WORKER = Path(__file__).with_name("crash_worker.py")
REPO = WORKER.parent.parent
KILLS = 30


def _run_and_kill(home: Path, run: int, seed: int, after_s: float) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, str(WORKER), str(home), str(run), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        timer = threading.Timer(after_s, proc.send_signal, (signal.SIGKILL,))
        timer.start()
        try:
            lines = proc.stdout.read().splitlines()
        finally:
            timer.cancel()
    assert proc.returncode == -signal.SIGKILL, f"the worker stopped by itself: {lines[-3:]}"
    return lines


@pytest.mark.slow
def test_sigkill_during_saves_and_imports(home: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    saved: set[str] = set()
    started: dict[tuple[str, str], int] = {}
    imported: set[tuple[str, str]] = set()
    interrupted = 0
    for run in range(1, KILLS + 1):
        lines = _run_and_kill(home, run, rng.randrange(2**32), rng.uniform(0.2, 0.7))
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "saved":
                saved.add(rest)
            elif kind == "import-start":
                run_id, op, rows = rest.split()
                started[run_id, op] = int(rows)
            elif kind == "imported":
                imported.add(tuple(rest.split()[:2]))  # type: ignore[arg-type]
        if lines and not lines[-1].startswith(("saved", "imported")):
            interrupted += 1

    why = f"(random seed {seed})"
    assert saved and imported, f"the worker never finished an operation {why}"
    assert interrupted, f"no kill landed inside an operation {why}"

    # The file is sound before anything of ours opens it.
    raw = sqlite3.connect(home / DIARY_FILE)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)], why
    notes = Counter(
        r[0] for r in raw.execute("SELECT notes FROM entries WHERE notes LIKE 'save %'")
    )
    batches = Counter(
        r[0]
        for r in raw.execute(
            "SELECT substr(id, 1, 13) FROM entries WHERE notes IS NULL OR notes NOT LIKE 'save %'"
        )
    )
    raw.close()

    missing = saved - set(notes)
    assert not missing, f"acknowledged saves lost: {sorted(missing)[:5]} {why}"
    assert all(n == 1 for n in notes.values()), why
    for (run_id, op), rows in started.items():
        prefix = f"{int(run_id):08x}-{int(op):04x}"
        present = batches.get(prefix, 0)
        if (run_id, op) in imported:
            assert present == rows, f"acknowledged import {prefix} incomplete {why}"
        else:
            assert present in (0, rows), f"half an import: {prefix} {present}/{rows} {why}"
    # And the app opens it as usual.
    with Store.open(home) as store:
        assert store.count() == len(notes) + sum(batches.values())
