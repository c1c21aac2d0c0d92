"""Corrupt or foreign files, a read-only folder, a full disk: one line, and nothing written.

The read-only folder and the full disk are real: the tests run as root here, which ignores
file permissions, so they use a private mount namespace (``unshare -m``) with a read-only
bind mount of the data directory and a 512 KiB tmpfs. Without root, the read-only case uses
plain permissions and the full disk falls back to an injected SQLITE_FULL error.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from companion import csvio
from companion.demo import demo_entries, fill
from companion.entry import Entry
from companion.paths import DIARY_FILE, LOG_FILE
from companion.store import Store

REPO = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _garbage(diary: Path) -> None:
    diary.write_bytes(os.urandom(8192))


def _truncated(diary: Path) -> None:
    fill(diary.parent, days=200)
    data = diary.read_bytes()
    diary.write_bytes(data[: len(data) // 2])


def _header_only(diary: Path) -> None:
    fill(diary.parent, days=5)
    diary.write_bytes(diary.read_bytes()[:100])


def _foreign(diary: Path) -> None:
    conn = sqlite3.connect(diary)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


def _newer(diary: Path) -> None:
    fill(diary.parent, days=5)
    with Store.open_path(diary) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('companion', 'm0999_from_a_newer_version', '2099-01-01')"
        )


# Each kind of bad file, and the advice its one line must give.
BAD_DIARIES: dict[str, tuple[Any, str]] = {
    "garbage": (_garbage, "move it away"),
    "truncated": (_truncated, "restore"),
    "header only": (_header_only, "restore"),
    "foreign": (_foreign, "move it away"),
    "newer": (_newer, "upgrade"),
}

COMMANDS = [
    ("log", "--pain", "3"),
    ("list", "--all"),
    ("export", "--csv", "{tmp}/out.csv"),
    ("import", "{tmp}/in.csv"),
    ("backup",),
    ("restore", "{tmp}/in.csv"),
]


def _write_import_file(path: Path, rows: int = 30) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csvio.write_csv(demo_entries(rows, seed=11), handle)


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("kind", sorted(BAD_DIARIES))
def test_a_bad_diary_gives_one_line_and_is_never_written(
    cli: Any, home: Path, tmp_path: Path, kind: str
) -> None:
    make, advice = BAD_DIARIES[kind]
    home.mkdir(mode=0o700)
    diary = home / DIARY_FILE
    make(diary)
    before = digest(diary)
    _write_import_file(tmp_path / "in.csv")

    for command in COMMANDS:
        args = [a.format(tmp=tmp_path) for a in command]
        result = cli(*args)
        line = _one_line(result.err)
        if command[0] == "restore":  # the import file is not a backup: refused first
            assert result.code == 1, line
            continue
        assert result.code == 1, (args, line)
        assert str(diary) in line, (args, line)
        assert advice in line, (args, line)
        assert digest(diary) == before, args
    assert not (home / LOG_FILE).exists()  # every failure was foreseen, none a crash
    assert not (tmp_path / "out.csv").exists()


def _mount_namespace_available() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return probe.returncode == 0


NAMESPACE = _mount_namespace_available()

# Runs inside ``unshare -m`` (its mounts vanish with it): sets up the case, runs the CLI
# and prints what happened as JSON.
NAMESPACE_SCRIPT = r"""
import hashlib, json, os, subprocess, sys
case, tmp = sys.argv[1], sys.argv[2]
home = os.path.join(tmp, "home")
diary = os.path.join(home, "diary.sqlite3")

def run(*args):
    p = subprocess.run([sys.executable, "-m", "companion", "--home", home, *args],
                       capture_output=True, text=True, timeout=60)
    return {"args": list(args), "code": p.returncode, "err": p.stderr, "out": p.stdout}

