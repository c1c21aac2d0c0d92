"""The triage engine over the shipped content: answers in, disposition and reasons out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import advice, content, triage
from companion.errors import DataError
from companion.triage import AnswerError, severity

T = triage.triage()

# The answer ids the wizard asks and the JSON uses (issue 4).
ISSUE_IDS = {
    "age", "duration_days", "main_problem", "saddle_numbness", "bladder_bowel_change",
    "leg_weakness", "both_legs", "sexual_dysfunction", "collapse", "abdominal_pain",
    "major_trauma", "minor_trauma", "osteoporosis", "steroid_use", "cancer_history",
    "weight_loss", "fever", "immunosuppressed", "iv_drug_use", "urinary_symptoms",
    "night_pain", "rest_eases", "constant_progressive", "pain_elsewhere", "lump",
    "electric_pain", "leg_pain_below_knee", "leg_numbness", "pregnant",
    "morning_stiffness_30min", "improves_with_exercise", "onset_before_40",
    "cramp_over_10min", "cramp_frequent", "cramp_swelling", "cramp_weakness",
    "cramp_wound_or_toxin", "cramp_new_medicine",
}  # fmt: skip
# Asked since the second clinical review: cancer treatment (nice-ng151), a recent infection
# and a bruise or graze over the spine after a fall (downie-2013).
ADDED_IDS = {"cancer_treatment", "recent_infection", "spine_bruise"}
BOOLS = [q.id for q in T.questions if q.kind == "bool"]


def test_the_questions_are_the_issues_answer_ids() -> None:
    # Every id scripts and saved results use is still there, with the same answers.
    assert {q.id for q in T.questions} == ISSUE_IDS | ADDED_IDS
    kinds = {q.id: q.kind for q in T.questions}
    assert kinds["age"] == kinds["duration_days"] == "int"
    assert [o.value for o in T.by_id["main_problem"].options] == ["pain", "cramp", "both"]
    assert [o.value for o in T.by_id["rest_eases"].options] == ["yes", "partly", "no"]


def test_emergency_questions_come_first_and_each_alone_is_an_emergency() -> None:
    sections = [q.section for q in T.questions]
    first = sections.index("about")
    assert set(sections[:first]) == {"emergency"}
    assert "emergency" not in sections[first:]
    emergency_ids = {q.id for q in T.questions[:first]}
    assert emergency_ids == {
        "saddle_numbness", "bladder_bowel_change", "sexual_dysfunction", "both_legs",
        "leg_weakness", "collapse", "major_trauma",
    }  # fmt: skip
    for qid in emergency_ids:
        assert T.evaluate({qid: True}).disposition == "emergency", qid
    # Emergency rules may combine later answers too (the wizard shows the notice whenever
    # an answer makes the result an emergency): a past cancer with a nerve sign, a fever
    # during chemotherapy.
    composite = {r.id for r in T.rules if r.disposition == "emergency"} - {
        r.id for r in T.rules if r.condition.questions() <= emergency_ids
    }
    assert composite == {"cancer_nerve_signs", "fever_on_chemotherapy"}


@pytest.mark.parametrize("flag", ["saddle_numbness", "bladder_bowel_change", "collapse"])
def test_one_emergency_sign_is_an_emergency(flag: str) -> None:
    result = T.evaluate({flag: True})
    assert result.disposition == "emergency"
    assert result.reasons[0].disposition == "emergency"
    assert result.reasons[0].sources


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"fever": True}, "urgent"),
        ({"minor_trauma": True, "age": 72}, "urgent"),
        ({"cramp_over_10min": True}, "urgent"),
        ({"night_pain": True}, "soon"),
        ({"rest_eases": "no"}, "soon"),
        ({"duration_days": 60}, "soon"),
        ({"rest_eases": "partly", "duration_days": 10}, "self_care"),
    ],
)
def test_every_disposition_is_reachable(answers: dict[str, triage.Answer], expected: str) -> None:
    assert T.evaluate(answers).disposition == expected


def test_the_result_lists_every_matching_reason_most_severe_first() -> None:
    result = T.evaluate(
        {"fever": True, "urinary_symptoms": True, "night_pain": True, "cramp_new_medicine": True}
    )
    ids = [r.id for r in result.reasons]
    assert result.disposition == "urgent"
    assert set(ids) == {
        "infection_fever", "kidney_infection", "urinary_symptoms", "night_pain",
        "cramp_medicine_review",
    }  # fmt: skip
    assert [severity(r.disposition) for r in result.reasons] == sorted(
        severity(r.disposition) for r in result.reasons
    )
    assert "no_warning_signs" not in ids


def test_self_care_says_there_were_no_warning_signs_with_sources() -> None:
    result = T.evaluate(complete_negative())
    assert result.disposition == "self_care"
    assert [r.id for r in result.reasons] == ["no_warning_signs"]
    assert result.unanswered == ()
    assert result.worst_if_unanswered is None


def test_unanswered_emergency_questions_are_named_and_could_make_it_an_emergency() -> None:
    answers = complete_negative()
    del answers["saddle_numbness"], answers["collapse"]
    result = T.evaluate(answers)
    assert result.disposition == "self_care"
    assert result.unanswered == ("saddle_numbness", "collapse")
    assert result.worst_if_unanswered == "emergency"
    assert result.to_json()["unanswered"] == ["saddle_numbness", "collapse"]


def test_an_unknown_age_is_not_taken_as_young() -> None:
    answers = {**complete_negative(), "minor_trauma": True}
    del answers["age"]
    result = T.evaluate(answers)
    assert result.disposition == "self_care"
    assert "age" in result.unanswered
    assert result.worst_if_unanswered == "urgent"


def test_cramp_questions_are_asked_only_for_cramps_but_counted_whenever_given() -> None:
    pain_only = [q.id for q in T.asked({"main_problem": "pain"})]
    assert "cramp_frequent" not in pain_only
    assert "cramp_frequent" in [q.id for q in T.asked({})]
    answers = {**complete_negative(), "main_problem": "pain", "cramp_over_10min": True}
    assert T.evaluate(answers).disposition == "urgent"


def test_months_of_back_pain_bring_the_inflammatory_questions() -> None:
    assert "onset_before_40" not in [q.id for q in T.asked({"duration_days": 30})]
    assert "onset_before_40" in [q.id for q in T.asked({"duration_days": 120})]
    answers = {
        "duration_days": 200,
        "onset_before_40": True,
        "morning_stiffness_30min": True,
        "improves_with_exercise": True,
    }
    ids = [r.id for r in T.evaluate(answers).reasons]
    assert "inflammatory_back_pain" in ids


def test_emergency_number_is_filled_into_reason_text() -> None:
    result = T.evaluate({"abdominal_pain": True, "age": 70}, "000")
    (reason,) = [r for r in result.reasons if r.id == "aneurysm_abdominal_over_60"]
    assert "call 000" in reason.text
    assert "{emergency_number}" not in reason.text


# --- checking answers -----------------------------------------------------------------------


def test_check_answers_accepts_the_json_types_and_drops_nulls() -> None:
    raw = {"fever": True, "age": 40, "main_problem": "both", "lump": None}
    assert T.check_answers(raw) == {"fever": True, "age": 40, "main_problem": "both"}


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"fevr": True}, "fevr"),
        ({"fever": "yes"}, "fever"),
        ({"fever": 1}, "fever"),
        ({"age": True}, "age"),
        ({"age": 40.5}, "age"),
        ({"age": 121}, "age"),
        ({"duration_days": -1}, "duration_days"),
        ({"main_problem": "legs"}, "main_problem"),
        ({"rest_eases": False}, "rest_eases"),
    ],
)
def test_wrong_answers_name_the_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(AnswerError) as caught:
        T.check_answers(raw)
    assert caught.value.key == key
    assert repr(key) in str(caught.value)
    assert caught.value.exit_code == 2


def test_answers_must_be_an_object() -> None:
    with pytest.raises(AnswerError):
        T.check_answers(["fever"])


# --- properties over the whole answer space -------------------------------------------------


def answer_strategy(question: triage.Question) -> st.SearchStrategy[triage.Answer]:
    if question.kind == "bool":
        return st.booleans()
    if question.kind == "int":
        return st.integers(question.minimum, question.maximum)
    return st.sampled_from([o.value for o in question.options])


ANSWERS = st.fixed_dictionaries(
    {},
    optional={q.id: answer_strategy(q) for q in T.questions},
)


@settings(max_examples=400, deadline=None)
@given(answers=ANSWERS, flag=st.sampled_from(BOOLS))
def test_one_more_warning_sign_never_lowers_the_disposition(
    answers: dict[str, triage.Answer], flag: str
) -> None:
    if answers.get(flag) is True:
        return
    before = T.evaluate(answers)
    after = T.evaluate({**answers, flag: True})
    assert severity(after.disposition) <= severity(before.disposition)


@settings(max_examples=300, deadline=None)
@given(answers=ANSWERS, data=st.data())
def test_answering_the_unanswered_never_goes_beyond_what_the_result_warned(
    answers: dict[str, triage.Answer], data: st.DataObject
) -> None:
    result = T.evaluate(answers)
    ceiling = result.worst_if_unanswered or result.disposition
    filled = dict(answers)
    for qid in result.unanswered:
        filled[qid] = data.draw(answer_strategy(T.by_id[qid]), label=qid)
    assert severity(T.evaluate(filled).disposition) >= severity(ceiling)


# --- the content is checked when it loads ---------------------------------------------------


def complete_negative() -> dict[str, triage.Answer]:
    """Every question answered with its least worrying answer."""
    answers: dict[str, triage.Answer] = {q.id: False for q in T.questions if q.kind == "bool"}
    answers |= {"age": 35, "duration_days": 5, "main_problem": "both", "rest_eases": "yes"}
    return answers


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content.content_dir(), root)
    return root


def edit(root: Path, old: str, new: str, name: str = "triage.toml") -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_copy_loads(broken: Path) -> None:
    assert len(triage.load(broken).rules) == len(T.rules)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "when = { saddle_numbness = true }",
            "when = { saddle_numbess = true }",
            "rule 'cauda_equina_saddle': unknown answer id 'saddle_numbess'",
        ),
        (
            'sources = ["bass-ces", "nice-cks-lbp"]\n\n[[rule]]\nid = "cauda_equina_bladder',
            'sources = ["bass-ces", "nice-cks"]\n\n[[rule]]\nid = "cauda_equina_bladder',
            "rule 'cauda_equina_saddle': unknown source 'nice-cks'",
        ),
        (
            'id = "infection_fever"\ndisposition = "urgent"',
            'id = "infection_fever"\ndisposition = "today"',
            "rule 'infection_fever': disposition must be one of",
        ),
        (
            "when = { fever = true }",
            "when = { fever = false }",
            "rule 'infection_fever': 'fever' can only be tested for true",
        ),
        (
            'avoid = ["massage", "warmth"]',
            'avoid = ["massage", "heat"]',
            "rule 'cramp_swelling': avoid must list words from: massage, warmth",
        ),
        (
            'cramp = ["easing-a-cramp"',
            'cramp = ["easing-a-cramps"',
            "plan.cramp: unknown advice article 'easing-a-cramps'",
        ),
        (
            'when = { rest_eases = ["no"] }',
            'when = { rest_eases = ["never"] }',
            "rule 'rest_does_not_ease': 'rest_eases' must list values from",
        ),
        (
            'id = "urgent"\nplan_heading',
            'id = "soon"\nplan_heading',
            "disposition: must be exactly emergency, urgent, soon, self_care",
        ),
        (
            'id = "urgent"\nplan_heading',
            'id = "serious"\nplan_heading',
            "disposition 2: must be one of emergency, urgent, soon, self_care",
        ),
        (
            'title = "Signs that need help now"',
            'title = "Signs that need help now"\ntitel = "x"',
            "section 1: unknown key 'titel'",
        ),
    ],
)
def test_a_broken_copy_fails_naming_the_place(
    broken: Path, old: str, new: str, message: str
) -> None:
    edit(broken, old, new)
    with pytest.raises(DataError) as caught:
        triage.load(broken)
    assert message in str(caught.value)
    assert str(caught.value).startswith("triage.toml: ")


def test_a_question_out_of_order_fails(broken: Path) -> None:
    # Move an emergency question after the others: the wizard must ask it first.
    edit(
        broken,
        'id = "major_trauma"\nsection = "emergency"',
        'id = "major_trauma"\nsection = "cramps"',
    )
    with pytest.raises(DataError, match="out of its section's order"):
        triage.load(broken)


def test_an_unknown_source_in_sources_file_is_reported(broken: Path) -> None:
    edit(
        broken,
        '[nhs-cramps]\nshort = "NHS leg cramps"\ntitle = "NHS: Leg cramps"\n',
        "",
        name="sources.toml",
    )
    with pytest.raises(DataError, match="unknown source 'nhs-cramps'"):
        triage.load(broken)


# --- which questions are worth asking -----------------------------------------------------

EMERGENCY_NO: dict[str, triage.Answer] = {q.id: False for q in T.questions if q.emergency}


def ids(questions: tuple[triage.Question, ...]) -> list[str]:
    return [q.id for q in questions]


def test_with_nothing_answered_every_question_may_be_asked() -> None:
    assert ids(T.worth_asking({})) == ids(T.questions)


def test_an_advice_already_settled_leaves_out_what_cannot_raise_it() -> None:
    answers = {**EMERGENCY_NO, "main_problem": "pain", "age": 45, "duration_days": 60}
    assert T.evaluate(answers).disposition == "soon"
    asked = set(ids(T.worth_asking(answers)))
    # Still asked: what could make it urgent (a past cancer with night pain could), and what
    # adds a self-care note. Left out: signs that would only say "soon" again, and tummy pain
    # at 45 (urgent at 60).
    assert {"fever", "minor_trauma", "cancer_history", "night_pain", "pregnant"} <= asked
    assert not {"weight_loss", "lump", "pain_elsewhere", "abdominal_pain"} & asked
    assert "abdominal_pain" in ids(T.worth_asking({**answers, "age": 70}))
    no_cancer = set(ids(T.worth_asking({**answers, "cancer_history": False})))
    assert not {"night_pain", "rest_eases", "leg_numbness", "constant_progressive"} & no_cancer


def test_the_emergency_questions_are_always_asked_even_once_the_advice_is_an_emergency() -> None:
    emergency = [q.id for q in T.questions if q.emergency]
    assert ids(T.worth_asking({"saddle_numbness": True}))[: len(emergency)] == emergency


def test_what_was_answered_or_passed_over_stays_in_the_flow() -> None:
    answers = {**EMERGENCY_NO, "main_problem": "pain", "cancer_history": True, "fever": True}
    asked = ids(T.worth_asking(answers, seen={"weight_loss"}))
    assert {"cancer_history", "fever", "weight_loss"} <= set(asked)
    assert "lump" not in asked


def test_the_count_for_back_pain_alone() -> None:
    short = {"main_problem": "pain", "duration_days": 10}
    # No cramp questions and none for pain that has lasted months; until an answer settles
    # something, every other question that applies could still matter.
    assert ids(T.worth_asking(short)) == ids(T.asked(short))
    assert not any(q.section in ("cramps", "long_lasting") for q in T.worth_asking(short))
    assert len(T.worth_asking(short)) < len(T.worth_asking({}))


@settings(max_examples=300, deadline=None)
@given(answers=ANSWERS, data=st.data())
def test_no_answer_to_a_question_left_out_changes_the_advice(
    answers: dict[str, triage.Answer], data: st.DataObject
) -> None:
    """Whatever the rest are answered, a question left out changes neither the disposition,
    the plan nor the reasons at the self-care level."""
    kept = set(ids(T.worth_asking(answers)))
    open_ids = [q.id for q in T.asked(answers) if q.id not in answers]
    left_out = [q for q in open_ids if q not in kept]
    if not left_out:
        return
    question = T.by_id[data.draw(st.sampled_from(left_out), label="left out")]
    rest = {
        q: data.draw(answer_strategy(T.by_id[q]), label=q)
        for q in open_ids
        if q != question.id and data.draw(st.booleans(), label=f"answer {q}")
    }
    value = data.draw(answer_strategy(question), label="its answer")
    without = T.evaluate({**answers, **rest})
    with_it = T.evaluate({**answers, **rest, question.id: value})
    assert with_it.disposition == without.disposition
    library = advice.library()
    assert T.plan_for(with_it, library) == T.plan_for(without, library)
    notes = {r.id for r in with_it.reasons if r.disposition == triage.SELF_CARE}
    assert notes == {r.id for r in without.reasons if r.disposition == triage.SELF_CARE}
