"""Clinical vignettes: a whole person's answers, and the disposition a clinician would expect.

Each person answers every question that applies; anything not mentioned is the least
worrying answer (no, rest eases it, a few days, aged 35).
"""

from __future__ import annotations

import pytest
from test_triage_engine import T, complete_negative

from companion import advice, outcome, triage

V = dict[str, triage.Answer]

CASES: dict[str, dict[str, V]] = {
    "emergency": {
        "lifting injury, now numb 'down below'": {"minor_trauma": True, "saddle_numbness": True},
        "sciatica, then cannot pass urine": {
            "leg_pain_below_knee": True,
            "bladder_bowel_change": True,
        },
        "new erectile problems with sudden back pain": {"sexual_dysfunction": True, "age": 44},
        "pain shooting down both legs": {"both_legs": True, "electric_pain": True},
        "foot drop getting worse": {"leg_weakness": True, "leg_pain_below_knee": True},
        "68-year-old smoker fainted with back and tummy pain": {
            "age": 68,
            "collapse": True,
            "abdominal_pain": True,
        },
        "fell from a ladder onto the back": {"major_trauma": True, "age": 51},
        "car crash yesterday, walking fine": {"major_trauma": True, "age": 24},
        "cancer history with new bladder problems": {
            "cancer_history": True,
            "bladder_bowel_change": True,
        },
        "cramps and fainted": {"main_problem": "cramp", "collapse": True},
        # A past cancer with any nerve sign (nice-ng234).
        "breast cancer years ago, back pain and a numb foot": {
            "cancer_history": True,
            "leg_numbness": True,
        },
        "prostate cancer, back pain shooting down one leg": {
            "cancer_history": True,
            "leg_pain_below_knee": True,
            "age": 71,
        },
        "myeloma, calf muscles getting weaker": {
            "cancer_history": True,
            "main_problem": "cramp",
            "cramp_weakness": True,
        },
        # A fever during or soon after chemotherapy (nice-ng151).
        "on chemotherapy, back pain and a fever": {
            "cancer_history": True,
            "cancer_treatment": True,
            "fever": True,
        },
        "chemotherapy finished a month ago, now shivery": {
            "cancer_history": True,
            "cancer_treatment": True,
            "immunosuppressed": True,
            "fever": True,
            "duration_days": 2,
        },
    },
    "urgent": {
        "back pain with fever and shivers": {"fever": True},
        "flank pain, burning urine and fever": {"fever": True, "urinary_symptoms": True},
        "injects drugs, fever, constant pain": {
            "iv_drug_use": True,
            "fever": True,
            "constant_progressive": True,
        },
        "years after chemotherapy, fever and back pain": {
            "immunosuppressed": True,
            "fever": True,
            "cancer_history": True,
        },
        # A past cancer with progressive, night or unremitting pain (nice-ng234).
        "past bowel cancer, back pain worst at night": {"cancer_history": True, "night_pain": True},
        "past lymphoma, pain worse week by week": {
            "cancer_history": True,
            "constant_progressive": True,
            "duration_days": 30,
        },
        "past cancer, rest does not ease it at all": {"cancer_history": True, "rest_eases": "no"},
        # A swollen, red or warm calf (nice-ng158), with cramps or with pain.
        "back pain and a hot swollen calf": {"main_problem": "pain", "cramp_swelling": True},
        # A bruise or graze over the spine after a fall (downie-2013), at any age.
        "slipped on ice, graze over the spine": {
            "minor_trauma": True,
            "spine_bruise": True,
            "age": 28,
        },
        "kidney infection last week, now a fever": {"recent_infection": True, "fever": True},
        "74-year-old sneezed and felt a crack": {"age": 74, "minor_trauma": True},
        "45-year-old with osteoporosis lifted a box": {
            "age": 45,
            "osteoporosis": True,
            "minor_trauma": True,
        },
        "on steroids for asthma, small fall": {
            "steroid_use": True,
            "minor_trauma": True,
            "age": 38,
        },
        "66-year-old with new tummy and back pain": {"age": 66, "abdominal_pain": True},
        "calf cramp over 15 minutes, will not let go": {
            "main_problem": "cramp",
            "cramp_over_10min": True,
        },
        "cramps a week after a garden puncture wound": {
            "main_problem": "cramp",
            "cramp_wound_or_toxin": True,
        },
        "cramps with a swollen red calf": {"main_problem": "both", "cramp_swelling": True},
    },
    "soon": {
        "past breast cancer, new back pain": {"cancer_history": True, "age": 58},
        "weight loss and night pain": {"weight_loss": True, "night_pain": True},
        "pain not eased by lying down": {"rest_eases": "no"},
        "constant, worsening pain over a month": {
            "constant_progressive": True,
            "duration_days": 30,
        },
        "aches in ribs and hips as well": {"pain_elsewhere": True},
        "new lump on the lower back": {"lump": True},
        "eight weeks of back pain, no better": {"duration_days": 56},
        "young adult, a year of morning stiffness easing with exercise": {
            "age": 29,
            "duration_days": 365,
            "onset_before_40": True,
            "morning_stiffness_30min": True,
            "improves_with_exercise": True,
        },
        "sciatica down one leg": {"leg_pain_below_knee": True, "electric_pain": True},
        "pins and needles in one foot": {"leg_numbness": True},
        "burning urine, no fever": {"urinary_symptoms": True},
        "chest infection last month, back pain, no fever": {"recent_infection": True},
        "kidney transplant, back pain, no fever": {"immunosuppressed": True},
        "50-year-old with new tummy pain": {"age": 50, "abdominal_pain": True},
        "night cramps most nights": {"main_problem": "cramp", "cramp_frequent": True},
        "calf muscles getting thinner with cramps": {
            "main_problem": "cramp",
            "cramp_weakness": True,
        },
        "a 14-year-old with back pain": {"age": 14},
    },
    "self_care": {
        "strain after gardening, three days": {"duration_days": 3, "rest_eases": "partly"},
        "desk worker, aching by evening": {"duration_days": 10, "main_problem": "pain"},
        "30-year-old twinge lifting a box": {"minor_trauma": True, "age": 30},
        "calf cramp after a hot run": {"main_problem": "cramp", "duration_days": 1},
        "cramps since starting a statin": {"main_problem": "cramp", "cramp_new_medicine": True},
        "pregnant, aching lower back": {"pregnant": True, "duration_days": 14},
        "53-year-old, three weeks of pain, stiff in the morning": {
            "age": 53,
            "duration_days": 20,
            "morning_stiffness_30min": True,
        },
    },
}
VIGNETTES = [(story, answers, d) for d, cases in CASES.items() for story, answers in cases.items()]


