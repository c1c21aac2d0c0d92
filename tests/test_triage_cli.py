"""``companion triage``: every disposition through the CLI, errors, saving and the setting."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from test_triage_engine import complete_negative

from companion import triage, triage_store
from companion.__main__ import main
from companion.paths import DIARY_FILE
from companion.safety import DEFAULT_EMERGENCY_NUMBER
from companion.store import Store
from screens.app import CompanionApp
from screens.triage import TriageScreen

CASES = {
    "emergency": {"saddle_numbness": True},
    "urgent": {"fever": True, "urinary_symptoms": True},
    "soon": {"cancer_history": True},
    "self_care": {},
}


@pytest.mark.parametrize(("expected", "answers"), CASES.items())
def test_every_disposition_through_the_cli_as_json(cli, expected, answers) -> None:  # type: ignore[no-untyped-def]
    full = {**complete_negative(), **answers}
    result = cli("triage", "--answers", "-", "--json", stdin=json.dumps(full))
    assert result.code == 0, result.err
    printed = json.loads(result.out)
    assert printed["disposition"] == expected
    assert printed["unanswered"] == []
    for reason in printed["reasons"]:
        assert set(reason) == {"id", "disposition", "text", "sources"}
        assert reason["sources"]
    assert printed["reasons"][0]["disposition"] == expected


def test_answers_from_a_file_and_the_readable_result(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**complete_negative(), "both_legs": True}), encoding="utf-8")
    result = cli("triage", "--answers", str(path))
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first == "‼ Emergency: get help now"
    assert f"Call {DEFAULT_EMERGENCY_NUMBER}" in result.out.replace("\n", " ")
    assert "Sources: BASS cauda equina standards" in result.out
    assert "This is a prompt to get checked, not a diagnosis." in result.out


def test_partial_answers_say_what_is_missing_and_how_far_it_could_go(cli) -> None:  # type: ignore[no-untyped-def]
    answers = {**complete_negative(), "main_problem": "pain"}
    del answers["age"], answers["lump"]
    result = cli("triage", "--answers", "-", stdin=json.dumps({**answers, "minor_trauma": True}))
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert result.out.startswith("+ Self-care (from incomplete answers)")
    assert "Not answered (2): - your age - a new lump" in text
    assert "If any of them applies to you, the advice would be: ▲ Urgent: be seen today" in text
    as_json = cli("triage", "--answers", "-", "--json", stdin=json.dumps(answers))
    printed = json.loads(as_json.out)
    assert printed["unanswered"] == ["age", "lump"]
    assert printed["emergency_unanswered"] == []
    assert printed["worst_if_unanswered"] == "soon"


def test_unanswered_emergency_questions_lead_and_never_read_as_self_care(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("triage", "--answers", "-", stdin='{"main_problem": "pain", "fever": false}')
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "‼ 7 questions about signs that need help now were not answered"
    text = " ".join(result.out.split())
    assert text.startswith(
        "‼ 7 questions about signs that need help now were not answered This is not an "
        f"all-clear. If any of them applies to you: Call {DEFAULT_EMERGENCY_NUMBER} now"
    )
    assert "numbness around the bottom, genitals or inner thighs" in text
    assert "From the answers given: + Self-care." in text
    assert "Self-care" not in " ".join(lines[:2])
    assert "Nothing in your answers needs a doctor" not in text
    as_json = cli("triage", "--answers", "-", "--json", stdin='{"main_problem": "pain"}')
    printed = json.loads(as_json.out)
    assert printed["disposition"] == "self_care"
    assert printed["worst_if_unanswered"] == "emergency"
    assert printed["emergency_unanswered"] == [
        "saddle_numbness", "bladder_bowel_change", "sexual_dysfunction", "both_legs",
        "leg_weakness", "collapse", "major_trauma",
    ]  # fmt: skip
    assert "cramp_frequent" not in printed["unanswered"]


def test_one_unanswered_emergency_question_after_an_urgent_answer(cli) -> None:  # type: ignore[no-untyped-def]
    answers = {**complete_negative(), "fever": True}
    del answers["collapse"]
    result = cli("triage", "--answers", "-", stdin=json.dumps(answers))
    lines = result.out.splitlines()
    assert lines[0] == "‼ 1 question about signs that need help now was not answered"
    text = " ".join(result.out.split())
    assert "Not answered (1): - collapse or fainting with the pain" in text
    assert "From the answers given: ▲ Urgent: be seen today. Contact your doctor" in text


def test_the_missing_answers_listed_are_only_those_that_could_change_the_advice(cli) -> None:  # type: ignore[no-untyped-def]
    """Six weeks of pain already says "see a doctor soon": a new lump would say it again, so
    it is neither asked by the wizard nor listed as missing; a fever could make it more."""
    emergency = [q.id for q in triage.triage().questions if q.emergency]
    answers = {**dict.fromkeys(emergency, False), "main_problem": "pain", "age": 45}
    answers["duration_days"] = 60
    result = cli("triage", "--answers", "-", stdin=json.dumps(answers))
    text = " ".join(result.out.split())
    assert result.out.startswith("● See a doctor soon (from incomplete answers)")
    assert "- fever or chills" in text and "- having had cancer" in text
    assert "a new lump" not in text and "weight loss" not in text
    # A fever during chemotherapy is an emergency: how far the advice could rise.
    assert "If any of them applies to you, the advice would be: ‼ Emergency" in text


@pytest.mark.parametrize(
    ("stdin", "key"),
    [
        ('{"fevr": true}', "'fevr'"),
        ('{"fever": "yes"}', "'fever'"),
        ('{"age": "forty"}', "'age'"),
        ('{"main_problem": 3}', "'main_problem'"),
        ("[true]", "'answers'"),
        # Given twice, the later "no" would silently win over a "yes".
        ('{"fever": true, "age": 40, "fever": false}', "'fever' is given twice"),
    ],
)
def test_a_wrong_answer_is_one_line_naming_the_key_exit_2(cli, stdin, key) -> None:  # type: ignore[no-untyped-def]
    result = cli("triage", "--answers", "-", "--json", stdin=stdin)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert key in result.err
    assert "Traceback" not in result.err


def test_bad_json_and_a_missing_file_are_usage_errors(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = cli("triage", "--answers", "-", stdin='{"fever": tru}')
    assert bad.code == 2
    assert "not valid JSON (line 1" in bad.err
    missing = cli("triage", "--answers", str(tmp_path / "nope.json"))
    assert missing.code == 2
    assert "cannot read" in missing.err


def test_without_save_no_diary_is_created(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("triage", "--answers", "-", stdin="{}").code == 0
    assert not (home / DIARY_FILE).exists()


def test_save_keeps_the_result_in_the_diary(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    answers = {**complete_negative(), "fever": True}
    result = cli("triage", "--answers", "-", "--save", stdin=json.dumps(answers))
    assert result.code == 0, result.err
    assert "Saved to the diary." in result.out
    with Store.open(home) as store:
        (saved,) = triage_store.results(store)
    assert saved.disposition == "urgent"
    assert saved.answers == answers
    assert [r["id"] for r in saved.reasons] == ["infection_fever"]
    assert set(saved.reasons[0]) == {"id", "disposition", "text", "sources"}
    conn = sqlite3.connect(home / DIARY_FILE)
    (row,) = conn.execute("SELECT disposition, json_array_length(reasons) FROM triage_results")
    assert row == ("urgent", 1)
    conn.close()


def test_a_failed_save_stores_nothing(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("triage", "--answers", "-", "--save", stdin='{"fever": "hot"}')
    assert result.code == 2
    if (home / DIARY_FILE).exists():
        with Store.open(home) as store:
            assert triage_store.results(store) == []


def test_results_by_date_range(store: Store) -> None:
    from datetime import date

    from companion import triage

    result = triage.triage().evaluate({"night_pain": True})
    triage_store.save_result(store, result, date(2026, 3, 1))
    triage_store.save_result(store, result, date(2026, 3, 9))
    assert [r.date for r in triage_store.results(store, "2026-03-02")] == ["2026-03-09"]
    assert [r.date for r in triage_store.results(store, None, "2026-03-02")] == ["2026-03-01"]
    assert len(triage_store.results(store)) == 2


def test_the_emergency_number_setting_is_used(cli) -> None:  # type: ignore[no-untyped-def]
    changed = cli("triage", "--set-emergency-number", "  000  (Australia) ")
    assert changed.code == 0, changed.err
    assert "call 000 (Australia)" in changed.out
    result = cli("triage", "--answers", "-", stdin='{"collapse": true}')
    assert "Call 000 (Australia) now" in result.out
    reset = cli("triage", "--set-emergency-number", "")
    assert DEFAULT_EMERGENCY_NUMBER in reset.out


def test_questions_lists_every_id(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("triage", "--questions", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert rows[0]["id"] == "saddle_numbness"
    assert {r["id"] for r in rows} == set(complete_negative())
    text = cli("triage", "--questions").out
    assert "main_problem" in text and "pain | cramp | both" in text


def test_save_needs_answers(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("triage", "--questions", "--save")
    assert result.code == 2
    assert "--save goes with --answers" in result.err


def test_bare_triage_outside_a_terminal_says_what_to_give(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("triage", stdin="")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "give --answers FILE" in result.err and "alone asks the questions" in result.err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bare_triage_on_a_terminal_opens_the_questions(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str | None, str | None]] = []

    def run_app(where: str | None, *, demo: bool = False, opening: str | None = None) -> int:
        opened.append((where, opening))
        return 0

    monkeypatch.setattr("companion.__main__.run_app", run_app)
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("sys.stdout", Terminal())
    assert main(["triage", "--home", str(home)]) == 0
    assert opened == [(str(home), "triage")]


async def test_the_app_can_open_at_the_questions(home: Path) -> None:
    app = CompanionApp(home=home, today=date(2026, 11, 20), opening="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("escape")  # nothing answered: straight to the dashboard
        await pilot.pause()
        assert len(app.screen_stack) == 1
