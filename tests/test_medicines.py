"""The dose log: names and doses as written, ``companion took`` and ``meds``, personal limits,
and the alerts a dose can raise (rows in the database, exit codes, alert levels)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from companion import doses, followups, medicines
from companion.alerts import acknowledge, active_alerts, evaluate
from companion.doses import DoseRecord
from companion.entry import Entry, ValidationError
from companion.errors import DataError
from companion.medicines import Dose, canonical, parse_amount, parse_dose
from companion.paths import DIARY_FILE
from companion.safety import NOT_A_DIAGNOSIS
from companion.store import Store

NOW = datetime(2026, 11, 20, 21, 30, tzinfo=timezone(timedelta(hours=1)))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("companion.commands.medicines.now_local", lambda: NOW)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def rows(home: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(home / DIARY_FILE)
    try:
        return conn.execute(
            "SELECT date, time, medicine, dose_mg, parts, note FROM doses ORDER BY date, time"
        ).fetchall()
    finally:
        conn.close()


def took(store: Store, medicine: str, dose: str, day: str, time: str | None) -> None:
    name = canonical(medicine)
    doses.add(store, DoseRecord(day, time, parse_dose(name, dose)))


def levels(store: Store, today: date = TODAY) -> dict[str, str]:
    return {a.rule: a.level for a in active_alerts(store, today)}


def one_line_error(result: Any, code: int) -> str:
    assert result.code == code, result
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    return str(result.err)


# --- names and amounts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Acetaminophen", "paracetamol"),
        ("PARACETAMOL", "paracetamol"),
        ("Nurofen", "ibuprofen"),
        ("co codamol", "co-codamol"),
        ("Cocodamol", "co-codamol"),
        ("  Lipitor ", "atorvastatin"),
        ("Frusemide", "furosemide"),
        ("Magnesium  citrate", "Magnesium citrate"),  # not on the list: kept as written
        # Pasted or typed on a phone: full-width letters, typographic dashes, invisible marks.
        ("ＩＢＵＰＲＯＦＥＮ", "ibuprofen"),
        ("co\u2013codamol", "co-codamol"),
        ("co\u2011codamol", "co-codamol"),
        ("Ibu\u200bprofen", "ibuprofen"),
        ("para\u00adcetamol", "paracetamol"),
    ],
)
def test_names_are_matched_through_their_aliases(written: str, name: str) -> None:
    assert canonical(written) == name


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("1g", 1000),
        ("1 g", 1000),
        ("25µg", 0.025),
        ("25ug", 0.025),
        ("400mg", 400),
        ("0.5g", 500),
        ("50mcg", 0.05),
        ("2.5 MG", 2.5),
    ],
)
def test_an_amount_is_read_in_mg(text: str, mg: float) -> None:
    assert parse_amount(text) == mg


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("lots", "must be an amount with a unit, such as 400mg, 1g or 50mcg"),
        ("-5mg", "must be more than 0"),
        ("0mg", "must be more than 0"),
        ("0.0000001mcg", "must be more than 0"),
        ("400kg", "kg is not a unit for a dose; use mg, g or mcg"),
        ("400", "needs a unit: an amount with a unit, such as 400mg, 1g or 50mcg"),
        ("1,000mg", "write it without commas, such as 1000mg or 1.5g"),
        ("500g", "is more than any one dose could be; check the unit"),
        ("٥٠٠mg", "must be written with the digits 0-9"),
        ("1e3mg", "must be an amount with a unit, such as 400mg, 1g or 50mcg"),
        ("nan mg", "must be an amount with a unit, such as 400mg, 1g or 50mcg"),
    ],
)
def test_a_bad_amount_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    assert (caught.value.field, caught.value.problem) == ("dose", problem)


def test_a_combination_counts_each_ingredient() -> None:
    dose = parse_dose("co-codamol", "30/500mg")
    assert dose == Dose("co-codamol", 530, {"codeine": 30, "paracetamol": 500})
    assert parse_dose("co-codamol", "8mg/500mg").ingredients == {"codeine": 8, "paracetamol": 500}
    assert parse_dose("co-codamol", "8mg/1g").ingredients == {"codeine": 8, "paracetamol": 1000}
    with pytest.raises(ValidationError, match="strength on the pack"):
        parse_dose("co-codamol", "2")
    with pytest.raises(ValidationError):
        parse_dose("ibuprofen", "200/400mg")


def test_a_name_with_control_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        canonical("ibu\x1b[31mprofen")
    assert caught.value.field == "medicine"


def test_the_shipped_list_loads_and_every_limit_has_a_source() -> None:
    listed = medicines.medicines()
    assert listed["paracetamol"].daily_max_mg == 4000
    assert listed["ibuprofen"].daily_max_mg == 1200
    assert listed["ibuprofen"].prescribed_max_mg == 2400
    assert listed["naproxen"].daily_max_mg == 1000
    assert listed["codeine"].daily_max_mg == 240
    assert all(m.source for m in listed.values() if m.daily_max_mg is not None)
    assert {m.kind for m in listed.values()} == set(medicines.CLASSES)


def test_a_list_with_a_limit_but_no_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('[x]\nshort = "x"\ntitle = "x"\n')
    (tmp_path / "medicines.toml").write_text(
        '[[medicine]]\nname = "a"\nclass = "nsaid"\ndaily_max_mg = 10\n'
    )
    with pytest.raises(DataError, match="medicine a: sources must be"):
        medicines.load(tmp_path)
    (tmp_path / "medicines.toml").write_text(
        '[[medicine]]\nname = "a"\nclass = "nsaid"\n'
        '[[medicine]]\nname = "b"\naliases = ["A"]\nclass = "nsaid"\n'
    )
    with pytest.raises(DataError, match="'A' is also a name of a"):
        medicines.load(tmp_path)


# --- the command line ------------------------------------------------------------------------


def test_took_saves_the_dose_and_shows_the_24_hour_total(cli: Any, home: Path) -> None:
    first = cli("took", "paracetamol", "1g", "--time", "08:00")
    assert first.code == 0, first.err
    second = cli("took", "Acetaminophen", "500mg", "--note", "after lunch")
    assert second.code == 0, second.err
    assert second.out.splitlines()[1] == (
        "paracetamol within 24 hours: 1,500 mg of 4,000 mg, the daily maximum (nhs-paracetamol)"
    )
    assert rows(home) == [
        ("2026-11-20", "08:00", "paracetamol", 1000.0, None, None),
        ("2026-11-20", "21:30", "paracetamol", 500.0, None, "after lunch"),
    ]


def test_a_dose_logged_late_shows_the_24_hours_it_falls_in_with_later_doses(
    cli: Any, home: Path
) -> None:
    # The morning's dose, remembered after the midday one: the 24 hours that hold both are
    # over the limit, whichever of the two was logged first.
    assert cli("took", "paracetamol", "3g", "--time", "12:00").code == 0
    late = cli("took", "paracetamol", "1500mg", "--time", "08:00")
    assert late.out.splitlines()[1] == (
        "paracetamol within 24 hours: 4,500 mg OVER the limit of 4,000 mg, "
        "the daily maximum (nhs-paracetamol)"
    )
    yesterday = cli("took", "paracetamol", "1g", "--date", ago(1), "--time", "13:00")
    assert "within 24 hours: 5,500 mg OVER the limit" in yesterday.out


def test_took_on_another_day_has_no_time_unless_given(cli: Any, home: Path) -> None:
    assert cli("took", "ibuprofen", "400mg", "--date", "2026-11-18").code == 0
    assert rows(home) == [("2026-11-18", None, "ibuprofen", 400.0, None, None)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("paracetamol", "lots"), "dose: must be an amount with a unit"),
        (("paracetamol", "-5mg"), "dose: must be more than 0"),
        (("paracetamol", "400kg"), "dose: kg is not a unit for a dose"),
        (("", "400mg"), "medicine: is empty"),
        (("paracetamol", "1g", "--date", "2026-11-21"), "date: is after today"),
        (("paracetamol", "1g", "--time", "22:00"), "time: is later than now"),
        (("paracetamol", "1g", "--time", "25:00"), "time: must be a time written HH:MM"),
        (("paracetamol", "1g", "--note", "a\x1b]0;x\x07"), "note: "),
    ],
)
def test_a_bad_dose_is_one_line_exit_2_and_saves_nothing(
    cli: Any, home: Path, args: tuple[str, ...], message: str
) -> None:
    err = one_line_error(cli("took", *args), 2)
    assert err.startswith(f"companion: {message}")
    assert "\x1b" not in err
    assert not (home / DIARY_FILE).exists() or rows(home) == []


def test_meds_json_lists_each_dose_with_its_canonical_name(cli: Any) -> None:
    cli("took", "Nurofen", "200mg", "--time", "09:00")
    cli("took", "co-codamol", "30/500mg", "--time", "10:00")
    listed = json.loads(cli("meds", "--json").out)
    assert [(d["date"], d["time"], d["medicine"], d["dose_mg"]) for d in listed] == [
        ("2026-11-20", "09:00", "ibuprofen", 200.0),
        ("2026-11-20", "10:00", "co-codamol", 530.0),
    ]
    assert listed[1]["parts"] == {"codeine": 30.0, "paracetamol": 500.0}
    assert all(len(d["id"]) == 36 and d["updated"].endswith("+00:00") for d in listed)
    assert json.loads(cli("meds", "--json", "--from", "2026-11-21").out) == []


def test_meds_table_never_passes_escape_sequences(cli: Any, store: Store) -> None:
    doses.add(store, DoseRecord(ago(1), "09:00", Dose("x\x1b[2Jy", 5.0), "n\x1b[31m"))
    out = cli("meds").out
    assert "\x1b" not in out
    assert "x\\x1b[2Jy" in out


def test_a_personal_limit_replaces_the_listed_one(cli: Any, home: Path) -> None:
    result = cli("meds", "limit", "Nurofen", "2400mg")
    assert (result.code, result.out) == (0, "Your limit for ibuprofen: 2,400 mg within 24 hours\n")
    cli("took", "ibuprofen", "800mg", "--time", "08:00")
    out = cli("took", "ibuprofen", "800mg", "--time", "14:00").out
    assert "1,600 mg of 2,400 mg, your personal limit" in out
    assert "ibuprofen: 2,400 mg, your personal limit" in cli("meds", "limit").out
    with Store.open(home) as store:
        assert levels(store) == {}
    cli("meds", "limit", "ibuprofen", "off")
    with Store.open(home) as store:
        assert levels(store) == {"medicine_over_limit": "urgent"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ibuprofen", "3000mg"), "limit: more than 2,400 mg a day of ibuprofen"),
        (("paracetamol", "5g"), "limit: more than 4,000 mg a day of paracetamol"),
        (("ibuprofen", "lots"), "limit: must be an amount"),
        (("co-codamol", "100mg"), "limit: co-codamol is counted by what it contains"),
        (("ibuprofen",), "give the daily maximum"),
    ],
)
def test_a_bad_limit_is_one_line_exit_2(cli: Any, args: tuple[str, ...], message: str) -> None:
    assert one_line_error(cli("meds", "limit", *args), 2).startswith(f"companion: {message}")


# --- the alerts -----------------------------------------------------------------------------


def test_paracetamol_over_the_limit_within_24_hours_is_an_emergency(cli: Any, home: Path) -> None:
    # 3 g yesterday evening and 1.5 g this morning: no calendar day is over, 24 hours are.
    for time in ("18:00", "20:00", "22:00"):
        cli("took", "paracetamol", "1g", "--date", ago(1), "--time", time)
    cli("took", "paracetamol", "1g", "--time", "06:00")
    out = cli("took", "paracetamol", "500mg", "--time", "08:00").out
    assert "4,500 mg OVER the limit of 4,000 mg" in out
    assert "EMERGENCY" in out and "even if you feel well" in out and NOT_A_DIAGNOSIS in out
    with Store.open(home) as store:
        (alert,) = active_alerts(store, TODAY)
        assert (alert.rule, alert.level) == ("paracetamol_over_limit", "emergency")
        assert alert.sources == ("nhs-paracetamol",)
        assert "dose" not in alert.advice.replace("doses", "")  # never advises a dose
        with pytest.raises(Exception, match="cannot be dismissed"):
            acknowledge(store, alert)


def test_doses_a_day_apart_are_not_added_together(store: Store) -> None:
    for day in (ago(2), ago(1), ago(0)):
        for time in ("06:00", "12:00", "18:00"):
            took(store, "paracetamol", "1g", day, time)
    took(store, "paracetamol", "1g", ago(0), "23:59")
    took(store, "paracetamol", "1g", ago(3), "00:00")
    assert levels(store) == {}


def test_the_paracetamol_in_co_codamol_counts(store: Store) -> None:
    took(store, "paracetamol", "1g", ago(0), "06:00")
    took(store, "paracetamol", "1g", ago(0), "10:00")
    took(store, "paracetamol", "1g", ago(0), "12:00")
    took(store, "co-codamol", "30/500mg", ago(0), "14:00")
    took(store, "co-codamol", "30/500mg", ago(0), "18:00")
    assert levels(store) == {}
    took(store, "co-codamol", "30/500", ago(0), "20:00")
    assert levels(store) == {"paracetamol_over_limit": "emergency"}


def test_an_untimed_dose_counts_with_every_dose_of_its_day(store: Store) -> None:
    took(store, "paracetamol", "2g", ago(1), None)
    took(store, "paracetamol", "2g", ago(1), "07:00")
    assert levels(store) == {}
    took(store, "paracetamol", "1g", ago(1), "07:30")
    assert levels(store) == {"paracetamol_over_limit": "emergency"}


def test_an_overdose_stays_until_the_person_records_being_seen(store: Store) -> None:
    took(store, "paracetamol", "5g", ago(20), "09:00")
    assert levels(store) == {"paracetamol_over_limit": "emergency"}
    followups.record(store, "seen", day=ago(19), now=NOW)
    assert levels(store) == {}


def test_other_medicines_over_their_limit_are_urgent(store: Store) -> None:
    for time in ("08:00", "12:00", "16:00", "20:00"):
        took(store, "ibuprofen", "400mg", ago(0), time)
    (alert,) = active_alerts(store, TODAY)
    assert (alert.rule, alert.level) == ("medicine_over_limit", "urgent")
    assert alert.evidence[0].detail == (
        "ibuprofen 1,600 mg within 24 hours, over the daily maximum of 1,200 mg"
    )
    assert alert.sources == ("nhs-ibuprofen",)


def test_a_new_overdose_brings_back_an_acknowledged_urgent_alert(store: Store) -> None:
    took(store, "codeine", "300mg", ago(5), "08:00")
    (alert,) = active_alerts(store, date.fromisoformat(ago(5)))
    acknowledge(store, alert, now=datetime.fromisoformat(f"{ago(5)}T12:00"))
    assert levels(store, TODAY) == {}
    took(store, "codeine", "300mg", ago(1), "08:00")
    assert levels(store, TODAY) == {"medicine_over_limit": "urgent"}


def test_a_medicine_without_a_limit_raises_nothing(store: Store) -> None:
    took(store, "tramadol", "5g", ago(0), "08:00")
    took(store, "herbal tea", "90g", ago(0), "09:00")
    assert levels(store) == {}


def test_two_different_nsaids_the_same_day_are_soon(store: Store) -> None:
    took(store, "ibuprofen", "400mg", ago(3), "08:00")
    took(store, "ibuprofen", "400mg", ago(3), "14:00")  # the same one twice: nothing
    took(store, "aspirin", "75mg", ago(3), "09:00")  # a heart dose: not a pain dose
    assert levels(store) == {}
    took(store, "Voltarol", "50mg", ago(3), "20:00")
    (alert,) = active_alerts(store, TODAY)
    assert (alert.rule, alert.level) == ("two_nsaids_same_day", "soon")
    assert [e.detail for e in alert.evidence] == ["diclofenac and ibuprofen the same day"]
    assert levels(store, TODAY + timedelta(days=14)) == {}  # a pattern of the last 2 weeks


def test_frequent_cramps_on_a_statin_suggest_a_medicine_review(store: Store) -> None:
    for n in range(14):
        store.add(Entry(date=ago(n), cramps=1))
    assert "cramps_on_statin_or_diuretic" not in levels(store)
    took(store, "Lipitor", "20mg", ago(40), None)
    found = levels(store)
    assert found["cramps_on_statin_or_diuretic"] == "soon"
    assert found["frequent_cramps"] == "soon"
    (alert,) = [a for a in evaluate(store, TODAY) if a.rule == "cramps_on_statin_or_diuretic"]
    assert "took atorvastatin" in [e.detail for e in alert.evidence]
    assert alert.sources == ("nhs-cramps",)


def test_a_statin_without_frequent_cramps_raises_nothing(store: Store) -> None:
    took(store, "simvastatin", "40mg", ago(1), None)
    store.add(Entry(date=ago(1), cramps=1))
    assert levels(store) == {}


# --- the diary file ------------------------------------------------------------------------


def test_the_database_refuses_a_dose_the_validator_refuses(store: Store) -> None:
    for column, value in (("dose_mg", 0), ("dose_mg", -5), ("dose_mg", "lots"), ("medicine", "")):
        values = {"dose_mg": 5, "medicine": "x", column: value}
        with pytest.raises(sqlite3.IntegrityError), store.conn:
            store.conn.execute(
                "INSERT INTO doses (id, date, medicine, dose_mg, created, updated) "
                "VALUES (?, '2026-01-01', ?, ?, 'x', 'x')",
                ("00000000-0000-4000-8000-000000000001", values["medicine"], values["dose_mg"]),
            )


@pytest.mark.parametrize(
    ("value", "ok"), [("6.5", True), ("0", True), ("24", True), ("6.25", False), ("25", False)]
)
def test_sleep_is_in_half_hours_in_the_cli_and_the_database(
    cli: Any, home: Path, value: str, ok: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("companion.commands.diary.now_local", lambda: NOW)
    result = cli(
        "log", "--pain", "3", "--sleep-hours", value, "--mood", "7", "--activity-min", "45"
    )
    assert result.code == (0 if ok else 2), result.err
    if not ok:
        assert result.err.startswith("companion: --sleep-hours: must be")
        with Store.open(home) as store, pytest.raises(sqlite3.IntegrityError), store.conn:
            store.conn.execute(
                "INSERT INTO entries (id, date, pain, sleep_hours, created, updated) "
                "VALUES ('00000000-0000-4000-8000-000000000009', '2026-01-01', 1, ?, 'x', 'x')",
                (float(value),),
            )
        return
    with Store.open(home) as store:
        (entry,) = store.iter_rows()
    assert (entry.sleep_hours, entry.mood, entry.activity_min) == (float(value), 7, 45)


# --- the app -------------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_dose_is_logged_by_key_and_shown_today_and_in_the_diary(home: Path) -> None:
    from textual.widgets import Input, Static

    from screens.app import CompanionApp
    from screens.dashboard import Dashboard
    from screens.diary import DiaryScreen
    from screens.took import TookDialog

    app = CompanionApp(home=home, now=NOW.replace(tzinfo=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, TookDialog)
        await pilot.press(*"Nurofe")
        await pilot.press("right")  # takes the completion
        assert app.screen.query_one("#took-medicine", Input).value == "nurofen"
        app.screen.query_one("#took-dose", Input).focus()
        await pilot.press(*"lots", "enter")
        assert isinstance(app.screen, TookDialog)  # refused, says why, nothing saved
        assert "must be an amount" in str(app.screen.query_one("#took-reason", Static).render())
        app.screen.query_one("#took-dose", Input).value = "400mg"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        today = str(app.screen.query_one("#today", Static).render())
        assert "ibuprofen 400 mg in 24 h of 1,200 mg" in today
        await pilot.press("n", "3", "ctrl+s")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DiaryScreen)
        doses_line = str(app.screen.query_one("#day-doses", Static).render())
        assert doses_line == "Doses on 2026-11-20: 21:30 ibuprofen 400 mg"
    assert rows(home) == [("2026-11-20", "21:30", "ibuprofen", 400.0, None, None)]


@pytest.mark.slow
async def test_paracetamol_over_the_limit_in_the_app_is_an_emergency_notice(home: Path) -> None:
    from textual.widgets import Input, Static

    from screens.app import CompanionApp
    from screens.dialogs import EmergencyNotice

    with Store.open(home) as store:
        took(store, "paracetamol", "4g", ago(0), "08:00")
    app = CompanionApp(home=home, now=NOW.replace(tzinfo=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("took")  # as the command palette runs it
        await pilot.pause()
        app.screen.query_one("#took-medicine", Input).value = "paracetamol"
        app.screen.query_one("#took-dose", Input).value = "500mg"
        app.screen.query_one("#took-dose", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyNotice)
        notice = str(app.screen.query_one("#notice", Static).render())
        assert "Get help now even if you feel well" in notice
        assert "paracetamol within 24 hours: 4,500 mg OVER" in notice
        await pilot.press("escape")  # does not close it
        assert isinstance(app.screen, EmergencyNotice)


# --- the summary for a doctor ------------------------------------------------------------


def test_the_summary_lists_each_medicine_its_totals_and_days_over(store: Store) -> None:
    from companion.report import summarise
    from companion.report_html import render

    took(store, "paracetamol", "1g", ago(2), "08:00")
    took(store, "co-codamol", "30/500mg", ago(2), "12:00")
    for time in ("06:00", "10:00", "14:00", "18:00", "22:00"):
        took(store, "paracetamol", "1g", ago(1), time)
    doses.set_limit(store, "ibuprofen", 2400)
    took(store, "ibuprofen", "800mg", ago(1), "09:00")
    took(store, "<script>", "5mg", ago(1), "09:00")
    store.add(Entry(date=ago(1), pain=4, sleep_hours=6.5, mood=3, activity_min=20))
    store.add(Entry(date=ago(0), pain=3, sleep_hours=7.5, mood=5))
    summary = summarise(store, TODAY - timedelta(days=29), TODAY, TODAY)
    by_name = {r.medicine: r for r in summary.doses}
    paracetamol = by_name["paracetamol"]
    assert (paracetamol.doses, paracetamol.days, paracetamol.days_over) == (7, 2, 1)
    assert (paracetamol.max_daily_mg, paracetamol.mean_daily_mg) == (5000, 3250)
    assert by_name["codeine"].doses == 1
    assert by_name["ibuprofen"].limit is not None and by_name["ibuprofen"].limit.personal
    assert summary.habits.sleep_hours == 7.0 and summary.habits.mood_days == 2
    assert summary.habits.activity_min == 20 and summary.habits.activity_days == 1
    page = render(summary)
    assert "<td>ibuprofen</td><td class=num>1</td><td class=num>1</td>" in page
    assert "2,400 mg (personal)" in page
    assert "4,000 mg (nhs-paracetamol)" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "7 hours a night (2 days)" in page
    assert [a.rule for a in summary.alerts_active] == ["paracetamol_over_limit"]


def test_a_summary_without_doses_has_no_medicine_section(store: Store) -> None:
    from companion.report import summarise
    from companion.report_html import render

    store.add(Entry(date=ago(1), pain=4))
    page = render(summarise(store, TODAY - timedelta(days=29), TODAY, TODAY))
    assert 'id="medicines"' not in page
    assert "Sleep, average" not in page


def test_a_day_over_the_limit_is_read_back_90_days(store: Store) -> None:
    took(store, "paracetamol", "5g", ago(89), "09:00")
    assert levels(store) == {"paracetamol_over_limit": "emergency"}
    assert levels(store, TODAY + timedelta(days=1)) == {}


def test_a_name_off_the_list_adds_up_whatever_its_case(cli: Any, home: Path) -> None:
    assert cli("meds", "limit", "Magnesium", "300mg").code == 0
    cli("took", "magnesium", "200mg", "--time", "08:00")
    out = cli("took", "MAGNESIUM", "200mg", "--time", "09:00").out
    assert "Magnesium within 24 hours: 400 mg OVER the limit of 300 mg, your personal limit" in out
    assert [r[2] for r in rows(home)] == ["Magnesium", "Magnesium"]


async def test_the_dose_dialog_fits_60_by_20(home: Path) -> None:
    from textual.widgets import Input, Static

    from screens.app import CompanionApp

    app = CompanionApp(home=home, now=NOW.replace(tzinfo=None))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen.region
        for widget in [*app.screen.query(Input), app.screen.query_one("#took-reason", Static)]:
            assert screen.contains_region(widget.region), widget.id


def test_a_dose_logged_by_mistake_can_be_deleted(cli: Any, home: Path) -> None:
    saved = cli("took", "paracetamol", "10g", "--time", "08:00").out
    short = saved.split("[id ")[1][:8]
    with Store.open(home) as store:
        assert levels(store) == {"paracetamol_over_limit": "emergency"}
    assert one_line_error(cli("meds", "delete", "zzzz"), 2).startswith("companion: ID: give")
    assert one_line_error(cli("meds", "delete", "00000000"), 2).startswith("companion: ID: no")
    result = cli("meds", "delete", short)
    assert (result.code, result.out) == (0, "Deleted paracetamol 2026-11-20 08:00\n")
    assert rows(home) == []
    with Store.open(home) as store:
        assert levels(store) == {}
