"""Backups and restore: what a person gets back is exactly what they had."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from companion import migrations, schema
from companion.demo import fill
from companion.entry import Entry
from companion.paths import BACKUP_DIR, DIARY_FILE
from companion.scratch import scratch_file
from companion.store import Store, backup

REPO = Path(__file__).resolve().parent.parent
LEAVE_IN_WAL = """
import os, sys
from companion.entry import Entry
from companion.store import Store
store = Store.open(sys.argv[1])
store.add(Entry("2026-06-01", pain=9, notes="the newest save"))
os._exit(0)  # no close, so no checkpoint: the save is still in diary.sqlite3-wal
"""


def entries(home: Path) -> list[Entry]:
    with Store.open(home) as store:
        return list(store.iter_rows())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_in(path: Path) -> int:
    """Entries in a backup file, read without changing it."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])
    finally:
        conn.close()


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_backup_then_restore_gives_back_the_same_diary(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill(home, days=40)
    with Store.open(home) as store:
        store.set_setting("emergency_number", "112")
    before = entries(home)
    target = tmp_path / "saved.sqlite3"

    result = cli("backup", str(target))
    assert result.code == 0, result.err
    assert f"Backed up {len(before)} entries to {target}" in result.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    # Change everything a restore must undo: a new entry, a deleted one, a setting.
    with Store.open(home) as store:
        store.add(Entry(date="2030-01-01", pain=9))
        store.delete(before[0].id)
        store.set_setting("emergency_number", "999")

    result = cli("restore", str(target), "--yes")
    assert result.code == 0, result.err
    assert entries(home) == before
    with Store.open(home) as store:
        assert store.setting("emergency_number") == "112"
    # The diary as it was just before the restore is kept, with its extra entry.
    kept = list((home / BACKUP_DIR).glob("*-restore.sqlite3"))
    assert len(kept) == 1
    assert count_in(kept[0]) == len(before)  # one added, one deleted
    assert str(kept[0]) in result.out


def test_backup_without_file_goes_to_the_backups_folder(cli: Any, home: Path) -> None:
    fill(home, days=5)
    result = cli("backup")
    assert result.code == 0, result.err
    (made,) = [p for p in (home / BACKUP_DIR).iterdir() if not p.name.endswith("-daily.sqlite3")]
    assert count_in(made) == 5
    # A single self-contained file: not in WAL mode, nothing beside it.
    assert made.read_bytes()[18:20] == b"\x01\x01"
    assert not made.with_name(made.name + "-wal").exists()


def test_backup_into_a_folder_and_never_onto_the_diary(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill(home, days=3)
    folder = tmp_path / "usb"
    folder.mkdir()
    assert cli("backup", str(folder)).code == 0
    (made,) = folder.iterdir()
    assert count_in(made) == 3

    diary = home / DIARY_FILE
    before = digest(diary)
    result = cli("backup", str(diary))
    assert result.code == 2
    assert "that is the diary itself" in one_line(result.err)
    assert digest(diary) == before


def test_backup_is_private_whatever_the_umask(cli: Any, home: Path, tmp_path: Path) -> None:
    fill(home, days=3)
    old = os.umask(0)
    try:
        assert cli("backup", str(tmp_path / "open.sqlite3")).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "open.sqlite3").stat().st_mode) == 0o600


def test_backup_is_a_consistent_snapshot_during_a_write(home: Path, tmp_path: Path) -> None:
    fill(home, days=10)
    with Store.open(home) as writer, Store.open(home) as reader:
        with writer.write() as conn:
            conn.execute("DELETE FROM entries")
            backup.snapshot(reader.conn, tmp_path / "mid.sqlite3")
        assert count_in(tmp_path / "mid.sqlite3") == 10  # the uncommitted delete is not in it


def _make_foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, blob BLOB)")
    conn.commit()
    conn.close()


def _make_newer(path: Path) -> None:
    with Store.open_path(path) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('companion', 'm9999_from_the_future', '2099-01-01')"
        )


