"""Warning signs that stay until the person records they were seen or the sign has gone;
triage results among the alerts; acknowledgements that can be undone. Over a real diary,
through the store and the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from diary_oracle import evaluate

from companion import followups, migrations, schema, triage, triage_store
from companion.alerts import acknowledge, active_alerts
from companion.entry import Entry, new_id
from companion.errors import UsageError
from companion.paths import DIARY_FILE
from companion.store import Store

TODAY = date(2026, 3, 31)
NOW = datetime(2026, 3, 31, 18, 0)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def rules(store: Store, today: date = TODAY) -> list[str]:
    return [a.rule for a in evaluate(store, today)]


# --- signs that stay until settled -------------------------------------------------------------


def test_an_emergency_sign_months_old_is_found_in_sql_without_reading_the_diary(
    store: Store,
) -> None:
    store.merge(Entry(date=ago(n), pain=2) for n in range(300, 250, -1))
    store.add(Entry(date=ago(240), pain=5, red_flags=frozenset({"bladder_bowel_change"})))
    (alert,) = evaluate(store, TODAY)
    assert (alert.rule, alert.since, alert.signs) == (
        "emergency_symptom",
        ago(240),
        ("bladder_bowel_change",),
    )
    # The query reads only the entries that hold a sign or a temperature, by their index.
    plan = " ".join(
        str(row[-1])
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT date, time, created, red_flags, temperature_c FROM entries "
            "WHERE (red_flags != '' OR temperature_c IS NOT NULL) AND date BETWEEN ? AND ?",
            ("0001-01-01", TODAY.isoformat()),
        )
    )
    assert "entries_with_signs" in plan


def test_seen_settles_what_came_before_and_anything_later_raises_again(store: Store) -> None:
    store.add(Entry(date=ago(5), time="09:00", pain=5, red_flags=frozenset({"leg_weakness"})))
    followups.record(store, "seen", day=ago(5), clock="15:30", now=NOW)
    assert rules(store) == []
    # A sign logged after the visit, even the same evening, raises the alert again.
    store.add(Entry(date=ago(5), time="21:00", pain=5, red_flags=frozenset({"leg_weakness"})))
    (alert,) = evaluate(store, TODAY)
    assert [e.date for e in alert.evidence] == [ago(5)]
    assert rules(store, TODAY - timedelta(days=6)) == []  # nothing as of before it was logged


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so a record's clock can be read off the time it was written."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seen_row(store: Store, day: str, written: str) -> None:
    with store.write() as conn:
        conn.execute(
            "INSERT INTO followups (id, date, time, kind, signs, created, updated) "
            "VALUES (?, ?, NULL, 'seen', '', ?, ?)",
            (written[:19].replace(":", "-").ljust(36, "0"), day, written, written),
        )


@pytest.mark.usefixtures("utc")
def test_records_without_a_time_count_from_when_they_were_written_that_day(store: Store) -> None:
    day = "2026-03-20"
    lump = frozenset({"lump"})
    store.add(Entry(date=day, pain=5, red_flags=lump, created=f"{day}T09:00:00+00:00"))
    seen_row(store, day, f"{day}T12:00:00+00:00")
    assert rules(store) == []
    # Written after the 'seen' record the same day: after it, so the alert is back.
    later = store.add(Entry(date=day, pain=5, red_flags=lump, created=f"{day}T15:00:00+00:00"))
    (alert,) = evaluate(store, TODAY)
    assert (alert.rule, alert.since) == ("new_lump", day)
    # A record about that day written on a later day, with no time, is the day's end.
    seen_row(store, day, "2026-03-22T08:00:00+00:00")
    assert rules(store) == []
    store.delete(later.id)
    assert rules(store) == []


def test_gone_settles_a_fever_or_a_lump_but_not_a_sign_that_needs_help_now(store: Store) -> None:
    store.add(Entry(date=ago(6), pain=5, temperature_c=38.7))
    store.add(Entry(date=ago(6), pain=5, red_flags=frozenset({"lump", "collapse"})))
    assert rules(store) == ["emergency_symptom", "fever_with_back_pain", "new_lump"]
    followups.record(store, "gone", frozenset({"fever", "lump", "collapse"}), day=ago(2), now=NOW)
    (alert,) = evaluate(store, TODAY)
    # Collapse that came and went still needs checking now: the alert stays, and says so.
    assert alert.rule == "emergency_symptom"
    assert alert.evidence[-1].detail == "recorded that collapse or fainting has gone"
    assert "came and went still needs checking now" in alert.explanation
    followups.record(store, "seen", day=ago(1), now=NOW)
    assert rules(store) == []


def test_a_normal_temperature_settles_a_fever_noted_as_a_sign(store: Store) -> None:
    store.add(Entry(date=ago(4), pain=6, red_flags=frozenset({"fever"})))
    store.add(Entry(date=ago(4), pain=6, temperature_c=37.2))  # the same day: still a fever day
    assert rules(store) == ["fever_with_back_pain"]
    store.add(Entry(date=ago(2), pain=3, temperature_c=36.9))
    assert rules(store) == []


def test_seen_settles_a_pattern_until_it_gets_worse(store: Store) -> None:
    store.merge(Entry(date=ago(n), pain=5, eased_by_rest="no") for n in range(4, 9))
    assert rules(store) == ["not_eased_by_rest"]
    followups.record(store, "seen", day=ago(4), now=NOW)
    assert rules(store) == []
    # One more day: not worse by 2 yet. Two more: it comes back.
    store.add(Entry(date=ago(3), pain=5, eased_by_rest="no"))
    assert rules(store) == []
    store.add(Entry(date=ago(2), pain=5, eased_by_rest="no"))
    assert rules(store) == ["not_eased_by_rest"]


def test_seen_never_hides_a_pattern_that_began_after_it(store: Store) -> None:
    followups.record(store, "seen", day=ago(20), now=NOW)
    store.merge(Entry(date=ago(n), pain=5, eased_by_rest="no") for n in range(4))
    assert rules(store) == ["not_eased_by_rest"]


def test_a_pattern_that_had_not_fired_when_seen_is_not_settled(store: Store) -> None:
    store.merge(Entry(date=ago(n), pain=5, eased_by_rest="no") for n in (12, 10))
    followups.record(store, "seen", day=ago(9), now=NOW)
    store.merge(Entry(date=ago(n), pain=5, eased_by_rest="no") for n in (6, 3))
    assert rules(store) == ["not_eased_by_rest"]


# --- triage results among the alerts -----------------------------------------------------------


def save(store: Store, answers: dict[str, triage.Answer], day: date) -> None:
    triage_store.save_result(store, triage.triage().evaluate(answers), day)


def test_an_urgent_or_emergency_result_is_an_alert_until_a_later_result(store: Store) -> None:
    save(store, {"fever": True}, TODAY - timedelta(days=40))
    (alert,) = evaluate(store, TODAY)
    assert (alert.rule, alert.level, alert.since) == ("triage_urgent", "urgent", ago(40))
    assert alert.evidence[0].detail == ("triage result: Urgent: be seen today (fever or chills)")
    assert alert.sources == ("nice-cks-lbp", "seed-001")
    save(store, {"collapse": True}, TODAY - timedelta(days=2))
    (alert,) = evaluate(store, TODAY)
    assert (alert.rule, alert.level) == ("triage_emergency", "emergency")
    assert alert.sources == ("nhs-collapse", "nice-ng156")
    save(store, {"night_pain": True}, TODAY)  # a later result replaces it
    assert evaluate(store, TODAY) == []
    assert [a.rule for a in evaluate(store, TODAY - timedelta(days=1))] == ["triage_emergency"]


def test_a_seen_record_replaces_a_result(store: Store) -> None:
    save(store, {"saddle_numbness": True}, TODAY - timedelta(days=3))
    followups.record(store, "seen", day=ago(1), now=NOW)
    assert evaluate(store, TODAY) == []


def test_a_result_as_an_alert_says_what_the_result_said_at_its_level(store: Store) -> None:
    # What is particular to the reason travels with the alert: a possible clot is not to be
    # rubbed, a fever after chemotherapy goes to the cancer helpline too.
    store.set_setting("emergency_number", "112")
    save(store, {"cramp_swelling": True, "cramp_frequent": True, "main_problem": "cramp"}, TODAY)
    (alert,) = evaluate(store, TODAY)
    assert alert.rule == "triage_urgent"
    assert "Until then, do not rub, massage or warm that leg." in alert.explanation
    assert "come often" not in alert.explanation  # a reason at a lower level is not repeated
    save(store, {"fever": True, "cancer_history": True, "cancer_treatment": True}, TODAY)
    (alert,) = evaluate(store, TODAY)
    assert alert.rule == "triage_emergency"
    assert "Call your cancer treatment helpline or 112 now" in alert.explanation
    assert alert.explanation.endswith("This is a prompt to get checked, not a diagnosis.")


def test_an_urgent_result_can_be_acknowledged_an_emergency_cannot(store: Store) -> None:
    save(store, {"minor_trauma": True, "age": 70}, TODAY)
    (alert,) = active_alerts(store, TODAY)
    acknowledge(store, alert, now=NOW)
    assert active_alerts(store, TODAY) == []
    save(store, {"both_legs": True}, TODAY)
    (alert,) = active_alerts(store, TODAY)
    with pytest.raises(UsageError, match="until you record that you were seen"):
        acknowledge(store, alert)


# --- the CLI -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's 'now' is the evening of TODAY, so dates before it are in the past.

    The log command holds its own name for now_local: it is patched there too, and imported
    first, or the module imported under the patch would keep this date for the tests after.
    """
    import companion.commands.diary

    for where in (companion.entry, companion.commands.diary):
        monkeypatch.setattr(where, "now_local", lambda: NOW.astimezone())