def test_there_are_at_least_thirty_vignettes_covering_every_disposition() -> None:
    assert len(VIGNETTES) >= 30
    assert {expected for _, _, expected in VIGNETTES} == set(triage.DISPOSITIONS)


@pytest.mark.parametrize(("story", "answers", "expected"), VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_vignette(story: str, answers: V, expected: str) -> None:
    full = {**complete_negative(), **answers}
    result = T.evaluate(T.check_answers(full))
    assert result.disposition == expected, (story, [r.id for r in result.reasons])
    assert result.unanswered == ()
    # Every reason that raised the advice names at least one source.
    assert all(r.sources for r in result.reasons)


# --- the plan for a calf that may hold a clot ----------------------------------------------------


def calf(problem: str) -> triage.Result:
    return T.evaluate({**complete_negative(), "main_problem": problem, "cramp_swelling": True})


def test_a_swollen_calf_plan_advises_no_rubbing_massage_or_warmth_byte_for_byte() -> None:
    text = outcome.as_text(outcome.build(calf("cramp")))
    plan = text.split("While you wait to be seen:\n")[1].split("\n\n")[0]
    assert plan == (
        "   - Fluids and salts after heavy sweating: Heavy sweating loses water and\n"
        "     salts, which can bring on cramps: replace them.\n"
        "   - When a cramp needs a doctor: Most cramps are harmless; some signs mean a\n"
        "     doctor should look for a cause."
    )
    assert text.startswith("▲ Urgent: be seen today\n")
    assert "Until then, do not rub, massage or warm that leg." in " ".join(text.split())


@pytest.mark.parametrize("problem", ["pain", "cramp", "both"])
def test_no_plan_with_a_swollen_calf_advises_rubbing_massage_or_warmth(problem: str) -> None:
    result = calf(problem)
    shown = outcome.build(result)
    assert shown.plan, problem
    assert not any(a.advises & {"massage", "warmth"} for a in shown.plan)
    # Every sentence that speaks of rubbing, massage, warmth or heat says not to.
    text = " ".join(outcome.as_text(shown).split())
    for sentence in text.replace(":", ".").split(". "):
        lowered = sentence.lower()
        if any(word in lowered for word in ("rub", "massag", "warm", "heat")):
            assert "do not" in lowered or "swollen, red or warm" in lowered, sentence
    # Without the swollen calf, the same plan keeps them.
    plain = T.evaluate({**complete_negative(), "main_problem": problem})
    assert any(a.advises & {"massage", "warmth"} for a in outcome.build(plain).plan)


def test_the_articles_a_swollen_calf_leaves_out_are_the_ones_that_advise_it() -> None:
    left_out = {a.id for a in advice.library() if a.advises & {"massage", "warmth"}}
    assert left_out == {"easing-a-cramp", "heat-or-cold", "sleep-positions", "warming-up"}


def test_a_swollen_calf_question_left_unanswered_keeps_rubbing_and_warmth_out_of_the_plan() -> None:
    """A question that could forbid advice is never read as "no": with it unanswered (the
    CLI allows it), the plan is the one a yes would give."""
    answers = {**complete_negative(), "main_problem": "cramp"}
    del answers["cramp_swelling"]
    shown = outcome.build(T.evaluate(answers))
    assert shown.plan
    assert not any(a.advises & {"massage", "warmth"} for a in shown.plan)
    assert shown.plan == outcome.build(calf("cramp")).plan


def test_chemotherapy_is_asked_of_someone_whose_immune_system_is_weakened_by_a_medicine() -> None:
    """A fever on chemotherapy is an emergency (nice-ng151) whether or not the person calls
    it cancer: the question follows a weakened immune system as well as a past cancer."""
    answers = {"cancer_history": False, "immunosuppressed": True, "fever": True}
    assert "cancer_treatment" in {q.id for q in T.asked(answers)}
    assert "cancer_treatment" in {q.id for q in T.worth_asking(answers)}
    result = T.evaluate({**answers, "cancer_treatment": True})
    assert result.disposition == "emergency"
    neither = {"cancer_history": False, "immunosuppressed": False}
    assert "cancer_treatment" not in {q.id for q in T.asked(neither)}
