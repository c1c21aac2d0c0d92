"""Insights: the method on synthetic diaries (planted effects found, noise not), the days the
store aggregates, and ``companion insights``."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion import insights
from companion.entry import Entry
from companion.insights import (
    CAUSE,
    MIN_DAYS,
    FactorDay,
    analyse,
    factor_label,
    t_quantile,
    t_two_sided_p,
)
from companion.store import Store

START = date(2026, 5, 1)
TODAY = date(2026, 12, 1)
SITTING = ("triggers:sitting", "pain", 0)
STRETCHING = ("relief:stretching", "pain", 1)
OTHERS = tuple(
    f"{group}:{word}"
    for group, words in (
        ("triggers", ("standing", "lifting", "bending", "cold", "stress")),
        ("relief", ("rest", "walking", "heat")),
        ("locations", ("lower_back_left", "leg_left")),
        ("qualities", ("aching", "sharp")),
    )
    for word in words
)


def synthetic(
    seed: int,
    *,
    days: int = 120,
    planted: bool = True,
    noise: float = 1.0,
    others: tuple[str, ...] = OTHERS,
) -> list[FactorDay]:
    """A diary of ``days`` days: pain 4 plus noise; with ``planted``, sitting adds 2 points
    the same day and stretching takes 1.5 off the next day's; other factors at random."""
    rng = random.Random(seed)
    out, stretched = [], False
    for offset in range(days):
        factors = {f for f in others if rng.random() < 0.3}
        sitting = planted and rng.random() < 0.3
        stretching = planted and rng.random() < 0.3
        factors |= {"triggers:sitting"} if sitting else set()
        factors |= {"relief:stretching"} if stretching else set()
        pain = 4 + rng.gauss(0, noise) + 2 * sitting - 1.5 * stretched
        stretched = stretching
        out.append(
            FactorDay(
                START + timedelta(days=offset),
                pain,
                rng.choice((0, 0, 0, 1, 2)),
                rng.randint(0, 6),
                frozenset(factors),
            )
        )
    return out


def keyed(found: insights.Insights) -> dict[tuple[str, str, int], insights.Finding]:
    return {
        (f.comparison.factor, f.comparison.outcome, f.comparison.lag_days): f
        for f in found.findings
    }


# --- the t distribution ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tail", "df", "expected"),
    [(0.05, 1, 12.7062), (0.05, 10, 2.2281), (0.01, 7, 3.4995), (0.001, 30, 3.6460)],
)
def test_t_quantiles_match_the_tables(tail: float, df: float, expected: float) -> None:
    assert t_quantile(tail, df) == pytest.approx(expected, abs=1e-4)
    assert t_two_sided_p(expected, df) == pytest.approx(tail, rel=1e-3)


def test_t_p_values_at_the_edges() -> None:
    assert t_two_sided_p(0.0, 7) == 1.0
    assert t_two_sided_p(2.0, 5) == pytest.approx(0.10194, abs=1e-5)
    assert t_two_sided_p(60.0, 3) == pytest.approx(1.02e-5, rel=1e-2)


# --- the method on synthetic diaries --------------------------------------------------------


def test_planted_effects_are_found_with_their_sign_and_size_in_nearly_every_seed() -> None:
    sitting, stretching = [], []
    for seed in range(60):
        found = keyed(analyse(synthetic(seed), START, TODAY))
        if SITTING in found:
            sitting.append(found[SITTING].comparison.difference)
        if STRETCHING in found:
            stretching.append(found[STRETCHING].comparison.difference)
    # Over 300 seeds: sitting in every one, stretching the next day in 93% (its days carry
    # the sitting days' 2 points as noise, which a comparison of two groups cannot remove).
    assert len(sitting) == 60 and len(stretching) >= 54
    assert all(1.0 <= d <= 3.0 for d in sitting)
    assert all(-2.5 <= d <= -1.0 for d in stretching)
    assert 1.8 <= sum(sitting) / len(sitting) <= 2.2
    assert -1.7 <= sum(stretching) / len(stretching) <= -1.3


