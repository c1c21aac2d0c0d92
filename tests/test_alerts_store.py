"""Alerts over a real diary: the SQL windows, acknowledgements, the rules file, the CLI."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
from diary_oracle import day_stats, evaluate

from companion import alert_rules
from companion.alerts import acknowledge, active_alerts
from companion.content import known_sources
from companion.demo import demo_entries
from companion.entry import EMERGENCY_FLAGS, Entry
from companion.errors import UsageError
from companion.store import Store

TODAY = date(2026, 3, 31)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def rest_not_easing(store: Store, days: int, pain: int = 5) -> None:
    store.merge(Entry(date=ago(n), pain=pain, eased_by_rest="no") for n in range(days))


def rich_diary() -> list[Entry]:
    """Several entries a day with every field the rules read, and a few warning signs."""
    entries = list(demo_entries(80, today=TODAY, per_day=3))
    extra = [
        Entry(date=ago(1), pain=4, temperature_c=38.4, red_flags=frozenset({"fever"})),
        Entry(date=ago(1), cramps=1, cramp_minutes=12.0, eased_by_rest="no"),
        Entry(date=ago(3), pain=2, red_flags=frozenset({"leg_weakness", "lump"})),
        Entry(date=ago(50), pain=5, weight_kg=84.0),
        Entry(date=ago(10), pain=5, weight_kg=70.0, red_flags=frozenset({"fever"})),
    ]
    return entries + extra


# --- the SQL windows agree with the pure engine ------------------------------------------------


def test_day_stats_matches_the_store_aggregate(store: Store) -> None:
    entries = rich_diary()
    store.merge(entries)
    by_day = {
        day: day_stats(day, list(group))
        for day, group in groupby(sorted(entries, key=lambda e: e.date), key=lambda e: e.date)
    }
    for stored in store.daily():
        mine = by_day[stored.date]
        for name in stored._fields:
            want, got = getattr(stored, name), getattr(mine, name)
            assert got == (pytest.approx(want) if isinstance(want, float) else want), name


def test_store_entries_and_days_give_the_same_alerts(store: Store) -> None:
    store.merge(rich_diary())
    from_store = evaluate(store, TODAY)
    assert {a.rule for a in from_store} >= {"emergency_symptom", "fever_with_back_pain"}
    assert from_store == evaluate(store.iter_rows(), TODAY)
    assert from_store == evaluate(store.daily(), TODAY)


def test_weight_loss_reads_six_months_of_readings(store: Store) -> None:
    store.merge(
        [Entry(date=ago(170), pain=2, weight_kg=80.0), Entry(date=ago(0), pain=2, weight_kg=75.0)]
    )
    assert [a.rule for a in evaluate(store, TODAY)] == ["weight_loss"]


def test_the_calendars_first_days_are_evaluated(store: Store) -> None:
    # The diary accepts any date from the year 1; the rules' windows stop at its first day.
    store.merge(
        [
            Entry(date="0001-01-02", pain=5, weight_kg=80.0),
            Entry(date="0001-01-20", pain=5, weight_kg=70.0, red_flags=frozenset({"collapse"})),
        ]
    )
    day = date(1, 1, 20)
    assert [a.rule for a in evaluate(store, day)] == ["emergency_symptom", "weight_loss"]
    assert evaluate(store, day) == evaluate(store.iter_rows(), day)
    assert evaluate(store, date.min) == []


def test_emergency_advice_uses_the_persons_number(store: Store) -> None:
    store.set_setting("emergency_number", "112")
    store.add(Entry(date=ago(0), pain=3, red_flags=frozenset({"collapse"})))
    (alert,) = evaluate(store, TODAY)
    assert alert.advice.startswith("Call 112 now,")


# --- acknowledgements --------------------------------------------------------------------------


def test_acknowledged_alert_is_hidden_and_stored(store: Store) -> None:
    rest_not_easing(store, 5)
    (alert,) = active_alerts(store, TODAY)
    acknowledge(store, alert, now=datetime(2026, 3, 31, 9, 0))
    assert active_alerts(store, TODAY) == []
    assert evaluate(store, TODAY) == [alert]
    row = store.conn.execute("SELECT rule, since, strength FROM alert_acks").fetchone()
    assert row == ("not_eased_by_rest", ago(4), 5.0)


def test_acknowledged_alert_comes_back_when_it_gets_worse(store: Store) -> None:
    rest_not_easing(store, 5)
    (alert,) = active_alerts(store, TODAY)
    acknowledge(store, alert, now=datetime(2026, 3, 31, 9, 0))
    store.add(Entry(date=ago(5), pain=6, eased_by_rest="no"))
    assert active_alerts(store, TODAY) == []  # one more day: not worse by 2 yet
    store.add(Entry(date=ago(6), pain=6, eased_by_rest="no"))
    assert [a.rule for a in active_alerts(store, TODAY)] == ["not_eased_by_rest"]


def test_acknowledged_alert_comes_back_once_its_days_are_all_new(store: Store) -> None:
    rest_not_easing(store, 5)
    (alert,) = active_alerts(store, TODAY)
    acknowledge(store, alert, now=datetime(2026, 3, 31, 9, 0))

    def later(n: int) -> date:
        return TODAY + timedelta(days=n)

    store.add(Entry(date=later(3).isoformat(), pain=5, eased_by_rest="no"))
    assert active_alerts(store, later(3)) == []  # the old days are still in the window
    store.merge(
        Entry(date=later(n).isoformat(), pain=5, eased_by_rest="no") for n in (9, 12, 15, 18)
    )
    assert [a.rule for a in active_alerts(store, later(18))] == ["not_eased_by_rest"]


def test_a_long_cramp_stays_acknowledged_until_a_longer_one(store: Store) -> None:
    store.add(Entry(date=ago(40), cramps=1, cramp_minutes=15.0))
    (alert,) = active_alerts(store, TODAY)
    assert (alert.rule, alert.since) == ("long_cramp", ago(40))
    acknowledge(store, alert, now=datetime(2026, 3, 31, 9, 0))
    store.add(Entry(date=ago(0), cramps=1, cramp_minutes=19.0))
    assert active_alerts(store, TODAY) == []  # not 5 minutes longer
    store.add(Entry(date=ago(0), cramps=1, cramp_minutes=20.0))
    assert [a.rule for a in active_alerts(store, TODAY)] == ["long_cramp"]
    assert evaluate(store, TODAY) == evaluate(store.iter_rows(), TODAY)


def test_an_acknowledgement_does_not_reach_back_in_time(store: Store) -> None:
    rest_not_easing(store, 5)
    (alert,) = active_alerts(store, TODAY)
    acknowledge(store, alert, now=datetime(2026, 4, 2, 9, 0))
    assert active_alerts(store, TODAY) == [alert]


def test_emergency_alerts_cannot_be_acknowledged(store: Store) -> None:
    store.add(Entry(date=ago(0), pain=3, red_flags=frozenset({"bladder_bowel_change"})))
    (alert,) = active_alerts(store, TODAY)
    with pytest.raises(UsageError, match="cannot be dismissed"):
        acknowledge(store, alert)
    # Even a stored acknowledgement (say, from a hand-edited file) never hides one.
    with store.write() as conn:
        conn.execute(
            "INSERT INTO alert_acks VALUES ('emergency_symptom', '2026-03-31T09:00', ?, 99)",
            (ago(0),),
        )
    assert active_alerts(store, TODAY) == [alert]


# --- the rules file ----------------------------------------------------------------------------


def test_every_rule_is_written_and_sourced() -> None:
    written = alert_rules.rules()
    assert [r.id for r in written] == list(alert_rules.CHECKS)
    for r in written:
        assert set(r.sources) <= set(known_sources()), r.id
        assert r.level in alert_rules.LEVELS
        if r.level != "emergency":
            assert r["worse_by"] > 0, r.id
            assert r.thresholds["strength_unit"], r.id


def test_emergency_rule_watches_the_apps_emergency_signs() -> None:
    assert frozenset(alert_rules.rule("emergency_symptom").thresholds["flags"]) == EMERGENCY_FLAGS


@pytest.fixture
def rules_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[list[dict[str, Any]]], None]]:
    """Replace the rules file's content for one test."""

    def use(rules: list[dict[str, Any]]) -> None:
        monkeypatch.setattr(alert_rules, "load_toml", lambda _: {"rule": rules})
        alert_rules.rules.cache_clear()

    yield use
    monkeypatch.undo()
    alert_rules.rules.cache_clear()


