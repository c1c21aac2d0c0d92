"""``companion log``, ``list`` and the CLI's error contract: one line, the right exit code."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from companion.entry import Entry
from companion.paths import LOG_FILE
from companion.safety import NOT_A_DIAGNOSIS
from companion.store import Store

NOW = datetime(2026, 11, 20, 7, 45, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("companion.commands.diary.now_local", lambda: NOW)


def entries(home: Path) -> list[Entry]:
    with Store.open(home) as store:
        return list(store.iter_rows())


def one_line_error(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert result.code == code
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    return str(result.err)


# --- log --------------------------------------------------------------------------------


def test_log_with_every_option_saves_exactly_that(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "log",
        "--pain", "6", "--worst-pain", "8", "--night-pain", "3", "--woke-at-night", "yes",
        "--eased-by-rest", "no", "--morning-stiffness-min", "20",
        "--locations", "lower_back_left,buttock_left", "--qualities", "aching;sharp",
        "--cramps", "1", "--cramp-minutes", "2.5", "--cramp-sites", "calf_left",
        "--triggers", "sitting", "--relief", "heat,walking", "--medications", "ibuprofen",
        "--sleep-hours", "6.5", "--mood", "4", "--activity-min", "25",
        "--weight-kg", "80.2", "--temperature-c", "36.8", "--notes", "Long drive.\nStiff.",
    )  # fmt: skip
    assert result.code == 0, result.err
    (entry,) = entries(home)
    assert entry.values() == {
        "date": "2026-11-20",
        "time": "07:45",
        "pain": 6,
        "worst_pain": 8,
        "night_pain": 3,
        "woke_at_night": "yes",
        "eased_by_rest": "no",
        "morning_stiffness_min": 20,
        "locations": frozenset({"lower_back_left", "buttock_left"}),
        "qualities": frozenset({"aching", "sharp"}),
        "cramps": 1,
        "cramp_minutes": 2.5,
        "cramp_sites": frozenset({"calf_left"}),
        "triggers": frozenset({"sitting"}),
        "relief": frozenset({"heat", "walking"}),
        "medications": "ibuprofen",
        "sleep_hours": 6.5,
        "mood": 4,
        "activity_min": 25,
        "weight_kg": 80.2,
        "temperature_c": 36.8,
        "red_flags": frozenset(),
        "notes": "Long drive.\nStiff.",
    }
    assert result.out == (
        "Saved 2026-11-20 07:45: pain 6/10, night pain 3/10, rest eased it: no, "
        f"cramps 1 (longest 2.5 min) [id {entry.id[:8]}]\n"
    )
    assert "Long drive" not in result.out


def test_log_for_another_day_has_no_time_unless_given(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("log", "--date", "2026-11-18", "--pain", "2").code == 0
    assert cli("log", "--date", "2026-11-18", "--time", "22:10", "--pain", "3").code == 0
    assert cli("log", "--yesterday", "--cramps", "2").code == 0
    got = [(e.date, e.time, e.pain, e.cramps) for e in entries(home)]
    assert got == [
        ("2026-11-18", None, 2, None),  # no time sorts first
        ("2026-11-18", "22:10", 3, None),
        ("2026-11-19", None, None, 2),
    ]


def test_a_night_belongs_to_the_day_it_began(cli, home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 00:40 an entry goes on the day before, as --yesterday puts it at any hour: without
    a time, since 00:40 is not a time on that day."""
    small_hours = NOW.replace(day=21, hour=0, minute=40)
    monkeypatch.setattr("companion.commands.diary.now_local", lambda: small_hours)
    assert cli("log", "--pain", "4").out.startswith("Saved 2026-11-20: pain 4/10")
    monkeypatch.setattr("companion.commands.diary.now_local", lambda: NOW.replace(day=21))
    assert cli("log", "--yesterday", "--pain", "5", "--night-pain", "6").out.startswith(
        "Saved 2026-11-20:"
    )
    assert cli("log", "--pain", "2").out.startswith("Saved 2026-11-21 07:45:")
    got = sorted((e.date, e.time or "", e.pain, e.night_pain or 0) for e in entries(home))
    assert got == [("2026-11-20", "", 4, 0), ("2026-11-20", "", 5, 6),
                   ("2026-11-21", "07:45", 2, 0)]  # fmt: skip
    assert "until 05:00 an entry goes on the day before" in " ".join(
        cli("log", "--help").out.split()
    )


@pytest.mark.parametrize("day", ["2026-11-21", "2099-01-01"])
def test_a_date_after_today_is_refused(cli, home: Path, day: str) -> None:  # type: ignore[no-untyped-def]
    err = one_line_error(cli("log", "--date", day, "--pain", "3"), 2)
    assert err == "companion: --date: is after today: a diary records what has happened\n"
    assert not (home / "diary.sqlite3").exists()
    assert cli("log", "--date", "2026-11-20", "--pain", "3").code == 0  # today is fine


