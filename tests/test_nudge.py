"""``companion nudge``: one line when nothing is logged today, silence otherwise, exit 0 always,
and the diary never created, changed or migrated."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from companion import launch, nudge
from companion.__main__ import main as full_main
from companion.entry import Entry, new_id
from companion.paths import home_dir
from companion.store import Store

DATA = Path(__file__).parent / "data"


def run(*words: str, via_parser: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = (full_main if via_parser else launch.main)(list(words))
    return code, out.getvalue(), err.getvalue()


def at(day: str, hour: int, minute: int = 0) -> time.struct_time:
    year, month, mday = map(int, day.split("-"))
    return time.localtime(time.mktime((year, month, mday, hour, minute, 0, 0, 0, -1)))


def asked(home: Path, *words: str) -> nudge.Request:
    request = nudge.parse(["--home", str(home), "nudge", *words])
    assert isinstance(request, nudge.Request)
    return request


def add(store: Store, day: str, time_: str | None = "09:00") -> None:
    store.add(Entry(id=new_id(), date=day, time=time_, pain=4))


def today() -> str:
    return nudge.diary_day(time.localtime())


def snapshot(folder: Path, shared: str = "") -> dict[str, str]:
    """Every file in the folder with a hash of its bytes and its mode (folders by name). The
    bytes of ``shared`` are left out: it is the -shm, SQLite's shared memory, which every
    reader of a diary open in another program writes to."""
    return {
        p.name: f"{'' if p.name == shared else hashlib.sha256(p.read_bytes()).hexdigest()} "
        f"{p.stat().st_mode:o}"
        if p.is_file()
        else "folder"
        for p in sorted(folder.iterdir())
    }


def test_says_one_line_when_nothing_is_logged_today_and_nothing_once_it_is(home: Path) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")
    code, out, err = run("--home", str(home), "nudge", "--any-time")
    assert (code, err) == (0, "")
    assert out == nudge.MESSAGE + "\n"
    with Store.open(home) as store:
        add(store, today())
    assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")


def test_the_hour_decides_before_the_diary_is_read(home: Path) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")
    assert not nudge.nothing_logged(asked(home), at("2026-11-21", 17, 59))
    assert nudge.nothing_logged(asked(home), at("2026-11-21", 18, 0))
    assert not nudge.nothing_logged(asked(home, "--after", "20:30"), at("2026-11-21", 20, 29))
    assert nudge.nothing_logged(asked(home, "--after=20:30"), at("2026-11-21", 20, 30))
    assert nudge.nothing_logged(asked(home, "--any-time"), at("2026-11-21", 9, 0))
    assert not nudge.nothing_logged(asked(home, "--any-time"), at("2026-11-20", 9, 0))


def test_before_the_night_ends_today_is_the_day_before(home: Path) -> None:
    """At 02:00 an entry goes on the day before (companion log, the app): a nudge asking for
    'today' would ask again right after it was answered."""
    with Store.open(home) as store:
        add(store, "2026-11-20", None)
    assert not nudge.nothing_logged(asked(home, "--any-time"), at("2026-11-21", 2, 0))
    assert nudge.nothing_logged(asked(home, "--any-time"), at("2026-11-21", 5, 0))


def test_the_day_before_is_right_across_a_clock_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """The night after the clocks went forward is 23 hours long: 'now minus a day' is then
    two dates back."""
    if not hasattr(time, "tzset"):
        pytest.skip("time zones cannot be set here")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert nudge.diary_day(at("2026-03-30", 0, 30)) == "2026-03-29"
        assert nudge.diary_day(at("2026-10-26", 4, 59)) == "2026-10-25"
        assert nudge.diary_day(at("2026-01-01", 1, 0)) == "2025-12-31"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_no_diary_no_folder_says_nothing_and_makes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert run("--home", str(missing), "nudge", "--any-time") == (0, "", "")
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("--home", str(empty), "nudge", "--any-time") == (0, "", "")
    assert list(empty.iterdir()) == []


def test_reads_without_writing_whatever_the_log_files(home: Path) -> None:
    """Closed (no -wal), open in the app (-wal and -shm), or a -wal left without its -shm:
    the nudge counts the entries and leaves every file as it was, making none."""
    with Store.open(home) as store:
        add(store, "2026-11-20")
    before = snapshot(home)
    assert run("--home", str(home), "nudge", "--any-time")[1] == nudge.MESSAGE + "\n"
    assert snapshot(home) == before

    with Store.open(home) as store:
        add(store, today())  # still in the -wal while the store is open
        assert {"diary.sqlite3-wal", "diary.sqlite3-shm"} <= {p.name for p in home.iterdir()}
        before = snapshot(home, shared="diary.sqlite3-shm")
        assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")
        assert snapshot(home, shared="diary.sqlite3-shm") == before
        # A copy of the diary and its log, without the -shm: the save in the log still counts.
        copy = home.parent / "copy"
        copy.mkdir(mode=0o700)
        for name in ("diary.sqlite3", "diary.sqlite3-wal"):
            shutil.copy(home / name, copy / name)
    before = snapshot(copy)
    assert run("--home", str(copy), "nudge", "--any-time") == (0, "", "")
    assert snapshot(copy) == before


def test_never_migrates_an_older_diary(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir(mode=0o700)
    shutil.copy(DATA / "diary-0.1.0.sqlite3", home / "diary.sqlite3")
    before = snapshot(home)
    code, out, _ = run("--home", str(home), "nudge", "--any-time")
    assert (code, out) == (0, nudge.MESSAGE + "\n")
    assert snapshot(home) == before


@pytest.mark.parametrize(
    "content",
    [b"not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b""],
    ids=["text", "damaged", "empty"],
)
def test_a_file_that_is_not_a_diary_means_silence(tmp_path: Path, content: bytes) -> None:
    home = tmp_path / "h"
    home.mkdir(mode=0o700)
    (home / "diary.sqlite3").write_bytes(content)
    assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")
    assert (home / "diary.sqlite3").read_bytes() == content
    assert [p.name for p in home.iterdir()] == ["diary.sqlite3"]


def test_another_programs_database_means_silence(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir(mode=0o700)
    with sqlite3.connect(home / "diary.sqlite3") as conn:
        conn.execute("CREATE TABLE notes (date TEXT)")
    conn.close()
    assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")


def test_a_link_where_the_diary_belongs_is_never_followed(tmp_path: Path, home: Path) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")  # followed, this diary would say 'nothing logged today'
    elsewhere = tmp_path / "linked"
    elsewhere.mkdir(mode=0o700)
    (elsewhere / "diary.sqlite3").symlink_to(home / "diary.sqlite3")
    assert run("--home", str(elsewhere), "nudge", "--any-time") == (0, "", "")
    (home / "diary.sqlite3-wal").symlink_to(tmp_path / "nowhere")
    assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_with_odd_characters_is_read(tmp_path: Path) -> None:
    """SQLite reads the path as a URI: '?', '#' and '%' must not end or change it."""
    home = tmp_path / "a?b#c%41 d"
    with Store.open(home) as store:
        add(store, "2026-11-20")
    assert run("--home", str(home), "nudge", "--any-time")[1] == nudge.MESSAGE + "\n"


def test_a_mistyped_option_is_one_escaped_line_and_still_exit_0(home: Path) -> None:
    code, out, err = run("--home", str(home), "nudge", "--after", "25:00")
    assert (code, out) == (0, "")
    assert err == "companion nudge: --after must be a time of day as HH:MM, such as 18:00\n"
    code, out, err = run("nudge", "--colour\x1b]2;owned\x07")
    assert (code, out) == (0, "")
    assert "\x1b" not in err and "\x07" not in err and err.count("\n") == 1
    for bad in ("7", "7:5", "07:60", "24:00", "１８:00", "18:00:00", ""):
        with pytest.raises(ValueError):
            nudge.parse_clock(bad)
    assert nudge.parse_clock("7:05") == (7, 5)


def test_help_says_what_it_does() -> None:
    code, out, _ = run("nudge", "--help")
    assert code == 0 and out.startswith("usage: companion nudge")
    assert "--after HH:MM" in out and "--any-time" in out


def test_the_installed_entry_and_the_full_parser_do_the_same(home: Path) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")
    for words in (
        ["--home", str(home), "nudge", "--any-time"],
        [f"--home={home}", "nudge", "--any-time"],
        ["nudge", "--any-time", "--home", str(home)],
        ["--home", str(home), "nudge", "--after", "25:00"],
    ):
        assert run(*words) == run(*words, via_parser=True), words
    assert launch.nudge_asked(["--home", "nudge", "list"]) is False
    assert launch.nudge_asked(["--home", "x", "nudge"]) is True
    assert launch.nudge_asked(["log", "--notes", "nudge"]) is False


@pytest.mark.parametrize(
    "env",
    [
        {"XDG_DATA_HOME": "/x/data", "HOME": "/home/a"},
        {"XDG_DATA_HOME": "relative/data", "HOME": "/home/a"},
        {"XDG_DATA_HOME": "", "HOME": "/home/a/"},
        {"HOME": "/home/b"},
        {"HOME": "/home/b", "COMPANION_HOME": "~/diary"},
    ],
)
def test_finds_the_data_directory_the_rest_of_the_program_uses(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the XDG rule is for Linux and the BSDs")
    for name in ("XDG_DATA_HOME", "COMPANION_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = nudge.data_dir(None)
    assert found is not None
    assert Path(found) == home_dir(None)


NUDGE_IMPORTS = """
import json, sys
before = set(sys.modules)
from companion.launch import main
main(["--home", sys.argv[1], "nudge", "--any-time"])
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_imports_nothing_of_the_app(home: Path) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_HOME"}
    done = subprocess.run(
        [sys.executable, "-I", "-c", NUDGE_IMPORTS, str(home)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    out_line, loaded_json = done.stdout.splitlines()
    assert out_line == nudge.MESSAGE
    ours = {m for m in json.loads(loaded_json) if m.split(".")[0] in ("companion", "screens")}
    assert ours == {"companion", "companion.launch", "companion.nudge", "companion.night"}
    heavy = {"argparse", "sqlite_utils", "platformdirs", "textual", "rich", "pathlib", "typing"}
    assert heavy.isdisjoint(json.loads(loaded_json))


def test_notify_sends_a_notification_or_else_prints(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    assert run("--home", str(home), "nudge", "--any-time", "--notify")[1] == nudge.MESSAGE + "\n"
    calls = tmp_path / "calls"
    stub = bin_dir / "notify-send"
    stub.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{calls}"\n')
    stub.chmod(0o755)
    assert run("--home", str(home), "nudge", "--any-time", "--notify") == (0, "", "")
    words = calls.read_text().split("|")
    assert words[:3] == ["--app-name", "Companion", "Companion"]
    assert words[3].startswith("nothing logged today")


def test_a_reader_gone_or_ctrl_c_at_the_prompt_is_silent_exit_0(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(home) as store:
        add(store, "2026-11-20")
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_HOME"}
    done = subprocess.run(
        [sys.executable, "-m", "companion", "--home", str(home), "nudge", "--any-time"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
    os.close(write_end)
    assert (done.returncode, done.stderr) == (0, b"")

    def interrupted(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(nudge, "entries_on", interrupted)
    assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")


def test_a_pipe_or_a_folder_where_the_diary_belongs_never_blocks(tmp_path: Path) -> None:
    """SQLite would wait for ever on a pipe with nothing writing to it."""
    home = tmp_path / "h"
    home.mkdir(mode=0o700)
    os.mkfifo(home / "diary.sqlite3")
    assert run("--home", str(home), "nudge", "--any-time") == (0, "", "")
    other = tmp_path / "d"
    (other / "diary.sqlite3").mkdir(parents=True)
    assert run("--home", str(other), "nudge", "--any-time") == (0, "", "")


def test_a_mistyped_word_is_shown_as_typed(home: Path) -> None:
    code, out, err = run("nudge", "--aftér")
    assert (code, out, err) == (0, "", "companion nudge: unrecognized argument: --aftér\n")
