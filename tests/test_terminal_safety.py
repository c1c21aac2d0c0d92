"""Nothing typed or stored reaches a terminal as a control sequence.

Text fields refuse C0 and C1 control characters (notes keep newlines and tabs) and the
characters that override or isolate text direction; and everything that prints stored or typed
text neutralises them anyway, for diaries written before (or by another tool).
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from companion.entry import Entry
from companion.paths import DIARY_FILE
from companion.safety import EMERGENCY_NUMBER_KEY
from companion.store import Store

REPO = Path(__file__).resolve().parent.parent

# An OSC title change, OSC 52 (write the clipboard), a colour, a C1 CSI, a right-to-left
# override and a bell: what an attacker's note, or a pasted one, could hold.
HOSTILE = "x\x1b]2;PWNED\x1b\\y\x1b]52;c;cHduZWQ=\x07z\x1b[31mred\x9b31m\u202eevil\u2066k"
RAW = ("\x1b", "\x9b", "\x07", "\u202e", "\u2066")


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def plant(home: Path, notes: str = HOSTILE, medications: str | None = None) -> Entry:
    """An entry written before text was checked (or by another tool): raw SQL, no validator."""
    with Store.open(home) as store:
        return store.add(
            Entry("2026-04-01", time="08:00", pain=4, notes=notes, medications=medications)
        )


def in_terminal(home: Path, *args: str) -> bytes:
    """Run the real command with its standard output on a pseudo-terminal; what it printed."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", "TERM": "xterm-256color"}
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "--home", str(home), *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return b"".join(chunks)


# --- refused when typed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "text", "problem"),
    [
        ("--notes", "x\x1b]2;PWNED\x1b\\y", "contains a control character (U+001B)"),
        ("--notes", "a\x9b31mb", "contains a control character (U+009B)"),
        ("--notes", "a\x7fb", "contains a control character (U+007F)"),
        ("--notes", "abc\u202efed", "contains a text-direction control (U+202E)"),
        ("--notes", "a\u2067b", "contains a text-direction control (U+2067)"),
        ("--medications", "ibuprofen\n400", "contains a control character (U+000A)"),
        ("--medications", "ibuprofen\t400", "contains a control character (U+0009)"),
    ],
)
def test_control_characters_are_refused_when_typed(
    cli: Any, home: Path, option: str, text: str, problem: str
) -> None:
    result = cli("log", "--pain", "3", option, text)
    assert result.code == 2
    line = one_line(result.err)
    assert line == f"companion: {option}: {problem}; write plain text"
    assert not (home / DIARY_FILE).exists()


def test_notes_keep_newlines_and_tabs(cli: Any, home: Path) -> None:
    assert cli("log", "--pain", "3", "--notes", "one\n\ttwo\r\nthree\rfour").code == 0
    with Store.open(home) as store:
        (entry,) = store.iter_rows()
    # Line endings become one kind, so an edit in the app changes nothing it did not mean to.
    assert entry.notes == "one\n\ttwo\nthree\nfour"