def test_a_planted_finding_carries_an_interval_that_excludes_zero_and_holds_the_truth() -> None:
    found = keyed(analyse(synthetic(3), START, TODAY))[SITTING]
    low, high = found.ci95
    assert 0 < low < found.comparison.difference < high
    assert low < 2 < high
    assert found.comparison.days_with + found.comparison.days_without == 120


def test_pure_noise_over_many_factors_finds_nothing_in_at_least_nine_seeds_of_ten() -> None:
    many = tuple(f"triggers:{w}" for w in ("sitting", "standing", "lifting", "bending")) + OTHERS
    with_findings = sum(
        bool(
            analyse(
                synthetic(1000 + seed, planted=False, noise=1.5, others=many), START, TODAY
            ).findings
        )
        for seed in range(100)
    )
    assert with_findings <= 10


def spells(
    seed: int, *, days: int = 120, carried: float = 0.7, stay: float = 0.9
) -> list[FactorDay]:
    """Pain that carries over from one day to the next (a flare lasts days) and factors that
    come in spells (named for weeks, then not), none related to the pain."""
    rng = random.Random(seed)
    drift, named = 0.0, {f for f in OTHERS if rng.random() < 0.3}
    out = []
    for offset in range(days):
        drift = carried * drift + rng.gauss(0, 1.5 * (1 - carried * carried) ** 0.5)
        named ^= {f for f in OTHERS if rng.random() > stay}
        out.append(FactorDay(START + timedelta(days=offset), 4 + drift, 0, 2, frozenset(named)))
    return out


def test_spells_of_unrelated_factors_over_lasting_pain_find_nothing() -> None:
    """Counted as independent days, 43% of such diaries showed a finding; days that follow
    each other share their pain, and the comparison now allows for it."""
    with_findings = sum(bool(analyse(spells(seed), START, TODAY).findings) for seed in range(100))
    assert with_findings <= 10


def test_a_factor_in_spells_with_a_real_effect_is_still_found() -> None:
    """A dozen spells hold less than 120 separate days: over 100 seeds a factor in spells
    adding 3 points is found in 88, one adding 2 in 46."""
    found = 0
    for seed in range(40):
        days = [
            FactorDay(d.date, d.pain + 3 * ("triggers:cold" in d.factors), 0, 2, d.factors)  # type: ignore[operator]
            for d in spells(seed)
        ]
        hit = keyed(analyse(days, START, TODAY)).get(("triggers:cold", "pain", 0))
        found += hit is not None and hit.comparison.difference > 0
    assert found >= 32


def test_a_small_difference_is_not_a_finding_however_sure() -> None:
    rng = random.Random(5)
    days = [
        FactorDay(
            START + timedelta(days=i),
            4 + 0.6 * (i % 2) + rng.gauss(0, 0.05),
            None,
            None,
            frozenset({"triggers:sitting"}) if i % 2 else frozenset(),
        )
        for i in range(200)
    ]
    found = analyse(days, START, TODAY)
    assert found.findings == []
    assert found.nothing == ["triggers:sitting"]


def test_too_few_days_are_reported_as_such() -> None:
    found = analyse(synthetic(1, days=12), START, TODAY)
    assert found.comparisons == 0 and found.findings == []
    assert found.nothing == []
    named = dict(found.too_few)
    assert named["triggers:sitting"] == sum(
        "triggers:sitting" in d.factors for d in synthetic(1, days=12)
    )


def test_a_factor_named_on_nearly_every_day_has_too_few_days_without_it() -> None:
    days = [
        FactorDay(
            START + timedelta(days=i),
            4.0 + i % 3,
            0,
            1,
            frozenset({"qualities:aching"} if i >= MIN_DAYS - 1 else set()),
        )
        for i in range(60)
    ]
    found = analyse(days, START, TODAY)
    assert found.too_few == [("qualities:aching", 60 - MIN_DAYS + 1)]
    assert found.comparisons == 0


