"""Crash safety: SIGKILL at random moments never loses an acknowledged save, never leaves
half an import, and never damages the file.

The moments and operations come from one random seed, new each run unless
COMPANION_TEST_SEED gives it; a failure names the seed, so a run can be repeated with the
same choices (the timing of each kill against the worker still varies a little).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.paths import DIARY_FILE
from companion.store import Store

WORKER = Path(__file__).with_name("crash_worker.py")
REPO = WORKER.parent.parent
KILLS = 30
SEED_VARIABLE = "COMPANION_TEST_SEED"


def seed_from_environment() -> int:
    """COMPANION_TEST_SEED if it is set, else a new random seed."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return int.from_bytes(os.urandom(4), "big")
    try:
        return int(text)
    except ValueError:
        pytest.fail(f"{SEED_VARIABLE} must be a whole number, not {text!r}")


@contextlib.contextmanager
def seed_named_on_failure(seed: int) -> Iterator[None]:
    """Any failure inside says which seed it came from, and how to run it again."""
    try:
        yield
    except BaseException as exc:
        exc.add_note(f"random seed {seed}; run again with {SEED_VARIABLE}={seed}")
        raise


def _run_and_kill(home: Path, run: int, seed: int, nth: int, after_s: float) -> list[str]:
    """Kill the worker ``after_s`` seconds after it starts its ``nth`` operation.

    Counting operations rather than seconds from the start keeps the kills inside the work
    on a slow or busy machine, where starting Python alone can take longer than a fixed delay.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, str(WORKER), str(home), str(run), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        timer = threading.Timer(after_s, proc.send_signal, (signal.SIGKILL,))
        lines: list[str] = []
        try:
            for line in proc.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith(("save-start", "import-start")):
                    nth -= 1
                    if nth == 0:
                        timer.start()
        finally:
            timer.cancel()
    assert proc.returncode == -signal.SIGKILL, f"the worker stopped by itself: {lines[-3:]}"
    return lines


def test_the_seed_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SEED_VARIABLE, " 1234 ")
    assert seed_from_environment() == 1234
    monkeypatch.setenv(SEED_VARIABLE, "")
    assert len({seed_from_environment() for _ in range(5)}) > 1
    monkeypatch.setenv(SEED_VARIABLE, "abc")
    with pytest.raises(pytest.fail.Exception, match="COMPANION_TEST_SEED must be a whole"):
        seed_from_environment()


def test_a_failure_names_its_seed() -> None:
    with pytest.raises(OSError) as failure, seed_named_on_failure(1234):
        raise OSError("the worker could not start")
    assert failure.value.__notes__ == ["random seed 1234; run again with COMPANION_TEST_SEED=1234"]


@pytest.mark.slow
def test_sigkill_during_saves_and_imports(home: Path) -> None:
    seed = seed_from_environment()
    with seed_named_on_failure(seed):
        kill_and_check(home, seed)


def kill_and_check(home: Path, seed: int) -> None:
    rng = random.Random(seed)
    saved: set[str] = set()
    started: dict[tuple[str, str], int] = {}
    imported: set[tuple[str, str]] = set()
    interrupted = 0
    for run in range(1, KILLS + 1):
        lines = _run_and_kill(
            home, run, rng.randrange(2**32), rng.randint(1, 4), rng.uniform(0.0, 0.3)
        )
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

    assert saved and imported, "the worker never finished an operation"
    assert interrupted, "no kill landed inside an operation"

    # The file is sound before anything of ours opens it.
    raw = sqlite3.connect(home / DIARY_FILE)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
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
    assert not missing, f"acknowledged saves lost: {sorted(missing)[:5]}"
    assert all(n == 1 for n in notes.values())
    for (run_id, op), rows in started.items():
        prefix = f"{int(run_id):08x}-{int(op):04x}"
        present = batches.get(prefix, 0)
        if (run_id, op) in imported:
            assert present == rows, f"acknowledged import {prefix} incomplete"
        else:
            assert present in (0, rows), f"half an import: {prefix} {present}/{rows}"
    # And the app opens it as usual.
    with Store.open(home) as store:
        assert store.count() == len(notes) + sum(batches.values())
