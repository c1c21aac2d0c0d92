"""The diary as CSV, in the canonical columns, safe to open in a spreadsheet; and reading
one back, cell by cell, for ``companion.store.importing``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from companion.entry import (
    FIELD_NAMES,
    SET_FIELDS,
    SPEC,
    SPECS,
    Entry,
    ValidationError,
    join_set,
    parse_id,
    parse_timestamp,
    parse_value,
)
from companion.errors import DataError

CSV_COLUMNS: tuple[str, ...] = (*FIELD_NAMES, "id", "updated")
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
        entry.updated or None,
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


@dataclass(frozen=True)
class CsvRow:
    """One row of a CSV to import, each cell checked: the file's columns only.

    A column the file leaves out is not in ``values`` (the diary keeps what it has); an
    empty cell is there as "not recorded" (the field is cleared).
    """

    line: int
    id: str | None
    updated: str | None
    values: dict[str, Any] = field(repr=False)  # diary text stays out of tracebacks


def read_csv(path: Path) -> Iterator[CsvRow]:
    """Validate a CSV in the export format row by row.

    Raises DataError naming the file, the line (the header is line 1) and the field. Whether
    a row with an id the diary has is whole (pain or cramps) depends on the diary: the
    import checks that.
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
                    yield _row(path, line, columns, row)
                line = reader.line_num + 1
        except csv.Error as exc:
            raise DataError(f"{path}: line {line}: not valid CSV ({exc})") from None


# A row of the export is at most some 30 kB (4,000 characters of notes, each up to 4 bytes
# and quoted); a note over several lines is several lines of the file.
LONGEST_LINE = 1 << 20


def _text_lines(path: Path, handle: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, decoded one by one so a bad byte is reported by line.

    Each line keeps its ending, which is what the csv module needs to read quoted newlines.
    """
    for number, raw in enumerate(iter(lambda: handle.readline(LONGEST_LINE + 1), b""), start=1):
        if len(raw) > LONGEST_LINE:  # never read an endless line whole into memory
            raise DataError(
                f"{path}: line {number}: longer than any row of a diary could be (over 1 MB)"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{path}: line {number}: the file is not UTF-8 text") from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _check_header(path: Path, header: list[str]) -> list[str]:
    columns = [h.strip() for h in header]
    for name in columns:
        for separator, said in ((";", "';'"), ("\t", "tabs")):
            # A spreadsheet set to another separator: say so (its names are ours, not text).
            parts = {part.strip() for part in name.split(separator)}
            if separator in name and parts <= set(CSV_COLUMNS):
                raise DataError(
                    f"{path}: line 1: cells are separated by {said}, not ','; save the file "
                    "as CSV with commas between cells"
                )
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


def _row(path: Path, line: int, columns: list[str], row: list[str]) -> CsvRow:
    if len(row) != len(columns):
        raise DataError(f"{path}: line {line}: expected {len(columns)} cells, found {len(row)}")
    values: dict[str, Any] = {}
    entry_id = updated = None
    try:
        for name, cell in zip(columns, row, strict=True):
            if name == "id":
                entry_id = parse_id(cell) if cell.strip() else None
            elif name == "updated":
                updated = parse_timestamp(cell) if cell.strip() else None
            else:
                values[name] = parse_value(
                    name, unneutralise(cell) if name in TEXT_FIELDS else cell
                )
        if values["date"] is None:
            raise ValidationError("date", "is required")
        # Both scores given as empty cells: empty whatever the diary holds. With one of the
        # two columns left out, an entry the diary has may still hold the other.
        scores = [values[n] for n in ("pain", "cramps") if n in values]
        if all(s is None for s in scores) and (len(scores) == 2 or entry_id is None):
            raise ValidationError("pain", "an entry needs pain or cramps (or both)")
    except ValidationError as exc:
        raise DataError(f"{path}: line {line}: {exc}") from None
    if (values.get("notes") or "").startswith(DEMO_NOTE):
        raise DataError(
            f"{path}: line {line}: generated data from the demo diary; it is not imported "
            "into a diary"
        )
    return CsvRow(line, entry_id, updated, values)


def dictionary_lines() -> list[str]:
    """What each CSV column means, its unit and allowed values."""
    lines = []
    for name in CSV_COLUMNS:
        if name == "id":
            lines.append(
                "id: stable identifier of the entry (UUID); keeps imports from duplicating"
            )
            continue
        if name == "updated":
            lines.append(
                "updated: when the entry was last changed (UTC, ISO 8601); an import keeps "
                "the diary's version when it is newer"
            )
            continue
        spec = SPEC[name]
        text = f"{name}: {spec.meaning} ({spec.unit})"
        if spec.kind == "set":
            text += "; any of " + ", ".join(spec.options) + ", joined with ';'"
        lines.append(text)
    return lines
