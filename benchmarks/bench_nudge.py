"""``companion nudge``, which runs at shell prompts, against the least any program could do:
a bare ``python -I -c`` that opens the diary with sqlite3 and counts today's entries.

Both read the same 20,000-entry diary that holds nothing for today, so the nudge goes all
the way: it finds the data directory, opens the diary read-only, counts and prints its line.
Run alone with ``.venv/bin/python benchmarks/bench_nudge.py``.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from harness import BIN, environment, ratio_row, side_by_side

REPEAT = 31
ENTRIES = 20_000
PER_DAY = 5
GOAL = 1.5

BARE = """\
import sqlite3, sys, time
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
today = time.strftime("%Y-%m-%d")
print(conn.execute("SELECT count(*) FROM entries WHERE date = ?", (today,)).fetchone()[0])
"""


def bench_nudge(work: Path) -> dict[str, Any]:
    from companion.demo import fill

    home = work / "home"
    fill(home, days=ENTRIES // PER_DAY, per_day=PER_DAY, today=date.today() - timedelta(days=1))
    ours_out, theirs_out = work / "nudge.out", work / "bare.out"
    ours, theirs = side_by_side(
        [str(BIN / "companion"), "--home", str(home), "nudge", "--any-time"],
        [str(BIN / "python"), "-I", "-c", BARE, str(home / "diary.sqlite3")],
        repeat=REPEAT,
        env_ours=environment(work),
        env_theirs=environment(work),
        out_ours=ours_out,
        out_theirs=theirs_out,
    )
    if not ours_out.read_text().startswith("companion: nothing logged today"):
        raise RuntimeError("companion nudge did not say that nothing was logged today")
    if theirs_out.read_text() != "0\n":
        raise RuntimeError("the bare count did not run")
    return ratio_row(
        "companion nudge: nothing logged today", ours, "python -I -c sqlite3 count", theirs, GOAL
    )


def run() -> list[dict[str, Any]]:
    work = Path(tempfile.mkdtemp(prefix="companion-bench-nudge-"))
    try:
        return [bench_nudge(work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for row in run():
        print("  ".join(f"{key}={value}" for key, value in row.items()))
