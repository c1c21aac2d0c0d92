"""What encryption costs: ``companion log`` and the app's start on an encrypted diary against
the same diary unencrypted, in fresh processes run alternately.

The difference is mostly SQLCipher's key derivation (PBKDF2-HMAC-SHA512, 256,000 rounds),
slow on purpose, paid once per process. Run alone with
``.venv/bin/python benchmarks/bench_encryption.py``; ``benchmarks/run.py`` calls ``run()``.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness import BIN, environment, side_by_side

LOG_REPEAT = 9
START_REPEAT = 7
START_ENTRIES = 20_000
SECRET = "correct horse battery staple"
# The passphrase's cost, on top of the unencrypted time: about one key derivation.
LOG_EXTRA_GOAL_MS = 600.0
START_EXTRA_GOAL_MS = 900.0


def _row(name: str, ours: float, plain: float, goal_ms: float) -> dict[str, Any]:
    extra = (ours - plain) * 1000
    return {
        "benchmark": name,
        "median_ms": round(ours * 1000, 1),
        "baseline": "the same, unencrypted",
        "baseline_ms": round(plain * 1000, 1),
        "ratio": round(ours / plain, 2),
        "extra_ms": round(extra, 1),
        "goal": f"extra <= {goal_ms:g} ms",
        "result": "PASS" if extra <= goal_ms else "MISS",
    }


def _homes(work: Path, entries: int) -> tuple[Path, Path, dict[str, str]]:
    from companion.demo import fill
    from companion.store.encryption import convert

    plain, locked = work / f"plain-{entries}", work / f"locked-{entries}"
    fill(plain, days=max(entries // 5, 1), per_day=5)
    shutil.copytree(plain, locked)
    convert(locked, None, SECRET)
    secret = work / "pass"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    secret.chmod(0o600)
    return plain, locked, environment(work, COMPANION_PASSPHRASE_FILE=str(secret))


def bench_log(work: Path) -> dict[str, Any]:
    plain, locked, env = _homes(work, 2_000)
    words = ["log", "--pain", "6", "--notes", "Long drive."]
    ours, theirs = side_by_side(
        [str(BIN / "companion"), "--home", str(locked), *words],
        [str(BIN / "companion"), "--home", str(plain), *words],
        repeat=LOG_REPEAT,
        env_ours=env,
        env_theirs=env,
    )
    return _row("companion log, encrypted diary", ours, theirs, LOG_EXTRA_GOAL_MS)


def bench_start(work: Path) -> dict[str, Any]:
    from bench_tui import _start_once

    plain, locked, env = _homes(work, START_ENTRIES)
    samples: dict[Path, list[float]] = {locked: [], plain: []}
    for round_ in range(START_REPEAT + 1):
        for home, found in samples.items():
            wall, _ = _start_once("companion", home, env)
            if round_:
                found.append(wall)
    return _row(
        f"app start to dashboard, encrypted, {START_ENTRIES:,} entries",
        statistics.median(samples[locked]),
        statistics.median(samples[plain]),
        START_EXTRA_GOAL_MS,
    )


def run() -> list[dict[str, Any]]:
    work = Path(tempfile.mkdtemp(prefix="companion-bench-encryption-"))
    try:
        return [bench_log(work), bench_start(work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for row in run():
        print("  ".join(f"{key}={value}" for key, value in row.items()))
