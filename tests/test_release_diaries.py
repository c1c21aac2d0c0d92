"""Every diary file a release made still opens, is brought up to date, and keeps every value.

tests/data holds one diary per release, made through that release's own CLI, beside what
``companion list --all --json`` printed for it then. A new release adds its pair.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from companion import migrations
from companion.paths import DIARY_FILE

DATA = Path(__file__).parent / "data"
RELEASES = sorted(p.name.removesuffix(".sqlite3") for p in DATA.glob("diary-*.sqlite3"))


def test_there_is_a_diary_from_the_first_release() -> None:
    assert "diary-0.1.0" in RELEASES


@pytest.mark.parametrize("release", RELEASES)
def test_a_release_diary_opens_and_keeps_every_value(release: str, home: Path, cli: Any) -> None:
    home.mkdir(mode=0o700)
    shutil.copyfile(DATA / f"{release}.sqlite3", home / DIARY_FILE)
    (home / DIARY_FILE).chmod(0o600)
    with sqlite3.connect(home / DIARY_FILE) as conn:
        before = {}
        for table in ("triage_results", "alert_acks", "settings"):
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY 1")
            before[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    conn.close()

    listed = cli("list", "--all", "--json")
    assert listed.code == 0, listed.err
    now = {e["id"]: e for e in json.loads(listed.out)}
    expected = json.loads((DATA / f"{release}.entries.json").read_text(encoding="utf-8"))
    assert sorted(now) == sorted(e["id"] for e in expected)
    for old in expected:
        new = now[old["id"]]
        assert {k: new[k] for k in old} == old
        # Fields added by later releases start empty.
        assert all(new[k] in (None, []) for k in new.keys() - old.keys())

    # Before any migration changed it, the diary as the release left it was backed up.
    (backup,) = (home / "backups").glob("*migration*")
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT count(*) FROM entries").fetchone()[0] == len(expected)
    old.close()

    with sqlite3.connect(home / DIARY_FILE) as conn:
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        # The dose log and the personal limits start empty; 'medications' keeps its text.
        assert conn.execute("SELECT count(*) FROM doses").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM medicine_limits").fetchone()[0] == 0
        for table, (columns, rows) in before.items():
            # The columns the release had keep their values, whatever later releases add.
            kept = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1")
            assert kept.fetchall() == rows
        # Nothing was deleted and nothing synced yet: the sync tables start empty.
        for table in ("tombstones", "sync_versions", "sync_files", "sync_conflicts"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    conn.close()
    assert applied == list(migrations.MIGRATION_NAMES)

    # A delete in a migrated diary leaves the tombstone a sync carries to other computers.
    first = expected[0]["id"]
    assert cli("delete", first).code == 0
    with sqlite3.connect(home / DIARY_FILE) as conn:
        assert conn.execute("SELECT tbl, id FROM tombstones").fetchall() == [("entries", first)]
    conn.close()
