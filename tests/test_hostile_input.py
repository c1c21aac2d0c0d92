"""Hostile input: every parser and validator gives the project's own error, never a crash.

Hypothesis throws dates, numbers, sets and notes with NUL, 10,000 characters, emoji,
right-to-left text and newlines at the model, the CSV reader and the ``log`` options; and
raw SQL that bypasses the app still cannot store a value the app would refuse.
"""

from __future__ import annotations

import contextlib
import io
import math
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from companion import csvio
from companion.__main__ import main
from companion.entry import (
    FIELD_NAMES,
    SET_FIELDS,
    SPEC,
    SPECS,
    Entry,
    ValidationError,
    build_entry,
    check_stored,
    join_set,
    parse_date,
    parse_value,
)
from companion.errors import DataError
from companion.store import COLUMNS, Store, entry_to_params

FAST = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOWER = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Awkward text: NUL, newlines, emoji, right-to-left marks and script, a BOM, a formula start.
AWKWARD = [
    "\x00",
    "\n",
    "\r\n",
    "\t",
    "🦴",
    "👩🏽‍⚕️",
    "\u202e",
    "\u200f",
    "ألم الظهر",
    "כאב",
    "\ufeff",
    "=1+1",
    ";",
    ",",
    '"',
    "'",
    "\\",
    " ",
]
awkward_text = st.lists(st.sampled_from(AWKWARD) | st.text(max_size=12), max_size=8).map("".join)
long_text = st.sampled_from(["x", "🦴", "ع", "\n", "a\x00"]).map(lambda s: s * 10_000)
any_text = awkward_text | long_text | st.text()
vocabulary_word = st.sampled_from(sorted({o for s in SPECS for o in s.options}))
numbers = st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=True, allow_infinity=True)
raw_values = (
    any_text
    | numbers
    | numbers.map(str)
    | st.booleans()
    | st.none()
    | st.binary(max_size=20)
    | st.lists(vocabulary_word | awkward_text, max_size=4)
    | st.lists(vocabulary_word, max_size=4).map(";".join)
    | st.dates().map(lambda d: d.isoformat())
    | st.times().map(lambda t: t.strftime("%H:%M"))
)


@given(name=st.sampled_from(FIELD_NAMES), raw=raw_values)
@FAST
def test_parse_value_gives_a_value_or_a_validation_error(name: str, raw: object) -> None:
    try:
        value = parse_value(name, raw)
    except ValidationError as exc:
        assert exc.field == name
        assert "\n" not in str(exc)
        return
    # What is accepted is already in the canonical form the model holds.
    assert parse_value(name, _canonical(name, value)) == value


@given(text=any_text | st.dates().map(lambda d: d.isoformat()))
@FAST
def test_parse_date_is_strict(text: str) -> None:
    try:
        parsed = parse_date(text)
    except ValidationError as exc:
        assert exc.field == "date"
        return
    assert len(parsed) == 10


@given(raw=st.dictionaries(st.sampled_from(FIELD_NAMES) | any_text, raw_values, max_size=8))
@FAST
def test_build_entry_gives_an_entry_or_a_validation_error(raw: dict[str, object]) -> None:
    with contextlib.suppress(ValidationError):
        entry = build_entry(raw)
        assert entry.pain is not None or entry.cramps is not None


# --- CHECK constraints: raw SQL cannot store what the app refuses ------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Store]:
    """One store for many examples; each example's writes are rolled back or removed."""
    with tempfile.TemporaryDirectory() as folder, Store.open(folder) as store:
        yield store


BASE = Entry(
    id="22222222-2222-4222-8222-222222222222",
    date="2026-06-01",
    pain=3,
    cramps=1,
    created="t",
    updated="t",
)


def _canonical(name: str, value: Any) -> Any:
    return join_set(name, value) if name in SET_FIELDS else value


def _raw_insert(conn: sqlite3.Connection, column: str, value: object) -> Any:
    """Insert BASE with one column overridden, inside a transaction that is rolled back;
    returns the value as stored."""
    params = entry_to_params(BASE)
    params[column] = value
    conn.execute("BEGIN")
    try:
        conn.execute(
            f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES "
            f"({', '.join(':' + c for c in COLUMNS)})",
            params,
        )
        return conn.execute(f"SELECT {column} FROM entries").fetchone()[0]
    finally:
        conn.execute("ROLLBACK")


sql_values = (
    any_text
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | numbers.map(str)
    | st.none()
    | st.binary(max_size=20)
    | st.lists(vocabulary_word | st.sampled_from(["", " ", "LEG_LEFT", "elbow"]), max_size=4).map(
        ";".join
    )
    | st.dates().map(lambda d: d.isoformat())
    | st.text(alphabet="0123456789-:", max_size=10)
)


