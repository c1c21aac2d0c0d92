"""The exact layout of a companion diary, and the check that a file has it.

A planted ``CREATE TRIGGER … DELETE FROM entries`` would empty every later save, and a table
rebuilt without its CHECKs would let in values every reader trips over: a diary must hold
exactly the tables, columns, constraints and indexes the migrations make, and no triggers or
views of its own. Opening the diary compares its ``sqlite_master`` with ``EXPECTED`` (one
query; no sqlite-utils import), and a backup is checked the same way before it is restored.

``EXPECTED`` is frozen: a new migration changes it, and the test
``test_the_frozen_schema_is_what_the_migrations_make`` fails, printing the new description
(``derive`` migrates a fresh in-memory diary). sqlite-utils writes its own
``_sqlite_migrations`` table and index differently from one version to the next, so that
table is checked by its columns only.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from companion import migrations

MIGRATIONS_TABLE = "_sqlite_migrations"
MIGRATIONS_COLUMNS = ("id", "migration_set", "name", "applied_at")
# What ANALYZE (or PRAGMA optimize) may add: statistics for the query planner, harmless.
_STATISTICS_RE = re.compile(r"sqlite_stat[1-4]")
# The longest string literal ``dump`` writes on a line of its own (indent 12, then a comma).
_PIECE = 86

# (type, name, table, SQL) of every row of sqlite_master the migrations make, apart from the
# migrations table's own.
Object = tuple[str, str, str, str | None]
Description = frozenset[Object]

EXPECTED: Description = frozenset(
    {
        (
            "table",
            "alert_acks",
            "alert_acks",
            "CREATE TABLE alert_acks (\n"
            "  rule TEXT PRIMARY KEY NOT NULL,\n"
            "  acknowledged_at TEXT NOT NULL,\n"
            "  since TEXT NOT NULL,\n"
            "  strength REAL NOT NULL\n"
            ")",
        ),
        (
            "trigger",
            "alert_acks_tombstone",
            "alert_acks",
            "CREATE TRIGGER alert_acks_tombstone AFTER DELETE ON alert_acks BEGIN\n"
            "  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)\n"
            "    VALUES ('alert_acks', old.rule, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));\n"
            "END",
        ),
        (
            "trigger",
            "alert_acks_untombstone",
            "alert_acks",
            "CREATE TRIGGER alert_acks_untombstone AFTER INSERT ON alert_acks BEGIN\n"
            "  DELETE FROM tombstones WHERE tbl = 'alert_acks' AND id = new.rule;\n"
            "END",
        ),
        (
            "index",
            "sqlite_autoindex_alert_acks_1",
            "alert_acks",
            None,
        ),
        (
            "table",
            "doses",
            "doses",
            "CREATE TABLE doses (\n"
            "  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),\n"
            "  date TEXT NOT NULL CHECK (date GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date >= '0001-01-01' AND "
            "date(date, '+0 days') IS date),\n"
            "  time TEXT CHECK (time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND "
            "time <= '23:59')),\n"
            "  medicine TEXT NOT NULL CHECK (typeof(medicine) = 'text' AND "
            "length(trim(medicine)) > 0\n"
            "    AND length(medicine) <= 60 AND instr(medicine, char(0)) = 0),\n"
            "  dose_mg REAL NOT NULL CHECK (typeof(dose_mg) IN ('integer', 'real')\n"
            "    AND dose_mg > 0 AND dose_mg <= 100000),\n"
            "  parts TEXT CHECK (parts IS NULL OR (json_valid(parts) AND json_type(parts) "
            "= 'object')),\n"
            "  note TEXT CHECK (note IS NULL OR (typeof(note) = 'text' AND length(note) <= 500\n"
            "    AND instr(note, char(0)) = 0)),\n"
            "  created TEXT NOT NULL,\n"
            "  updated TEXT NOT NULL\n"
            ")",
        ),
        (
            "index",
            "doses_by_time",
            "doses",
            "CREATE INDEX doses_by_time ON doses (date, coalesce(time, ''), id)",
        ),
        (
            "trigger",
            "doses_tombstone",
            "doses",
            "CREATE TRIGGER doses_tombstone AFTER DELETE ON doses BEGIN\n"
            "  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)\n"
            "    VALUES ('doses', old.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));\n"
            "END",
        ),
        (
            "trigger",
            "doses_untombstone",
            "doses",
            "CREATE TRIGGER doses_untombstone AFTER INSERT ON doses BEGIN\n"
            "  DELETE FROM tombstones WHERE tbl = 'doses' AND id = new.id;\n"
            "END",
        ),
        (
            "index",
            "sqlite_autoindex_doses_1",
            "doses",
            None,
        ),
        (
            "table",
            "entries",
            "entries",
            "CREATE TABLE entries (\n"
            "  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),\n"
            "  date TEXT NOT NULL CHECK (date IS NULL OR (date GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date >= '0001-01-01' AND "
            "date(date, '+0 days') IS date)),\n"
            "  time TEXT CHECK (time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND "
            "time <= '23:59')),\n"
            "  pain INTEGER CHECK (pain IS NULL OR (typeof(pain) = 'integer' AND pain "
            "BETWEEN 0 AND 10)),\n"
            "  worst_pain INTEGER CHECK (worst_pain IS NULL OR (typeof(worst_pain) = "
            "'integer' AND worst_pain BETWEEN 0 AND 10)),\n"
            "  night_pain INTEGER CHECK (night_pain IS NULL OR (typeof(night_pain) = "
            "'integer' AND night_pain BETWEEN 0 AND 10)),\n"
            "  woke_at_night TEXT CHECK (woke_at_night IS NULL OR (woke_at_night IN "
            "('yes', 'no'))),\n"
            "  eased_by_rest TEXT CHECK (eased_by_rest IS NULL OR (eased_by_rest IN "
            "('yes', 'partly', 'no'))),\n"
            "  morning_stiffness_min INTEGER CHECK (morning_stiffness_min IS NULL OR "
            "(typeof(morning_stiffness_min) = 'integer' AND morning_stiffness_min BETWEEN "
            "0 AND 1440)),\n"
            "  locations TEXT NOT NULL DEFAULT '' CHECK (typeof(locations) = 'text' AND "
            "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(r"
            "eplace(replace(replace(';' || locations || ';', ';lower_back_left;', ';'), "
            "';lower_back_right;', ';'), ';lower_back_middle;', ';'), ';upper_back;', "
            "';'), ';buttock_left;', ';'), ';buttock_right;', ';'), ';leg_left;', ';'), "
            "';leg_right;', ';'), ';below_knee_left;', ';'), ';below_knee_right;', ';'), "
            "';abdomen;', ';'), ';other;', ';'), ';') = ''),\n"
            "  qualities TEXT NOT NULL DEFAULT '' CHECK (typeof(qualities) = 'text' AND "
            "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(r"
            "eplace(replace(replace(';' || qualities || ';', ';aching;', ';'), ';stiff;', "
            "';'), ';sharp;', ';'), ';stabbing;', ';'), ';burning;', ';'), ';shooting;', "
            "';'), ';electric;', ';'), ';throbbing;', ';'), ';tingling;', ';'), ';numb;', "
            "';'), ';spasm;', ';'), ';other;', ';'), ';') = ''),\n"
            "  cramps INTEGER CHECK (cramps IS NULL OR (typeof(cramps) = 'integer' AND "
            "cramps BETWEEN 0 AND 100)),\n"
            "  cramp_minutes REAL CHECK (cramp_minutes IS NULL OR (typeof(cramp_minutes) "
            "IN ('integer', 'real') AND cramp_minutes BETWEEN 0 AND 600)),\n"
            "  cramp_sites TEXT NOT NULL DEFAULT '' CHECK (typeof(cramp_sites) = 'text' "
            "AND "
            "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(r"
            "eplace(';' || cramp_sites || ';', ';calf_left;', ';'), ';calf_right;', ';'), "
            "';thigh_left;', ';'), ';thigh_right;', ';'), ';hamstring_left;', ';'), "
            "';hamstring_right;', ';'), ';foot_left;', ';'), ';foot_right;', ';'), "
            "';back;', ';'), ';other;', ';'), ';') = ''),\n"
            "  triggers TEXT NOT NULL DEFAULT '' CHECK (typeof(triggers) = 'text' AND "
            "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(r"
            "eplace(replace(replace(replace(';' || triggers || ';', ';sitting;', ';'), "
            "';standing;', ';'), ';lifting;', ';'), ';bending;', ';'), ';twisting;', ';'), "
            "';exercise;', ';'), ';sleep_position;', ';'), ';cold;', ';'), "
            "';heavy_sweating;', ';'), ';fatigue;', ';'), ';stress;', ';'), "
            "';cough_or_sneeze;', ';'), ';other;', ';'), ';') = ''),\n"
            "  relief TEXT NOT NULL DEFAULT '' CHECK (typeof(relief) = 'text' AND "
            "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(r"
            "eplace(replace(';' || relief || ';', ';rest;', ';'), ';walking;', ';'), "
            "';stretching;', ';'), ';exercise;', ';'), ';heat;', ';'), ';cold;', ';'), "
            "';massage;', ';'), ';position_change;', ';'), ';fluids;', ';'), ';medicine;', "
            "';'), ';other;', ';'), ';') = ''),\n"
            "  medications TEXT CHECK (medications IS NULL OR (typeof(medications) = "
            "'text' AND length(medications) <= 500 AND instr(medications, char(0)) = 0)),\n"
            "  weight_kg REAL CHECK (weight_kg IS NULL OR (typeof(weight_kg) IN "
            "('integer', 'real') AND weight_kg BETWEEN 20 AND 400)),\n"
            "  temperature_c REAL CHECK (temperature_c IS NULL OR (typeof(temperature_c) "
            "IN ('integer', 'real') AND temperature_c BETWEEN 30 AND 45)),\n"
            "  red_flags TEXT NOT NULL DEFAULT '' CHECK (typeof(red_flags) = 'text' AND "
            "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace('"
            ";' || red_flags || ';', ';saddle_numbness;', ';'), ';bladder_bowel_change;', "
            "';'), ';leg_weakness;', ';'), ';both_legs;', ';'), ';sexual_dysfunction;', "
            "';'), ';fever;', ';'), ';unexplained_weight_loss;', ';'), ';lump;', ';'), "
            "';collapse;', ';'), ';') = ''),\n"
            "  notes TEXT CHECK (notes IS NULL OR (typeof(notes) = 'text' AND "
            "length(notes) <= 4000 AND instr(notes, char(0)) = 0)),\n"
            "  created TEXT NOT NULL,\n"
            "  updated TEXT NOT NULL, sleep_hours REAL CHECK (sleep_hours IS NULL OR "
            "(typeof(sleep_hours) IN ('integer', 'real') AND sleep_hours BETWEEN 0 AND 24 "
            "AND sleep_hours / 0.5 = CAST(sleep_hours / 0.5 AS INTEGER))), mood INTEGER "
            "CHECK (mood IS NULL OR (typeof(mood) = 'integer' AND mood BETWEEN 0 AND 10)), "
            "activity_min INTEGER CHECK (activity_min IS NULL OR (typeof(activity_min) = "
            "'integer' AND activity_min BETWEEN 0 AND 1440)),\n"
            "  CHECK (pain IS NOT NULL OR cramps IS NOT NULL)\n"
            ")",
        ),
        (
            "index",
            "entries_by_cramp_minutes",
            "entries",
            "CREATE INDEX entries_by_cramp_minutes ON entries (cramp_minutes) WHERE "
            "cramp_minutes IS NOT NULL",
        ),
        (
            "index",
            "entries_by_time",
            "entries",
            "CREATE INDEX entries_by_time ON entries (date, coalesce(time, ''), id)",
        ),
        (
            "trigger",
            "entries_tombstone",
            "entries",
            "CREATE TRIGGER entries_tombstone AFTER DELETE ON entries BEGIN\n"
            "  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)\n"
            "    VALUES ('entries', old.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));\n"
            "END",
        ),
        (
            "trigger",
            "entries_untombstone",
            "entries",
            "CREATE TRIGGER entries_untombstone AFTER INSERT ON entries BEGIN\n"
            "  DELETE FROM tombstones WHERE tbl = 'entries' AND id = new.id;\n"
            "END",
        ),
        (
            "index",
            "entries_with_signs",
            "entries",
            "CREATE INDEX entries_with_signs ON entries (date) WHERE red_flags != '' OR "
            "temperature_c IS NOT NULL",
        ),
        (
            "index",
            "sqlite_autoindex_entries_1",
            "entries",
            None,
        ),
        (
            "table",
            "followups",
            "followups",
            "CREATE TABLE followups (\n"
            "  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),\n"
            "  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'\n"
            "    AND date >= '0001-01-01' AND date(date, '+0 days') IS date),\n"
            "  time TEXT CHECK (time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND "
            "time <= '23:59')),\n"
            "  kind TEXT NOT NULL CHECK (kind IN ('seen', 'gone')),\n"
            "  signs TEXT NOT NULL DEFAULT '' CHECK (typeof(signs) = 'text' AND trim(\n"
            "    replace(replace(replace(replace(replace(replace(replace(replace(replace(\n"
            "      ';' || signs || ';', ';saddle_numbness;', ';'), "
            "';bladder_bowel_change;', ';'),\n"
            "      ';leg_weakness;', ';'), ';both_legs;', ';'), ';sexual_dysfunction;', "
            "';'), ';fever;', ';'),\n"
            "      ';unexplained_weight_loss;', ';'), ';lump;', ';'), ';collapse;', ';'), "
            "';') = ''),\n"
            "  created TEXT NOT NULL,\n"
            "  updated TEXT NOT NULL,\n"
            "  CHECK ((kind = 'seen') = (signs = ''))\n"
            ")",
        ),
        (
            "index",
            "followups_by_date",
            "followups",
            "CREATE INDEX followups_by_date ON followups (date, kind)",
        ),
        (
            "trigger",
            "followups_tombstone",
            "followups",
            "CREATE TRIGGER followups_tombstone AFTER DELETE ON followups BEGIN\n"
            "  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)\n"
            "    VALUES ('followups', old.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));\n"
            "END",
        ),
        (
            "trigger",
            "followups_untombstone",
            "followups",
            "CREATE TRIGGER followups_untombstone AFTER INSERT ON followups BEGIN\n"
            "  DELETE FROM tombstones WHERE tbl = 'followups' AND id = new.id;\n"
            "END",
        ),
        (
            "index",
            "sqlite_autoindex_followups_1",
            "followups",
            None,
        ),
        (
            "table",
            "medicine_limits",
            "medicine_limits",
            "CREATE TABLE medicine_limits (\n"
            "  medicine TEXT PRIMARY KEY NOT NULL CHECK (typeof(medicine) = 'text'\n"
            "    AND length(trim(medicine)) > 0 AND length(medicine) <= 60),\n"
            "  daily_max_mg REAL NOT NULL CHECK (typeof(daily_max_mg) IN ('integer', 'real')\n"
            "    AND daily_max_mg > 0 AND daily_max_mg <= 100000),\n"
            "  updated TEXT NOT NULL\n"
            ")",
        ),
        (
            "trigger",
            "medicine_limits_tombstone",
            "medicine_limits",
            "CREATE TRIGGER medicine_limits_tombstone AFTER DELETE ON medicine_limits BEGIN\n"
            "  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)\n"
            "    VALUES ('medicine_limits', old.medicine, "
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));\n"
            "END",
        ),
        (
            "trigger",
            "medicine_limits_untombstone",
            "medicine_limits",
            "CREATE TRIGGER medicine_limits_untombstone AFTER INSERT ON medicine_limits BEGIN\n"
            "  DELETE FROM tombstones WHERE tbl = 'medicine_limits' AND id = new.medicine;\n"
            "END",
        ),
        (
            "index",
            "sqlite_autoindex_medicine_limits_1",
            "medicine_limits",
            None,
        ),
        (
            "table",
            "settings",
            "settings",
            "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        ),
        (
            "index",
            "sqlite_autoindex_settings_1",
            "settings",
            None,
        ),
        (
            "index",
            "sqlite_autoindex_sync_conflicts_1",
            "sync_conflicts",
            None,
        ),
        (
            "table",
            "sync_conflicts",
            "sync_conflicts",
            "CREATE TABLE sync_conflicts (\n"
            "  tbl TEXT NOT NULL,\n"
            "  id TEXT NOT NULL,\n"
            "  stamp TEXT NOT NULL,\n"
            "  n INTEGER NOT NULL,\n"
            "  computer TEXT NOT NULL,\n"
            "  seq INTEGER NOT NULL,\n"
            "  row TEXT NOT NULL CHECK (json_valid(row)),\n"
            "  found TEXT NOT NULL,\n"
            "  UNIQUE (tbl, id, stamp, n, computer, seq)\n"
            ")",
        ),
        (
            "index",
            "sqlite_autoindex_sync_files_1",
            "sync_files",
            None,
        ),
        (
            "table",
            "sync_files",
            "sync_files",
            "CREATE TABLE sync_files (name TEXT PRIMARY KEY NOT NULL, applied TEXT NOT NULL)",
        ),
        (
            "index",
            "sqlite_autoindex_sync_versions_1",
            "sync_versions",
            None,
        ),
        (
            "table",
            "sync_versions",
            "sync_versions",
            "CREATE TABLE sync_versions (\n"
            "  tbl TEXT NOT NULL,\n"
            "  id TEXT NOT NULL,\n"
            "  stamp TEXT NOT NULL,\n"
            "  n INTEGER NOT NULL,\n"
            "  computer TEXT NOT NULL,\n"
            "  seq INTEGER NOT NULL,\n"
            "  seen TEXT NOT NULL CHECK (json_valid(seen)),\n"
            "  digest TEXT NOT NULL,\n"
            "  PRIMARY KEY (tbl, id)\n"
            ")",
        ),
        (
            "index",
            "sqlite_autoindex_tombstones_1",
            "tombstones",
            None,
        ),
        (
            "table",
            "tombstones",
            "tombstones",
            "CREATE TABLE tombstones (\n"
            "  tbl TEXT NOT NULL CHECK (tbl IN ('entries', 'followups', 'triage_results', "
            "'alert_acks',\n"
            "    'doses', 'medicine_limits')),\n"
            "  id TEXT NOT NULL CHECK (typeof(id) = 'text'),\n"
            "  deleted TEXT NOT NULL,\n"
            "  PRIMARY KEY (tbl, id)\n"
            ")",
        ),
        (
            "index",
            "sqlite_autoindex_triage_results_1",
            "triage_results",
            None,
        ),
        (
            "index",
            "triage_by_date",
            "triage_results",
            "CREATE INDEX triage_by_date ON triage_results (date)",
        ),
        (
            "table",
            "triage_results",
            "triage_results",
            "CREATE TABLE triage_results (\n"
            "  id TEXT PRIMARY KEY NOT NULL,\n"
            "  taken_at TEXT NOT NULL,\n"
            "  date TEXT NOT NULL CHECK (date IS NULL OR (date GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date >= '0001-01-01' AND "
            "date(date, '+0 days') IS date)),\n"
            "  disposition TEXT NOT NULL CHECK (disposition IN ('emergency', 'urgent', "
            "'soon', 'self_care')),\n"
            "  answers TEXT NOT NULL CHECK (json_valid(answers)),\n"
            "  reasons TEXT NOT NULL CHECK (json_valid(reasons))\n"
            ")",
        ),
        (
            "trigger",
            "triage_results_tombstone",
            "triage_results",
            "CREATE TRIGGER triage_results_tombstone AFTER DELETE ON triage_results BEGIN\n"
            "  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)\n"
            "    VALUES ('triage_results', old.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));\n"
            "END",
        ),
        (
            "trigger",
            "triage_results_untombstone",
            "triage_results",
            "CREATE TRIGGER triage_results_untombstone AFTER INSERT ON triage_results BEGIN\n"
            "  DELETE FROM tombstones WHERE tbl = 'triage_results' AND id = new.id;\n"
            "END",
        ),
    }
)


def describe(rows: Iterable[tuple[str, str, str, str | None]]) -> Description:
    """The objects of a diary that ``EXPECTED`` describes, from rows of ``sqlite_master``."""
    return frozenset(
        (kind, name, table, sql)
        for kind, name, table, sql in rows
        if not (kind in ("table", "index") and table == MIGRATIONS_TABLE)
        and not _STATISTICS_RE.fullmatch(name)
    )


def problem(
    conn: sqlite3.Connection,
    rows: Iterable[tuple[str, str, str, str | None]],
    expected: Description | None = None,
) -> str | None:
    """What differs between a diary's layout and ``expected`` (``EXPECTED``), in words; or None.

    ``rows`` are the diary's ``SELECT type, name, tbl_name, sql FROM sqlite_master``. Names
    from the file are shown only when they are plain identifiers.
    """
    expected = EXPECTED if expected is None else expected
    found = describe(rows)
    if found != expected:
        extra = sorted(found - expected, key=_order)
        missing = sorted(expected - found, key=_order)
        changed = {o[1] for o in extra} & {o[1] for o in missing}
        if changed:
            kind, name = next((o[0], o[1]) for o in extra if o[1] in changed)
            return f"the {kind} {_shown(name)} is not as the companion makes it"
        if extra:
            kind = extra[0][0]
            return f"{'an' if kind == 'index' else 'a'} {kind} of its own, {_shown(extra[0][1])}"
        return f"no {missing[0][0]} {_shown(missing[0][1])}"
    columns = tuple(r[1] for r in conn.execute(f"PRAGMA table_info({MIGRATIONS_TABLE})"))
    if columns != MIGRATIONS_COLUMNS:
        return f"the table {MIGRATIONS_TABLE} is not as the companion makes it"
    return None


def derive(count: int | None = None) -> Description:
    """What the first ``count`` migrations (or all of them) make, in a fresh in-memory diary."""
    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    try:
        migrations.apply(Database(conn, execute_plugins=False), upto=count)
        return describe(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def dump(description: Description) -> str:
    """``description`` as the Python source of ``EXPECTED``, to paste after a migration."""
    import json

    def literal(text: str | None) -> list[str]:
        if text is None:
            return ["None"]
        # A piece per line of SQL, long lines cut after a space: readable in a diff, and
        # every line of the source within the line length.
        pieces: list[str] = []
        for line in text.splitlines(keepends=True):
            while len(json.dumps(line)) > _PIECE:
                cut = line.rfind(" ", 0, _PIECE - 8) + 1 or _PIECE - 8
                pieces.append(line[:cut])
                line = line[cut:]
            pieces.append(line)
        return [json.dumps(piece) for piece in pieces]

    lines = ["EXPECTED: Description = frozenset(", "    {"]
    for kind, name, table, sql in sorted(description, key=_order):
        lines += ["        (", *(f"            {json.dumps(v)}," for v in (kind, name, table))]
        lines += [f"            {piece}" for piece in literal(sql)]
        lines[-1] += ","
        lines.append("        ),")
    lines += ["    }", ")"]
    return "\n".join(lines)


def _order(item: Object) -> tuple[str, str]:
    return (item[2], item[1])


def _shown(name: str) -> str:
    return repr(name) if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,40}", name) else "(unnamed)"
