"""Importing over entries the diary already has: a missing column keeps what the diary holds,
an empty cell clears it, an older row never undoes a later edit, and the same id twice in one
file is refused. A big import holds the write lock only for its final copy."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from companion import csvio
from companion.demo import demo_entries
from companion.entry import Entry
from companion.store import Store

REPO = Path(__file__).resolve().parent.parent
ID1 = "00000000-0000-4000-8000-000000000001"
ID2 = "00000000-0000-4000-8000-000000000002"
FULL = Entry(
    id=ID1,
    date="2026-03-01",
    time="08:00",
    pain=5,
    worst_pain=7,
    night_pain=3,
    woke_at_night="no",
    eased_by_rest="partly",
    morning_stiffness_min=20,
    locations=frozenset({"lower_back_left", "leg_left"}),
    qualities=frozenset({"aching"}),
    cramps=1,
    cramp_minutes=2.5,
    cramp_sites=frozenset({"calf_left"}),
    triggers=frozenset({"sitting"}),
    relief=frozenset({"heat"}),
    medications="ibuprofen 400 mg",
    weight_kg=80.5,
    temperature_c=37.1,
    red_flags=frozenset({"fever"}),
    notes="Long drive.\nStiff after.",
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def stored(home: Path, entry_id: str = ID1) -> Entry:
    with Store.open(home) as store:
        entry = store.get(entry_id)
    assert entry is not None
    return entry


def test_a_file_with_some_columns_keeps_every_other_field(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    with Store.open(home) as store:
        store.add(FULL)
    path = write(tmp_path / "pain.csv", f"date,pain,id\n2026-03-01,2,{ID1}\n")
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert result.out == f"Imported {path}: 0 new, 1 updated, 0 already in the diary\n"
    assert stored(home).values() == FULL.with_changes(pain=2).values()


def test_an_empty_cell_in_a_present_column_clears_that_field(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    with Store.open(home) as store:
        store.add(FULL)
    path = write(
        tmp_path / "clear.csv",
        f"date,pain,notes,locations,weight_kg,id\n2026-03-01,5,,,,{ID1}\n",
    )
    assert cli("import", str(path)).code == 0
    expected = FULL.with_changes(notes=None, locations=frozenset(), weight_kg=None)
    assert stored(home).values() == expected.values()


def test_clearing_the_only_score_left_names_the_line(cli: Any, home: Path, tmp_path: Path) -> None:
    with Store.open(home) as store:
        store.add(FULL.with_changes(cramps=None, cramp_minutes=None, cramp_sites=frozenset()))
    path = write(tmp_path / "c.csv", f"date,pain,id\n2026-03-01,3,{ID2}\n2026-03-01,,{ID1}\n")
    result = cli("import", str(path))
    assert result.code == 1
    assert (
        result.err == f"companion: {path}: line 3: pain: an entry needs pain or cramps (or both)\n"
    )
    with Store.open(home) as store:
        assert store.count() == 1
    assert stored(home).pain == 5


def test_the_export_has_updated_after_id(cli: Any, home: Path, tmp_path: Path) -> None:
    with Store.open(home) as store:
        saved = store.add(FULL)
    target = tmp_path / "out.csv"
    assert cli("export", "--csv", str(target)).code == 0
    text = target.read_text(encoding="utf-8")
    header = text.removeprefix("\ufeff").splitlines()[0].split(",")
    assert header[-2:] == ["id", "updated"]
    (row,) = rows_of(text)
    assert row["updated"] == saved.updated
    assert row["updated"].endswith("+00:00")


def test_an_older_export_never_undoes_a_later_edit(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = iter(f"2026-03-0{day}T10:00:00+00:00" for day in range(1, 10))
    monkeypatch.setattr("companion.store.core.timestamp", lambda: next(clock))
    with Store.open(home) as store:
        first = store.add(FULL)
        store.add(FULL.with_changes(id=ID2, date="2026-03-02"))
    old = tmp_path / "old.csv"
    assert cli("export", "--csv", str(old)).code == 0
    with Store.open(home) as store:
        store.update(first.with_changes(pain=9, notes="edited later"))
    result = cli("import", str(old))
    assert result.code == 0, result.err
    assert result.out == (
        f"Imported {old}: 0 new, 0 updated, 1 already in the diary; "
        "1 older than yours, kept yours\n"
    )
    assert (stored(home).pain, stored(home).notes) == (9, "edited later")


def test_a_newer_row_wins_and_keeps_its_time(cli: Any, home: Path, tmp_path: Path) -> None:
    with Store.open(home) as store:
        store.add(FULL)
    newer = "2999-01-01T00:00:00+00:00"
    path = write(tmp_path / "n.csv", f"date,pain,id,updated\n2026-03-01,1,{ID1},{newer}\n")
    assert cli("import", str(path)).code == 0
    entry = stored(home)
    assert (entry.pain, entry.updated) == (1, newer)
    older = "2000-01-01T00:00:00Z"
    path = write(tmp_path / "o.csv", f"date,pain,id,updated\n2026-03-01,8,{ID1},{older}\n")
    result = cli("import", str(path))
    assert result.out.endswith("1 older than yours, kept yours\n")
    assert stored(home).pain == 1


def test_a_row_without_updated_counts_as_a_fresh_edit(cli: Any, home: Path, tmp_path: Path) -> None:
    with Store.open(home) as store:
        before = store.add(FULL)
    # An export made before the column existed: no 'updated' at all.
    path = write(tmp_path / "v1.csv", f"date,pain,id\n2026-03-01,0,{ID1}\n")
    assert cli("import", str(path)).code == 0
    entry = stored(home)
    assert entry.pain == 0
    assert entry.updated >= before.updated
    # An empty cell in the column means the same.
    path = write(tmp_path / "v2.csv", f"date,pain,id,updated\n2026-03-01,4,{ID1},\n")
    assert cli("import", str(path)).code == 0
    assert stored(home).pain == 4


def test_an_old_export_without_updated_still_imports(cli: Any, home: Path, tmp_path: Path) -> None:
    # The columns of the first release's export, which had no 'updated' either.
    header = (
        "date,time,pain,worst_pain,night_pain,woke_at_night,eased_by_rest,morning_stiffness_min,"
        "locations,qualities,cramps,cramp_minutes,cramp_sites,triggers,relief,medications,"
        "weight_kg,temperature_c,red_flags,notes,id"
    )
    line = f"2026-03-01,08:00,5,,,,,,lower_back_left,,,,,,,,,,,a note,{ID1}"
    path = write(tmp_path / "old.csv", f"{header}\r\n{line}\r\n")
    result = cli("import", str(path))
    assert result.code == 0, result.err
    entry = stored(home)
    assert (entry.pain, entry.notes, entry.locations) == (5, "a note", {"lower_back_left"})


def test_the_same_id_twice_in_a_file_names_both_lines(cli: Any, home: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "twice.csv",
        f"date,pain,id\n2026-03-01,2,{ID1}\n2026-03-02,3,{ID2}\n2026-03-03,4,{ID1}\n",
    )
    result = cli("import", str(path))
    assert result.code == 1
    assert result.err == f"companion: {path}: lines 2 and 4 have the same id\n"
    with Store.open(home) as store:
        assert store.count() == 0


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("yesterday", "updated: must be a UTC time written YYYY-MM-DDTHH:MM:SS+00:00"),
        ("2026-13-01T00:00:00+00:00", "updated: must be a UTC time written"),
        ("2026-03-01T10:00:00", "updated: must be a UTC time written"),
        ("２０２６-03-01T10:00:00+00:00", "updated: must be written with the digits 0-9"),
    ],
)
def test_a_bad_updated_cell_names_line_and_field(
    cli: Any, home: Path, tmp_path: Path, cell: str, problem: str
) -> None:
    path = write(tmp_path / "u.csv", f"date,pain,id,updated\n2026-03-01,2,{ID1},{cell}\n")
    result = cli("import", str(path))
    assert result.code == 1
    assert result.err.startswith(f"companion: {path}: line 2: {problem}"), result.err


def test_a_round_trip_keeps_every_value_and_time(cli: Any, home: Path, tmp_path: Path) -> None:
    source = tmp_path / "source"
    with Store.open(source) as store:
        store.merge([FULL, FULL.with_changes(id=ID2, notes=None, cramps=None)])
        before = {e.id: (e.values(), e.updated) for e in store.iter_rows()}
    exported = tmp_path / "e.csv"
    assert cli("--home", str(source), "export", "--csv", str(exported)).code == 0
    assert cli("import", str(exported)).out.endswith(": 2 new, 0 updated, 0 already in the diary\n")
    with Store.open(home) as store:
        after = {e.id: (e.values(), e.updated) for e in store.iter_rows()}
    assert after == before
    again = cli("import", str(exported))
    assert again.out.endswith(": 0 new, 0 updated, 2 already in the diary\n")


# --- a big import and a save at the same time ---------------------------------------------

IMPORTER = """
import sys
from companion.__main__ import main
sys.exit(main(["--home", sys.argv[1], "import", sys.argv[2]]))
"""


@pytest.mark.slow
def test_a_save_during_a_big_import_waits_its_turn(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = 120_000
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csvio.write_csv(demo_entries(rows // 2, per_day=2), handle)
    assert cli("log", "--pain", "1").code == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(home), str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        # While the import reads and checks the file (its staging copy appears then), a
        # save that would give up after 2 s of waiting for the write lock.
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline and not list(home.glob(".import.*.part")):
            time.sleep(0.01)
        assert importer.poll() is None, "the import ended too soon to race with"
        monkeypatch.setattr("companion.store.core.BUSY_TIMEOUT_S", 2.0)
        result = cli("log", "--pain", "7", "--notes", "during the import")
    finally:
        _, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert result.code == 0, result.err
    with Store.open(home) as store:
        assert store.count() == rows + 2
        assert [e.pain for e in store.page(text="during the import")] == [7]
