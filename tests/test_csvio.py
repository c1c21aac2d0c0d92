"""CSV export and import: exact bytes, spreadsheet safety, all-or-nothing import, round trip."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import csvio
from companion.entry import SPECS, Entry
from companion.store import Store
from companion.terminal import unsafe_char

HEADER = (
    "date,time,pain,worst_pain,night_pain,woke_at_night,eased_by_rest,morning_stiffness_min,"
    "locations,qualities,cramps,cramp_minutes,cramp_sites,triggers,relief,medications,"
    "sleep_hours,mood,activity_min,weight_kg,temperature_c,red_flags,notes,id,updated"
)
ID1 = "00000000-0000-4000-8000-000000000001"
ID2 = "00000000-0000-4000-8000-000000000002"

FIRST = Entry(
    id=ID1,
    date="2026-02-01",
    time="07:30",
    pain=6,
    worst_pain=8,
    night_pain=4,
    woke_at_night="yes",
    eased_by_rest="partly",
    morning_stiffness_min=40,
    locations=frozenset({"buttock_left", "lower_back_left"}),
    qualities=frozenset({"sharp", "aching"}),
    cramps=2,
    cramp_minutes=2.0,
    cramp_sites=frozenset({"calf_left"}),
    triggers=frozenset({"sitting"}),
    relief=frozenset({"heat", "walking"}),
    medications="-ibuprofen 400 mg",
    sleep_hours=6.5,
    mood=4,
    activity_min=30,
    weight_kg=78.5,
    temperature_c=37.0,
    red_flags=frozenset({"fever"}),
    notes='=HYPERLINK("http://x","click"), said "ok"\nsecond line',
)
SECOND = Entry(id=ID2, date="2026-02-02", cramps=1, notes="@home")


def export_bytes(cli, home: Path, tmp_path: Path, *args: str) -> bytes:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.csv"
    result = cli("export", "--csv", str(target), *args)
    assert result.code == 0, result.err
    assert result.err == f"Wrote {result.err.split()[1]} entries to {target}\n"
    return target.read_bytes()


def test_export_bytes_are_exact(cli, store: Store, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store.merge([SECOND, FIRST])
    first, second = (store.get(e.id).updated for e in (FIRST, SECOND))  # type: ignore[union-attr]
    expected = (
        "\ufeff"
        + HEADER
        + "\r\n"
        + "2026-02-01,07:30,6,8,4,yes,partly,40,lower_back_left;buttock_left,aching;sharp,"
        + "2,2,calf_left,sitting,walking;heat,'-ibuprofen 400 mg,6.5,4,30,78.5,37,fever,"
        + '"\'=HYPERLINK(""http://x"",""click""), said ""ok""\nsecond line",'
        + f"{ID1},{first}\r\n"
        + f"2026-02-02,,,,,,,,,,1,,,,,,,,,,,,'@home,{ID2},{second}\r\n"
    )
    assert export_bytes(cli, home, tmp_path) == expected.encode("utf-8")


def test_the_header_is_the_canonical_column_order() -> None:
    assert ",".join(csvio.CSV_COLUMNS) == HEADER


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-5 today", "'-5 today"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("'quoted", "''quoted"),
        ("plain = fine", "plain = fine"),
        (" =spaced", " =spaced"),
    ],
)
def test_formula_like_text_is_neutralised_and_restored(text: str, cell: str) -> None:
    assert csvio.neutralise(text) == cell
    assert csvio.unneutralise(cell) == text


def test_numbers_are_never_neutralised() -> None:
    out = io.StringIO()
    entry = Entry("2026-01-01", pain=0, cramp_minutes=1e-07, weight_kg=20.0, temperature_c=36.6)
    csvio.write_csv([entry], out)
    named = dict(zip(csvio.CSV_COLUMNS, out.getvalue().splitlines()[1].split(","), strict=True))
    assert (named["pain"], named["cramp_minutes"]) == ("0", "0.0000001")
    assert (named["weight_kg"], named["temperature_c"]) == ("20", "36.6")


def test_stdout_export_has_no_bom_and_a_date_range(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.merge([FIRST, SECOND])
    updated = store.get(ID2).updated  # type: ignore[union-attr]
    result = cli("export", "--csv", "-", "--from", "2026-02-02")
    assert result.code == 0
    assert result.out == f"{HEADER}\r\n2026-02-02,,,,,,,,,,1,,,,,,,,,,,,'@home,{ID2},{updated}\r\n"


def test_a_failed_export_leaves_the_old_file(cli, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store.add(FIRST)
    missing = tmp_path / "no-such-folder" / "out.csv"
    result = cli("export", "--csv", str(missing))
    assert result.code == 1
    assert result.err.count("\n") == 1 and "no-such-folder" in result.err


def test_the_dictionary_explains_every_column(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("export", "--dictionary")
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines] == list(csvio.CSV_COLUMNS)
    assert "pain: Pain at the time of the entry (0-10)" in lines
    assert any(line.startswith("locations: ") and "lower_back_left" in line for line in lines)


# --- import -----------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_import_reads_a_subset_of_columns_in_any_order(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "pain,date,locations\n3,2026-01-01,leg_left;abdomen\n,2026-01-02,\n")
    result = cli("import", str(path))
    # The second row has neither pain nor cramps: nothing at all is imported.
    assert result.code == 1
    assert (
        result.err == f"companion: {path}: line 3: pain: an entry needs pain or cramps (or both)\n"
    )
    path = write(tmp_path, "pain,date,locations\n3,2026-01-01,leg_left;abdomen\n")
    assert cli("import", str(path)).code == 0
    with Store.open(home) as store:
        (entry,) = store.iter_rows()
    assert (entry.date, entry.pain, entry.locations) == (
        "2026-01-01",
        3,
        frozenset({"leg_left", "abdomen"}),
    )


def test_a_bad_row_imports_nothing_and_names_line_and_field(
    cli, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    text = (
        "date,pain,notes\r\n"  # line 1
        "2026-01-01,3,fine\r\n"  # line 2
        '2026-01-02,4,"three\r\nline\r\nnote"\r\n'  # lines 3-5
        "\r\n"  # line 6, blank
        "2026-01-03,11,too much\r\n"  # line 7
    )
    path = write(tmp_path, text)
    result = cli("import", str(path))
    assert result.code == 1
    assert result.err == (f"companion: {path}: line 7: pain: must be a whole number from 0 to 10\n")
    with Store.open(home) as store:
        assert store.count() == 0


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("date,pain,happiness\n2026-01-01,3,good\n", "line 1: unknown column 'happiness'"),
        ("date,pain,pain\n2026-01-01,3,3\n", "line 1: column 'pain' appears twice"),
        ("pain,notes\n3,x\n", "line 1: the 'date' column is required"),
        ("date,notes\n2026-01-01,x\n", "line 1: a 'pain' or a 'cramps' column is required"),
        ("", "line 1: the file is empty (no header)"),
        ("date,pain\n2026-01-01,3\n2026-01-02\n", "line 3: expected 2 cells, found 1"),
        ("date,pain\n2026-02-30,3\n", "line 2: date: is not a real calendar date"),
        ("date,pain,id\n2026-01-01,3,nope\n", "line 2: id: must be a UUID"),
        ('date,pain,notes\n2026-01-01,3,"open quote\n', "line 2: not valid CSV"),
        ("date,pain,my secret\n2026-01-01,3,x\n", "line 1: unknown column 'a column'"),
        # A spreadsheet set to separate cells with ';' (or tabs): said so, not 'a column'.
        ("date;pain;notes\n2026-01-01;3;x\n", "line 1: cells are separated by ';', not ','"),
        ("date\tpain\n2026-01-01\t3\n", "line 1: cells are separated by tabs, not ','"),
    ],
)
def test_bad_files_are_refused_in_one_line(
    cli, home: Path, tmp_path: Path, text: str, problem: str
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, text)
    result = cli("import", str(path))
    assert result.code == 1
    assert result.err.startswith(f"companion: {path}: {problem}")
    assert result.err.count("\n") == 1
    assert "secret" not in result.err
    with Store.open(home) as store:
        assert store.count() == 0


@pytest.mark.parametrize("what", ["a folder", "a device", "a pipe"])
def test_import_of_what_is_not_a_file_says_so(cli, home: Path, tmp_path: Path, what: str) -> None:  # type: ignore[no-untyped-def]
    """It said "no such file" of a folder that is there; and /dev/zero must never be read."""
    path = {"a folder": tmp_path, "a device": Path("/dev/zero"), "a pipe": tmp_path / "fifo"}[what]
    if what == "a pipe":
        os.mkfifo(path)
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err == (
        f"companion: {path}: not a file (a folder, a device or a pipe); name the CSV file\n"
    )


def test_a_line_longer_than_any_row_is_refused_without_reading_it_whole(
    cli, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A file of one endless line was read whole into memory (600 MB for 300 MB of it)."""
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"date,pain\n" + b"x" * (3 << 20))
    result = cli("import", str(path))
    assert result.code == 1
    assert result.err == (
        f"companion: {path}: line 2: longer than any row of a diary could be (over 1 MB)\n"
    )


