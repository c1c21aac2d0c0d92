"""Saves and CSV imports in a loop through the real CLI, for the kill tests.

Usage: python crash_worker.py HOME RUN SEED. Prints one line when an operation starts and
one when the CLI has returned 0 (the commit happened): the test kills this process at
random moments and then checks the diary against the acknowledgements.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
from pathlib import Path

from companion import csvio
from companion.__main__ import main
from companion.demo import demo_entries


def batch_id(run: int, op: int, row: int) -> str:
    """An entry id that says which import it came from: run and op in the first groups."""
    return f"{run:08x}-{op:04x}-4000-8000-{row:012x}"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def cli(*args: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return main(list(args))


def loop(home: Path, run: int, seed: int) -> None:
    rng = random.Random(seed)
    for op in range(100_000):
        if rng.random() < 0.5:
            tag = f"save {run}-{op}"
            say(f"save-start {tag}")
            if cli("--home", str(home), "log", "--pain", "4", "--notes", tag) == 0:
                say(f"saved {tag}")
        else:
            rows = rng.randint(50, 400)
            source = home.parent / f"import-{run}-{op}.csv"
            entries = (
                e.with_changes(id=batch_id(run, op, i))
                for i, e in enumerate(demo_entries(rows, seed=op % 97))
            )
            with source.open("w", encoding="utf-8", newline="") as handle:
                csvio.write_csv(entries, handle)
            say(f"import-start {run} {op} {rows}")
            if cli("--home", str(home), "import", str(source)) == 0:
                say(f"imported {run} {op} {rows}")
            source.unlink()


if __name__ == "__main__":
    loop(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