def digest():
    with open(diary, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

def fill_disk(leave):
    free = os.statvfs(tmp).f_bavail * os.statvfs(tmp).f_frsize - leave
    with open(os.path.join(tmp, "filler-%d" % leave), "wb") as f:
        try:
            while free > 0:
                f.write(b"\0" * min(free, 4096))
                f.flush()
                free -= 4096
        except OSError:
            pass

out = {"runs": []}
if case == "readonly":
    out["before"] = digest()
    subprocess.run(["mount", "--bind", home, home], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", home], check=True)
    for args in sys.argv[3:]:
        out["runs"].append(run(*json.loads(args)))
else:
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", tmp],
                   check=True)
    assert run("log", "--pain", "3")["code"] == 0
    assert run("log", "--pain", "4")["code"] == 0
    out["before"] = digest()
    fill_disk(leave=64 * 1024)
    out["runs"].append(run("import", sys.argv[3]))
    out["runs"].append(run("backup", home + "/copy.sqlite3"))
    fill_disk(leave=0)
    for args in (["log", "--pain", "5"], ["backup"], ["export", "--csv", home + "/x.csv"]):
        out["runs"].append(run(*args))
    for name in os.listdir(tmp):
        if name.startswith("filler"):
            os.remove(os.path.join(tmp, name))
    out["entries"] = json.loads(run("list", "--all", "--json")["out"])
    out["files"] = sorted(
        os.path.relpath(os.path.join(d, f), home) for d, _, fs in os.walk(home) for f in fs
    )
out["after"] = digest()
print(json.dumps(out))
"""


def _in_namespace(case: str, tmp: Path, *extra: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("COMPANION_HOME", None)
    proc = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", NAMESPACE_SCRIPT, case, str(tmp), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


READ_ONLY_COMMANDS = [["log", "--pain", "5"], ["backup"], ["import", "{tmp}/in.csv"]]


def test_a_read_only_folder_gives_one_line_and_changes_nothing(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill(home, days=10)
    _write_import_file(tmp_path / "in.csv")
    commands = [[a.format(tmp=tmp_path) for a in c] for c in READ_ONLY_COMMANDS]
    diary = home / DIARY_FILE
    if NAMESPACE:
        outcome = _in_namespace("readonly", tmp_path, *(json.dumps(c) for c in commands))
        runs = outcome["runs"]
        assert outcome["before"] == outcome["after"]
    else:  # not root: permissions are enough
        before = digest(diary)
        home.chmod(0o500)
        try:
            runs = [{"args": c, **vars(cli(*c))} for c in commands]
        finally:
            home.chmod(0o700)
        assert digest(diary) == before
    for run in runs:
        line = _one_line(run["err"])
        assert run["code"] == 1, run
        assert str(diary) in line
        assert "permissions" in line
    with Store.open(home) as store:
        assert store.count() == 10


LEAVE_IN_WAL = """
import os, sys
from companion.entry import Entry
from companion.store import Store
store = Store.open(sys.argv[1])
store.add(Entry("2026-06-01", pain=9, notes="the newest save"))
os._exit(0)  # no close, so no checkpoint: the save is still in diary.sqlite3-wal
"""

READING_COMMANDS = [
    ["list", "--all", "--json"],
    ["list", "--all"],
    ["export", "--csv", "-"],
    ["alerts"],
    ["report", "--html", "{tmp}/summary.html"],
    ["backup", "{tmp}/copy.sqlite3"],
]


@pytest.mark.parametrize("left", ["closed", "in the log", "in the log, no shared memory"])
def test_a_read_only_folder_can_still_be_read(
    cli: Any, home: Path, tmp_path: Path, left: str
) -> None:
    """Every save is read, even one still in diary.sqlite3-wal; without the -shm beside it
    (a copy made without it), the log used to be passed over in silence."""
    fill(home, days=10)
    if left != "closed":
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-c", LEAVE_IN_WAL, str(home)], check=True, env=env)
        assert (home / f"{DIARY_FILE}-wal").stat().st_size > 0
        if left == "in the log, no shared memory":
            (home / f"{DIARY_FILE}-shm").unlink()
    else:
        with Store.open(home) as store:
            store.add(Entry("2026-06-01", pain=9, notes="the newest save"))
        assert not (home / f"{DIARY_FILE}-wal").exists()
    commands = [[a.format(tmp=tmp_path) for a in c] for c in [*READING_COMMANDS, ["log"]]]
    commands[-1] += ["--pain", "2"]
    if NAMESPACE:
        outcome = _in_namespace("readonly", tmp_path, *(json.dumps(c) for c in commands))
        runs = outcome["runs"]
        assert outcome["before"] == outcome["after"]
    else:  # not root: permissions are enough
        home.chmod(0o500)
        try:
            runs = [{"args": c, **vars(cli(*c))} for c in commands]
        finally:
            home.chmod(0o700)
    *reads, write = runs
    for run in reads:
        assert run["code"] == 0, run
        assert "Traceback" not in run["err"]
    listed = json.loads(reads[0]["out"])
    assert len(listed) == 11
    assert "the newest save" in {e["notes"] for e in listed}
    assert "the newest save" in reads[2]["out"]
    assert (tmp_path / "summary.html").exists()
    with Store.open_path(tmp_path / "copy.sqlite3") as copy:
        assert copy.count() == 11
    assert write["code"] == 1
    line = _one_line(write["err"])
    assert "read-only" in line and str(home / DIARY_FILE) in line


@pytest.mark.skipif(not NAMESPACE, reason="a tmpfs needs root and unshare")
def test_a_full_disk_gives_one_line_and_loses_nothing(tmp_path: Path) -> None:
    big_import = tmp_path.parent / f"{tmp_path.name}-import.csv"
    _write_import_file(big_import, rows=2000)
    try:
        outcome = _in_namespace("fulldisk", tmp_path, str(big_import))
    finally:
        big_import.unlink()
    assert outcome["before"] == outcome["after"]
    for run in outcome["runs"]:
        line = _one_line(run["err"])
        assert run["code"] == 1, run
        assert "free some space" in line or "disk is full" in line, line
        assert str(tmp_path / "home") in line
    # The import failed as a whole; the two entries before it are all there is.
    assert sorted(e["pain"] for e in outcome["entries"]) == [3, 4]
    # No half-written backup or export was left behind.
    assert not [f for f in outcome["files"] if f.endswith((".part", ".csv"))], outcome["files"]
    assert "copy.sqlite3" not in outcome["files"]


class _FullDisk:
    """A connection whose writes fail as SQLite does on a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *params: Any) -> Any:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def test_an_injected_full_disk_error_saves_nothing(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs everywhere, root or not: SQLITE_FULL in the middle of a write."""
    fill(home, days=10)
    _write_import_file(tmp_path / "in.csv", rows=50)
    real_open = Store.open_path.__func__  # type: ignore[attr-defined]

    def open_full(cls: type[Store], path: Path, **kwargs: Any) -> Store:
        store = real_open(cls, path, **kwargs)
        store.conn = _FullDisk(store.conn)  # type: ignore[assignment]
        return store

    monkeypatch.setattr(Store, "open_path", classmethod(open_full))
    for args in (("log", "--pain", "2"), ("import", str(tmp_path / "in.csv"))):
        result = cli(*args)
        assert result.code == 1
        line = _one_line(result.err)
        assert (
            line == f"companion: {home / DIARY_FILE}: the disk is full, so nothing was saved; "
            "free some space"
        )
    monkeypatch.undo()
    with Store.open(home) as store:
        assert store.count() == 10


@pytest.mark.parametrize("kind", sorted(BAD_DIARIES))
def test_the_app_refuses_a_bad_diary_before_taking_the_terminal(tmp_path: Path, kind: str) -> None:
    make, advice = BAD_DIARIES[kind]
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    diary = home / DIARY_FILE
    make(diary)
    before = digest(diary)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "companion", "--home", str(home)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    said = _one_line(proc.stdout + proc.stderr)  # not wrapped at 80 columns either
    assert proc.returncode == 1, said
    assert str(diary) in said
    assert advice in said
    assert digest(diary) == before


def _app_output(home: Path, *, on_a_terminal: bool) -> str:
    """What the app wrote when started on ``home``, on a terminal (a pty) or with no input."""
    import pty

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "companion", "--home", str(home)]
    if not on_a_terminal:
        proc = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30, env=env
        )
        return proc.stdout + proc.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env
    ) as app:
        os.close(follower)
        shown, deadline = b"", time.monotonic() + 30
        try:
            while select.select([leader], [], [], max(0, deadline - time.monotonic()))[0]:
                if not (chunk := os.read(leader, 4096)):
                    break
                shown += chunk
        except OSError:
            pass  # the app has gone: its terminal is closed
        finally:
            os.close(leader)
            if app.poll() is None:
                app.kill()
        assert app.wait() == 1, shown
    return shown.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.parametrize("suffix", ["", "-wal"], ids=["diary", "log"])
@pytest.mark.parametrize("on_a_terminal", [False, True], ids=["no-input", "terminal"])
def test_the_app_refuses_a_fifo_at_the_diary_path_without_waiting(
    tmp_path: Path, on_a_terminal: bool, suffix: str
) -> None:
    # Opening a FIFO to read waits for a writer: the app must not open one to look inside,
    # nor let SQLite, checking the diary before the app loads, take one for an empty log
    # and delete it.
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    if suffix:
        fill(home, days=3)
    fifo = home / f"{DIARY_FILE}{suffix}"
    os.mkfifo(fifo, 0o600)
    said = _one_line(_app_output(home, on_a_terminal=on_a_terminal))
    assert said == f"companion: {fifo}: not a regular file; move it away or use --home"
    assert fifo.is_fifo()
