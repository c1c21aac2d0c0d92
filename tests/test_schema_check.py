"""The diary's exact schema: a file to restore, and the live diary on every open, must have
exactly the tables, columns, constraints and indexes the migrations make, and no triggers or
views of their own; every row of a file to restore must pass the validator."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from companion import migrations
from companion.entry import FIELD_NAMES
from companion.errors import StoreError
from companion.paths import DIARY_FILE
from companion.store import Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def make_diary(path: Path, work: Path, entries: int = 3) -> Path:
    """A healthy diary file (one plain file, as a backup is), made in the folder ``work``."""
    home = work / f"maker-{path.stem}"
    with Store.open(home) as store:
        for pain in range(entries):
            store.conn.execute(
                "INSERT INTO entries (id, date, pain, created, updated) VALUES (?, ?, ?, ?, ?)",
                (f"00000000-0000-4000-8000-{pain:012d}", "2026-05-01", pain, "t", "t"),
            )
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(home / DIARY_FILE, path)
    return path


def tamper(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in sql:
            conn.execute(statement)
    finally:
        conn.close()


def _rebuilt_without_checks(path: Path) -> None:
    columns = ", ".join(["id TEXT PRIMARY KEY", *FIELD_NAMES, "created", "updated"])
    tamper(
        path,
        "PRAGMA journal_mode=DELETE",
        "ALTER TABLE entries RENAME TO old",
        f"CREATE TABLE entries ({columns})",
        "INSERT INTO entries SELECT * FROM old",
        "DROP TABLE old",
        "CREATE INDEX entries_by_time ON entries (date, coalesce(time, ''), id)",
        "UPDATE entries SET pain = 'abc'",
    )


TAMPERED: dict[str, Callable[[Path], None]] = {
    "a trigger": lambda p: tamper(
        p,
        "CREATE TRIGGER wipe AFTER INSERT ON entries BEGIN DELETE FROM entries; END",
    ),
    "a view": lambda p: tamper(p, "CREATE VIEW v AS SELECT * FROM entries"),
    "an extra table": lambda p: tamper(p, "CREATE TABLE extra (x)"),
    "an extra index": lambda p: tamper(p, "CREATE INDEX by_pain ON entries (pain)"),
    "a missing index": lambda p: tamper(p, "DROP INDEX entries_by_time"),
    "an extra column": lambda p: tamper(p, "ALTER TABLE settings ADD COLUMN extra TEXT"),
    "a table without its checks": _rebuilt_without_checks,
}


@pytest.mark.parametrize("kind", sorted(TAMPERED))
def test_restore_refuses_a_tampered_backup(cli: Any, home: Path, tmp_path: Path, kind: str) -> None:
    assert cli("log", "--pain", "4", "--notes", "mine").code == 0
    backup = make_diary(tmp_path / "backup.sqlite3", tmp_path)
    TAMPERED[kind](backup)
    before = digest(backup)
    diary_before = digest(home / DIARY_FILE)
    result = cli("restore", str(backup), "--yes")
    assert result.code == 1, result.err
    line = one_line(result.err)
    assert str(backup) in line and "the diary was not changed" in line
    assert digest(backup) == before
    assert digest(home / DIARY_FILE) == diary_before
    assert json.loads(cli("list", "--all", "--json").out)[0]["notes"] == "mine"
    assert not [p.name for p in home.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("kind", sorted(TAMPERED))
def test_opening_a_tampered_diary_is_refused_and_leaves_it_as_it_was(
    cli: Any, home: Path, tmp_path: Path, kind: str
) -> None:
    home.mkdir(mode=0o700)
    diary = make_diary(home / DIARY_FILE, tmp_path)
    TAMPERED[kind](diary)
    before = digest(diary)
    for args in (("log", "--pain", "2"), ("list",), ("export", "--csv", "-")):
        result = cli(*args)
        assert result.code == 1, (args, result.err)
        line = one_line(result.err)
        assert str(diary) in line and "restore" in line
        assert digest(diary) == before
    assert sorted(p.name for p in home.iterdir()) == [DIARY_FILE]


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("a trigger", "a trigger of its own, 'wipe'"),
        ("an extra index", "an index of its own, 'by_pain'"),
        ("a missing index", "no index 'entries_by_time'"),
    ],
)
def test_the_refusal_names_what_it_found(
    cli: Any, home: Path, tmp_path: Path, kind: str, said: str
) -> None:
    home.mkdir(mode=0o700)
    TAMPERED[kind](make_diary(home / DIARY_FILE, tmp_path))
    assert f"not the layout of a companion diary ({said})" in one_line(cli("list").err)


def test_a_restored_trigger_cannot_empty_later_saves(cli: Any, home: Path, tmp_path: Path) -> None:
    backup = make_diary(tmp_path / "backup.sqlite3", tmp_path)
    TAMPERED["a trigger"](backup)
    cli("restore", str(backup), "--yes")
    cli("log", "--pain", "5")
    cli("log", "--pain", "6")
    with Store.open(home) as store:
        assert sorted(e.pain for e in store.iter_rows())[-2:] == [5, 6]


def test_restore_checks_every_row_with_the_validator(cli: Any, home: Path, tmp_path: Path) -> None:
    backup = make_diary(tmp_path / "backup.sqlite3", tmp_path)
    # Within the database's checks, but not a UUID: the validator refuses it.
    tamper(backup, "UPDATE entries SET id = 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' WHERE pain = 1")
    result = cli("restore", str(backup), "--yes")
    assert result.code == 1
    assert one_line(result.err) == (
        f"companion: {backup}: the entry of 2026-05-01 has a value the diary cannot hold "
        "(id: must be a UUID); the diary was not changed"
    )


def test_the_frozen_schema_is_what_the_migrations_make(tmp_path: Path) -> None:
    """A new migration changes the schema: update ``schema.EXPECTED`` with what this prints."""
    from companion import schema

    derived = schema.derive()
    assert derived == schema.EXPECTED, "schema.EXPECTED is out of date:\n" + schema.dump(derived)


def test_the_migrations_table_is_checked_by_its_columns_only(home: Path) -> None:
    """sqlite-utils may write its own table differently from one version to the next."""

    Store.open(home).close()
    tamper(
        home / DIARY_FILE,
        "ALTER TABLE _sqlite_migrations RENAME TO old",
        'CREATE TABLE "_sqlite_migrations" (id INTEGER PRIMARY KEY, migration_set TEXT, '
        "name TEXT, applied_at TEXT)",
        "INSERT INTO _sqlite_migrations SELECT * FROM old",
        "DROP TABLE old",
    )
    Store.open(home).close()
    tamper(home / DIARY_FILE, "ALTER TABLE _sqlite_migrations ADD COLUMN extra TEXT")
    with pytest.raises(StoreError, match="not the layout of a companion diary"):
        Store.open(home)


def test_a_pending_migration_is_checked_before_and_after(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion import schema

    Store.open(home).close()

    def m9001_extra(db: Any) -> None:
        db.execute("CREATE TABLE extra (x INTEGER)")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m9001_extra))
    monkeypatch.setattr(migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "m9001_extra"))
    # The frozen description says what the newest migration makes; without it, refused.
    before = digest(home / DIARY_FILE)
    with pytest.raises(StoreError, match="not the layout of a companion diary"):
        Store.open(home)
    assert digest(home / DIARY_FILE) == before
    monkeypatch.setattr(schema, "EXPECTED", schema.derive())
    Store.open(home).close()
    # A trigger planted in a diary that still needs a migration is refused before it runs.
    monkeypatch.undo()
    home2 = home.parent / "home2"
    Store.open(home2).close()
    tamper(home2 / DIARY_FILE, "CREATE TRIGGER t AFTER INSERT ON entries BEGIN SELECT 1; END")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m9001_extra))
    monkeypatch.setattr(migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "m9001_extra"))
    monkeypatch.setattr(schema, "EXPECTED", schema.derive())
    before = digest(home2 / DIARY_FILE)
    with pytest.raises(StoreError, match="not the layout of a companion diary"):
        Store.open(home2)
    assert digest(home2 / DIARY_FILE) == before