def test_cli_seen_gone_and_undo(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("log", "--date", "2026-03-20", "--pain", "5", "--red-flags", "both_legs,lump")
    gone = cli("gone", "lump,both_legs", "--date", "2026-03-25")
    assert gone.code == 0, gone.err
    assert gone.out.splitlines()[:2] == [
        "Recorded that pain or numbness in both legs; a new lump has gone on 2026-03-25.",
        "A sign like this that came and went still needs checking now: its emergency alert "
        "stays until you record that you were seen ('companion seen').",
    ]
    raised = json.loads(cli("alerts", "--json", "--today", "2026-03-31").out)
    assert [a["rule"] for a in raised] == ["emergency_symptom"]
    seen = cli("seen", "--date", "2026-03-26", "--time", "10:15")
    assert seen.code == 0, seen.err
    assert seen.out.startswith("Recorded that you were seen on 2026-03-26 at 10:15. Alerts")
    assert json.loads(cli("alerts", "--json", "--today", "2026-03-31").out) == []
    undone = cli("seen", "--undo")
    assert undone.out.startswith("Removed the record that you were seen on 2026-03-26 at 10:15.")
    assert [
        a["rule"] for a in json.loads(cli("alerts", "--json", "--today", "2026-03-31").out)
    ] == ["emergency_symptom"]
    with Store.open(home) as store:
        rows = store.conn.execute("SELECT kind, date, time, signs FROM followups").fetchall()
    assert rows == [("gone", "2026-03-25", None, "both_legs;lump")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gone",), "gone: name the warning signs that have gone, or give --undo alone"),
        (("gone", "fever", "--undo"), "give --undo alone"),
        (("gone", "feverish"), "gone: feverish is not one of: saddle_numbness"),
        (("gone", "\x1b[31mlump"), "gone: a value is not one of: saddle_numbness"),
        (("seen", "--time", "\x1b]0;x\x07"), "--time: must be a time written HH:MM"),
        (("gone", "--undo"), "gone: there is no 'gone' record to undo"),
        (("seen", "--undo"), "seen: there is no 'seen' record to undo"),
        (("seen", "--date", "2026-02-30"), "not a real calendar date"),
        (("seen", "--date", "2999-01-01"), "--date: is after today"),
        (("seen", "--date", "2026-03-01", "--time", "25:00"), "--time: must be a time"),
        (("alerts", "--unacknowledge", "long_cramp"), "long_cramp: that alert is not acknowledged"),
        (("alerts", "--unacknowledge", "nonsense"), "nonsense: no such alert rule"),
    ],
)
def test_cli_mistakes_are_one_line_and_change_nothing(cli, home: Path, args, message) -> None:  # type: ignore[no-untyped-def]
    cli("log", "--date", "2026-03-01", "--pain", "2")
    result = cli(*args)
    assert result.code == 2, result.out
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "\x1b" not in result.err and "\x07" not in result.err
    with Store.open(home) as store:
        assert store.conn.execute("SELECT count(*) FROM followups").fetchone() == (0,)