@given(
    column=st.sampled_from([n for n in FIELD_NAMES if n not in ("pain", "cramps")]),
    value=sql_values,
)
@FAST
def test_check_constraints_hold_for_every_column(
    scratch: Store, column: str, value: object
) -> None:
    """A value that raw SQL manages to store is one the app accepts when it reads it.

    Text is the one difference from typing: the database keeps control characters (as a
    diary written before they were refused holds them), and readers show them neutralised.
    """
    try:
        stored = _raw_insert(scratch.conn, column, value)
    except sqlite3.IntegrityError:
        return
    if stored is not None:
        row = {**entry_to_params(BASE), column: stored}
        check_stored(row)  # raises if the database let a bad value in
        if SPEC[column].kind != "text":
            parse_value(column, stored)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("date", "2026-13-01"),
        ("date", "2026-00-10"),
        ("date", "2026-04-31"),
        ("date", "2025-02-29"),
        ("date", "0000-01-01"),
        ("time", "23:60"),
        ("pain", 10.5),
        ("pain", math.inf),
        ("cramp_minutes", -0.001),
        ("notes", "ok\x00hidden"),
        ("notes", "🦴" * 4001),
        ("locations", "leg_left;LEG_RIGHT"),
    ],
)
def test_raw_sql_insert_and_update_refuse_out_of_range(
    store: Store, column: str, value: object
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        _raw_insert(store.conn, column, value)
    saved = store.add(BASE.with_changes(created="", updated=""))
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(f"UPDATE entries SET {column} = ?", (value,))
    assert store.get(saved.id) == saved


@given(column=st.sampled_from(FIELD_NAMES), raw=raw_values)
@SLOWER
def test_what_the_app_accepts_the_database_stores_and_gives_back(
    scratch: Store, column: str, raw: object
) -> None:
    try:
        value = parse_value(column, raw)
    except ValidationError:
        return
    assume(column not in ("date", "pain", "cramps") or value is not None)
    saved = scratch.add(BASE.with_changes(**{column: value}))
    try:
        assert getattr(scratch.get(saved.id), column) == value
    finally:
        scratch.delete(saved.id)


# --- the CSV reader ------------------------------------------------------------------------

cells = any_text | numbers.map(str) | vocabulary_word | st.dates().map(lambda d: d.isoformat())
headers = st.lists(st.sampled_from(csvio.CSV_COLUMNS) | awkward_text, min_size=1, max_size=6)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csvio.csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue()


def _read_all(text: str | bytes) -> list[Entry]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        try:
            return list(csvio.read_csv(path))
        except DataError as exc:
            message = str(exc)
            assert message.startswith(f"{path}: ")
            assert "\n" not in message
            return []


@given(header=headers, rows=st.lists(st.lists(cells, max_size=7), max_size=4))
@FAST
def test_read_csv_on_generated_tables(header: list[str], rows: list[list[str]]) -> None:
    _read_all(_csv_text(header, rows))


@given(
    rows=st.lists(st.dictionaries(st.sampled_from(FIELD_NAMES), cells, max_size=6), max_size=4),
)
@FAST
def test_read_csv_on_rows_in_the_export_columns(rows: list[dict[str, str]]) -> None:
    table = [[row.get(name, "") for name in csvio.CSV_COLUMNS] for row in rows]
    _read_all(_csv_text(list(csvio.CSV_COLUMNS), table))


@given(noise=st.binary(max_size=200) | any_text, at=st.integers(0, 400))
@FAST
def test_read_csv_on_damaged_exports(noise: str | bytes, at: int) -> None:
    good = io.StringIO()
    csvio.write_csv([BASE.with_changes(notes='a\nb, "c"', locations=frozenset({"leg_left"}))], good)
    text = good.getvalue().encode()
    extra = noise if isinstance(noise, bytes) else noise.encode("utf-8", "surrogatepass")
    _read_all(text[:at] + extra + text[at:])


# --- the command line's log options ------------------------------------------------------

LOG_FIELDS = [s.name for s in SPECS]
CANARY = "Zq9-canary"


@pytest.fixture(scope="module")
def log_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def plausible(name: str) -> st.SearchStrategy[str]:
    """Text for one option: often valid, often just outside, sometimes hostile."""
    spec = SPEC[name]
    low, high = spec.low or 0, spec.high or 0
    near: st.SearchStrategy[str]
    if spec.kind == "int":
        near = st.integers(int(low) - 2, int(high) + 2).map(str)
    elif spec.kind == "float":
        near = st.floats(low - 2, high + 2).map(str)
    elif spec.kind == "date":
        near = st.dates().map(lambda d: d.isoformat())
    elif spec.kind == "time":
        near = st.times().map(lambda t: t.strftime("%H:%M"))
    elif spec.kind == "choice":
        near = st.sampled_from(spec.options)
    elif spec.kind == "set":
        near = st.lists(st.sampled_from(spec.options), max_size=3).map(",".join)
    else:
        near = awkward_text
    return near | near | any_text


LOG_OPTIONS = st.lists(st.sampled_from(LOG_FIELDS), unique=True, max_size=4).flatmap(
    lambda names: st.fixed_dictionaries({n: plausible(n) for n in ["pain", *names]})
)


@given(options=LOG_OPTIONS, secret=awkward_text | long_text)
@SLOWER
def test_log_options_give_exit_0_or_one_usage_line(
    log_home: Path, options: dict[str, str], secret: str
) -> None:
    argv = ["--home", str(log_home), "log", f"--notes={CANARY}{secret}"]
    argv += [f"--{name.replace('_', '-')}={value}" for name, value in options.items()]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            code = int(exc.code or 0)
    if code == 0:
        assert out.getvalue().startswith("Saved ")
        assert not err.getvalue()
    else:
        assert code == 2, err.getvalue()
        assert len(err.getvalue().splitlines()) == 1
        assert "Traceback" not in err.getvalue()
    assert CANARY not in out.getvalue() + err.getvalue()
