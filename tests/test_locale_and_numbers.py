"""Odd locales, odd digits and extreme input: UTF-8 out whatever the locale, ASCII digits only
(and the message says so), and a clear error where the last-resort handler used to answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from companion.paths import LOG_FILE

REPO = Path(__file__).resolve().parent.parent


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def run_c_locale(
    home: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real command in the C locale with Python's UTF-8 mode off: ASCII is all it assumes."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run(
        [sys.executable, "-m", "companion", "--home", str(home), *args],
        capture_output=True,
        input=stdin,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_c_locale_reads_and_writes_utf8(home: Path) -> None:
    saved = run_c_locale(home, "log", "--pain", "3", "--notes", "naïve café ✓ 🦴")
    assert saved.returncode == 0, saved.stderr
    listed = run_c_locale(home, "list", "--all", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout.decode("utf-8"))[0]["notes"] == "naïve café ✓ 🦴"
    table = run_c_locale(home, "list", "--all")
    assert table.returncode == 0, table.stderr
    assert "naïve café ✓ 🦴" in table.stdout.decode("utf-8")
    exported = run_c_locale(home, "export", "--csv", "-")
    assert exported.returncode == 0, exported.stderr
    assert "naïve café ✓ 🦴" in exported.stdout.decode("utf-8")
    assert not (home / LOG_FILE).exists()


def test_the_c_locale_still_refuses_bytes_that_are_not_utf8(home: Path) -> None:
    done = run_c_locale(home, "log", "--pain", "3", "--notes", os.fsdecode(b"caf\xe9"))
    assert done.returncode == 2
    assert one_line(done.stderr.decode()) == (
        "companion: --notes: contains bytes that are not UTF-8 text"
    )


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_an_encoding_named_in_pythonioencoding_never_stops_output_half_way(
    home: Path, encoding: str
) -> None:
    """What that encoding cannot hold used to stop list, list --json and export --csv - with
    an unexpected UnicodeEncodeError after half the output. A listing for reading shows '?'
    for it; JSON and the CSV, which programs read, lose nothing."""
    note = "naïve café ✓ 🦴"
    logged = run_c_locale(home, "log", "--pain", "5", "--temperature-c", "38.5", "--notes", note)
    assert logged.returncode == 0, logged.stderr

    def run(*args: str) -> bytes:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": encoding}
        done = subprocess.run(
            [sys.executable, "-m", "companion", "--home", str(home), *args],
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == b""
        return done.stdout

    table = run("list", "--all").decode(encoding)
    notes = table.splitlines()[1].split("\t")[-1]
    assert notes == ("naïve café ? ?" if encoding == "cp1252" else "na?ve caf? ? ?")
    assert json.loads(run("list", "--all", "--json"))[0]["notes"] == note
    assert note in run("export", "--csv", "-").decode("utf-8")
    (alert,) = json.loads(run("alerts", "--json"))
    assert "38.5 °C" in alert["evidence"][0]["detail"]
    assert not (home / LOG_FILE).exists()


def test_a_path_with_accents_works_in_the_c_locale(tmp_path: Path) -> None:
    home = tmp_path / "données"
    assert run_c_locale(home, "log", "--pain", "3").returncode == 0
    target = tmp_path / "été.csv"
    done = run_c_locale(home, "export", "--csv", str(target))
    assert done.returncode == 0, done.stderr
    assert target.exists()
    assert str(target) in done.stderr.decode("utf-8")


def test_a_report_on_the_first_day_of_the_calendar(cli: Any, home: Path, tmp_path: Path) -> None:
    assert cli("log", "--pain", "3", "--date", "0001-01-01").code == 0
    target = tmp_path / "first.html"
    result = cli("report", "--html", str(target), "--today", "0001-01-01")
    assert result.code == 0, result.err
    assert "0001-01-01 to 0001-01-01" in result.err
    assert not (home / LOG_FILE).exists()


def test_deeply_nested_answers_are_a_clear_error(cli: Any, home: Path) -> None:
    result = cli("triage", "--answers", "-", stdin="[" * 100_000 + "]" * 100_000)
    assert result.code == 2
    assert one_line(result.err) == "companion: answers: the JSON is nested too deeply"
    assert not (home / LOG_FILE).exists()


def test_an_answer_with_thousands_of_digits_is_a_clear_error(cli: Any, home: Path) -> None:
    """Python refuses to read an integer of over 4,300 digits: it was an unexpected error."""
    result = cli("triage", "--answers", "-", stdin='{"age": ' + "9" * 5000 + "}")
    assert result.code == 2
    assert one_line(result.err) == "companion: answers: a number in it has too many digits"
    assert not (home / LOG_FILE).exists()


ARABIC_3 = "\u0663"  # ٣
FULL_WIDTH_2026 = "２０２６"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("log", "--pain", ARABIC_3), "--pain"),
        (("log", "--pain", "3", "--weight-kg", f"7{ARABIC_3}.5"), "--weight-kg"),
        (("log", "--pain", "3", "--date", f"{FULL_WIDTH_2026}-01-01"), "--date"),
        (("log", "--pain", "3", "--time", "٠٨:٣٠"), "--time"),
    ],
)
def test_only_ascii_digits_are_numbers_and_the_message_says_so(
    cli: Any, home: Path, args: tuple[str, ...], option: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    assert one_line(result.err) == f"companion: {option}: must be written with the digits 0-9"


@pytest.mark.parametrize(
    "command",
    [("list", "--from"), ("alerts", "--today"), ("report", "--html", "x.html", "--today")],
)
def test_dates_given_as_options_need_ascii_digits(cli: Any, command: tuple[str, ...]) -> None:
    result = cli(*command, f"{FULL_WIDTH_2026}-01-01")
    assert result.code == 2
    assert "must be written with the digits 0-9" in one_line(result.err)


def test_an_import_with_other_digits_names_the_line(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "digits.csv"
    path.write_text(f"date,pain\n2026-01-01,3\n2026-01-02,{ARABIC_3}\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 1
    assert one_line(result.err) == (
        f"companion: {path}: line 3: pain: must be written with the digits 0-9"
    )
