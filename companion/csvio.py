"""The diary as CSV, in the canonical columns, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO

from companion.entry import (
    FIELD_NAMES,
    SET_FIELDS,
    SPEC,
    SPECS,
    Entry,
    ValidationError,
    build_entry,
    join_set,
)
from companion.errors import DataError

CSV_COLUMNS: tuple[str, ...] = (*FIELD_NAMES, "id")
# What starts the notes of every row a demo diary exports (and its summary): generated data
# says so, and never goes into a person's diary.
DEMO_NOTE = "DEMO: generated data, not a real diary"
TEXT_FIELDS = frozenset(s.name for s in SPECS if s.kind == "text")
# OWASP CSV injection: a cell starting with one of these may run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def neutralise(text: str) -> str:
    """Prefix a quote to formula-like text; also to text already starting with the quote,
    so that ``unneutralise`` gives back exactly what was written."""
    if text.startswith(FORMULA_STARTS) or text.startswith(NEUTRALISER):
        return NEUTRALISER + text
    return text


def unneutralise(text: str) -> str:
    return text[1:] if text.startswith(NEUTRALISER) else text


# Where the cells that need more than str() sit in a row of CSV_COLUMNS.
_TEXT_AT = tuple(i for i, name in enumerate(CSV_COLUMNS) if name in TEXT_FIELDS)
_DECIMAL_AT = tuple(
    i for i, name in enumerate(CSV_COLUMNS) if name in SPEC and SPEC[name].kind == "float"
)


def _decimal_text(value: float) -> str:
    """A number as plain decimals (78.5, 2), never in exponent form, which import refuses."""
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text else text


def stored_row(entry: Entry) -> tuple[object, ...]:
    """An entry as the diary stores it (sets as canonical text), in CSV_COLUMNS order."""
    values = entry.values()
    return (
        *(
            join_set(name, values[name]) if name in SET_FIELDS else values[name]
            for name in FIELD_NAMES
        ),
        entry.id,
    )


def write_rows(rows: Iterable[Sequence[object]], handle: IO[str]) -> int:
    """Write the header and one line per stored row (CSV_COLUMNS order); return the count.

    Rows come straight from the database (``Store.iter_values``), so a large export never
    builds an Entry per row. Empty values become empty cells, numbers are written as they
    are, and text is neutralised against spreadsheet formulas.
    """
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        cells = list(row)
        for i in _TEXT_AT:
            if cells[i] is not None:
                cells[i] = neutralise(cells[i])  # type: ignore[arg-type]
        for i in _DECIMAL_AT:
            if cells[i] is not None:
                cells[i] = _decimal_text(cells[i])  # type: ignore[arg-type]
        writer.writerow(cells)
        count += 1
    return count


def write_csv(entries: Iterable[Entry], handle: IO[str]) -> int:
    """Write the header and one line per entry; return the number of entries."""
    return write_rows(map(stored_row, entries), handle)


def read_csv(path: Path) -> Iterator[Entry]:
    """Validate a CSV in the export format row by row.

    Raises DataError naming the file, the line (the header is line 1) and the field. The
    caller consumes the rows inside one transaction, so one bad row imports nothing.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror})") from None
    with handle:
        reader = csv.reader(_text_lines(path, handle), strict=True)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise DataError(f"{path}: line 1: the file is empty (no header)")
            columns = _check_header(path, header)
            line = reader.line_num + 1
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield _row_entry(path, line, columns, row)
                line = reader.line_num + 1
        except csv.Error as exc:
            raise DataError(f"{path}: line {line}: not valid CSV ({exc})") from None


def _text_lines(path: Path, handle: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, decoded one by one so a bad byte is reported by line.

    Each line keeps its ending, which is what the csv module needs to read quoted newlines.
    """
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{path}: line {number}: the file is not UTF-8 text") from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _check_header(path: Path, header: list[str]) -> list[str]:
    columns = [h.strip() for h in header]
    for name in columns:
        if name not in CSV_COLUMNS:
            shown = name if name.isidentifier() and len(name) <= 40 else "a column"
            raise DataError(f"{path}: line 1: unknown column {shown!r}")
        if columns.count(name) > 1:
            raise DataError(f"{path}: line 1: column {name!r} appears twice")
    if "date" not in columns:
        raise DataError(f"{path}: line 1: the 'date' column is required")
    if "pain" not in columns and "cramps" not in columns:
        raise DataError(f"{path}: line 1: a 'pain' or a 'cramps' column is required")
    return columns


def _row_entry(path: Path, line: int, columns: list[str], row: list[str]) -> Entry:
    if len(row) != len(columns):
        raise DataError(f"{path}: line {line}: expected {len(columns)} cells, found {len(row)}")
    raw: dict[str, object] = {}
    entry_id: str | None = None
    for name, cell in zip(columns, row, strict=True):
        if name == "id":
            entry_id = cell.strip() or None
        elif name in TEXT_FIELDS:
            raw[name] = unneutralise(cell) or None
        else:
            raw[name] = cell
    try:
        entry = build_entry(raw, entry_id=entry_id)
    except ValidationError as exc:
        raise DataError(f"{path}: line {line}: {exc}") from None
    if (entry.notes or "").startswith(DEMO_NOTE):
        raise DataError(
            f"{path}: line {line}: generated data from the demo diary; it is not imported "
            "into a diary"
        )
    return entry


def dictionary_lines() -> list[str]:
    """What each CSV column means, its unit and allowed values."""
    lines = []
    for name in CSV_COLUMNS:
        if name == "id":
            lines.append(
                "id: stable identifier of the entry (UUID); keeps imports from duplicating"
            )
            continue
        spec = SPEC[name]
        text = f"{name}: {spec.meaning} ({spec.unit})"
        if spec.kind == "set":
            text += "; any of " + ", ".join(spec.options) + ", joined with ';'"
        lines.append(text)
    return lines
