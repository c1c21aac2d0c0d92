"""Opening a diary: migrations, and files that must be refused without being touched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from companion import migrations, schema
from companion.entry import Entry
from companion.errors import StoreError
from companion.paths import DIARY_FILE
from companion.store import Store
from companion.store.core import QUICK_CHECK_CACHE_PAGES


def applied(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes, its mtime and what lies beside it."""
    siblings = sorted(p.name for p in path.parent.iterdir())
    return path.read_bytes(), path.stat().st_mtime_ns, siblings


def test_a_fresh_diary_gets_every_migration(home: Path) -> None:
    with Store.open(home) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    path = home / DIARY_FILE
    assert applied(path) == list(migrations.MIGRATION_NAMES)
    assert {"entries", "triage_results", "alert_acks", "settings"} <= tables(path)


def test_reopening_runs_nothing_again(home: Path) -> None:
    with Store.open(home) as store:
        store.add(Entry("2026-01-01", pain=2))
    with Store.open(home) as store:
        assert store.count() == 1
    assert applied(home / DIARY_FILE) == list(migrations.MIGRATION_NAMES)


def test_a_pending_migration_is_applied_once(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(home).close()

    def m9001_extra(db: object) -> None:
        db.execute("CREATE TABLE extra (x INTEGER)")  # type: ignore[attr-defined]

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m9001_extra))
    monkeypatch.setattr(migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "m9001_extra"))
    monkeypatch.setattr(schema, "EXPECTED", schema.derive())  # what a new migration updates
    Store.open(home).close()
    Store.open(home).close()
    assert applied(home / DIARY_FILE) == [*migrations.MIGRATION_NAMES]
    assert "extra" in tables(home / DIARY_FILE)


def test_a_failing_migration_changes_nothing(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(home).close()

    def m9001_broken(db: object) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")  # type: ignore[attr-defined]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m9001_broken))
    monkeypatch.setattr(
        migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "m9001_broken")
    )
    with pytest.raises(StoreError):
        Store.open(home)
    assert "half_done" not in tables(home / DIARY_FILE)
    assert "m9001_broken" not in applied(home / DIARY_FILE)


def test_a_diary_from_a_newer_version_is_refused_and_not_modified(home: Path) -> None:
    with Store.open(home) as store:
        store.add(Entry("2026-01-01", pain=2))
        with store.write() as conn:
            conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES (?, 'm9999_from_the_future', '2030-01-01')",
                (migrations.MIGRATION_SET,),
            )
    path = home / DIARY_FILE
    before = fingerprint(path)
    with pytest.raises(StoreError) as caught:
        Store.open(home)
    assert str(caught.value) == (
        f"{path}: this diary was written by a newer version of companion; "
        "please upgrade companion to open it"
    )
    assert fingerprint(path) == before


def test_another_programs_sqlite_file_is_refused_unmodified(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / DIARY_FILE
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO photos (name) VALUES ('beach')")
    conn.close()
    before = fingerprint(path)
    with pytest.raises(StoreError, match="another program's database"):
        Store.open(home)
    assert fingerprint(path) == before


def test_another_migration_set_is_not_a_diary(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / DIARY_FILE
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)"
        )
        conn.execute("INSERT INTO _sqlite_migrations VALUES ('other_app', 'm0001', 'x')")
    conn.close()
    before = fingerprint(path)
    with pytest.raises(StoreError, match="another program's database"):
        Store.open(home)
    assert fingerprint(path) == before


def test_a_file_that_is_not_sqlite_is_refused_unmodified(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / DIARY_FILE
    path.write_bytes(b"Dear diary,\nthis is a text file.\n" * 50)
    before = fingerprint(path)
    with pytest.raises(StoreError) as caught:
        Store.open(home)
    assert str(caught.value) == (
        f"{path}: not a companion diary (not an SQLite file); move it away or use --home"
    )
    assert fingerprint(path) == before


@pytest.mark.parametrize("first", [2, -4], ids=["early-pages", "last-pages"])
def test_a_damaged_diary_is_refused_with_its_name(home: Path, first: int) -> None:
    """Damage far past the few pages quick_check keeps cached is found as well."""
    with Store.open(home) as store:
        store.merge(Entry("2026-01-01", pain=i % 11, notes="x" * 300) for i in range(600))
    path = home / DIARY_FILE
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    assert pages > 3 * QUICK_CHECK_CACHE_PAGES
    start = first % pages
    data[start * page : (start + 3) * page] = b"\xff" * (3 * page)  # pages overwritten
    path.write_bytes(bytes(data))
    before = fingerprint(path)
    with pytest.raises(StoreError) as caught:
        Store.open(home)
    message = str(caught.value)
    assert message.startswith(f"{path}: the ")
    assert "damaged" in message
    assert "\n" not in message
    assert fingerprint(path) == before


def test_the_check_on_open_leaves_the_page_cache_as_it_was(home: Path) -> None:
    with Store.open(home) as store:
        default = store.conn.execute("PRAGMA cache_size").fetchone()
    with Store.open(home) as store:
        assert store.conn.execute("PRAGMA cache_size").fetchone() == default == (-2000,)


def test_an_empty_file_becomes_a_diary(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / DIARY_FILE).touch()
    with Store.open(home) as store:
        assert store.count() == 0
