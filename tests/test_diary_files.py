"""The files of the data folder: never through a symlink, every file 0600, only folders the
companion makes get their mode changed, and what a killed backup or restore leaves behind is
cleared by the next run."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from companion.demo import fill
from companion.paths import BACKUP_DIR, DIARY_FILE
from companion.store import Store

REPO = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# --- symlinks and modes -------------------------------------------------------------------


@pytest.mark.parametrize("target_state", ["dangling", "empty file"])
def test_a_symlink_at_the_diary_path_is_never_followed(
    cli: Any, home: Path, tmp_path: Path, target_state: str
) -> None:
    home.mkdir(mode=0o700)
    target = tmp_path / "elsewhere.sqlite3"
    if target_state == "empty file":
        target.touch(mode=0o644)
        target.chmod(0o644)
    (home / DIARY_FILE).symlink_to(target)
    for args in (("log", "--pain", "3"), ("list",)):
        result = cli(*args)
        assert result.code == 1
        line = one_line(result.err)
        assert str(home / DIARY_FILE) in line and "symbolic link" in line
    if target_state == "dangling":
        assert not target.exists()
    else:
        assert target.read_bytes() == b"" and mode(target) == 0o644
    assert (home / DIARY_FILE).is_symlink()


@pytest.mark.parametrize("companion_file", ["-wal", "-shm"])
def test_a_symlink_beside_the_diary_is_refused(
    cli: Any, home: Path, tmp_path: Path, companion_file: str
) -> None:
    assert cli("log", "--pain", "3").code == 0
    target = tmp_path / "elsewhere"
    (home / (DIARY_FILE + companion_file)).symlink_to(target)
    result = cli("log", "--pain", "4")
    assert result.code == 1
    assert "symbolic link" in one_line(result.err)
    assert not target.exists()


@pytest.mark.parametrize("companion_file", ["-wal", "-shm", "-journal"])
def test_a_file_beside_the_diary_that_is_another_files_second_name_is_refused(
    cli: Any, home: Path, tmp_path: Path, companion_file: str
) -> None:
    """A hard link there is another file under a second name: SQLite wrote its log over that
    file's content, and the companion made it private."""
    assert cli("log", "--pain", "3").code == 0
    other = tmp_path / "mine.txt"
    other.write_text("mine\n" * 100, encoding="utf-8")
    other.chmod(0o644)
    os.link(other, home / (DIARY_FILE + companion_file))
    for args in (("log", "--pain", "4"), ("list",)):  # a read writes the -shm too
        result = cli(*args)
        assert result.code == 1
        line = one_line(result.err)
        assert str(home / (DIARY_FILE + companion_file)) in line and "another name" in line
    assert other.read_text(encoding="utf-8") == "mine\n" * 100
    assert mode(other) == 0o644


def test_every_diary_file_is_private_even_if_made_open(cli: Any, home: Path) -> None:
    assert cli("log", "--pain", "3").code == 0
    (home / DIARY_FILE).chmod(0o644)
    with Store.open(home) as store:
        store.add(store.page(limit=1)[0].with_changes(id="00000000-0000-4000-8000-000000000009"))
        names = [DIARY_FILE, f"{DIARY_FILE}-wal", f"{DIARY_FILE}-shm"]
        assert {n: oct(mode(home / n)) for n in names} == dict.fromkeys(names, "0o600")


# --- --home on a folder that exists --------------------------------------------------------


