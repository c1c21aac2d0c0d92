"""Where an export may be written: a new or (with --force) an existing regular file, or
standard output; never the diary, its companions, a backup, any database, a device, a FIFO or
a symbolic link."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from companion.errors import UsageError
from companion.paths import BACKUP_DIR, DIARY_FILE
from companion.store import Store

COMMANDS = {
    "csv": ("export", "--csv"),
    "html": ("report", "--html"),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def diary(cli: Any, home: Path) -> Path:
    assert cli("log", "--pain", "3", "--notes", "kept").code == 0
    return home / DIARY_FILE


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("kind", sorted(COMMANDS))
@pytest.mark.parametrize("name", [DIARY_FILE, f"{DIARY_FILE}-wal", f"{DIARY_FILE}-shm"])
def test_the_diary_and_its_companions_are_never_a_target(
    cli: Any, home: Path, diary: Path, kind: str, name: str
) -> None:
    # The app holds the diary open, so its -wal and -shm files exist.
    with Store.open(home) as store:
        assert store.count() == 1
        target = home / name
        before = diary.read_bytes()
        result = cli(*COMMANDS[kind], str(target), "--force")
        assert result.code == 2, result.err
        assert "diary" in one_line(result.err)
        assert diary.read_bytes() == before
    listed = cli("list", "--all", "--json")
    assert listed.code == 0 and '"kept"' in listed.out


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_a_backup_or_any_database_is_never_a_target(
    cli: Any, home: Path, diary: Path, tmp_path: Path, kind: str
) -> None:
    made = cli("backup")
    assert made.code == 0
    named = Path(made.out.split(" to ", 1)[1].strip())
    assert named.parent == home / BACKUP_DIR
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    renamed = tmp_path / "diary-copy.csv"  # a database, whatever its name says
    renamed.write_bytes(diary.read_bytes())
    for target in (named, other, renamed):
        before = digest(target)
        result = cli(*COMMANDS[kind], str(target), "--force")
        assert result.code == 2, (target, result.err)
        line = one_line(result.err)
        assert str(target) in line
        assert digest(target) == before


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_a_fifo_is_refused_and_stays_a_fifo(
    cli: Any, diary: Path, tmp_path: Path, kind: str
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli(*COMMANDS[kind], str(fifo), "--force")
    assert result.code == 2
    assert "not a regular file" in one_line(result.err)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_a_device_is_refused_and_stays_a_device(
    cli: Any, diary: Path, tmp_path: Path, kind: str
) -> None:
    device = tmp_path / "null"
    os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # as /dev/null
    result = cli(*COMMANDS[kind], str(device), "--force")
    assert result.code == 2
    assert "not a regular file" in one_line(result.err)
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.parametrize("kind", sorted(COMMANDS))
@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_is_refused_and_its_target_untouched(
    cli: Any, diary: Path, tmp_path: Path, kind: str, dangling: bool
) -> None:
    real = tmp_path / "real.txt"
    if not dangling:
        real.write_text("mine\n")
    link = tmp_path / "link.out"
    link.symlink_to(real)
    result = cli(*COMMANDS[kind], str(link), "--force")
    assert result.code == 2
    assert "symbolic link" in one_line(result.err)
    assert link.is_symlink()
    if dangling:
        assert not real.exists()
    else:
        assert real.read_text() == "mine\n"


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_an_existing_file_is_replaced_only_with_force(
    cli: Any, diary: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "out.file"
    target.write_text("older\n")
    result = cli(*COMMANDS[kind], str(target))
    assert result.code == 2
    assert one_line(result.err) == (
        f"companion: {target}: a file of that name exists; add --force to replace it"
    )
    assert target.read_text() == "older\n"
    result = cli(*COMMANDS[kind], str(target), "--force")
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8") != "older\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_standard_output_needs_no_force(cli: Any, diary: Path) -> None:
    result = cli("export", "--csv", "-")
    assert result.code == 0
    assert result.out.startswith("date,time,pain")


def test_check_target_for_the_app(home: Path, diary: Path, tmp_path: Path) -> None:
    """The export screen asks this before writing: refusals raise, True means 'ask first'."""
    from companion.targets import check_target

    assert check_target(tmp_path / "new.csv", diary) is False
    existing = tmp_path / "old.csv"
    existing.write_text("x")
    assert check_target(existing, diary) is True
    for bad in (diary, home / f"{DIARY_FILE}-wal", home / BACKUP_DIR / "anything.html"):
        with pytest.raises(UsageError):
            check_target(bad, diary)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        check_target(fifo, diary)


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--csv", "{}/diary.csv"),
        ("report", "--html", "{}/summary.html"),
        ("backup", "{}/diary.sqlite3"),
        ("restore", "{}/diary.sqlite3", "--yes"),
    ],
)
def test_a_file_under_an_unknown_users_home_is_one_line(
    cli: Any, diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """'~name/...' for a user this computer does not know (the shell leaves it as typed) is a
    folder that does not exist, said in one line, never an unexpected failure."""
    monkeypatch.chdir(tmp_path)
    before = digest(diary)
    result = cli(*(a.format("~no-such-user-of-the-companion") for a in args))
    assert result.code in (1, 2)
    line = one_line(result.err)
    assert "~no-such-user-of-the-companion" in line and "unexpected" not in line
    assert digest(diary) == before
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]
