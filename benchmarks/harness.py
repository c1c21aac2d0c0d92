"""Helpers for benchmarks that compare a companion command with another tool, side by side.

Both commands run alternately in the same loop, so a busy machine slows both alike, and the
median of the repetitions is compared.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

BIN = Path(sys.executable).parent  # the environment's console scripts: companion, jrnl, ...


def run_once(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, stdout: IO[Any] | None = None
) -> float:
    """Run a command to completion, no stdin; its wall time in seconds. Fails loudly."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv),
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"{Path(argv[0]).name} exited {done.returncode}: {done.stderr.decode()[-300:]}"
        )
    return elapsed


def side_by_side(
    ours: Sequence[str],
    theirs: Sequence[str],
    *,
    repeat: int,
    env_ours: Mapping[str, str] | None = None,
    env_theirs: Mapping[str, str] | None = None,
    out_ours: Path | None = None,
    out_theirs: Path | None = None,
) -> tuple[float, float]:
    """Median seconds of each command, run alternately after one warm-up run each.

    ``out_*`` sends a command's standard output to that file (rewritten every run).
    """
    times: tuple[list[float], list[float]] = ([], [])
    runs = ((ours, env_ours, out_ours), (theirs, env_theirs, out_theirs))
    for round_ in range(repeat + 1):
        for (argv, env, out), samples in zip(runs, times, strict=True):
            if out is None:
                elapsed = run_once(argv, env=env)
            else:
                with out.open("wb") as handle:
                    elapsed = run_once(argv, env=env, stdout=handle)
            if round_:  # the first round warms caches and creates files
                samples.append(elapsed)
    return statistics.median(times[0]), statistics.median(times[1])


def ratio_row(
    name: str, ours_s: float, baseline: str, theirs_s: float, goal: float
) -> dict[str, Any]:
    """One result row: our median, the other tool's, their ratio against the goal."""
    ratio = ours_s / theirs_s
    return {
        "benchmark": name,
        "median_ms": round(ours_s * 1000, 1),
        "baseline": baseline,
        "baseline_ms": round(theirs_s * 1000, 1),
        "ratio": round(ratio, 2),
        "goal": f"<= {goal:g}",
        "result": "PASS" if ratio <= goal else "MISS",
    }


def environment(work: Path, **changes: str) -> dict[str, str]:
    """This process's environment for a command under test, with ``changes``.

    Bytecode is cached (in ``work``, not the source tree) as it is in an installed package,
    for every tool alike: without the cache each run would compile its modules again.
    There is no COMPANION_HOME to fall back on.
    """
    drop = {"COMPANION_HOME", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env.update(changes)
    return env
