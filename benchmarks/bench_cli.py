"""The command line against other tools and against the floor:

- ``companion log`` vs ``jrnl`` adding an entry, and vs a bare Python script that opens an
  SQLite file in WAL with synchronous=FULL and inserts one row in BEGIN IMMEDIATE (what
  ``log`` cannot do without; the rest is its checks, backup and imports);
- ``companion export --csv`` vs ``sqlite-utils rows --csv`` on the same 20,000-entry diary;
- ``companion list --all`` to a file vs ``companion export --csv -`` of that diary.

Run alone with ``.venv/bin/python benchmarks/bench_cli.py``; ``benchmarks/run.py`` calls
``run()`` and prints its rows with the others. Needs the bench extra (jrnl).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from harness import BIN, environment, ratio_row, run_once, side_by_side

LOG_REPEAT = 15
EXPORT_REPEAT = 7
EXPORT_ENTRIES = 20_000
PER_DAY = 5
LOG_GOAL = 0.5
LOG_FLOOR_GOAL = 2.0
EXPORT_GOAL = 1.0
LIST_GOAL = 2.0

# The floor for adding an entry: Python, SQLite in WAL with synchronous=FULL, one insert.
BARE_INSERT = """\
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=FULL")
conn.execute("CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, pain INTEGER)")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO entries (pain) VALUES (4)")
conn.execute("COMMIT")
conn.close()
"""

JRNL_CONFIG = """\
version: '{version}'
journals:
  default:
    journal: {journal}
editor: ''
encrypt: false
template: false
default_hour: 9
default_minute: 0
timeformat: '%F %r'
tagsymbols: '#@'
highlight: false
linewrap: 79
indent_character: '|'
colors:
  body: none
  date: none
  tags: none
  title: none
"""


def bench_log(work: Path) -> dict[str, Any]:
    """Adding one entry from the shell, with the same words, into an existing diary/journal."""
    config = work / "config"
    (config / "jrnl").mkdir(parents=True)
    journal = work / "journal.txt"
    text = JRNL_CONFIG.format(journal=journal, version=metadata.version("jrnl"))
    (config / "jrnl" / "jrnl.yaml").write_text(text)
    jrnl_env = environment(
        work, XDG_CONFIG_HOME=str(config), XDG_DATA_HOME=str(work / "data"), HOME=str(work)
    )
    home = work / "home"
    note = "Pain 6, night pain 3, one cramp of 2 minutes. Long drive."
    ours, theirs = side_by_side(
        [
            str(BIN / "companion"), "--home", str(home), "log", "--pain", "6",
            "--night-pain", "3", "--cramps", "1", "--cramp-minutes", "2", "--notes", note,
        ],
        [str(BIN / "jrnl"), note],
        repeat=LOG_REPEAT,
        env_ours=environment(work),
        env_theirs=jrnl_env,
    )  # fmt: skip
    stamps = [line for line in journal.read_text(encoding="utf-8").splitlines() if line[:1] == "["]
    if len(stamps) != LOG_REPEAT + 1:
        raise RuntimeError("jrnl did not write every entry")
    from companion.store import Store

    with Store.open(home) as store:
        if store.count() != LOG_REPEAT + 1:
            raise RuntimeError("companion log did not save every entry")
    return ratio_row("companion log: add an entry", ours, "jrnl", theirs, LOG_GOAL)


def bench_log_floor(work: Path) -> dict[str, Any]:
    """Adding one entry to a diary that has entries (so the checks on open and today's
    backup are in place), against the bare insert, both on the same disk."""
    home = work / "floor"
    bare = work / "bare.py"
    bare.write_text(BARE_INSERT, encoding="utf-8")
    log = [str(BIN / "companion"), "--home", str(home), "log", "--pain", "4"]
    run_once(log, env=environment(work))  # the warm-up run then writes today's backup
    ours, theirs = side_by_side(
        log,
        [sys.executable, str(bare), str(work / "bare.sqlite3")],
        repeat=LOG_REPEAT,
        env_ours=environment(work),
        env_theirs=environment(work),
    )
    return ratio_row(
        "companion log --pain 4", ours, "bare WAL insert script", theirs, LOG_FLOOR_GOAL
    )


def bench_list(work: Path) -> dict[str, Any]:
    """The 20,000-entry diary bench_export made, listed to a file (plain rows) and exported
    as CSV to standard output."""
    home = work / "big"
    listed = work / "list.txt"
    ours, theirs = side_by_side(
        [str(BIN / "companion"), "--home", str(home), "list", "--all"],
        [str(BIN / "companion"), "--home", str(home), "export", "--csv", "-"],
        repeat=EXPORT_REPEAT,
        env_ours=environment(work),
        env_theirs=environment(work),
        out_ours=listed,
        out_theirs=work / "export.csv",
    )
    rows = listed.read_text(encoding="utf-8").count("\n") - 1
    if rows != EXPORT_ENTRIES:
        raise RuntimeError(f"companion list wrote {rows} rows")
    return ratio_row(
        f"companion list --all: {EXPORT_ENTRIES:,} entries",
        ours,
        "companion export --csv -",
        theirs,
        LIST_GOAL,
    )


def bench_export(work: Path) -> dict[str, Any]:
    """The whole 20,000-entry diary as CSV, both written to a file on the same disk."""
    from companion.demo import fill

    home = work / "big"
    fill(home, days=EXPORT_ENTRIES // PER_DAY, per_day=PER_DAY)
    db = home / "diary.sqlite3"
    ours_file = work / "companion.csv"
    ours, theirs = side_by_side(
        [str(BIN / "companion"), "--home", str(home), "export", "--csv", str(ours_file), "--force"],
        [str(BIN / "sqlite-utils"), "rows", str(db), "entries", "--csv"],
        repeat=EXPORT_REPEAT,
        env_ours=environment(work),
        env_theirs=environment(work),
        out_theirs=work / "sqlite-utils.csv",
    )
    rows = ours_file.read_bytes().count(b"\r\n") - 1
    if rows < EXPORT_ENTRIES:  # notes may hold newlines, never fewer lines than entries
        raise RuntimeError(f"companion export wrote {rows} rows")
    return ratio_row(
        f"companion export --csv: {EXPORT_ENTRIES:,} entries",
        ours,
        "sqlite-utils rows --csv",
        theirs,
        EXPORT_GOAL,
    )


def run() -> list[dict[str, Any]]:
    if not (BIN / "jrnl").exists():
        raise RuntimeError("jrnl is missing: install the bench extra (make bench does)")
    work = Path(tempfile.mkdtemp(prefix="companion-bench-cli-"))
    try:
        return [bench_log(work), bench_log_floor(work), bench_export(work), bench_list(work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for row in run():
        print("  ".join(f"{key}={value}" for key, value in row.items()))
