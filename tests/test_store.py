"""The diary store: CHECK constraints, writes, paging, daily aggregates, modes, concurrency."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.entry import Entry
from companion.errors import DataError, StoreError
from companion.store import Store, entry_to_params
from companion.store.records import PageKey

FULL = Entry(
    id="11111111-1111-4111-8111-111111111111",
    date="2026-03-04",
    time="07:45",
    pain=6,
    worst_pain=8,
    night_pain=5,
    woke_at_night="yes",
    eased_by_rest="no",
    morning_stiffness_min=45,
    locations=frozenset({"lower_back_left", "leg_left"}),
    qualities=frozenset({"burning"}),
    cramps=2,
    cramp_minutes=3.5,
    cramp_sites=frozenset({"calf_left"}),
    triggers=frozenset({"sitting", "cold"}),
    relief=frozenset({"heat"}),
    medications="ibuprofen 400 mg",
    weight_kg=81.4,
    temperature_c=37.2,
    red_flags=frozenset({"fever"}),
    notes="Bad night.\nBetter after a walk.",
)


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def raw_insert(store: Store, **changes: object) -> None:
    params = entry_to_params(FULL.with_changes(created="t", updated="t"))
    params.update(changes)
    names = ", ".join(params)
    marks = ", ".join(f":{n}" for n in params)
    store.conn.execute(f"INSERT INTO entries ({names}) VALUES ({marks})", params)


# --- CHECK constraints ------------------------------------------------------------------


def test_raw_sql_accepts_a_valid_full_row(store: Store) -> None:
    raw_insert(store)
    assert store.get(FULL.id) == FULL.with_changes(created="t", updated="t")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("pain", 11),
        ("pain", -1),
        ("pain", 6.5),
        ("pain", "six"),
        ("pain", "6.5"),
        ("worst_pain", 11),
        ("night_pain", 12),
        ("morning_stiffness_min", 1441),
        ("cramps", 101),
        ("cramp_minutes", 600.5),
        ("cramp_minutes", "two"),
        ("weight_kg", 19.9),
        ("temperature_c", 45.1),
        ("date", "2026-02-30"),
        ("date", "20260101"),
        ("date", None),
        ("time", "24:00"),
        ("time", "7:30"),
        ("woke_at_night", "maybe"),
        ("eased_by_rest", "YES"),
        ("locations", "lower_back_left;elbow"),
        ("locations", "lower_back_left;lower_back_left"),
        ("red_flags", "fever;;elbow"),
        ("notes", "a\x00b"),
        ("notes", "x" * 4001),
        ("medications", "x" * 501),
        ("notes", b"bytes"),
        ("id", "short"),
    ],
)
def test_check_constraints_refuse_what_validation_refuses(
    store: Store, column: str, value: object
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        raw_insert(store, **{column: value})
    assert store.count() == 0


def test_check_constraint_needs_pain_or_cramps(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        raw_insert(store, pain=None, cramps=None)
    raw_insert(store, pain=None)
    assert store.count() == 1


@pytest.mark.parametrize(("column", "value"), [("time", "25:00"), ("pain", 11), ("notes", b"\x00")])
def test_a_refused_value_is_reported_by_field_without_the_value(
    store: Store, column: str, value: object
) -> None:
    with pytest.raises(StoreError) as caught, store.write():
        raw_insert(store, **{column: value})
    assert str(caught.value) == f"{store.path}: the diary refused a value for {column}"
    assert store.count() == 0


# --- writes ---------------------------------------------------------------------------


def test_add_then_get_gives_back_every_field(store: Store) -> None:
    saved = store.add(FULL)
    assert saved.created and saved.created == saved.updated
    again = store.get(FULL.id)
    assert again == saved
    assert again is not None and again.values() == FULL.values()
    assert store.get(uid(9)) is None


def test_update_keeps_created_and_moves_updated(store: Store) -> None:
    saved = store.add(FULL.with_changes(created="2026-01-01T00:00:00+00:00"))
    changed = store.update(saved.with_changes(pain=2, notes=None))
    row = store.get(FULL.id)
    assert row == changed
    assert row is not None and (row.pain, row.notes) == (2, None)
    assert row.created == "2026-01-01T00:00:00+00:00"
    assert row.updated >= saved.updated
    with pytest.raises(StoreError, match="no longer exists"):
        store.update(FULL.with_changes(id=uid(5)))


def test_delete_returns_the_entry_and_restore_puts_it_back_exactly(store: Store) -> None:
    saved = store.add(FULL)
    removed = store.delete(FULL.id)
    assert removed == saved
    assert store.count() == 0
    store.restore(removed)
    assert store.get(FULL.id) == saved
    with pytest.raises(StoreError, match="no longer exists"):
        store.delete(uid(5))


def test_merge_adds_changes_and_skips_by_id(store: Store) -> None:
    first = store.merge([FULL, FULL.with_changes(id=uid(1), pain=1)])
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    created = store.get(FULL.id)
    assert created is not None
    second = store.merge([FULL, FULL.with_changes(id=uid(1), pain=4), Entry("2026-03-05", pain=0)])
    assert (second.added, second.changed, second.unchanged) == (1, 1, 1)
    assert store.count() == 3
    changed = store.get(uid(1))
    assert changed is not None and changed.pain == 4
    assert store.get(FULL.id) == created


def test_merge_is_all_or_nothing(store: Store) -> None:
    store.add(FULL)

    def entries() -> Iterator[Entry]:
        yield FULL.with_changes(pain=0)
        yield Entry("2026-03-05", pain=2, id=uid(1))
        raise DataError("line 4: pain: must be a whole number from 0 to 10")

    with pytest.raises(DataError, match="line 4"):
        store.merge(entries())
    assert store.count() == 1
    kept = store.get(FULL.id)
    assert kept is not None and kept.pain == 6


def test_a_store_error_inside_write_rolls_back(store: Store) -> None:
    with pytest.raises(StoreError), store.write() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')")
        raw_insert(store, pain=11)
    assert store.setting("a") is None
    assert not store.conn.in_transaction


def test_settings_round_trip(store: Store) -> None:
    assert store.setting("emergency_number", "112") == "112"
    store.set_setting("emergency_number", "999")
    store.set_setting("emergency_number", "911")
    assert store.setting("emergency_number") == "911"


# --- queries --------------------------------------------------------------------------


def sample(n: int = 57) -> list[Entry]:
    """Several entries a day, some without a time, some with cramps or night pain or notes."""
    entries = []
    for i in range(n):
        entries.append(
            Entry(
                id=uid(i),
                date=f"2026-04-{1 + i // 4:02d}",
                time=None if i % 5 == 0 else f"{8 + (i * 7) % 12:02d}:{(i * 13) % 60:02d}",
                pain=i % 11,
                cramps=i % 3,
                night_pain=(i * 3) % 4,
                notes="walked by the sea" if i % 6 == 0 else None,
            )
        )
    return entries


def key(e: Entry) -> tuple[str, str, str]:
    return (e.date, e.time or "", e.id)


@pytest.mark.parametrize("newest_first", [True, False])
def test_keyset_pages_cover_every_entry_once_in_order(store: Store, newest_first: bool) -> None:
    entries = sample()
    store.merge(reversed(entries))
    seen: list[Entry] = []
    after = None
    while page := store.page(after=after, limit=10, newest_first=newest_first):
        assert len(page) <= 10
        seen += page
        after = PageKey.of(page[-1])
    expected = sorted(entries, key=key, reverse=newest_first)
    assert [e.id for e in seen] == [e.id for e in expected]


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"has_cramps": True}, lambda e: e.cramps > 0),
        ({"night_pain": True}, lambda e: e.night_pain > 0),
        ({"text": "BY THE"}, lambda e: e.notes is not None),
        ({"on_or_before": "2026-04-07"}, lambda e: e.date <= "2026-04-07"),
        (
            {"has_cramps": True, "night_pain": True},
            lambda e: e.cramps > 0 and e.night_pain > 0,
        ),
    ],
)
def test_filtered_pages_give_exactly_the_matching_entries(
    store: Store,
    filters: dict[str, object],
    keep: object,
) -> None:
    entries = sample()
    store.merge(entries)
    seen: list[str] = []
    after = None
    while page := store.page(after=after, limit=7, **filters):  # type: ignore[arg-type]
        seen += [e.id for e in page]
        after = PageKey.of(page[-1])
    expected = [e.id for e in sorted(entries, key=key, reverse=True) if keep(e)]  # type: ignore[operator]
    assert expected
    assert seen == expected


def test_iter_rows_streams_a_date_range_in_order(store: Store) -> None:
    entries = sample()
    store.merge(entries)
    rows = list(store.iter_rows("2026-04-03", "2026-04-05"))
    expected = sorted((e for e in entries if "2026-04-03" <= e.date <= "2026-04-05"), key=key)
    assert [e.id for e in rows] == [e.id for e in expected]
    assert len(list(store.iter_rows())) == len(entries)
    assert store.count() == len(entries)
    assert store.span() == ("2026-04-01", "2026-04-15")
    assert [e.id for e in store.entries_on("2026-04-02")] == [
        e.id for e in sorted(entries[4:8], key=key)
    ]


def test_span_of_an_empty_diary_is_none(store: Store) -> None:
    assert store.span() is None
    assert store.daily() == []


def test_daily_aggregates_in_sql(store: Store) -> None:
    store.merge(
        [
            Entry("2026-05-01", "08:00", pain=2, worst_pain=4, night_pain=1, cramps=1,
                  cramp_minutes=2, weight_kg=80, eased_by_rest="yes", id=uid(1)),
            Entry("2026-05-01", "20:00", pain=5, night_pain=3, woke_at_night="yes",
                  eased_by_rest="no", cramps=2, cramp_minutes=6.5, weight_kg=81,
                  temperature_c=38.1, red_flags=frozenset({"fever"}), id=uid(2)),
            Entry("2026-05-01", None, cramps=1, red_flags=frozenset({"lump", "fever"}), id=uid(3)),
            Entry("2026-05-03", "09:00", pain=1, eased_by_rest="no", id=uid(4)),
        ]
    )  # fmt: skip
    first, third = store.daily()
    assert first.date == "2026-05-01"
    assert first.entries == 3
    assert first.pain_mean == pytest.approx(3.5)
    assert first.pain_worst == 5
    assert first.night_pain == 3
    assert first.woke_at_night and first.rest_answered and first.rest_not_easing
    assert first.cramps == 4
    assert first.cramp_minutes == 6.5
    assert first.weight_kg == pytest.approx(80.5)
    assert first.temperature_c == 38.1
    assert first.red_flags == frozenset({"fever", "lump"})
    # Rest not easing counts only when the pain was at least 3.
    assert (third.date, third.pain_worst, third.rest_not_easing) == ("2026-05-03", 1, False)
    assert third.cramps == 0 and third.red_flags == frozenset()
    assert [d.date for d in store.daily("2026-05-02", None)] == ["2026-05-03"]


# --- files and processes --------------------------------------------------------------

MODES_SCRIPT = """
import json, os, stat, sys
os.umask(int(sys.argv[2], 8))
from pathlib import Path
from companion.__main__ import main
from companion.entry import Entry
from companion.store import Store
home = Path(sys.argv[1]) / "home"
store = Store.open(home)
store.add(Entry("2026-01-02", pain=3))
assert main(["--home", str(home), "export", "--csv", str(home / "out.csv")]) == 0
names = ["", "diary.sqlite3", "diary.sqlite3-wal", "diary.sqlite3-shm", "out.csv"]
print(json.dumps({n: oct(stat.S_IMODE((home / n).stat().st_mode)) for n in names}))
"""


@pytest.mark.parametrize("umask", ["022", "002"])
def test_directory_and_every_file_are_private_under_any_umask(tmp_path: Path, umask: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", MODES_SCRIPT, str(tmp_path), umask],
        capture_output=True,
        text=True,
        check=True,
    )
    modes = json.loads(done.stdout.splitlines()[-1])
    assert modes == {
        "": "0o700",
        "diary.sqlite3": "0o600",
        "diary.sqlite3-wal": "0o600",
        "diary.sqlite3-shm": "0o600",
        "out.csv": "0o600",
    }


WRITER_SCRIPT = """
import sys
import threading
from companion.entry import Entry
from companion.store import Store
home, who = sys.argv[1], int(sys.argv[2])
for i in range(50):
    with Store.open(home) as store:
        store.add(Entry("2026-06-01", pain=i % 11, notes=f"writer {who} entry {i}"))
"""


def test_two_processes_writing_at_once_lose_nothing(home: Path) -> None:
    # Both start on a diary that does not exist yet, so creating and migrating race too.
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, str(home), str(who)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in (1, 2)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "locked" not in err
    with Store.open(home) as store:
        notes = {e.notes for e in store.iter_rows()}
    assert notes == {f"writer {w} entry {i}" for w in (1, 2) for i in range(50)}


def test_opening_waits_while_another_program_creates_the_diary(home: Path) -> None:
    # Another program has just created the file and holds its write lock (as a first
    # `companion log` does while it sets the diary up): switching to WAL must wait for it,
    # not fail with "database is locked".
    home.mkdir(mode=0o700)
    other = sqlite3.connect(home / "diary.sqlite3", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        with Store.open(home) as store:
            assert store.read("PRAGMA journal_mode") == [("wal",)]
    finally:
        release.join()
        other.close()
