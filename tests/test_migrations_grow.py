"""The migrations can grow: each one's schema is frozen inside it, so a new field, a new word or
a changed limit is one new migration, and the diary still refuses what the validator refuses."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from companion import entry, migrations, schema
from companion.entry import SPECS, FieldSpec, ValidationError, check_stored
from companion.paths import DIARY_FILE
from companion.store import Store

RELEASE_DIARY = Path(__file__).parent / "data" / "diary-0.1.0.sqlite3"
ID = "11111111-1111-4111-8111-111111111111"
BASE: dict[str, Any] = {
    **{s.name: ("" if s.kind == "set" else None) for s in SPECS},
    "id": ID,
    "date": "2026-03-04",
    "cramps": 1,
    "created": "t",
    "updated": "t",
}


def candidates(spec: FieldSpec) -> list[object]:
    """Values on and just past each of the field's limits, and values of the wrong type."""
    if spec.kind in ("int", "float"):
        assert spec.low is not None and spec.high is not None
        low, high = int(spec.low), int(spec.high)
        step = 1 if spec.kind == "int" else 0.5
        return [low - step, low, high, float(high), high + step, low + 0.5, "six", b"6"]
    if spec.kind == "choice":
        return [*spec.options, None, "maybe", b"yes"]
    if spec.kind == "set":
        options = spec.options
        return [
            "",
            *options,
            ";".join(options),
            "elbow",
            f"{options[0]};elbow",
            f"{options[0]};;{options[-1]}",
            b"x",
        ]
    if spec.kind == "text":
        assert spec.max_length is not None
        most = spec.max_length
        return [None, "", "x" * most, "x" * (most + 1), "a\x00b", b"bytes"]
    if spec.kind == "date":
        return ["2026-01-01", "0001-01-01", "2026-02-30", "2026-13-01", "20260101", None, 20260101]
    return [None, "00:00", "23:59", "24:00", "7:30", "07:60", 730]


def validator_accepts(row: dict[str, Any]) -> bool:
    try:
        check_stored(row)
    except ValidationError:
        return False
    return True


def database_accepts(conn: sqlite3.Connection, row: dict[str, Any]) -> bool:
    names = ", ".join(row)
    marks = ", ".join(f":{n}" for n in row)
    try:
        conn.execute(f"INSERT INTO entries ({names}) VALUES ({marks})", row)
    except sqlite3.IntegrityError:
        return False
    conn.execute("DELETE FROM entries")
    return True


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_the_diary_refuses_what_the_validator_refuses(home: Path, spec: FieldSpec) -> None:
    with Store.open(home) as store:
        assert database_accepts(store.conn, BASE)
        for value in candidates(spec):
            row = {**BASE, spec.name: value}
            verdicts = (validator_accepts(row), database_accepts(store.conn, row))
            assert verdicts[0] == verdicts[1], (spec.name, value, verdicts)


