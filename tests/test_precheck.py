"""The check on open begun early (companion.store.precheck): its verdict stands in for the
store's own quick_check only for the very files it checked, and only once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from companion.demo import fill
from companion.errors import StoreError
from companion.paths import DIARY_FILE
from companion.store import Store, core, precheck


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads quick_check runs in, in order."""
    ran: list[str] = []
    real = core.quick_check_passes

    def counted(conn: object) -> bool:
        ran.append(threading.current_thread().name)
        return real(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(core, "quick_check_passes", counted)
    return ran


@pytest.fixture
def diary(home: Path) -> Path:
    fill(home, days=40)
    return home / DIARY_FILE


def check_early(path: Path) -> None:
    precheck.begin(str(path), core.check_file)
    precheck._checks[os.path.abspath(path)].thread.join()


def test_an_unchanged_diary_is_not_checked_twice(
    home: Path, diary: Path, checks: list[str]
) -> None:
    check_early(diary)
    with Store.open(home) as store:
        assert store.count() > 0
    assert checks == ["diary-check"]
    with Store.open(home):  # a verdict is used once
        pass
    assert checks == ["diary-check", "MainThread"]


def test_a_diary_saved_after_the_check_is_checked_again(
    home: Path, diary: Path, checks: list[str]
) -> None:
    check_early(diary)
    with sqlite3.connect(diary) as other:  # another program's save, made meanwhile
        other.execute("UPDATE entries SET notes = 'later' WHERE rowid = 1")
    with Store.open(home):
        pass
    assert checks == ["diary-check", "MainThread"]


def test_a_damaged_diary_is_refused_though_checked_early(
    home: Path, diary: Path, checks: list[str]
) -> None:
    data = bytearray(diary.read_bytes())
    data[4 * 4096 : 7 * 4096] = b"\xff" * (3 * 4096)
    diary.write_bytes(bytes(data))
    check_early(diary)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(home)
    assert checks == ["diary-check", "MainThread"]


@pytest.mark.parametrize("kind", ["missing", "text", "symlink", "folder"])
def test_anything_but_a_plain_sqlite_file_gets_no_verdict(
    home: Path, tmp_path: Path, kind: str, checks: list[str]
) -> None:
    home.mkdir(mode=0o700)
    path = home / DIARY_FILE
    if kind == "text":
        path.write_text("Dear diary\n" * 100)
    elif kind == "symlink":
        fill(tmp_path / "elsewhere", days=5)
        path.symlink_to(tmp_path / "elsewhere" / DIARY_FILE)
    elif kind == "folder":
        path.mkdir()
    checks.clear()
    check_early(path)
    assert checks == []
    assert precheck.passed(str(path)) is False


def test_the_checking_thread_imports_nothing(diary: Path) -> None:
    """An import in that thread, while the main one imports Textual, could meet a module the
    main thread has half-loaded ("partially initialized module")."""
    script = """
import builtins, json, sys, threading
from companion.store import precheck
from companion.store.core import check_file
imported = []
real = builtins.__import__
def watch(name, *args, **kwargs):
    if threading.current_thread().name == "diary-check":
        imported.append(name)
    return real(name, *args, **kwargs)
builtins.__import__ = watch
before = set(sys.modules)
precheck.begin(sys.argv[1], check_file)
check = next(iter(precheck._checks.values()))
check.thread.join()
print(json.dumps([imported, check.sound is not None]))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(diary)], capture_output=True, text=True, check=True
    )
    imported, sound = json.loads(done.stdout)
    assert imported == [] and sound


def _with_unsaved_log(home: Path) -> Path:
    """A diary whose newest saves are in its log, with no -shm: as a copy made while a
    program had it open."""
    fill(home, days=10)
    diary = home / DIARY_FILE
    writer = sqlite3.connect(diary, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE entries SET notes = 'in the log' WHERE rowid = 1")
    saved = {suffix: Path(f"{diary}{suffix}").read_bytes() for suffix in ("", "-wal")}
    writer.close()
    for suffix, data in saved.items():
        Path(f"{diary}{suffix}").write_bytes(data)
    Path(f"{diary}-shm").unlink(missing_ok=True)
    return diary


def test_a_file_of_another_name_at_the_diary_shm_is_never_written_by_the_check(
    home: Path, tmp_path: Path
) -> None:
    # The store refuses a hard link beside the diary, since SQLite writes those files over;
    # the check begun before the app loads runs before the store looks, so must refuse too.
    diary = _with_unsaved_log(home)
    other = tmp_path / "letter.txt"
    other.write_text("Dear doctor\n")
    os.link(other, f"{diary}-shm")
    check_early(diary)
    assert other.read_bytes() == b"Dear doctor\n"
    with pytest.raises(StoreError, match="another name too"):
        Store.open(home)
    assert other.read_bytes() == b"Dear doctor\n"


def test_a_log_without_its_shared_memory_is_left_to_the_store(
    home: Path, tmp_path: Path, checks: list[str]
) -> None:
    """Saves still in the log, as a copy taken while the diary was open leaves them: the
    early check would read them without locks; it leaves them, and the store reads them."""
    fill(tmp_path / "open", days=5)
    source = tmp_path / "open" / DIARY_FILE
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE entries SET notes = 'still in the log'")
    writer.commit()
    home.mkdir(mode=0o700)
    for suffix in ("", "-wal"):  # not the -shm
        (home / f"{DIARY_FILE}{suffix}").write_bytes(Path(f"{source}{suffix}").read_bytes())
    writer.close()
    log = (home / f"{DIARY_FILE}-wal").read_bytes()
    assert log
    checks.clear()
    check_early(home / DIARY_FILE)
    assert checks == []
    assert (home / f"{DIARY_FILE}-wal").read_bytes() == log
    with Store.open(home) as store:
        assert {e.notes for e in store.iter_rows()} == {"still in the log"}


def test_a_fifo_at_the_diary_path_gives_no_verdict_without_waiting(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / DIARY_FILE
    os.mkfifo(path)
    found: list[object] = []
    looking = threading.Thread(target=lambda: found.append(precheck._identity(str(path))))
    looking.start()
    looking.join(timeout=5)
    assert not looking.is_alive() and found == [None]


def test_a_check_held_up_is_left_behind_and_the_store_checks(
    home: Path, diary: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(precheck, "WAIT_S", 0.2)
    release = threading.Event()

    def stuck(path: str) -> bool:
        release.wait(timeout=30)
        return True

    precheck.begin(str(diary), stuck)
    try:
        with Store.open(home):
            pass
    finally:
        release.set()
    assert checks == ["MainThread"]