def test_days_all_alike_on_each_side_neither_crash_nor_hide_a_clear_difference() -> None:
    days = [
        FactorDay(
            START + timedelta(days=i),
            6.0 if i % 2 else 4.0,
            0,
            None,
            frozenset({"triggers:sitting"}) if i % 2 else frozenset(),
        )
        for i in range(30)
    ]
    found = keyed(analyse(days, START, TODAY))
    assert found[SITTING].ci95 == (2.0, 2.0)
    assert not any(outcome == "cramps" for _, outcome, _ in found)


def test_the_next_day_is_the_calendar_day_after_never_the_next_day_logged() -> None:
    # Logged every third day: no day has its next day logged, so nothing is compared at lag 1.
    days = [d for i, d in enumerate(synthetic(2, days=300)) if i % 3 == 0]
    found = analyse(days, START, TODAY)
    assert found.comparisons > 0
    assert {f.comparison.lag_days for f in found.findings} <= {0}
    assert all(c.lag_days == 0 for c in insights.compare_all(days))


def test_the_calendars_last_day_has_no_next_day() -> None:
    """A diary ending on 31 Dec 9999 stopped the summary with an OverflowError."""
    last = [
        FactorDay(
            date.max - timedelta(days=i),
            4.0 + i % 2,
            None,
            None,
            frozenset({"relief:heat"} if i % 2 else set()),
        )
        for i in range(30)
    ]
    assert {c.lag_days for c in insights.compare_all(last)} == {0, 1}


def test_labels_read_as_words() -> None:
    assert factor_label("triggers:sitting") == "sitting as a trigger"
    assert factor_label("relief:position_change") == "position change as what helped"
    assert factor_label("locations:lower_back_left") == "lower back (left) pain"
    assert factor_label("qualities:other") == "pain of another kind"
    assert factor_label("medicine:ibuprofen") == "ibuprofen taken"


def test_a_finding_says_what_went_with_what_in_one_sentence() -> None:
    found = keyed(analyse(synthetic(3), START, TODAY))
    c = found[STRETCHING].comparison
    assert found[STRETCHING].text == (
        f"On days with stretching as what helped, pain the next day was {-c.difference:.1f} "
        f"points lower on average ({c.mean_with:.1f} against {c.mean_without:.1f}; "
        f"{c.days_with} days with, {c.days_without} without)."
    )


# --- the days the store aggregates ---------------------------------------------------------


def entry(day: str, **values: object) -> Entry:
    return Entry(date=day, **values)  # type: ignore[arg-type]


def test_a_factor_named_in_any_entry_of_a_day_counts_for_that_day(store: Store) -> None:
    store.add(entry("2026-11-01", pain=2, triggers=frozenset({"sitting"}), cramps=1, night_pain=3))
    store.add(entry("2026-11-01", pain=5, relief=frozenset({"heat"}), night_pain=6))
    store.add(entry("2026-11-02", cramps=2))
    store.add(entry("2026-11-02", pain=4))
    store.add(entry("2026-11-03", pain=1, locations=frozenset({"leg_left", "abdomen"})))
    store.add(entry("2026-10-31", pain=9, triggers=frozenset({"cold"})))
    days = insights.read_days(store, date(2026, 11, 1), date(2026, 11, 30))
    assert [(d.date.day, d.pain, d.cramps, d.night_pain, d.factors) for d in days] == [
        (1, 3.5, 1, 6, frozenset({"triggers:sitting", "relief:heat"})),
        (2, 4.0, 2, None, frozenset()),
        (3, 1.0, None, None, frozenset({"locations:leg_left", "locations:abdomen"})),
    ]


