"""Every red-flag rule on synthetic diaries: clear positives, clear negatives, threshold edges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest
from diary_oracle import evaluate

from companion.alerts import Alert
from companion.entry import EMERGENCY_FLAGS, Entry

TODAY = date(2026, 3, 31)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def entry(n_ago: int, **fields: Any) -> Entry:
    """One entry ``n_ago`` days before TODAY; pain 2 unless given."""
    fields.setdefault("pain", 2)
    for name in ("red_flags",):
        fields[name] = frozenset(fields.get(name, ()))
    return Entry(date=ago(n_ago), **fields)


def fired(entries: Iterable[Entry], today: date = TODAY) -> dict[str, Alert]:
    return {a.rule: a for a in evaluate(list(entries), today)}


def nights(values_oldest_first: list[int | None], **fields: Any) -> list[Entry]:
    """Night pain for consecutive days ending today; None leaves the day out."""
    n = len(values_oldest_first)
    return [
        entry(n - 1 - i, night_pain=v, **fields)
        for i, v in enumerate(values_oldest_first)
        if v is not None
    ]


# --- emergency_symptom -------------------------------------------------------------------------


@pytest.mark.parametrize("flag", sorted(EMERGENCY_FLAGS))
def test_each_emergency_sign_in_the_last_week_fires(flag: str) -> None:
    alerts = evaluate([entry(20), entry(6, red_flags={flag}), entry(0)], TODAY)
    assert alerts[0].rule == "emergency_symptom"
    assert alerts[0].level == "emergency"
    assert alerts[0].since == ago(6)
    assert [e.date for e in alerts[0].evidence] == [ago(6)]


def test_emergency_sign_a_week_old_is_still_there_with_days_logged_since() -> None:
    # Later entries that do not tick the sign do not say it has gone.
    alert = fired([entry(7, red_flags={"leg_weakness"}), entry(3), entry(0)])["emergency_symptom"]
    assert alert.since == ago(7)
    assert alert.signs == ("leg_weakness",)


def test_other_warning_signs_are_not_emergencies() -> None:
    assert "emergency_symptom" not in fired([entry(1, red_flags={"lump"})])


def test_evidence_names_the_sign_in_plain_words_not_notes() -> None:
    (alert,) = evaluate([entry(0, red_flags={"saddle_numbness"}, notes="secret words")], TODAY)
    assert alert.evidence[0].detail.startswith("noted numbness around the bottom")
    assert "secret" not in repr(alert)
    assert "not a diagnosis" in alert.explanation


# --- fever_with_back_pain ----------------------------------------------------------------------


def test_fever_with_pain_fires() -> None:
    alert = fired([entry(2, pain=4, temperature_c=38.0)])["fever_with_back_pain"]
    assert alert.level == "urgent"
    assert alert.evidence[0].detail == "temperature 38 °C with worst pain 4/10 that day"


def test_fever_flag_alone_counts() -> None:
    assert "fever_with_back_pain" in fired([entry(0, pain=1, red_flags={"fever"})])


@pytest.mark.parametrize(
    ("n_ago", "temperature", "pain"),
    [(0, 37.9, 5), (0, 38.5, 0), (-1, 39.0, 5)],
    ids=["below-38", "no-pain", "tomorrow"],
)
def test_fever_edges_that_do_not_fire(n_ago: int, temperature: float, pain: int) -> None:
    assert "fever_with_back_pain" not in fired([entry(n_ago, pain=pain, temperature_c=temperature)])


def test_fever_on_a_cramp_only_day_is_not_back_pain() -> None:
    only_cramps = Entry(date=ago(0), cramps=1, temperature_c=38.6)
    assert "fever_with_back_pain" not in fired([only_cramps])


# --- long_cramp --------------------------------------------------------------------------------


def test_cramp_over_ten_minutes_fires() -> None:
    alert = fired([entry(6, cramps=1, cramp_minutes=10.5)])["long_cramp"]
    assert alert.evidence[0].detail == "a cramp of 10.5 min"


def test_a_cramp_of_exactly_ten_minutes_does_not_fire() -> None:
    assert "long_cramp" not in fired([entry(0, cramps=1, cramp_minutes=10.0)])


def test_a_long_cramp_does_not_expire_with_days_logged_since_or_with_none() -> None:
    # The cramp has passed, but the reason to be seen today has not (nhs-cramps).
    long = entry(30, cramps=1, cramp_minutes=25.0)
    for later in ([], [entry(20, cramps=0), entry(10, cramps=2, cramp_minutes=3.0)]):
        alert = fired([long, *later])["long_cramp"]
        assert (alert.level, alert.since) == ("urgent", ago(30))
        assert [e.detail for e in alert.evidence] == ["a cramp of 25 min"]


# --- worsening_night_pain ----------------------------------------------------------------------


def test_night_pain_rising_two_points_fires() -> None:
    alert = fired(nights([1] * 14 + [3] * 7))["worsening_night_pain"]
    assert alert.level == "soon"
    assert alert.since == ago(6)
    assert len(alert.evidence) == 7
    assert alert.evidence[-1].detail == "night pain 3/10"


def test_night_pain_rising_just_under_two_points_does_not_fire() -> None:
    assert "worsening_night_pain" not in fired(nights([1] * 14 + [3, 3, 3, 3, 3, 3, 2]))


def test_four_painful_nights_of_seven_is_enough() -> None:
    assert "worsening_night_pain" in fired(nights([0] * 14 + [4, 0, 4, 0, 4, 0, 4]))


def test_three_painful_nights_of_seven_is_not() -> None:
    assert "worsening_night_pain" not in fired(nights([0] * 14 + [5, 0, 5, 0, 5, 0, 0]))


def test_a_rise_needs_nights_on_record_before() -> None:
    # Three nights before are too few to call the last week a rise.
    assert "worsening_night_pain" not in fired(nights([1, 1, 1] + [None] * 11 + [3] * 7))


def test_slow_steady_climb_fires_by_slope() -> None:
    # 28 nights climbing from 3 to 6, about 0.11 a day; the last week only 1.6 above the two
    # weeks before, so the slope alone makes it fire.
    climb = [3 + round(3 * i / 27) for i in range(28)]
    assert "worsening_night_pain" in fired(nights(climb))


def test_slope_just_over_threshold_fires() -> None:
    # About 0.080 a day (0.078 without the worst night); the last week is 0.9 above before.
    assert "worsening_night_pain" in fired(nights([4] * 14 + [5] * 10 + [6] * 4))


def test_slope_just_under_threshold_does_not_fire() -> None:
    # About 0.068 a day; the last week 0.9 above the two before.
    assert "worsening_night_pain" not in fired(nights([4] * 5 + [5] * 17 + [6] * 6))


def test_slope_needs_a_recent_mean_of_four() -> None:
    climb = [1 + round(2.9 * i / 27) for i in range(28)]  # ends at 3.9 on average: too low
    assert "worsening_night_pain" not in fired(nights(climb))


@pytest.mark.parametrize(
    "series",
    [
        [6] * 28,  # steady
        [8 - i // 4 for i in range(28)],  # recovering
        [2] * 27 + [9],  # a single bad night
        [2] * 24 + [9, 2, 9, 2],  # two bad nights among steady ones
        [3] * 9 + [10],  # a single bad night at the end of a short diary
        [1] * 14 + [None] * 3 + [1, 1, 1, 10],  # a single bad night among few recorded
    ],
    ids=["steady", "recovering", "single-bad-night", "two-bad-nights", "short", "few"],
)
def test_night_pain_negatives(series: list[int]) -> None:
    assert "worsening_night_pain" not in fired(nights(series))


# --- not_eased_by_rest -------------------------------------------------------------------------


def rest_days(no: int, yes: int, pain: int = 5) -> list[Entry]:
    return [entry(n, pain=pain, eased_by_rest="no") for n in range(no)] + [
        entry(no + n, pain=pain, eased_by_rest="yes") for n in range(yes)
    ]


def test_rest_not_easing_on_half_the_days_fires() -> None:
    alert = fired(rest_days(5, 5))["not_eased_by_rest"]
    assert len(alert.evidence) == 5
    assert alert.evidence[0].detail == "rest did not ease it; worst pain 5/10 that day"


@pytest.mark.parametrize(
    ("no", "yes", "pain"),
    [(5, 6, 5), (3, 0, 5), (6, 0, 2)],
    ids=["under-half", "three-days", "mild-pain"],
)
def test_rest_edges_that_do_not_fire(no: int, yes: int, pain: int) -> None:
    assert "not_eased_by_rest" not in fired(rest_days(no, yes, pain))


def test_rest_days_older_than_two_weeks_count_only_for_a_diary_written_every_few_days() -> None:
    old = [entry(14 + n, pain=6, eased_by_rest="no") for n in range(10)]
    recent = [entry(n, pain=6, eased_by_rest="no") for n in range(3)]
    # Three days in the last two weeks, all saying rest did not ease it: too few alone, so
    # the two weeks before make up the count (a diary written every few days).
    assert "not_eased_by_rest" in fired(old + recent)
    # Not when the last two weeks hold days enough of their own ...
    daily = [entry(n, pain=6, eased_by_rest="no" if n < 3 else "yes") for n in range(14)]
    assert "not_eased_by_rest" not in fired(old + daily)
    # ... nor when the few recent days say rest eased it, nor from four weeks back.
    eased = [entry(n, pain=6, eased_by_rest="yes") for n in range(3)]
    assert "not_eased_by_rest" not in fired(old + eased)
    older = [entry(28 + n, pain=6, eased_by_rest="no") for n in range(10)]
    assert "not_eased_by_rest" not in fired(older + recent)


# --- no_improvement_6_weeks --------------------------------------------------------------------


def six_weeks(baseline: list[int], recent: list[int], start: int = 45) -> list[Entry]:
    """Daily pain from ``start`` days ago; days 36-42 ago and the last 7 days as given."""
    out = [entry(n, pain=baseline[0]) for n in range(start, 42, -1)]
    out += [entry(42 - i, pain=p) for i, p in enumerate(baseline)]
    out += [entry(n, pain=(baseline[-1] + recent[0]) // 2) for n in range(35, 6, -1)]
    out += [entry(6 - i, pain=p) for i, p in enumerate(recent)]
    return out


def test_stuck_pain_for_six_weeks_fires() -> None:
    alert = fired(six_weeks([5] * 7, [5] * 7))["no_improvement_6_weeks"]
    assert alert.since == ago(42)
    assert alert.strength == pytest.approx(5)


@pytest.mark.parametrize(
    ("baseline", "recent", "fires"),
    [
        ([8] * 7, [6] * 7, False),  # fell exactly 2 points
        ([8] * 7, [6] * 6 + [7], True),  # fell 1.86 points (23%)
        ([6] * 7, [4] * 6 + [5], False),  # fell 1.86 points, 31%
        ([6] * 7, [4] * 5 + [5] * 2, True),  # fell 1.71 points, 29%
        ([4] * 7, [4] * 6 + [3], False),  # recent mean 3.86, under 4
        ([4] * 7, [4] * 7, True),  # recent mean exactly 4
    ],
    ids=["two-points", "under-two", "thirty-percent", "under-thirty", "mean-3.9", "mean-4"],
)
def test_six_week_edges(baseline: list[int], recent: list[int], fires: bool) -> None:
    assert ("no_improvement_6_weeks" in fired(six_weeks(baseline, recent))) is fires


def test_six_weeks_needs_the_diary_to_span_42_days() -> None:
    assert "no_improvement_6_weeks" in fired(six_weeks([5] * 7, [5] * 7, start=42))
    short = [e for e in six_weeks([5] * 7, [5] * 7, start=42) if e.date > ago(42)]
    assert "no_improvement_6_weeks" not in fired(short)


def test_recovering_pain_raises_nothing_after_six_weeks() -> None:
    assert "no_improvement_6_weeks" not in fired(six_weeks([7] * 7, [4] * 7))


def test_single_bad_day_cannot_stand_for_a_week() -> None:
    baseline = [entry(42 - i, pain=8) for i in range(7)]
    assert "no_improvement_6_weeks" not in fired([*baseline, entry(2, pain=8)])


# --- frequent_cramps ---------------------------------------------------------------------------


def cramp_days(days_ago: Iterable[int]) -> list[Entry]:
    return [entry(n, cramps=2, cramp_minutes=2.0) for n in days_ago]


def test_cramps_three_days_in_each_week_fire() -> None:
    alert = fired(cramp_days([0, 2, 4, 7, 10, 13]))["frequent_cramps"]
    assert alert.since == ago(13)
    assert alert.evidence[0].detail == "2 cramps"


def logged_daily(days_with_cramps: Iterable[int], days: int = 21) -> list[Entry]:
    """A diary written every day, with two cramps on the days given and none on the rest."""
    cramped = set(days_with_cramps)
    return [*cramp_days(cramped), *(entry(n, cramps=0) for n in range(days) if n not in cramped)]


@pytest.mark.parametrize(
    "diary",
    [
        logged_daily([0, 2, 4, 7, 10]),
        logged_daily([0, 2, 7, 10, 13]),
        cramp_days([1, 8, 15, 22]),
        cramp_days([0, 1, 2, 3, 4, 5, 6]),
    ],
    ids=["two-of-seven-in-week-two", "two-of-seven-in-week-one", "rare", "one-week-only"],
)
def test_cramps_that_are_not_frequent(diary: list[Entry]) -> None:
    assert "frequent_cramps" not in fired(diary)


def test_cramp_days_count_among_the_days_logged() -> None:
    # Written only on the days with cramps, two or three a week: cramps on every day logged.
    assert "frequent_cramps" in fired(cramp_days([0, 2, 4, 7, 10]))


def test_cramps_on_every_day_of_a_diary_written_every_fourth_day_are_frequent() -> None:
    # One or two days logged a week: read as two fortnights of three or four days each.
    alert = fired(cramp_days(range(2, 28, 4)))["frequent_cramps"]
    assert alert.since == ago(26)
    assert len(alert.evidence) == 7
    # Once a week is still not often, however it is read.
    assert "frequent_cramps" not in fired(cramp_days(range(2, 28, 7)))


# --- weight_loss -------------------------------------------------------------------------------


def weights(*readings: tuple[int, float]) -> list[Entry]:
    return [entry(n, weight_kg=kg) for n, kg in readings]


def test_five_percent_weight_loss_fires() -> None:
    alert = fired(weights((100, 80.0), (60, 79.0), (86, 76.0)))["weight_loss"]
    assert alert.since == ago(100)
    assert [e.detail for e in alert.evidence] == ["weight 80 kg", "weight 76 kg, 5% less"]


@pytest.mark.parametrize(
    "readings",
    [
        ((100, 80.0), (20, 76.1)),  # 4.9%
        ((100, 80.0), (87, 70.0)),  # 13 days apart
        ((365, 80.0), (0, 70.0)),  # the first reading is a year old
        ((100, 76.0), (0, 80.0)),  # gained
    ],
    ids=["4.9-percent", "13-days-apart", "a-year", "gained"],
)
def test_weight_changes_that_do_not_fire(readings: tuple[tuple[int, float], ...]) -> None:
    assert "weight_loss" not in fired(weights(*readings))


def test_weight_loss_sign_stays_until_settled() -> None:
    flagged = fired([entry(90, red_flags={"unexplained_weight_loss"})])
    assert flagged["weight_loss"].evidence[0].detail == "noted weight loss without trying"
    assert flagged["weight_loss"].signs == ("unexplained_weight_loss",)


# --- the whole set -----------------------------------------------------------------------------


def test_an_improving_diary_raises_nothing() -> None:
    entries = [
        entry(
            n,
            pain=max(0, 7 - (70 - n) // 10),
            night_pain=max(0, 5 - (70 - n) // 14),
            eased_by_rest="yes",
            cramps=1 if n % 9 == 0 else 0,
            cramp_minutes=2.0 if n % 9 == 0 else None,
            weight_kg=78.0 + (n % 3) * 0.2,
        )
        for n in range(70, -1, -1)
    ]
    assert evaluate(entries, TODAY) == []


def test_empty_diary_raises_nothing() -> None:
    assert evaluate([], TODAY) == []


def test_most_severe_first() -> None:
    entries = [
        *cramp_days([0, 2, 4, 7, 10, 13]),
        entry(1, cramps=1, cramp_minutes=15.0),
        entry(0, red_flags={"both_legs"}),
    ]
    assert [a.level for a in evaluate(entries, TODAY)] == ["emergency", "urgent", "soon"]


def test_entries_after_today_are_ignored() -> None:
    assert evaluate([entry(-1, red_flags={"collapse"})], TODAY) == []


# --- the second clinical review: patterns that raised nothing ----------------------------------
# Each diary below raised no alert before the review; each must now raise one at the level given.


def every(step: int, days: int, phase: int = 0) -> list[int]:
    """Days ago, oldest first, on which someone logging every ``step`` days wrote an entry."""
    return [n for n in range(days - 1, -1, -1) if (n - phase) % step == 0]


def levels_of(entries: Iterable[Entry]) -> dict[str, str]:
    return {a.rule: a.level for a in evaluate(list(entries), TODAY)}


def test_severe_night_pain_that_wakes_every_night_for_four_weeks_is_soon() -> None:
    # Steady, not rising: the night pain itself is the warning sign.
    diary = [entry(n, pain=4, night_pain=7, woke_at_night="yes") for n in range(28)]
    alert = fired(diary)["night_pain_most_nights"]
    assert alert.level == "soon"
    assert alert.since == ago(27)
    assert alert.evidence[-1].detail == "night pain 7/10, woke at night"
    assert "worsening_night_pain" not in fired(diary)


def test_waking_at_night_on_most_nights_counts_without_a_score() -> None:
    diary = [entry(n, woke_at_night="yes" if n % 3 else "no") for n in range(21)]
    assert levels_of(diary) == {"night_pain_most_nights": "soon"}


def test_waking_on_a_few_nights_among_many_good_ones_is_not_most_nights() -> None:
    diary = [entry(n, night_pain=1, woke_at_night="yes" if n % 4 == 0 else "no") for n in range(28)]
    assert "night_pain_most_nights" not in fired(diary)


@pytest.mark.parametrize("phase", [0, 1, 2])
def test_night_pain_rising_logged_every_third_day_is_soon(phase: int) -> None:
    # The rise of test_night_pain_rising_two_points_fires, written down every third night.
    diary = [entry(n, night_pain=3 if n < 7 else 1) for n in every(3, 21, phase)]
    assert levels_of(diary) == {"worsening_night_pain": "soon"}


def test_night_pain_rising_slowly_from_3_to_5_5_over_six_weeks_is_soon() -> None:
    climb = [round(3 + 2.5 * i / 41) for i in range(42)]
    assert fired(nights(climb))["worsening_night_pain"].level == "soon"


def test_pain_6_for_eight_weeks_logged_every_fourth_day_is_no_improvement() -> None:
    diary = [entry(n, pain=6) for n in every(4, 57)]
    alert = fired(diary)["no_improvement_6_weeks"]
    assert alert.level == "soon"
    assert alert.strength == pytest.approx(6)


def test_rest_not_easing_logged_on_only_4_of_14_days_is_soon() -> None:
    diary = [entry(n, pain=5, eased_by_rest="no") for n in (13, 9, 5, 1)]
    assert levels_of(diary) == {"not_eased_by_rest": "soon"}


def test_eight_percent_lost_between_readings_seven_months_apart_is_soon() -> None:
    diary = [entry(213, weight_kg=80.0), entry(0, weight_kg=73.6)]
    alert = fired(diary)["weight_loss"]
    assert alert.level == "soon"
    assert [e.detail for e in alert.evidence] == ["weight 80 kg", "weight 73.6 kg, 8% less"]


def test_weight_readings_more_than_a_year_apart_are_not_compared() -> None:
    assert "weight_loss" not in fired([entry(366, weight_kg=80.0), entry(0, weight_kg=70.0)])


def test_six_cramps_a_week_on_two_nights_for_three_weeks_is_frequent() -> None:
    diary = [entry(n, pain=None, cramps=3, cramp_minutes=2.0) for n in (20, 17, 13, 10, 6, 3)]
    alert = fired(diary)["frequent_cramps"]
    assert alert.level == "soon"
    assert alert.evidence[-1].detail == "3 cramps"


def test_fever_on_a_painless_day_after_paracetamol_counts_with_pain_on_the_days_before() -> None:
    diary = [entry(3, pain=6), entry(2, pain=7), entry(1, pain=6)]
    diary.append(entry(0, pain=0, temperature_c=38.9, medications="paracetamol 1 g"))
    alert = fired(diary)["fever_with_back_pain"]
    assert alert.level == "urgent"
    assert [(e.date, e.detail) for e in alert.evidence] == [
        (ago(1), "worst pain 6/10 that day"),
        (ago(0), "temperature 38.9 °C with worst pain 0/10 that day"),
    ]


def test_fever_evidence_names_the_days_worst_pain_as_such() -> None:
    # Pain 5 now, 8 at worst: the evidence says which one it shows.
    alert = fired([entry(0, pain=5, worst_pain=8, temperature_c=38.2)])["fever_with_back_pain"]
    assert alert.evidence[0].detail == "temperature 38.2 °C with worst pain 8/10 that day"


def test_a_new_lump_is_soon() -> None:
    alert = fired([entry(2, red_flags={"lump"})])["new_lump"]
    assert alert.level == "soon"
    assert alert.evidence[0].detail == "noted a new lump"
    assert "not a diagnosis" in alert.explanation


@pytest.mark.parametrize("flag", ["saddle_numbness", "bladder_bowel_change", "collapse"])
@pytest.mark.parametrize("days_ago", [8, 240])
def test_an_emergency_sign_with_nothing_logged_since_does_not_expire(
    flag: str, days_ago: int
) -> None:
    (alert,) = evaluate([entry(days_ago, red_flags={flag})], TODAY)
    assert (alert.rule, alert.level, alert.since) == (
        "emergency_symptom",
        "emergency",
        ago(days_ago),
    )


def test_a_fever_does_not_expire_but_a_normal_temperature_later_settles_it() -> None:
    hot = entry(10, pain=5, temperature_c=38.4)
    assert fired([hot])["fever_with_back_pain"].since == ago(10)
    assert "fever_with_back_pain" not in fired([hot, entry(4, pain=3, temperature_c=36.9)])


def test_every_warning_sign_the_diary_can_record_is_read_by_some_rule() -> None:
    from companion.entry import VOCABULARIES

    for flag in VOCABULARIES["red_flags"]:
        assert evaluate([entry(0, pain=3, red_flags={flag})], TODAY), flag


@pytest.mark.parametrize(
    "diary",
    [
        # One bad night among good ones, with everything else of a normal diary.
        [entry(n, pain=3, night_pain=9 if n == 0 else 1, woke_at_night="yes" if n == 0 else "no",
               eased_by_rest="yes", cramps=0) for n in range(42)],
        # Steady mild pain for three months.
        [entry(n, pain=2 + n % 2, worst_pain=3, night_pain=1, eased_by_rest="partly",
               weight_kg=70.0 if n % 14 == 0 else None) for n in range(90)],
        # Improving pain over ten weeks, logged every other day.
        [entry(n, pain=1 + n // 10, night_pain=n // 14, eased_by_rest="yes")
         for n in range(70) if n % 2 == 0],
    ],
    ids=["one-bad-night", "steady-mild", "improving"],
)  # fmt: skip
def test_nothing_fires_for_ordinary_diaries(diary: list[Entry]) -> None:
    assert evaluate(diary, TODAY) == []


def test_a_sign_noted_on_many_days_shows_its_first_day_and_its_latest() -> None:
    alert = fired([entry(n, red_flags={"lump"}) for n in range(30)])["new_lump"]
    assert [e.date for e in alert.evidence] == [ago(29), *(ago(n) for n in range(5, -1, -1))]
    assert alert.evidence[0].detail == "noted a new lump (the first of 30 days)"
    fever = fired([entry(n, pain=5, temperature_c=38.3) for n in range(12)])
    evidence = fever["fever_with_back_pain"].evidence
    assert len(evidence) == 7 and evidence[0].detail.endswith("(the first of 12 days)")


def test_a_fever_counts_with_pain_after_it_only_once_that_day_has_come() -> None:
    diary = [entry(2, pain=0, temperature_c=38.6), entry(0, pain=6)]
    assert "fever_with_back_pain" in fired(diary)
    assert "fever_with_back_pain" not in fired(diary, TODAY - timedelta(days=1))


def test_the_count_of_fever_days_goes_on_the_first_fever_not_on_a_pain_day() -> None:
    # Pain on days 20 and 10 ago ties the fevers of days 19 to 3 ago to back pain.
    fevers = [entry(n, pain=0, temperature_c=38.4) for n in range(19, -1, -1) if n != 10]
    evidence = fired([entry(20, pain=6), entry(10, pain=6), *fevers])["fever_with_back_pain"]
    assert [e.detail for e in evidence.evidence[:2]] == [
        "worst pain 6/10 that day",
        "temperature 38.4 °C with worst pain 0/10 that day (the first of 16 days)",
    ]