@pytest.mark.parametrize(
    "args",
    [
        ("seen", "--undo", "--date", "2026-03-20"),
        ("seen", "--undo", "--time", "09:00"),
        ("gone", "--undo", "--date", "2026-03-20"),
    ],
)
def test_undo_with_a_date_is_refused_rather_than_removing_another_record(  # type: ignore[no-untyped-def]
    cli, home: Path, args: tuple[str, ...]
) -> None:
    # --undo removes the last record: a date beside it reads as "the one of that day".
    cli("log", "--date", "2026-03-01", "--pain", "2", "--red-flags", "lump")
    for day in ("2026-03-20", "2026-03-25"):
        assert cli("seen", "--date", day).code == 0
        assert cli("gone", "lump", "--date", day).code == 0
    result = cli(*args)
    assert result.code == 2, result.out
    assert result.err == f"companion: {args[0]}: --undo removes the last record; give it alone\n"
    with Store.open(home) as store:
        assert store.conn.execute("SELECT count(*) FROM followups").fetchone() == (4,)


def test_advice_reaches_a_terminal_that_cannot_show_its_symbols(tmp_path: Path) -> None:
    # Output redirected on Windows is written in its code page, which has no ‼, ▲ or ●: the
    # symbol becomes '?', the level's word stays, and the command still succeeds.
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}

    def run(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "companion", "--home", str(tmp_path / "home"), *args],
            input=stdin.encode(),
            capture_output=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.decode("cp1252")

    assert "? EMERGENCY: you noted collapse or fainting." in run(
        "log", "--pain", "5", "--red-flags", "collapse"
    )
    assert "? EMERGENCY: A warning sign that needs help now" in run("alerts")
    assert run("triage", "--answers", "-", stdin='{"collapse": true}').startswith(
        "? Emergency: get help now"
    )
    assert "Active now: ? EMERGENCY" in run("gone", "collapse")