def test_medicines_sleep_mood_and_activity_are_factors_of_their_days(store: Store) -> None:
    from companion import doses
    from companion.medicines import parse_dose

    store.add(entry("2026-11-01", pain=2, sleep_hours=5.5, mood=3, activity_min=45))
    store.add(entry("2026-11-02", pain=4, sleep_hours=8.0, mood=7, activity_min=10))
    store.add(entry("2026-11-03", pain=3))
    for day, name, amount in (
        ("2026-11-01", "ibuprofen", "400mg"),
        ("2026-11-01", "Paracetamol", "1g"),
        ("2026-11-03", "ibuprofen", "200mg"),
        ("2026-11-04", "naproxen", "250mg"),
    ):
        doses.add(store, doses.DoseRecord(day, "08:00", parse_dose(name, amount)))
    days = insights.read_days(store, date(2026, 11, 1), date(2026, 11, 30))
    assert [(d.date.day, d.factors) for d in days] == [
        (
            1,
            frozenset(
                {
                    "medicine:ibuprofen",
                    "medicine:paracetamol",
                    "sleep:under_6_hours",
                    "mood:low",
                    "activity:30_minutes_or_more",
                }
            ),
        ),
        (2, frozenset()),
        (3, frozenset({"medicine:ibuprofen"})),
    ]  # a dose on a day without entries has no outcome to compare
    assert factor_label("medicine:ibuprofen") == "ibuprofen taken"
    assert factor_label("sleep:under_6_hours") == "sleep under 6 hours"
    assert factor_label("mood:low") == "low mood"


def planted_diary(store: Store, days: int = 150, seed: int = 11) -> None:
    """Entries as typed: whole numbers of pain, sitting 2 points worse the same day."""
    rng = random.Random(seed)
    rows = []
    for offset in range(days):
        sitting = rng.random() < 0.35
        pain = max(0, min(10, round(3 + 2.5 * sitting + rng.gauss(0, 1))))
        rows.append(
            Entry(
                date=(TODAY - timedelta(days=days - 1 - offset)).isoformat(),
                pain=pain,
                cramps=rng.choice((0, 0, 1)),
                night_pain=rng.randint(0, 4),
                triggers=frozenset({"sitting"} if sitting else set())
                | ({"cold"} if rng.random() < 0.3 else set()),
                relief=frozenset({"heat"} if rng.random() < 0.4 else set()),
                locations=frozenset({"lower_back_left"}),
            )
        )
    store.merge(rows)


