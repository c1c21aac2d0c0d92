"""The entry model: every field kind and bound, and the rules for a whole entry."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from companion.entry import (
    FIELD_NAMES,
    SET_FIELDS,
    SPEC,
    SPECS,
    VOCABULARIES,
    Entry,
    ValidationError,
    build_entry,
    entries_text,
    join_set,
    ordered,
    parse_date,
    parse_value,
)
from companion.errors import DataError

NUMERIC = [s for s in SPECS if s.kind in ("int", "float")]


def refused(name: str, raw: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_value(name, raw)
    assert caught.value.field == name
    assert str(caught.value).startswith(f"{name}: ")
    return caught.value


def test_pain_eleven_is_refused_and_the_message_names_the_field() -> None:
    error = refused("pain", "11")
    assert str(error) == "pain: must be a whole number from 0 to 10"
    assert isinstance(error, DataError)


@pytest.mark.parametrize("spec", NUMERIC, ids=lambda s: s.name)
def test_numeric_bounds_are_inclusive(spec) -> None:  # type: ignore[no-untyped-def]
    assert parse_value(spec.name, f"{spec.low:g}") == spec.low
    assert parse_value(spec.name, f"{spec.high:g}") == spec.high
    assert parse_value(spec.name, spec.high) == spec.high


@pytest.mark.parametrize("spec", NUMERIC, ids=lambda s: s.name)
def test_numeric_values_outside_the_bounds_are_refused(spec) -> None:  # type: ignore[no-untyped-def]
    step = 1 if spec.kind == "int" else 0.1
    for raw in (f"{spec.low - step:g}", f"{spec.high + step:g}", spec.high + step):
        error = refused(spec.name, raw)
        assert f"from {spec.low:g} to {spec.high:g}" in error.problem


@pytest.mark.parametrize("name", [s.name for s in SPECS if s.kind == "int"])
def test_whole_number_fields_refuse_fractions_words_and_booleans(name: str) -> None:
    for raw in ("2.5", "two", "1e1", "", True, 2.5, [1]):
        if raw == "":
            assert parse_value(name, raw) is None
        else:
            refused(name, raw)
    assert parse_value(name, " 3 ") == 3
    assert parse_value(name, 3.0) == 3
    assert isinstance(parse_value(name, "3"), int)


@pytest.mark.parametrize("name", [s.name for s in SPECS if s.kind == "float"])
def test_decimal_fields_take_decimals_and_refuse_non_finite(name: str) -> None:
    low = SPEC[name].low
    assert low is not None
    assert parse_value(name, f"{low + 0.5}") == low + 0.5
    assert isinstance(parse_value(name, f"{low:g}"), float)
    for raw in ("nan", "inf", "-inf", float("nan"), "1,5", "5 kg"):
        refused(name, raw)


def test_dates_are_strict_and_real() -> None:
    assert parse_value("date", " 2026-02-28 ") == "2026-02-28"
    assert parse_date("2024-02-29") == "2024-02-29"
    assert refused("date", "20260101").problem == "must be a date written YYYY-MM-DD"
    assert refused("date", "2026-2-1").problem == "must be a date written YYYY-MM-DD"
    assert refused("date", "2026-02-30").problem == "is not a real calendar date"
    assert refused("date", "2025-02-29").problem == "is not a real calendar date"


def test_times_are_24_hour_hh_mm() -> None:
    assert parse_value("time", "00:00") == "00:00"
    assert parse_value("time", "23:59") == "23:59"
    for raw in ("24:00", "7:30", "07:60", "07:30:00", "noon"):
        refused("time", raw)


def test_choices_ignore_case_and_accept_booleans_for_yes_no() -> None:
    assert parse_value("woke_at_night", "YES") == "yes"
    assert parse_value("woke_at_night", True) == "yes"
    assert parse_value("woke_at_night", False) == "no"
    assert parse_value("eased_by_rest", " Partly ") == "partly"
    error = refused("eased_by_rest", "maybe")
    assert error.problem == "must be one of yes, partly, no"
    assert parse_value("eased_by_rest", False) == "no"
    refused("eased_by_rest", 1)


def test_sets_take_known_words_once_each() -> None:
    value = parse_value("locations", "leg_left; Lower_Back_Left;;leg_left")
    assert value == frozenset({"leg_left", "lower_back_left"})
    assert parse_value("relief", ["heat", "rest"]) == frozenset({"heat", "rest"})
    assert parse_value("triggers", "") == frozenset()
    assert parse_value("triggers", None) == frozenset()


def test_an_unknown_set_word_is_named_but_free_text_is_never_echoed() -> None:
    assert refused("locations", "lower_back_left;elbow").problem.startswith(
        "elbow is not one of: lower_back_left, "
    )
    error = refused("red_flags", "my private worry")
    assert "private" not in str(error)
    assert error.problem.startswith("a value is not one of: saddle_numbness")
    refused("locations", 42)


def test_text_fields_keep_the_words_and_refuse_nul_and_overlong_text() -> None:
    notes = "Line one,\nline two: =not a formula, «quotes» and 🙂"
    assert parse_value("notes", notes) == notes
    assert parse_value("notes", "") is None
    assert parse_value("notes", "x" * 4000) == "x" * 4000
    assert refused("notes", "x" * 4001).problem == "is longer than 4,000 characters"
    assert refused("medications", "x" * 501).problem == "is longer than 500 characters"
    error = refused("notes", "secret\x00text")
    assert error.problem == "contains a NUL character"
    assert "secret" not in str(error)
    refused("notes", 5)
    assert refused("medications", "caf\udce9").problem == "contains bytes that are not UTF-8 text"


def test_an_unknown_field_is_refused() -> None:
    assert refused("happiness", "good").problem == "is not a diary field"


def test_build_entry_needs_a_date_and_pain_or_cramps() -> None:
    with pytest.raises(ValidationError, match=r"^date: is required$"):
        build_entry({"pain": "3"})
    with pytest.raises(ValidationError) as caught:
        build_entry({"date": "2026-01-05", "notes": "only words"})
    assert caught.value.field == "pain"
    assert build_entry({"date": "2026-01-05", "cramps": "0"}).cramps == 0
    assert build_entry({"date": "2026-01-05", "pain": "0"}).pain == 0


def test_a_new_or_edited_entry_must_agree_with_itself() -> None:
    """Pain 9 with a worst pain of 4, and no cramps lasting 5 minutes, were saved as typed."""
    today = date(2026, 11, 20)
    with pytest.raises(ValidationError) as caught:
        build_entry({"date": "2026-11-20", "pain": "9", "worst_pain": "4"}, today=today)
    assert caught.value.field == "worst_pain"
    assert (
        caught.value.problem == "is lower than pain now; the worst pain of the day is at least that"
    )
    with pytest.raises(ValidationError) as caught:
        build_entry({"date": "2026-11-20", "cramps": "0", "cramp_minutes": "5"}, today=today)
    assert caught.value.field == "cramp_minutes"
    assert caught.value.problem == "is given for no cramps; leave it empty, or count the cramps"
    agreed = {
        "date": "2026-11-20",
        "pain": "4",
        "worst_pain": "4",
        "cramps": "1",
        "cramp_minutes": "5",
    }
    assert build_entry(agreed, today=today).worst_pain == 4
    assert build_entry({"date": "2026-11-20", "cramps": "0", "cramp_minutes": "0"}, today=today)
    # An import keeps what it is given, as it keeps its dates.
    assert build_entry({"date": "2026-11-20", "pain": "9", "worst_pain": "4"}).worst_pain == 4


def test_build_entry_fills_every_field_and_sets_default_to_empty() -> None:
    entry = build_entry({"date": "2026-01-05", "pain": "4", "locations": "leg_right"})
    assert entry.values()["locations"] == frozenset({"leg_right"})
    for name in SET_FIELDS:
        assert isinstance(getattr(entry, name), frozenset)
    assert list(entry.values()) == list(FIELD_NAMES)
    assert uuid.UUID(entry.id).version == 4
    assert build_entry({"date": "2026-01-05", "pain": "4"}).id != entry.id


def test_build_entry_normalises_a_given_id_and_refuses_a_bad_one() -> None:
    given = "0A1B2C3D-0000-4000-8000-000000000001"
    entry = build_entry({"date": "2026-01-05", "pain": 1}, entry_id=given)
    assert entry.id == given.lower()
    with pytest.raises(ValidationError, match=r"^id: must be a UUID$"):
        build_entry({"date": "2026-01-05", "pain": 1}, entry_id="not-an-id")


def test_build_entry_reports_the_first_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        build_entry({"date": "2026-01-05", "pain": "3", "temperature_c": "52"})
    assert caught.value.field == "temperature_c"
    assert caught.value.problem == "must be a number from 30 to 45"


def test_sets_are_written_in_vocabulary_order() -> None:
    chosen = frozenset({"leg_right", "abdomen", "lower_back_left"})
    assert ordered("locations", chosen) == ["lower_back_left", "leg_right", "abdomen"]
    assert join_set("locations", chosen) == "lower_back_left;leg_right;abdomen"
    assert join_set("relief", frozenset()) == ""


def test_every_set_field_has_a_vocabulary_and_every_choice_its_options() -> None:
    for spec in SPECS:
        if spec.kind == "set":
            assert spec.options == VOCABULARIES[spec.name]
        if spec.kind in ("set", "choice"):
            assert spec.options
            assert all(o == o.lower() and " " not in o for o in spec.options)


def test_an_entry_repr_holds_no_diary_text() -> None:
    entry = Entry(date="2026-01-05", pain=3, notes="private words", medications="pills")
    assert "private" not in repr(entry)
    assert "pills" not in repr(entry)


def test_emergency_flags_are_the_emergency_subset() -> None:
    entry = Entry(date="2026-01-05", pain=3, red_flags=frozenset({"fever", "saddle_numbness"}))
    assert entry.emergency_flags == frozenset({"saddle_numbness"})


def test_messages_count_entries_in_plain_english() -> None:
    assert [entries_text(n) for n in (0, 1, 2)] == ["0 entries", "1 entry", "2 entries"]


# --- the Entry record: read-only, compared by value, copied whole ------------------------------


def test_an_entry_takes_every_field_in_the_canonical_order() -> None:
    import inspect

    from companion.entry import ENTRY_ATTRIBUTES

    parameters = list(inspect.signature(Entry).parameters)
    assert parameters == [*FIELD_NAMES, "id", "created", "updated"] == list(ENTRY_ATTRIBUTES)
    positional = Entry("2026-11-20", "08:00", 4)
    assert (positional.date, positional.time, positional.pain) == ("2026-11-20", "08:00", 4)
    assert positional.locations == frozenset() and positional.notes is None


def test_an_entry_cannot_be_changed_in_place() -> None:
    entry = Entry("2026-11-20", pain=4)
    with pytest.raises(AttributeError):
        entry.pain = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del entry.pain
    with pytest.raises(AttributeError):
        entry.extra = 1  # type: ignore[attr-defined]
    assert entry.pain == 4


def test_entries_compare_and_hash_by_every_value() -> None:
    entry = Entry("2026-11-20", pain=4, locations=frozenset({"abdomen"}), notes="n")
    same = Entry("2026-11-20", pain=4, locations=frozenset({"abdomen"}), notes="n", id=entry.id)
    assert entry == same and hash(entry) == hash(same) and len({entry, same}) == 1
    assert entry != Entry("2026-11-20", pain=4, locations=frozenset({"abdomen"}), notes="n")
    assert entry != same.with_changes(updated="2026-11-20T08:00:00+00:00")
    assert entry != (entry.date, entry.pain)


def test_with_changes_keeps_the_rest_and_refuses_unknown_fields() -> None:
    entry = Entry("2026-11-20", pain=4, notes="kept", created="c")
    changed = entry.with_changes(pain=6)
    assert (changed.pain, changed.notes, changed.id, changed.created) == (6, "kept", entry.id, "c")
    assert entry.pain == 4
    with pytest.raises(TypeError):
        entry.with_changes(colour="red")


def test_an_entry_survives_copy_and_pickle_and_keeps_notes_out_of_its_repr() -> None:
    import copy
    import pickle

    entry = Entry("2026-11-20", pain=4, notes="private words")
    for twin in (copy.copy(entry), copy.deepcopy(entry), pickle.loads(pickle.dumps(entry))):
        assert twin == entry and twin is not entry
    assert "private" not in repr(entry) and entry.id in repr(entry)


def test_an_entry_without_an_id_gets_a_new_one() -> None:
    first, second = Entry("2026-11-20", pain=1), Entry("2026-11-20", pain=1)
    assert first.id != second.id
    assert str(uuid.UUID(first.id)) == first.id