def test_yesterday_and_date_together_are_a_usage_error(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "--yesterday", "--date", "2026-11-01", "--pain", "2")
    err = one_line_error(result, 2)
    assert err == "companion: --yesterday and --date cannot be used together\n"
    assert not (home / "diary.sqlite3").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pain", "11"], "companion: --pain: must be a whole number from 0 to 10\n"),
        (["--notes", "no numbers"], "companion: --pain: an entry needs pain or cramps (or both)\n"),
        (
            ["--pain", "3", "--date", "2026-02-30"],
            "companion: --date: is not a real calendar date\n",
        ),
        (
            ["--pain", "3", "--eased-by-rest", "sometimes"],
            "companion: --eased-by-rest: must be one of yes, partly, no\n",
        ),
        (
            ["--pain", "3", "--notes", "caf\udce9"],
            "companion: --notes: contains bytes that are not UTF-8 text\n",
        ),
        (
            ["--pain", "6", "--worst-pain", "3"],
            "companion: --worst-pain: is lower than pain now; the worst pain of the day is at "
            "least that\n",
        ),
        (
            ["--cramps", "0", "--cramp-minutes", "5"],
            "companion: --cramp-minutes: is given for no cramps; leave it empty, or count the "
            "cramps\n",
        ),
        (
            ["--cramps", "1", "--cramp-sites", "calf_left,my knee"],
            "companion: --cramp-sites: a value is not one of: calf_left, calf_right, thigh_left, "
            "thigh_right, hamstring_left, hamstring_right, foot_left, foot_right, back, other\n",
        ),
    ],
)  # fmt: skip
def test_bad_log_values_are_usage_errors_and_save_nothing(  # type: ignore[no-untyped-def]
    cli, home: Path, args: list[str], message: str
) -> None:
    assert one_line_error(cli("log", *args), 2) == message
    assert not (home / "diary.sqlite3").exists()


def test_an_unknown_option_is_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    err = one_line_error(cli("log", "--pian", "3"), 2)
    assert err == "companion: error: unrecognized arguments: --pian 3\n"


def test_an_emergency_sign_prints_the_emergency_notice(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "--pain", "7", "--red-flags", "fever,both_legs,saddle_numbness")
    assert result.code == 0
    saved, notice = result.out.splitlines()
    assert saved.startswith(
        "Saved 2026-11-20 07:45: pain 7/10, warning signs: saddle numbness, both legs, fever"
    )
    # The signs in the vocabulary's order, as in the line above.
    assert notice.startswith(
        "‼ EMERGENCY: you noted numbness around the bottom, genitals or inner thighs; "
        "pain or numbness in both legs. With back pain this needs checking now. Call "
    )
    assert "do not drive yourself" in notice
    assert notice.endswith(NOT_A_DIAGNOSIS)


def test_a_warning_sign_says_get_checked_not_a_diagnosis(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "--pain", "4", "--red-flags", "lump;unexplained_weight_loss")
    notice = result.out.splitlines()[1]
    assert notice == (
        "● SEE A DOCTOR SOON: you noted weight loss without trying; a new lump. Book an "
        "appointment with your doctor within the next few days, sooner if it gets worse. It "
        f"is not an emergency, but it should be checked. {NOT_A_DIAGNOSIS}"
    )
    fever = cli("log", "--pain", "4", "--red-flags", "fever,lump").out.splitlines()[1]
    assert fever.startswith(
        "▲ URGENT: you noted fever; a new lump. Contact your doctor or an urgent care service today"
    )


def test_a_high_temperature_or_a_long_cramp_says_to_be_seen_today(cli) -> None:  # type: ignore[no-untyped-def]
    # The same urgent alert a ticked sign raises, from the entry's numbers.
    hot = cli("log", "--pain", "4", "--temperature-c", "39.2").out.splitlines()
    assert len(hot) == 2
    assert hot[1].startswith(
        "▲ URGENT: Fever with back pain. Contact your doctor or an urgent care service today"
    )
    assert hot[1].endswith(NOT_A_DIAGNOSIS)
    long = cli("log", "--cramps", "1", "--cramp-minutes", "15").out.splitlines()
    assert long[1].startswith("▲ URGENT: A cramp that lasted more than 10 minutes. Contact")
    # A second long cramp says so again; a short one, or a normal temperature, says nothing.
    again = cli("log", "--yesterday", "--cramps", "1", "--cramp-minutes", "12").out.splitlines()
    assert again[1].startswith("▲ URGENT: A cramp that lasted more than 10 minutes.")
    assert len(cli("log", "--cramps", "2", "--cramp-minutes", "3").out.splitlines()) == 1
    assert len(cli("log", "--pain", "3", "--temperature-c", "36.8").out.splitlines()) == 1
    # The ticked sign's own notice is not repeated.
    both = cli("log", "--pain", "4", "--temperature-c", "38.6", "--red-flags", "fever").out
    assert [line[:9] for line in both.splitlines()] == ["Saved 202", "▲ URGENT:"]


