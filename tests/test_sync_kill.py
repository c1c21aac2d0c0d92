"""A sync killed at any moment leaves the diary sound, the folder holding only whole change
files (and the killed computer's own temporary file, cleared next time), and the next
syncs bring both computers to the same diary."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sync_homes import diary
from test_reliability_crash import seed_from_environment, seed_named_on_failure

from companion.paths import DIARY_FILE
from companion.store import Store
from companion.sync import folder as files
from companion.sync.engine import sync

WORKER = Path(__file__).with_name("sync_worker.py")
REPO = WORKER.parent.parent
KILLS = 6
GUARD_S = 120.0


def _run_and_kill(home: Path, folder: Path, rng: random.Random) -> list[str]:
    """Run the worker and kill it a random moment after its first, second or third sync
    starts: the moments follow the worker, however slowly a busy machine runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    after = rng.randint(1, 3)
    with subprocess.Popen(
        [sys.executable, str(WORKER), str(home), str(folder), str(rng.randrange(2**32))],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        guard = threading.Timer(GUARD_S, proc.kill)  # a worker that hangs fails, not waits
        guard.start()
        lines: list[str] = []
        try:
            for line in proc.stdout:
                lines.append(line.strip())
                if lines.count("sync-start") == after:
                    time.sleep(rng.uniform(0.0, 0.4))
                    proc.send_signal(signal.SIGKILL)
                    break
            lines += [rest.strip() for rest in proc.stdout.read().splitlines()]
        finally:
            guard.cancel()
    assert proc.returncode == -signal.SIGKILL, f"the worker stopped by itself: {lines[-3:]}"
    return [line for line in lines if line]


@pytest.mark.slow
def test_kills_during_syncs_leave_both_sides_consistent(tmp_path: Path) -> None:
    seed = seed_from_environment()
    with seed_named_on_failure(seed):
        rng = random.Random(seed)
        homes = [tmp_path / "a", tmp_path / "b"]
        folder = tmp_path / "shared"
        synced = inside = 0
        for run in range(KILLS):
            lines = _run_and_kill(homes[run % 2], folder, rng)
            assert all(line in ("sync-start", "synced 0") for line in lines), lines[-3:]
            synced += lines.count("synced 0")
            inside += bool(lines) and lines[-1] == "sync-start"
        assert synced, "no sync finished before a kill"
        assert inside, "no kill landed inside a sync"

        for home in homes:
            raw = sqlite3.connect(home / DIARY_FILE)
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            raw.close()
        # Only whole change files are there under change-file names.
        for change in files.scan(folder, "0" * 32)[0]:
            for _ in files.read(change, 99):
                pass

        a, b = (Store.open(h) for h in homes)
        with a, b:
            results = [sync(a, folder), sync(b, folder), sync(a, folder), sync(b, folder)]
            # The other computer's leftover temporary file is noted (it may still be writing
            # it, for all this one knows) until that computer's own next sync clears it away.
            first = [r.notes for r in results[:2]]
            assert all("a temporary file" in n for notes in first for n in notes), first
            assert not results[2].notes and not results[3].notes
            assert diary(a) == diary(b)
            assert a.count() > 0
        leftovers = [p.name for p in folder.iterdir() if not files.NAME_RE.fullmatch(p.name)]
        assert leftovers == []
