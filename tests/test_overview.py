"""The dashboard's figures and words, from a real diary, without the app."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.blocks import BLOCKS, bar
from companion.entry import Entry
from companion.overview import DAYS_SHOWN, Overview, Sentence, summary
from companion.store import Store

TODAY = date(2026, 11, 21)


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def overview(store: Store) -> Overview:
    start = TODAY - timedelta(days=DAYS_SHOWN - 1)
    return Overview.of(store.daily(start.isoformat(), TODAY.isoformat()), TODAY)


def weeks(last_week: float | None, this_week: float | None) -> Overview:
    days = tuple(TODAY - timedelta(days=DAYS_SHOWN - 1 - n) for n in range(DAYS_SHOWN))
    pain = (last_week,) * 7 + (this_week,) * 7
    return Overview(days, pain, (None,) * DAYS_SHOWN, this_week, last_week, 0, 0)


def test_fourteen_days_up_to_today_from_the_daily_aggregates(store: Store) -> None:
    store.merge(
        [
            Entry(date=ago(0), time="08:00", pain=6, night_pain=3, cramps=1),
            Entry(date=ago(0), time="20:00", pain=4),  # the day's mean: 5
            Entry(date=ago(6), pain=2, cramps=2),  # the first day of this week
            Entry(date=ago(7), pain=8, cramps=4),  # the last day of the week before
            Entry(date=ago(13), pain=7, night_pain=0),
            Entry(date=ago(14), pain=10, cramps=9),  # before the fortnight: left out
        ]
    )
    shown = overview(store)
    assert shown.days[0] == TODAY - timedelta(days=13) and shown.days[-1] == TODAY
    assert shown.pain == (7.0, None, None, None, None, None, 8.0, 2.0, *(None,) * 5, 5.0)
    assert shown.night == (0.0, *(None,) * 12, 3.0)  # a night logged at 0 is not a gap
    assert (shown.last_week, shown.this_week) == (7.5, 3.5)
    assert (shown.cramps_last_week, shown.cramps_this_week) == (4, 3)
    assert shown.change_words() == Sentence(
        "Average pain 3.5 in the last 7 days, ",
        "▼ 4.0 lower: clearly better",
        " than 7.5 the week before.",
        "better",
    )
    assert shown.cramp_words() == "Cramps: 3 cramps in the last 7 days, 4 cramps the week before."


def test_an_empty_fortnight_says_so(store: Store) -> None:
    shown = overview(store)
    assert shown.pain == (None,) * DAYS_SHOWN
    assert shown.change_words().text == "No pain scores in the last 7 days yet."
    assert shown.cramp_words() == "Cramps: no cramps in the last 7 days, no cramps the week before."


@pytest.mark.parametrize(
    ("last_week", "this_week", "said", "tone"),
    [
        (None, 4.0, "Average pain 4.0 in the last 7 days; nothing to compare with the week before.",
         None),
        (5.0, 5.4, "Average pain 5.4 in the last 7 days, = about the same as 5.0 the week before.",
         "same"),
        (5.0, 5.5, "Average pain 5.5 in the last 7 days, ▲ 0.5 higher: a little worse than 5.0 "
         "the week before.", "worse"),
        # 2 points, or 30% of the week before: clear (Farrar 2001)...
        (6.0, 4.0, "Average pain 4.0 in the last 7 days, ▼ 2.0 lower: clearly better than 6.0 "
         "the week before.", "better"),
        (3.0, 2.1, "Average pain 2.1 in the last 7 days, ▼ 0.9 lower: clearly better than 3.0 "
         "the week before.", "better"),
        (7.0, 4.9, "Average pain 4.9 in the last 7 days, ▼ 2.1 lower: clearly better than 7.0 "
         "the week before.", "better"),
        # ...and from 0, where there is no share to take, only the 2 points.
        (0.0, 1.0, "Average pain 1.0 in the last 7 days, ▲ 1.0 higher: a little worse than 0.0 "
         "the week before.", "worse"),
        (6.0, 4.5, "Average pain 4.5 in the last 7 days, ▼ 1.5 lower: a little better than 6.0 "
         "the week before.", "better"),
    ],
)  # fmt: skip
def test_this_week_against_the_week_before_in_words(
    last_week: float | None, this_week: float, said: str, tone: str | None
) -> None:
    words = weeks(last_week, this_week).change_words()
    assert (words.text, words.tone) == (said, tone)


def test_cramps_are_counted_in_the_singular_for_one() -> None:
    one = Overview(weeks(1, 1).days, (None,) * 14, (None,) * 14, None, None, 1, 0)
    assert one.cramp_words() == "Cramps: 1 cramp in the last 7 days, no cramps the week before."


def test_a_row_summary_says_what_it_has() -> None:
    assert summary([None, None], "night pain") == "no night pain logged"
    assert summary([None, 6.0], "pain") == "6 on one day"
    assert summary([5.0, None, 7.5, 4.25], "pain") == "avg 5.6 (4.2-7.5)"


def test_a_days_bar_is_a_block_from_the_lowest_to_the_full_one() -> None:
    assert [bar(v, 10.0) for v in (0.0, 5.0, 10.0)] == ["▁", "▅", "█"]
    assert bar(-1.0, 10.0) == BLOCKS[0] and bar(12.0, 10.0) == BLOCKS[-1]