def test_cli_acknowledgement_is_undone(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        cli("log", "--date", ago(n), "--pain", "5", "--eased-by-rest", "no")
    ack = cli("alerts", "--today", ago(0), "--acknowledge", "not_eased_by_rest")
    assert "--unacknowledge not_eased_by_rest' shows it again" in ack.out
    assert json.loads(cli("alerts", "--json", "--today", ago(0)).out) == []
    undone = cli("alerts", "--unacknowledge", "not_eased_by_rest")
    assert undone.code == 0, undone.err
    assert undone.out == (
        "Pain that rest does not ease is no longer acknowledged: it shows whenever it is active.\n"
    )
    rules_now = [a["rule"] for a in json.loads(cli("alerts", "--json", "--today", ago(0)).out)]
    assert rules_now == ["not_eased_by_rest"]


def test_cli_json_lists_a_saved_triage_result(cli) -> None:  # type: ignore[no-untyped-def]
    cli("triage", "--answers", "-", "--save", stdin='{"fever": true, "cancer_treatment": true}')
    (alert,) = json.loads(cli("alerts", "--json").out)
    assert (alert["rule"], alert["level"]) == ("triage_emergency", "emergency")
    assert alert["sources"] == ["nice-ng151"]
    assert "Call your local emergency number" in alert["advice"]


# --- the diary file ----------------------------------------------------------------------------


def test_a_diary_of_the_first_release_gains_the_followups_table_and_keeps_its_entries(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as first_release:
        first_release.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        first_release.setattr(migrations, "MIGRATION_NAMES", migrations.MIGRATION_NAMES[:1])
        first_release.setattr(schema, "EXPECTED", schema.derive(1))  # the layout it made
        with Store.open(home) as store, store.write() as conn:
            # As that release wrote it: its columns only.
            conn.execute(
                "INSERT INTO entries (id, date, pain, red_flags, created, updated) "
                "VALUES (?, ?, 4, 'saddle_numbness', ?, ?)",
                (new_id(), ago(3), NOW.isoformat(), NOW.isoformat()),
            )
    with Store.open(home) as store:
        (entry,) = store.entries_on(ago(3))
        assert entry.red_flags == {"saddle_numbness"}
        assert [a.rule for a in evaluate(store, TODAY)] == ["emergency_symptom"]
        followups.record(store, "seen", day=ago(1), now=NOW)
        assert evaluate(store, TODAY) == []
    conn = sqlite3.connect(home / DIARY_FILE)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    assert names == list(migrations.MIGRATION_NAMES)


def test_a_diary_from_before_the_cramp_index_keeps_a_long_cramp_alert_until_seen(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before:
        before.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
        before.setattr(migrations, "MIGRATION_NAMES", migrations.MIGRATION_NAMES[:2])
        before.setattr(schema, "EXPECTED", schema.derive(2))  # the layout it made
        with Store.open(home) as store, store.write() as conn:
            # As that release wrote them: its columns only.
            conn.executemany(
                "INSERT INTO entries (id, date, pain, cramps, cramp_minutes, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (new_id(), ago(30), None, 1, 25.0, NOW.isoformat(), NOW.isoformat()),
                    (new_id(), ago(10), 2, 0, None, NOW.isoformat(), NOW.isoformat()),
                ],
            )
    with Store.open(home) as store:
        (alert,) = evaluate(store, TODAY)
        assert (alert.rule, alert.since) == ("long_cramp", ago(30))
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT date FROM entries "
            "WHERE cramp_minutes > 10 AND +date BETWEEN '0001-01-01' AND '9999-12-31'"
        ).fetchall()
        assert "entries_by_cramp_minutes" in str(plan)
        followups.record(store, "seen", day=ago(1), now=NOW)
        assert evaluate(store, TODAY) == []


@pytest.mark.parametrize(
    ("sql", "values"),
    [
        ("kind, signs", ("gone", "")),  # gone names a sign
        ("kind, signs", ("seen", "fever")),  # seen names none
        ("kind, signs", ("left", "")),
        ("kind, signs", ("gone", "fever;limp")),
    ],
)
def test_the_followups_table_refuses_what_the_app_would(store: Store, sql: str, values) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlite3.IntegrityError), store.conn:
        store.conn.execute(
            f"INSERT INTO followups (id, date, {sql}, created, updated) "
            "VALUES (?, '2026-03-01', ?, ?, 'x', 'x')",
            ("0" * 36, *values),
        )