def test_every_migration_is_frozen_against_the_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing the live specs (a wider range, a new word) changes nothing a migration makes."""
    before = schema.derive()
    wider = tuple(
        FieldSpec(
            s.name, s.kind, s.label, s.meaning, s.unit, s.low, (s.high or 0) * 2, s.max_length
        )
        if s.kind in ("int", "float")
        else s
        for s in SPECS
    )
    monkeypatch.setattr(entry, "SPECS", wider)
    monkeypatch.setattr(entry, "SPEC", {s.name: s for s in wider})
    monkeypatch.setitem(entry.VOCABULARIES, "red_flags", (*entry.VOCABULARIES["red_flags"], "x"))
    assert schema.derive() == before == schema.EXPECTED


def _fluids_l(db: Any) -> None:
    db.execute(
        "ALTER TABLE entries ADD COLUMN fluids_l REAL CHECK (fluids_l IS NULL OR "
        "(typeof(fluids_l) IN ('integer', 'real') AND fluids_l BETWEEN 0 AND 20))"
    )


def _release_copy(home: Path) -> Path:
    home.mkdir(mode=0o700)
    path = home / DIARY_FILE
    shutil.copyfile(RELEASE_DIARY, path)
    path.chmod(0o600)
    return path


def _count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM entries").fetchone()
    conn.close()
    return int(count)


def test_a_new_field_and_its_migration_leave_fresh_and_old_diaries_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = FieldSpec("fluids_l", "float", "Fluids", "Fluids drunk", "litres, 0-20", 0, 20)
    monkeypatch.setattr(entry, "SPECS", (*SPECS, field))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, _fluids_l))
    monkeypatch.setattr(migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "_fluids_l"))
    monkeypatch.setattr(schema, "EXPECTED", schema.derive())
    assert ("table", "entries", "entries") in {o[:3] for o in schema.EXPECTED}

    fresh = tmp_path / "fresh"
    Store.open(fresh).close()
    old = _release_copy(tmp_path / "old")
    kept = _count(old)
    Store.open(old.parent).close()
    assert _count(old) == kept
    for path in (fresh / DIARY_FILE, old):
        with sqlite3.connect(path) as conn:
            columns = [r[1] for r in conn.execute("PRAGMA table_info(entries)")]
            assert columns[-1] == "fluids_l"
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(
                    "INSERT INTO entries (id, date, cramps, created, updated, fluids_l) "
                    "VALUES (?, '2026-01-01', 1, 't', 't', 25)",
                    (ID,),
                )
        conn.close()


NEW_SIGN_CHECK = (
    "typeof(red_flags) = 'text' AND trim(replace(replace(replace(replace(replace(replace("
    "replace(replace(replace(replace(';' || red_flags || ';', ';saddle_numbness;', ';'), "
    "';bladder_bowel_change;', ';'), ';leg_weakness;', ';'), ';both_legs;', ';'), "
    "';sexual_dysfunction;', ';'), ';fever;', ';'), ';unexplained_weight_loss;', ';'), "
    "';lump;', ';'), ';collapse;', ';'), ';night_sweats;', ';'), ';') = ''"
)


def _night_sweats(db: Any) -> None:
    migrations.transform_check(db, "entries", "red_flags", NEW_SIGN_CHECK)


def test_a_new_warning_sign_reaches_old_diaries_through_a_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _release_copy(tmp_path / "old")
    with sqlite3.connect(old) as conn:
        cursor = conn.execute("SELECT * FROM entries ORDER BY id")
        released = ", ".join(c[0] for c in cursor.description)  # later fields come after
        before = cursor.fetchall()
    conn.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, _night_sweats))
    monkeypatch.setattr(
        migrations, "MIGRATION_NAMES", (*migrations.MIGRATION_NAMES, "_night_sweats")
    )
    monkeypatch.setattr(schema, "EXPECTED", schema.derive())

    fresh = tmp_path / "fresh"
    for home in (old.parent, fresh):
        with Store.open(home) as store, store.write() as conn:
            # The new word is taken, an unknown one still refused, and no other rule lost.
            conn.execute(
                "INSERT INTO entries (id, date, pain, red_flags, created, updated) "
                "VALUES (?, '2026-01-01', 3, 'fever;night_sweats', 't', 't')",
                (ID,),
            )
            for column, value in (("red_flags", "elbow"), ("pain", 11)):
                with pytest.raises(sqlite3.IntegrityError):
                    conn.execute(
                        f"INSERT INTO entries (id, date, pain, {column}, created, updated) "
                        f"VALUES ('{ID[:-1]}2', '2026-01-01', 3, ?, 't', 't')"
                        if column != "pain"
                        else "INSERT INTO entries (id, date, pain, created, updated) "
                        f"VALUES ('{ID[:-1]}2', '2026-01-01', ?, 't', 't')",
                        (value,),
                    )
            conn.execute("DELETE FROM entries WHERE id = ?", (ID,))
    with sqlite3.connect(old) as conn:
        assert conn.execute(f"SELECT {released} FROM entries ORDER BY id").fetchall() == before
    conn.close()
    # Rebuilt with every index, as a fresh diary has them.
    layouts = [_layout(path) for path in (old, fresh / DIARY_FILE)]
    assert layouts[0] == layouts[1]
    assert {"entries_by_time", "entries_with_signs", "entries_by_cramp_minutes"} <= {
        name for _, name, _ in layouts[0]
    }


def _layout(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        found = sorted(rows.fetchall())
    conn.close()
    return found
