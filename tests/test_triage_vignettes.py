"""Clinical vignettes: a whole person's answers, and the disposition a clinician would expect.

Each person answers every question that applies; anything not mentioned is the least
worrying answer (no, rest eases it, a few days, aged 35).
"""

from __future__ import annotations

import pytest
from test_triage_engine import T, complete_negative

from companion import triage

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
    },
    "urgent": {
        "back pain with fever and shivers": {"fever": True},
        "flank pain, burning urine and fever": {"fever": True, "urinary_symptoms": True},
        "injects drugs, fever, constant pain": {
            "iv_drug_use": True,
            "fever": True,
            "constant_progressive": True,
        },
        "after chemotherapy, fever and back pain": {
            "immunosuppressed": True,
            "fever": True,
            "cancer_history": True,
        },
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
        "kidney transplant, back pain, no fever": {"immunosuppressed": True},
        "50-year-old with new tummy pain": {"age": 50, "abdominal_pain": True},
        "night cramps most nights": {"main_problem": "cramp", "cramp_frequent": True},
        "cramps with a swollen red calf": {"main_problem": "both", "cramp_swelling": True},
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