def test_an_unknown_source_is_refused(rules_file: Callable[[list[dict[str, Any]]], None]) -> None:
    rules_file(
        [{**alert_rules.load_toml(alert_rules.RULES_FILE)["rule"][0], "sources": ["dr-google"]}]
    )
    with pytest.raises(alert_rules.DataError, match="unknown source 'dr-google'"):
        alert_rules.rules()


def test_a_broken_rules_file_is_one_clear_error(
    rules_file: Callable[[list[dict[str, Any]]], None],
) -> None:
    rules_file([{"id": "x", "level": "soon", "title": "t"}])
    with pytest.raises(
        alert_rules.DataError, match="rule x: missing explanation, sources, thresholds"
    ):
        alert_rules.rules()


# --- companion alerts --------------------------------------------------------------------------


def test_cli_without_alerts_exits_zero(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("alerts", "--today", "2026-03-31")
    assert (result.code, result.err) == (0, "")
    assert "No alerts as of 2026-03-31" in result.out
    assert json.loads(cli("alerts", "--json").out) == []


def test_cli_lists_alerts_as_json(cli) -> None:  # type: ignore[no-untyped-def]
    cli("log", "--date", "2026-03-29", "--pain", "4", "--temperature-c", "38.5")
    cli("log", "--date", "2026-03-30", "--pain", "2", "--red-flags", "saddle_numbness")
    result = cli("alerts", "--json", "--today", "2026-03-31")
    assert result.code == 0
    data = json.loads(result.out)
    assert [(a["rule"], a["level"], a["since"]) for a in data] == [
        ("emergency_symptom", "emergency", "2026-03-30"),
        ("fever_with_back_pain", "urgent", "2026-03-29"),
    ]
    assert data[1]["evidence"] == [
        {"date": "2026-03-29", "detail": "temperature 38.5 °C with worst pain 4/10 that day"}
    ]
    assert data[0]["title"]
    assert data[0]["signs"] == ["saddle_numbness"]
    # Nothing logged for weeks: neither sign has gone. A normal temperature settles the fever.
    later = json.loads(cli("alerts", "--json", "--today", "2026-04-20").out)
    assert [a["rule"] for a in later] == ["emergency_symptom", "fever_with_back_pain"]
    cli("log", "--date", "2026-04-21", "--pain", "3", "--temperature-c", "36.8")
    normal = json.loads(cli("alerts", "--json", "--today", "2026-04-21").out)
    assert [a["rule"] for a in normal] == ["emergency_symptom"]


def test_cli_text_says_level_in_words(cli) -> None:  # type: ignore[no-untyped-def]
    cli("log", "--date", "2026-03-30", "--cramps", "1", "--cramp-minutes", "20")
    result = cli("alerts", "--today", "2026-03-31")
    assert result.out.startswith("▲ URGENT: A cramp that lasted more than 10 minutes")
    assert "2026-03-30  a cramp of 20 min" in result.out
    assert "not a diagnosis" in result.out


def test_cli_acknowledges_soon_alerts_but_not_emergencies(cli, home) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        cli("log", "--date", ago(n), "--pain", "5", "--eased-by-rest", "no")
    cli("log", "--date", ago(0), "--pain", "5", "--red-flags", "collapse")
    ack = cli("alerts", "--today", ago(0), "--acknowledge", "not_eased_by_rest")
    assert ack.code == 0, ack.err
    refused = cli("alerts", "--today", ago(0), "--acknowledge", "emergency_symptom")
    assert refused.code == 2
    assert "cannot be dismissed" in refused.err
    rules = [a["rule"] for a in json.loads(cli("alerts", "--json", "--today", ago(0)).out)]
    assert rules == ["emergency_symptom"]
    with Store.open(home) as store:
        assert store.conn.execute("SELECT rule FROM alert_acks").fetchall() == [
            ("not_eased_by_rest",)
        ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--today", "2026-02-30"), "not a real calendar date"),
        (("--acknowledge", "nonsense"), "nonsense: no such alert rule"),
        (("--acknowledge", "long_cramp"), "long_cramp: that alert is not active"),
    ],
)
def test_cli_usage_errors_are_one_line(cli, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("alerts", *args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_windows_clamped_to_the_calendars_first_day_never_repeat_it(cli) -> None:  # type: ignore[no-untyped-def]
    # Before the year 1 there are no days: each window holds the first day once, or not at all.
    cli("log", "--date", "0001-01-01", "--cramps", "3", "--cramp-minutes", "12",
        "--pain", "6", "--night-pain", "5", "--eased-by-rest", "no")  # fmt: skip
    result = cli("alerts", "--json", "--today", "0001-01-02")
    assert result.code == 0, result.err
    raised = {a["rule"]: a for a in json.loads(result.out)}
    assert "frequent_cramps" not in raised
    for alert in raised.values():
        dates = [e["date"] for e in alert["evidence"]]
        assert dates == sorted(set(dates)), alert["rule"]
    assert [e["date"] for e in raised["long_cramp"]["evidence"]] == ["0001-01-01"]


def test_the_readme_lists_every_rule_at_its_level() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([a-z_0-9]+)` \| (emergency|urgent|soon) \|", readme, re.M))
    assert listed == {r.id: r.level for r in alert_rules.rules()}


@pytest.mark.parametrize(
    ("change", "hidden"),
    [
        ("strength = 'strong'", False),
        ("strength = 9e999", False),  # infinity: it would never get worse
        ("strength = NULL", True),  # refused by NOT NULL: the acknowledgement stands
        ("acknowledged_at = 20261120", False),
        ("acknowledged_at = x'00'", False),
    ],
)
def test_an_acknowledgement_another_tool_garbled_never_hides_or_stops_anything(
    cli: Any, home: Path, change: str, hidden: bool
) -> None:
    """alert_acks holds what the companion wrote, but another tool (or a restored file) can
    write anything there: a strength of 'strong' stopped companion alerts, and companion log
    with a temperature, which then saved nothing. An acknowledgement that cannot be read
    hides nothing."""
    assert cli("log", "--pain", "5", "--temperature-c", "38.5").code == 0
    assert cli("alerts", "--acknowledge", "fever_with_back_pain").code == 0
    with (
        Store.open(home) as store,
        store.write() as conn,
        contextlib.suppress(sqlite3.IntegrityError),
    ):
        conn.execute(f"UPDATE alert_acks SET {change}")
    shown = cli("alerts")
    assert shown.code == 0, shown.err
    assert ("Fever with back pain" in shown.out) != hidden
    logged = cli("log", "--pain", "6", "--temperature-c", "38.2")
    assert logged.code == 0, logged.err
    with Store.open(home) as store:
        assert store.count() == 2
