"""No leaks: diary text never reaches stderr, the crash log or Textual's crash output."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from companion.commands import diary as diary_commands
from companion.paths import LOG_FILE
from companion.store import core as store_module

REPO = Path(__file__).resolve().parent.parent
CANARY = "CANARY-7f3a-do-not-print"


def _text_outside_the_diary(home: Path) -> str:
    """Every file in the data directory except the diary and its backups, as text."""
    parts = []
    for path in sorted(home.rglob("*")):
        if path.is_file() and ".sqlite3" not in path.name:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def _boom(*args: Any, **kwargs: Any) -> Any:
    notes = next((a.notes for a in args if hasattr(a, "notes")), CANARY)
    raise RuntimeError(f"failed while holding {notes!r}")


def test_a_forced_error_in_the_cli_keeps_notes_out_of_stderr_and_the_log(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "--pain", "2").code == 0  # the diary exists, so the data dir does
    monkeypatch.setattr(store_module.Store, "add", _boom)

    result = cli("log", "--pain", "5", "--notes", f"my secret {CANARY}")

    assert result.code == 1
    assert result.err.startswith("companion: unexpected error (RuntimeError)")
    assert len(result.err.splitlines()) == 1
    assert CANARY not in result.out + result.err
    log = (home / LOG_FILE).read_text(encoding="utf-8")
    assert "RuntimeError" in log  # the report was written ...
    assert CANARY not in log  # ... without the message or any value
    assert CANARY not in _text_outside_the_diary(home)


@pytest.mark.parametrize("terminal", [True, False])
def test_a_forced_error_while_listing_keeps_notes_out(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """On a terminal each row becomes an entry for the table; to a pipe its notes are
    written on one line straight from the stored values."""
    assert cli("log", "--pain", "2", "--notes", CANARY).code == 0
    real = store_module.row_to_entry

    def explode(row: Any) -> Any:
        entry = real(row)
        raise ValueError(f"cannot show {entry.notes}")

    def explode_plain(notes: str) -> str:
        raise ValueError(f"cannot show {notes}")

    monkeypatch.setattr(store_module, "row_to_entry", explode)
    monkeypatch.setattr(diary_commands, "one_line", explode_plain)
    result = cli("list", "--all", terminal=terminal)
    assert result.code == 1
    assert CANARY not in result.out + result.err
    assert CANARY not in _text_outside_the_diary(home)


def test_refused_notes_are_not_echoed(cli: Any, home: Path) -> None:
    for notes in (f"{CANARY}\x00", CANARY * 400):
        result = cli("log", "--pain", "5", "--notes", notes)
        assert result.code == 2
        assert result.err.startswith("companion: --notes: ")
        assert CANARY not in result.out + result.err
    assert not (home / LOG_FILE).exists()


# A real process, so that whatever Python or Textual print on the way out is captured too.
CLI_CRASH = textwrap.dedent(
    """
    import sys
    from companion import store
    from companion.__main__ import main
    def boom(self, entry):
        raise RuntimeError("holding " + entry.notes)
    store.Store.add = boom
    sys.exit(main(sys.argv[1:]))
    """
)

APP_CRASH = textwrap.dedent(
    """
    import sys
    from companion import store
    from screens.app import CompanionApp
    CANARY = sys.argv[2]
    def boom(self, entry):
        secret = entry.notes  # a local variable a crash screen with locals would print
        raise RuntimeError("holding " + secret)
    store.Store.add = boom
    async def drive(pilot):
        await pilot.press("n", "4")
        pilot.app.screen.query_one("#field-notes").focus()
        pilot.app.screen.query_one("#field-notes").load_text(CANARY)
        await pilot.press("ctrl+s")
        await pilot.pause()
    app = CompanionApp(home=sys.argv[1])
    app.run(headless=True, size=(80, 24), auto_pilot=drive)
    sys.exit(app.return_code)
    """
)


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_a_crashing_cli_process_prints_no_notes(home: Path) -> None:
    proc = _run(CLI_CRASH, "--home", str(home), "log", "--pain", "3", "--notes", CANARY)
    assert proc.returncode == 1
    assert "unexpected error (RuntimeError)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert CANARY not in proc.stdout + proc.stderr
    assert CANARY not in _text_outside_the_diary(home)


def test_a_crashing_app_replaces_textual_crash_output(home: Path) -> None:
    proc = _run(APP_CRASH, str(home), CANARY)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output[-2000:]
    assert "unexpected error (RuntimeError)" in output
    assert CANARY not in output
    assert "secret" not in output  # no local variables either
    assert CANARY not in _text_outside_the_diary(home)
    assert "RuntimeError" in (home / LOG_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["a link to another file", "a second name of one", "a pipe"])
def test_the_crash_report_is_never_written_through_what_stands_at_its_name(
    home: Path, tmp_path: Path, kind: str
) -> None:
    """companion.log is written only as a file of its own: a link there had the report
    appended to the file it pointed at (which kept its mode 0644), and a pipe there kept
    the command waiting for ever."""
    assert _run(CLI_CRASH, "--home", str(home), "list").returncode == 0  # makes the folder
    other = tmp_path / "mine.txt"
    other.write_text("mine\n", encoding="utf-8")
    other.chmod(0o644)
    log = home / LOG_FILE
    if kind == "a link to another file":
        log.symlink_to(other)
    elif kind == "a second name of one":
        os.link(other, log)
    else:
        os.mkfifo(log, 0o600)
    proc = _run(CLI_CRASH, "--home", str(home), "log", "--pain", "3", "--notes", CANARY)
    assert proc.returncode == 1
    assert proc.stderr == "companion: unexpected error (RuntimeError); no report could be written\n"
    assert other.read_text(encoding="utf-8") == "mine\n"
    assert stat.S_IMODE(other.stat().st_mode) == 0o644


def test_a_crash_report_left_readable_by_others_is_made_private(home: Path) -> None:
    assert _run(CLI_CRASH, "--home", str(home), "list").returncode == 0
    log = home / LOG_FILE
    log.write_text("an older report\n", encoding="utf-8")
    log.chmod(0o644)
    proc = _run(CLI_CRASH, "--home", str(home), "log", "--pain", "3", "--notes", CANARY)
    assert f"a report without personal data is in {log}" in proc.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "RuntimeError" in log.read_text(encoding="utf-8")