def test_an_imported_control_character_names_file_line_and_field(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "in.csv"
    path.write_text("date,pain,notes\n2026-04-01,3,fine\n2026-04-02,3,\x1b]2;x\x07\n")
    result = cli("import", str(path))
    assert result.code == 1
    assert one_line(result.err) == (
        f"companion: {path}: line 3: notes: contains a control character (U+001B); write plain text"
    )


def test_the_emergency_number_refuses_control_characters(cli: Any, home: Path) -> None:
    result = cli("triage", "--set-emergency-number", "112\x1b]2;PWNED\x07")
    assert result.code == 2
    assert one_line(result.err) == (
        "companion: --set-emergency-number: contains a control character (U+001B); write plain text"
    )
    assert cli("triage", "--set-emergency-number", "112").code == 0


# --- neutralised when shown ----------------------------------------------------------------


@pytest.mark.parametrize("terminal", [True, False])
def test_list_shows_stored_control_characters_harmlessly(
    cli: Any, home: Path, terminal: bool
) -> None:
    """As a table on a terminal and as plain rows to a pipe (which may be a pager)."""
    plant(home)
    out = cli("list", "--all", terminal=terminal).out
    for raw in RAW:
        assert raw not in out
    assert "PWNED" in out and "\\x1b]2;PWNED" in out


def test_list_json_escapes_them_and_gives_back_the_exact_text(cli: Any, home: Path) -> None:
    plant(home)
    out = cli("list", "--all", "--json").out
    for raw in RAW:
        assert raw not in out
    assert json.loads(out)[0]["notes"] == HOSTILE


def test_the_real_terminal_never_receives_them(home: Path) -> None:
    plant(home, medications="ok")
    for args in (("list", "--all"), ("list", "--all", "--json"), ("export", "--csv", "-")):
        shown = in_terminal(home, *args).decode("utf-8")
        assert "PWNED" in shown, args
        assert "\x1b]" not in shown, args  # no OSC: no title, no clipboard
        assert "\x1b[31m" not in shown, args
        for raw in ("\x9b", "\x07", "\u202e", "\u2066"):
            assert raw not in shown, args


def test_export_to_a_pipe_or_file_keeps_the_exact_text(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    plant(home)
    piped = cli("export", "--csv", "-").out
    assert HOSTILE in piped
    target = tmp_path / "out.csv"
    assert cli("export", "--csv", str(target)).code == 0
    assert HOSTILE in target.read_text(encoding="utf-8")


def test_a_stored_emergency_number_is_shown_harmlessly(cli: Any, home: Path) -> None:
    with Store.open(home) as store:
        store.set_setting(EMERGENCY_NUMBER_KEY, "112\x1b]2;PWNED\x07")
    result = cli("log", "--pain", "6", "--red-flags", "leg_weakness")
    assert result.code == 0
    assert "112\\x1b]2;PWNED\\x07" in result.out  # shown, escaped, in the notice
    for raw in RAW:
        assert raw not in result.out
    triage = cli("triage", "--answers", "-", stdin='{"leg_weakness": true}')
    assert triage.code == 0 and "112" in triage.out
    for raw in RAW:
        assert raw not in triage.out


@pytest.mark.parametrize(
    "args",
    [
        ("import", "/nowhere/\x1b]2;PWNED\x07.csv"),
        ("list", "\x1b]2;PWNED\x07"),
        ("alerts", "--acknowledge", "\x1b]2;PWNED\x07\u202e"),
        ("export", "--csv", "/nowhere/\x1b[31m\u202e.csv"),
    ],
)
def test_error_messages_quote_input_harmlessly(cli: Any, home: Path, args: tuple[str, ...]) -> None:
    assert cli("log", "--pain", "3").code == 0
    result = cli(*args)
    assert result.code in (1, 2)
    line = one_line(result.err)
    for raw in RAW:
        assert raw not in line


def test_the_apps_dashboard_and_diary_lines_are_harmless(home: Path) -> None:
    from screens.dashboard import entry_line as dashboard_line
    from screens.diary import entry_line as diary_line

    entry = plant(home)
    for line in (dashboard_line(entry), diary_line(entry)):
        shown = line.plain
        assert "PWNED" in shown
        for raw in RAW:
            assert raw not in shown


async def test_the_entry_form_shows_them_escaped_and_saves_nothing_unasked(home: Path) -> None:
    from datetime import datetime

    from textual.widgets import Input, TextArea

    from screens.app import CompanionApp
    from screens.entry_form import EntryForm

    entry = plant(home, medications="ibu\x1b[8mprofen")
    app = CompanionApp(home=home, now=datetime(2026, 4, 1, 9))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "enter")
        assert isinstance(app.screen, EntryForm)
        area = app.screen.query_one("#field-notes", TextArea)
        medicine = app.screen.query_one("#field-medications", Input)
        shown = area.text + medicine.value
        assert "\\x1b]2;PWNED" in area.text and medicine.value == "ibu\\x1b[8mprofen"
        for raw in RAW:
            assert raw not in shown
        await pilot.press("ctrl+s")  # nothing changed: nothing written
        await pilot.pause()
    with Store.open(home) as store:
        assert store.get(entry.id) == entry


UNSAFE = [
    *range(0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *range(0xD800, 0xE000),
]


def test_every_unsafe_character_is_found_and_escaped() -> None:
    from companion.terminal import safe_json, safe_text, unsafe_char

    for code in UNSAFE:
        char = chr(code)
        text = f"a {char} b"
        assert unsafe_char(text) == char, hex(code)
        shown = safe_text(text)
        assert char not in shown and shown.startswith("a \\"), hex(code)
        assert char not in safe_json(text), hex(code)
    assert safe_text("naïve 🦴 שלום\u200f ok") == "naïve 🦴 שלום\u200f ok"  # marks stay