def test_a_file_that_is_not_utf8_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin1.csv"
    path.write_bytes("date,pain,notes\n2026-01-01,3,café\n".encode("latin-1"))
    result = cli("import", str(path))
    assert result.code == 1
    assert result.err == f"companion: {path}: line 2: the file is not UTF-8 text\n"


def test_reimporting_an_export_does_not_duplicate(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "source"
    with Store.open(source) as store:
        store.merge([FIRST, SECOND])
    exported = tmp_path / "export.csv"
    assert cli("--home", str(source), "export", "--csv", str(exported)).code == 0
    first = cli("import", str(exported))
    assert first.out == f"Imported {exported}: 2 new, 0 updated, 0 already in the diary\n"
    again = cli("import", str(exported))
    assert again.out == f"Imported {exported}: 0 new, 0 updated, 2 already in the diary\n"
    edited = exported.read_text(encoding="utf-8-sig").replace("2026-02-02,,,", "2026-02-02,,5,")
    exported.write_text(edited, encoding="utf-8")
    third = cli("import", str(exported))
    assert third.out == f"Imported {exported}: 0 new, 1 updated, 1 already in the diary\n"
    with Store.open(home) as store:
        assert store.count() == 2
        assert store.get(FIRST.id) is not None
        assert [e.values() for e in store.iter_rows()] == [
            FIRST.values(),
            SECOND.with_changes(pain=5).values(),
        ]


# --- round trip ---------------------------------------------------------------------------

# Any text validation accepts: no control characters (C0, DEL, C1: category Cc) or
# text-direction controls, no lone surrogates (not valid UTF-8); notes keep "\n" and "\t".
plain_text = st.text(
    st.characters(
        blacklist_categories=["Cs", "Cc"],
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=60,
)
words = st.sampled_from(
    ["=1+2", "+", "-3", "@x", "\t", "\n", "\t=1", "'", '"', ",", ";", "🙂", "שלום", "مرحبا"]
)
free_text = st.one_of(
    st.none(),
    st.lists(st.one_of(plain_text, words), min_size=1, max_size=6).map("".join).filter(bool),
)


def field_strategy(spec) -> st.SearchStrategy[object]:  # type: ignore[no-untyped-def]
    if spec.kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if spec.kind == "time":
        return st.none() | st.times().map(lambda t: t.strftime("%H:%M"))
    if spec.kind == "int":
        return st.none() | st.integers(int(spec.low), int(spec.high))
    if spec.kind == "float" and spec.step is not None:
        steps = int((spec.high - spec.low) / spec.step)
        return st.none() | st.integers(0, steps).map(lambda n: spec.low + n * spec.step)
    if spec.kind == "float":
        return st.none() | st.floats(spec.low, spec.high, allow_nan=False)
    if spec.kind == "choice":
        return st.none() | st.sampled_from(spec.options)
    if spec.kind == "set":
        return st.frozensets(st.sampled_from(spec.options))
    if spec.name == "notes":
        return free_text
    return free_text.filter(lambda text: text is None or unsafe_char(text) is None)


entries = st.builds(
    Entry,
    **{spec.name: field_strategy(spec) for spec in SPECS},
    id=st.uuids(version=4).map(str),
).filter(lambda e: e.pain is not None or e.cramps is not None)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "round.csv"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(entries, min_size=1, max_size=4))
def test_export_then_import_gives_the_same_entries(scratch: Path, batch: list[Entry]) -> None:
    with scratch.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        csvio.write_csv(batch, handle)
    back = list(csvio.read_csv(scratch))
    assert [(row.id, row.values) for row in back] == [(e.id, e.values()) for e in batch]


def test_write_csv_counts_rows() -> None:
    out = io.StringIO()
    assert csvio.write_csv([FIRST, SECOND], out) == 2
    assert out.getvalue().count("\r\n") == 3  # header and two rows; a note keeps its "\n"


def test_a_demo_export_is_not_imported_into_a_diary(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A demo's CSV imported into a person's own diary added 90 generated entries to it."""
    from datetime import date

    from companion import report
    from companion.demo import fill

    demo = tmp_path / "demo-home"
    fill(demo, days=30, today=date(2026, 11, 21))
    exported = tmp_path / "companion-DEMO-2026-11-21.csv"
    with Store.open(demo) as store:
        day = date(2026, 11, 21)
        report.export(store, date(2026, 11, 1), day, day, csv_path=exported, demo=True)
    Store.open(home).close()
    result = cli("import", str(exported))
    assert result.code == 1
    assert result.err == (
        f"companion: {exported}: line 2: generated data from the demo diary; it is not "
        "imported into a diary\n"
    )
    with Store.open(home) as store:
        assert store.count() == 0