@pytest.mark.parametrize("folder_mode", [0o1777, 0o755, 0o750, 0o711])
def test_an_existing_folder_others_can_open_is_refused_and_left_as_it_was(
    cli: Any, tmp_path: Path, folder_mode: int
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(folder_mode)
    result = cli("--home", str(shared), "log", "--pain", "3")
    assert result.code == 1
    assert one_line(result.err) == (
        f"companion: {shared}: other people can open this folder, so it cannot hold your "
        f"diary; use a new folder (the companion makes it private) or run 'chmod 700 {shared}'"
    )
    assert mode(shared) == folder_mode
    assert list(shared.iterdir()) == []


def test_a_private_existing_folder_is_used_as_it_is(cli: Any, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    assert cli("--home", str(mine), "log", "--pain", "3").code == 0
    assert mode(mine) == 0o700
    assert (mine / DIARY_FILE).exists()


@pytest.mark.parametrize("written", ["{}", "{}/", "{}/.", "{}//", "{}/./"])
def test_a_file_given_as_the_folder_is_named_as_not_a_folder_however_it_is_written(
    cli: Any, tmp_path: Path, written: str
) -> None:
    """A trailing '/' or '/.' (as the shell completes a name) still names the file itself."""
    file = tmp_path / "notes.txt"
    file.write_text("mine\n", encoding="utf-8")
    result = cli("--home", written.format(file), "log", "--pain", "3")
    assert result.code == 1
    assert one_line(result.err) == (
        f"companion: {file}: not a folder; give --home a folder for the diary"
    )
    assert file.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("given", ["--home", "COMPANION_HOME"])
def test_the_home_folder_of_an_unknown_user_is_refused_and_nothing_is_made(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """'~name' for a user this computer does not know is a mistyped folder, not a folder
    named '~name' to make where the command runs."""
    monkeypatch.chdir(tmp_path)
    written = "~no-such-user-of-the-companion/diary"
    if given == "--home":
        result = cli("--home", written, "log", "--pain", "3")
    else:
        monkeypatch.setenv("COMPANION_HOME", written)
        result = cli("--home", "", "log", "--pain", "3")
    assert result.code == 2
    line = one_line(result.err)
    assert line.startswith(f"companion: {written}: ") and "home folder" in line
    assert list(tmp_path.iterdir()) == []


def test_only_the_folders_it_makes_get_a_private_mode(cli: Any, tmp_path: Path) -> None:
    parent = tmp_path / "open-parent"
    parent.mkdir()
    parent.chmod(0o755)
    home = parent / "new" / "deeper" / "companion"
    assert cli("--home", str(home), "log", "--pain", "3").code == 0
    assert mode(parent) == 0o755
    for made in (parent / "new", parent / "new" / "deeper", home):
        assert mode(made) == 0o700, made
    assert cli("--home", str(home), "backup").code == 0
    assert mode(home / BACKUP_DIR) == 0o700


# --- what a killed run leaves behind --------------------------------------------------------

# Runs the CLI with every SQLite backup copying one page at a time and the process killing
# itself a few pages in: a backup (or the staging of a restore) killed half-way.
KILLED = """
import os, signal, sqlite3, sys
from companion.__main__ import main

connect = sqlite3.connect

class Killed(sqlite3.Connection):
    def backup(self, target, **kwargs):
        def progress(status, remaining, total):
            if total - remaining >= 3:
                os.kill(os.getpid(), signal.SIGKILL)
        return super().backup(target, pages=1, progress=progress)

sqlite3.connect = lambda *a, **k: connect(*a, factory=Killed, **k)
main(sys.argv[1:])
"""


def kill_half_way(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", KILLED, *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def litter(folder: Path) -> list[str]:
    """Files a finished run would not leave: temporary copies and their journals."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and (p.name.startswith(".") or p.name.endswith(("-journal", ".part")))
    )


@pytest.mark.slow
def test_what_killed_backups_and_restores_leave_is_cleared_next_time(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill(home, days=400)
    source = tmp_path / "copy.sqlite3"
    assert cli("backup", str(source)).code == 0
    for _ in range(3):
        kill_half_way("--home", str(home), "backup")
        kill_half_way("--home", str(home), "backup", str(tmp_path / "usb.sqlite3"))
        kill_half_way("--home", str(home), "restore", str(source))
    assert litter(home), "the kills left nothing to clear"
    assert litter(tmp_path / "home") and [n for n in litter(tmp_path) if "usb" in n]
    assert cli("log", "--pain", "2").code == 0  # the next run of anything clears the folder
    assert cli("backup").code == 0  # and the next backup its own folder
    assert cli("backup", str(tmp_path / "usb.sqlite3")).code == 0
    assert litter(home) == []
    assert [n for n in litter(tmp_path) if "usb" in n] == []
    with Store.open(home) as store:
        assert store.count() == 401


def test_a_temporary_file_in_use_is_not_cleared(cli: Any, home: Path) -> None:
    """Another program's backup in progress is left alone: only unlocked leftovers go."""
    from companion.scratch import scratch_file

    assert cli("log", "--pain", "2").code == 0
    with scratch_file(home, "restore") as busy:
        busy.write_bytes(b"in use")
        assert cli("log", "--pain", "3").code == 0
        assert busy.read_bytes() == b"in use"
    assert not busy.exists()


async def test_the_app_reads_a_read_only_folder_and_says_so_on_save(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from screens.app import CompanionApp
    from screens.dashboard import Dashboard
    from screens.entry_form import EntryForm

    fill(home, days=3, today=datetime(2026, 11, 20).date())
    before = (home / DIARY_FILE).read_bytes()
    real_access = os.access
    # As a read-only mount answers (root ignores mode bits, so they cannot stand in here).
    monkeypatch.setattr(os, "access", lambda p, m: False if m == os.W_OK else real_access(p, m))
    app = CompanionApp(home=home, now=datetime(2026, 11, 20, 9))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, Dashboard)
        assert app.store.readonly
        await pilot.press("n", "4", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)  # not saved: the form stays open
        (shown,) = [n.message for n in app._notifications]
        assert "read-only" in shown and str(home / DIARY_FILE) in shown
        app.theme = "textual-light"  # a new theme is not remembered, and nothing fails
        await pilot.pause()
    assert (home / DIARY_FILE).read_bytes() == before