def test_insights_json_lists_the_findings_with_every_field(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(home) as store:
        planted_diary(store)
    result = cli("insights", "--today", TODAY.isoformat(), "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    sitting = [r for r in rows if (r["factor"], r["outcome"], r["lag_days"]) == SITTING]
    assert len(sitting) == 1
    (row,) = sitting
    assert set(row) >= {
        "factor",
        "outcome",
        "lag_days",
        "difference",
        "ci95",
        "days_with",
        "days_without",
        "text",
    }
    assert 1.8 <= row["difference"] <= 3.2
    assert 0 < row["ci95"][0] < row["difference"] < row["ci95"][1]
    assert row["days_with"] + row["days_without"] == 150
    assert row["text"].startswith("On days with sitting as a trigger, pain that day was ")
    assert all(r["factor"] != "locations:lower_back_left" for r in rows)


def test_insights_text_says_what_holds_up_and_that_it_is_not_a_cause(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(home) as store:
        planted_diary(store)
    result = cli("insights", "--today", TODAY.isoformat())
    assert result.code == 0, result.err
    assert "What holds up:\n  - On days with sitting as a trigger" in result.out
    assert CAUSE in result.out and "Holm" in result.out
    assert "Too few days to say" in result.out  # the place named on every day
    assert "lower back (left) pain (150)" in result.out


def test_insights_over_a_range_reads_only_its_days(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(home) as store:
        planted_diary(store)
    result = cli("insights", "--from", "2026-11-25", "--today", TODAY.isoformat(), "--json")
    assert (result.code, result.out.strip()) == (0, "[]")
    text = cli("insights", "--from", "2026-11-25", "--today", TODAY.isoformat()).out
    assert text.startswith("Insights from 2026-11-25 to 2026-12-01: 7 days logged, 0 comparisons")
    assert "Too few days to compare anything" in text


def test_insights_of_an_empty_diary(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("insights", "--today", TODAY.isoformat(), "--json")
    assert (result.code, result.out.strip(), result.err) == (0, "[]", "")
    assert "0 days logged" in cli("insights", "--today", TODAY.isoformat()).out


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--from", "2026-11-20", "--to", "2026-11-01"), "is after the end date"),
        (("--to", "2026-12-02"), "is after today"),
        (("--from", "2026-13-01"), "--from"),
        (("--to", "yesterday"), "--to"),
    ],
)
def test_insights_refuses_bad_dates_in_one_line(cli, args: tuple[str, ...], problem: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("insights", "--today", TODAY.isoformat(), *args)
    assert result.code == 2
    assert result.err.count("\n") == 1 and problem in result.err
    assert result.out == ""


# --- the summary for a doctor ---------------------------------------------------------------


def test_the_summary_names_the_findings_with_the_same_caveats(store: Store) -> None:
    from companion.report_html import render
    from companion.summary import summarise

    planted_diary(store)
    page = render(summarise(store, TODAY - timedelta(days=149), TODAY, TODAY))
    section = page[page.index('<section id="insights">') :]
    section = section[: section.index("</section>")]
    assert "sitting as a trigger: pain that day +" in section
    assert "points (95% interval +" in section
    assert "An association is not a cause." in section and "Holm" in section
    assert "lower back" not in section  # named every day: too few days without it


def test_the_summary_shows_the_strongest_findings_and_counts_the_rest(store: Store) -> None:
    from html import unescape

    from companion.report_html import INSIGHTS_SHOWN, render
    from companion.summary import summarise

    planted_diary(store)
    with store.write() as conn:  # stress and rest on the days of sitting too
        conn.execute(
            "UPDATE entries SET relief = 'rest', qualities = 'sharp', triggers = "
            "'sitting;stress' WHERE triggers LIKE '%sitting%'"
        )
    summary = summarise(store, TODAY - timedelta(days=149), TODAY, TODAY)
    assert summary.insights is not None
    findings = summary.insights.findings
    assert len(findings) > INSIGHTS_SHOWN
    page = render(summary)
    for shown in findings[:INSIGHTS_SHOWN]:
        assert factor_label(shown.comparison.factor) + ": " in page
    other = findings[INSIGHTS_SHOWN].comparison.factor
    assert factor_label(other) + ": " not in page
    rest = len(findings) - INSIGHTS_SHOWN
    assert f"and {rest} other finding{'s' * (rest > 1)} ('companion insights'" in unescape(page)


def test_the_summary_of_too_few_days_says_so(store: Store) -> None:
    from companion.report_html import render
    from companion.summary import summarise

    store.add(Entry(date="2026-11-30", pain=3, triggers=frozenset({"cold"})))
    page = render(summarise(store, TODAY - timedelta(days=89), TODAY, TODAY))
    assert "<strong>What goes with better or worse days:</strong> too few days to compare." in page
    assert "0 comparisons of days with and without each factor" in page


def test_bars_fill_eighths_of_a_cell_and_keep_their_width() -> None:
    from companion.blocks import hbar

    assert hbar(5, 10, 4) == "██  "
    assert hbar(10, 10, 4) == "████" == hbar(12, 10, 4)
    assert hbar(0, 10, 4) == "    "
    assert hbar(0.01, 10, 4) == "▏   "  # above nothing shows
    assert hbar(1.25, 10, 4) == "▌   "


def test_a_bound_that_rounds_to_zero_is_written_without_a_sign() -> None:
    c = insights.Comparison("triggers:cold", "pain", 0, 10, 10, 5.0, 3.9, 0.001, 0.5, 18.0)
    row = insights.Finding(c, (-0.004, 2.2)).as_json()
    assert json.dumps(row["ci95"]) == "[0.0, 2.2]"