def _make_truncated(path: Path) -> None:
    fill(path.parent / "donor", days=200)
    with Store.open(path.parent / "donor") as store:
        backup.snapshot(store.conn, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_BACKUPS = {
    "garbage": lambda p: p.write_bytes(b"this is not a diary\n" * 50),
    "empty": lambda p: p.write_bytes(b""),
    "foreign": _make_foreign,
    "newer": _make_newer,
    "truncated": _make_truncated,
    "blank sqlite": lambda p: sqlite3.connect(p).execute("PRAGMA user_version = 1").close(),
}


@pytest.mark.parametrize("kind", sorted(BAD_BACKUPS))
def test_restore_refuses_a_bad_file_and_changes_nothing(
    cli: Any, home: Path, tmp_path: Path, kind: str
) -> None:
    fill(home, days=20)
    before = entries(home)
    bad = tmp_path / "bad" / "backup.sqlite3"
    bad.parent.mkdir()
    BAD_BACKUPS[kind](bad)
    diary, folder = home / DIARY_FILE, home / BACKUP_DIR
    diary_bytes, bad_bytes = digest(diary), digest(bad)
    folder_before = sorted(p.name for p in folder.iterdir())

    result = cli("restore", str(bad))

    assert result.code == 1
    line = one_line(result.err)
    assert str(bad) in line
    assert "the diary was not changed" in line
    assert digest(diary) == diary_bytes
    assert digest(bad) == bad_bytes
    assert sorted(p.name for p in folder.iterdir()) == folder_before
    assert sorted(p.name for p in home.iterdir()) == [BACKUP_DIR, DIARY_FILE]
    assert entries(home) == before


def test_restore_of_a_missing_file_is_a_usage_error(cli: Any, home: Path, tmp_path: Path) -> None:
    result = cli("restore", str(tmp_path / "nowhere.sqlite3"))
    assert result.code == 2
    assert "no such file" in one_line(result.err)


@pytest.mark.parametrize("what", ["a folder", "a device", "a pipe"])
def test_restore_of_what_is_not_a_file_says_so(
    cli: Any, home: Path, tmp_path: Path, what: str
) -> None:
    """A pipe with nothing writing to it kept restore waiting for ever."""
    fill(home, days=3)
    path = {"a folder": tmp_path, "a device": Path("/dev/zero"), "a pipe": tmp_path / "fifo"}
    if what == "a pipe":
        os.mkfifo(path[what])
    result = cli("restore", str(path[what]), "--yes")
    assert result.code == 2
    assert one_line(result.err) == (
        f"companion: {path[what]}: not a file (a folder, a device or a pipe); name the backup file"
    )
    assert len(entries(home)) == 3


def test_restore_replaces_a_damaged_diary_and_keeps_it(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill(home, days=15)
    good = tmp_path / "good.sqlite3"
    assert cli("backup", str(good)).code == 0
    before = entries(home)
    diary = home / DIARY_FILE
    diary.write_bytes(b"\x00garbage" * 100)
    assert cli("list", "--all").code == 1

    result = cli("restore", str(good), "--yes")

    assert result.code == 0, result.err
    assert entries(home) == before
    (kept,) = (home / BACKUP_DIR).glob("*-unreadable.sqlite3")
    assert kept.read_bytes() == b"\x00garbage" * 100


def test_restore_into_an_empty_home(cli: Any, home: Path, tmp_path: Path) -> None:
    donor = tmp_path / "donor"
    fill(donor, days=12)
    with Store.open(donor) as store:
        backup.snapshot(store.conn, tmp_path / "b.sqlite3")
    result = cli("restore", str(tmp_path / "b.sqlite3"))
    assert result.code == 0, result.err
    assert entries(home) == entries(donor)
    assert stat.S_IMODE((home / DIARY_FILE).stat().st_mode) == 0o600


def test_restore_adapts_a_backup_with_another_page_size(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill(home, days=4)
    donor = tmp_path / "big-pages.sqlite3"
    conn = sqlite3.connect(donor)
    conn.execute("PRAGMA page_size = 16384")
    conn.close()
    with Store.open_path(donor) as store:
        store.add(Entry(date="2026-01-02", pain=4))
    result = cli("restore", str(donor), "--yes")
    assert result.code == 0, result.err
    assert [e.date for e in entries(home)] == ["2026-01-02"]


def _utf16_diary(path: Path, *entries: Entry) -> None:
    """A diary whose text SQLite stores as UTF-16 (made so by another tool)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA encoding = 'UTF-16le'")
    conn.execute("CREATE TABLE t (x)")  # the encoding is fixed by the first table
    conn.execute("DROP TABLE t")
    conn.close()
    with Store.open_path(path) as store:
        for entry in entries:
            store.add(entry)
        assert store.read("PRAGMA encoding") == [("UTF-16le",)]


@pytest.mark.parametrize("utf16", ["the backup", "the diary"])
def test_restore_between_diaries_that_store_text_differently(
    cli: Any, home: Path, tmp_path: Path, utf16: str
) -> None:
    """Rows go across only between files of one text encoding: a diary stored as UTF-16
    and a backup as UTF-8 (or the other way round) failed with 'database error'."""
    mine = Entry(date="2026-01-01", pain=2, notes="mine")
    theirs = Entry(date="2026-01-02", pain=4, notes="naïve ✓ 🦴")
    donor = tmp_path / "backup.sqlite3"
    if utf16 == "the backup":
        _utf16_diary(donor, theirs)
        with Store.open(home) as store:
            store.add(mine)
    else:
        _utf16_diary(home / DIARY_FILE, mine)
        with Store.open_path(donor) as store:
            store.add(theirs)
    result = cli("restore", str(donor), "--yes")
    assert result.code == 0, result.err
    assert [(e.date, e.notes) for e in entries(home)] == [("2026-01-02", "naïve ✓ 🦴")]
    kept = one_line(result.out).rpartition(" kept in ")[2]
    assert count_in(Path(kept)) == 1


def _open_on(monkeypatch: pytest.MonkeyPatch, home: Path, day: datetime) -> None:
    monkeypatch.setattr(backup, "now_local", lambda: day)
    Store.open(home).close()


def test_a_daily_backup_is_made_once_a_day_and_seven_days_are_kept(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(home, days=3)
    folder = home / BACKUP_DIR
    start = datetime(2026, 3, 1, 9, 0)
    for offset in range(10):
        day = start + timedelta(days=offset)
        _open_on(monkeypatch, home, day)
        _open_on(monkeypatch, home, day + timedelta(hours=5))
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"diary-2026-03-{d:02d}-daily.sqlite3" for d in range(4, 11)]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_no_daily_backup_of_an_empty_diary(home: Path) -> None:
    Store.open(home).close()
    Store.open(home).close()
    assert not (home / BACKUP_DIR).exists()


def test_rotation_keeps_named_backups_and_what_is_being_written(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 11):
        (folder / f"diary-2026-05-{day:02d}T101010-migration.sqlite3").touch()
    names = {
        "diary-2026-01-01T080000.sqlite3",  # asked for by name
        "diary-2026-01-01T080000-unreadable.sqlite3",  # a damaged diary set aside
    }
    for name in names:
        (folder / name).touch()
    # What a killed backup left: its temporary file and SQLite's journal beside it.
    stale = folder / ".diary-old.sqlite3.k1lled_0.part"
    stale.touch()
    (folder / ".diary-old.sqlite3.k1lled_0.part-journal").touch()

    with scratch_file(folder, "diary-fresh.sqlite3") as fresh:  # being written right now
        removed = backup.rotate(folder)
        left = {p.name for p in folder.iterdir()}

    assert stale in removed
    assert left == names | {fresh.name} | {
        f"diary-2026-05-{day:02d}T101010-migration.sqlite3" for day in range(4, 11)
    }


def test_a_migration_is_preceded_by_a_backup(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(home, days=6)

    def m0002_example(db: object) -> None:
        db.execute("CREATE TABLE example (x)")  # type: ignore[attr-defined]

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m0002_example))
    monkeypatch.setattr(
        migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "m0002_example")
    )
    monkeypatch.setattr(schema, "EXPECTED", schema.derive())  # what a new migration updates
    Store.open(home).close()

    (made,) = (home / BACKUP_DIR).glob("*-migration.sqlite3")
    conn = sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "example" not in tables  # the state before the migration
    assert count_in(made) == 6


def test_a_new_diary_needs_no_migration_backup(home: Path) -> None:
    with Store.open(home) as store:
        store.add(Entry(date="2026-01-01", pain=2))
    assert not list((home / BACKUP_DIR).glob("*-migration.sqlite3"))


def test_a_backup_never_replaces_a_database_that_is_open_or_was_not_closed(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    """Beside the file, a -wal holds changes SQLite would lay over whatever file has that
    name: renaming a backup over it gave a file that read back as the old one's content
    ("Backed up 5 entries", and 1 table of someone else's in it)."""
    fill(home, days=5)
    target = tmp_path / "copy.sqlite3"
    wal = tmp_path / "copy.sqlite3-wal"
    other = sqlite3.connect(target)  # another program has it open, its changes in the log
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("PRAGMA wal_autocheckpoint=0")
    other.execute("CREATE TABLE notes (text TEXT)")
    other.execute("INSERT INTO notes VALUES ('theirs')")
    other.commit()
    before = digest(target), digest(wal)
    result = cli("backup", str(target))
    assert result.code == 2
    line = one_line(result.err)
    assert str(target) in line and "copy.sqlite3-wal" in line
    assert (digest(target), digest(wal)) == before
    assert other.execute("SELECT text FROM notes").fetchall() == [("theirs",)]
    other.close()  # its log folded in and removed: now it is a file like any other
    assert cli("backup", str(target)).code == 0
    assert count_in(target) == 5


def test_a_link_where_todays_backup_goes_never_stops_a_save(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    """The daily backup must never stop a person logging: a link to nowhere at its name
    made every command fail, saying "name the file itself"."""
    fill(home, days=5)
    folder = home / BACKUP_DIR
    folder.mkdir(mode=0o700)
    today = datetime.now().date().isoformat()
    (folder / f"diary-{today}-daily.sqlite3").symlink_to(tmp_path / "nowhere")
    assert cli("log", "--pain", "3").code == 0
    assert not (tmp_path / "nowhere").exists()
    assert len(entries(home)) == 6


@pytest.mark.parametrize("with_log", [False, True])
def test_restore_reads_a_copied_diary_and_writes_nothing_beside_it(
    cli: Any, home: Path, tmp_path: Path, with_log: bool
) -> None:
    """A diary copied by hand (in WAL mode; its newest saves perhaps still in its -wal, its
    -shm left behind) restores whole, and nothing appears beside it: SQLite made an empty
    -wal and a -shm there, and on a read-only stick called the copy damaged."""
    fill(home, days=5)
    source = tmp_path / "stick" / "home"
    fill(source, days=3)
    if with_log:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-c", LEAVE_IN_WAL, str(source)], check=True, env=env)
        (source / f"{DIARY_FILE}-shm").unlink()
    shutil.rmtree(source / BACKUP_DIR, ignore_errors=True)
    copied = {p.name: digest(p) for p in source.iterdir()}
    assert sorted(copied) == [DIARY_FILE, *([f"{DIARY_FILE}-wal"] if with_log else [])]
    result = cli("restore", str(source / DIARY_FILE), "--yes")
    assert result.code == 0, result.err
    assert {p.name: digest(p) for p in source.iterdir()} == copied
    restored = entries(home)
    assert len(restored) == 3 + with_log
    assert ("the newest save" in {e.notes for e in restored}) == with_log