def test_home_works_after_the_subcommand(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "elsewhere"
    assert cli("log", "--home", str(other), "--pain", "1").code == 0
    assert len(entries(other)) == 1


# --- list -------------------------------------------------------------------------------


def seed(home: Path) -> None:
    with Store.open(home) as store:
        store.merge(
            [
                Entry("2026-11-19", "08:05", pain=5, worst_pain=7, night_pain=4,
                      eased_by_rest="partly", cramps=2, cramp_minutes=3.5,
                      locations=frozenset({"leg_left", "lower_back_middle", "below_knee_right"}),
                      red_flags=frozenset({"fever"}),
                      notes="A long note about the day that will not fit in a narrow column"),
                Entry("2026-11-20", "21:30", pain=2, locations=frozenset({"abdomen"})),
                Entry("2026-10-01", "09:00", pain=9, notes="old"),
            ]
        )  # fmt: skip


@pytest.mark.parametrize("width", [80, 60])
def test_the_table_fits_the_terminal_and_keeps_warning_signs(  # type: ignore[no-untyped-def]
    cli, home: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    seed(home)
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli("list", terminal=True)
    lines = result.out.splitlines()
    assert all(len(line) <= width for line in lines)
    first = next(line for line in lines if line.startswith("2026-11-19"))
    assert first.split()[:8] == ["2026-11-19", "08:05", "5", "7", "4", "partly", "2", "(3.5m)"]
    assert "! fever |" in first and first.rstrip().endswith("…")
    assert any(line.startswith("2026-11-20 21:30    2") for line in lines)
    assert "2026-10-01" not in result.out  # older than 30 days
    assert lines[-1] == "2 entries"
    if width >= 80:
        assert "low back mid" in result.out and "below knee R" in result.out
        assert "! fever | A long" in first
    else:
        assert "low back" not in result.out


def test_list_to_a_pipe_writes_plain_tab_separated_rows(  # type: ignore[no-untyped-def]
    cli, home: Path
) -> None:
    seed(home)
    with Store.open(home) as store:
        store.add(Entry("2026-11-21", notes="two\nlines\tand a tab", cramps=1))
        store.add(Entry("2026-11-22", pain=1, red_flags=frozenset({"saddle_numbness", "fever"})))
    assert cli("list", "--all").out.splitlines() == [
        "date\ttime\tpain\tworst\tnight\trest eased\tcramps\twhere\tnotes",
        "2026-10-01\t09:00\t9\t\t\t\t\t\told",
        "2026-11-19\t08:05\t5\t7\t4\tpartly\t2 (3.5m)\tlow back mid, leg L, below knee R\t"
        "! fever | A long note about the day that will not fit in a narrow column",
        "2026-11-20\t21:30\t2\t\t\t\t\tabdomen\t",
        "2026-11-21\t\t\t\t\t\t1\t\ttwo lines and a tab",
        "2026-11-22\t\t1\t\t\t\t\t\t!! saddle numbness, fever",
    ]
    # The range options choose the rows as on a terminal; no rows, only the names.
    assert len(cli("list", "--from", "2026-11-20").out.splitlines()) == 4
    assert cli("list", "--from", "2027-01-01").out.count("\n") == 1


def test_list_all_and_ranges(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    seed(home)
    assert cli("list", "--all", terminal=True).out.splitlines()[-1] == "3 entries"
    assert cli("list", "--to", "2026-10-31", terminal=True).out.splitlines()[-1] == "1 entry"
    empty = cli("list", "--from", "2026-12-01", terminal=True).out
    assert empty == "No entries in that range.\n"
    err = one_line_error(cli("list", "--from", "2026-13-01"), 2)
    assert err == "companion list: error: argument --from: is not a real calendar date\n"
    backwards = ("--from", "2026-12-01", "--to", "2026-11-01")
    err = one_line_error(cli("list", *backwards), 2)
    assert err == "companion: --from 2026-12-01 is after --to 2026-11-01: the range is backwards\n"
    assert one_line_error(cli("export", "--csv", "-", *backwards), 2) == err


def test_list_json_lists_sets_in_vocabulary_order(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    seed(home)
    data = json.loads(cli("list", "--json").out)
    assert [d["date"] for d in data] == ["2026-11-19", "2026-11-20"]
    first = data[0]
    assert first["locations"] == ["lower_back_middle", "leg_left", "below_knee_right"]
    assert first["red_flags"] == ["fever"]
    assert first["cramp_minutes"] == 3.5 and first["relief"] == []
    assert list(first)[:3] == ["id", "date", "time"]
    assert json.loads(cli("list", "--json", "--from", "2027-01-01").out) == []


def test_list_names_warning_signs_in_words(  # type: ignore[no-untyped-def]
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    with Store.open(home) as store:
        store.add(Entry("2026-11-19", "08:05", pain=5, red_flags=frozenset({"saddle_numbness"})))
    shown = cli("list", terminal=True).out
    row = next(line for line in shown.splitlines() if line.startswith("2026-11-19"))
    assert "!! saddle numbness" in row
    assert "saddle_numbness" not in row


# --- the demo ---------------------------------------------------------------------------


def test_demo_beside_a_command_is_refused_and_never_touches_the_diary(  # type: ignore[no-untyped-def]
    cli, home: Path
) -> None:
    err = one_line_error(cli("--demo", "log", "--pain", "9"), 2)
    assert err == (
        "companion: --demo opens the app on a generated diary; "
        "'log' would use your own diary, so run it without --demo\n"
    )
    assert not home.exists()


# --- errors -----------------------------------------------------------------------------


def test_a_missing_import_file_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    err = one_line_error(cli("import", str(tmp_path / "nope.csv")), 2)
    assert err == f"companion: {tmp_path / 'nope.csv'}: no such file\n"


def test_a_file_that_is_not_a_diary_is_a_data_error(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(mode=0o700)
    (home / "diary.sqlite3").write_text("not a database")
    err = one_line_error(cli("list"), 1)
    assert err.startswith(f"companion: {home / 'diary.sqlite3'}: not a companion diary")


def test_an_unexpected_error_is_one_line_and_logged_without_diary_text(  # type: ignore[no-untyped-def]
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Store, entry: Entry) -> Entry:
        raise RuntimeError(f"cannot store {entry.notes}")

    monkeypatch.setattr(Store, "add", broken)
    result = cli("log", "--pain", "3", "--notes", "very private words")
    log = home / LOG_FILE
    assert one_line_error(result, 1) == (
        f"companion: unexpected error (RuntimeError); a report without personal data is in {log}\n"
    )
    report = log.read_text()
    assert "builtins.RuntimeError" in report and "in broken" in report
    assert "private" not in report
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_crash_log_that_cannot_be_written_still_gives_one_line(  # type: ignore[no-untyped-def]
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "count", lambda self: 1 / 0)
    monkeypatch.setattr("companion.commands.diary.cmd_list", lambda args: Store.open(home).count())
    home.mkdir(mode=0o700)
    (home / LOG_FILE).mkdir()  # the log's name is taken by a folder: writing it fails
    err = one_line_error(cli("list"), 1)
    assert err == "companion: unexpected error (ZeroDivisionError); no report could be written\n"


def run_companion(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def test_the_real_command_never_prints_a_traceback(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    usage = run_companion("--home", home, "log", "--pain", "eleven", cwd=tmp_path)
    assert (usage.returncode, usage.stdout) == (2, "")
    assert usage.stderr == "companion: --pain: must be a whole number from 0 to 10\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("date,pain\n2026-01-01,3\n2026-01-02,x\n")
    data = run_companion("--home", home, "import", str(bad), cwd=tmp_path)
    assert data.returncode == 1
    assert data.stderr == f"companion: {bad}: line 3: pain: must be a whole number from 0 to 10\n"


@pytest.mark.parametrize(
    ("command", "first"),
    [(("export", "--csv", "-"), b"date,time,pain"), (("list", "--all"), b"")],
)
def test_a_closed_pipe_ends_quietly(tmp_path: Path, command: tuple[str, ...], first: bytes) -> None:
    home = tmp_path / "home"
    from companion.demo import fill

    fill(home, days=400, per_day=2)
    reader = subprocess.Popen(
        [sys.executable, "-m", "companion", "--home", str(home), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.readline().startswith(first)
    reader.stdout.close()
    err = reader.stderr.read()
    assert reader.wait(timeout=60) == 0
    assert err == b""


@pytest.mark.parametrize(
    "command", [("list", "--all"), ("list", "--json"), ("export", "--csv", "-"), ("alerts",)]
)
def test_a_command_started_with_standard_output_closed_ends_quietly(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """``companion list >&-``: nothing can be shown, and nothing fails half-way."""
    home = tmp_path / "home"
    saved = subprocess.run(
        [sys.executable, "-m", "companion", "--home", str(home), "log", "--pain", "4"],
        capture_output=True,
        preexec_fn=lambda: os.close(1),  # the child starts without stdout
        check=False,
    )
    assert (saved.returncode, saved.stderr) == (0, b"")
    with Store.open(home) as store:
        assert store.count() == 1
    done = subprocess.run(
        [sys.executable, "-m", "companion", "--home", str(home), *command],
        capture_output=True,
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
