"""Schema migrations, applied in order with sqlite-utils' ``Migrations``.

Each migration is a plain function so the store can tell whether any are pending by name
alone, without importing sqlite-utils on every start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from companion.entry import SPEC, SPECS, check_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "companion"

_SQL_TYPES = {
    "date": "TEXT NOT NULL",
    "time": "TEXT",
    "int": "INTEGER",
    "float": "REAL",
    "choice": "TEXT",
    "set": "TEXT NOT NULL DEFAULT ''",
    "text": "TEXT",
}

DISPOSITIONS = ("emergency", "urgent", "soon", "self_care")


# The fields the first release had: fields added later come with their own migrations.
_M0001_FIELDS = frozenset(
    {
        "date",
        "time",
        "pain",
        "worst_pain",
        "night_pain",
        "woke_at_night",
        "eased_by_rest",
        "morning_stiffness_min",
        "locations",
        "qualities",
        "cramps",
        "cramp_minutes",
        "cramp_sites",
        "triggers",
        "relief",
        "medications",
        "weight_kg",
        "temperature_c",
        "red_flags",
        "notes",
    }
)


def m0001_initial(db: Database) -> None:
    columns = ",\n  ".join(
        f"{s.name} {_SQL_TYPES[s.kind]} {check_sql(s)}" for s in SPECS if s.name in _M0001_FIELDS
    )
    db.execute(
        f"""CREATE TABLE entries (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  {columns},
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  CHECK (pain IS NOT NULL OR cramps IS NOT NULL)
)"""
    )
    # Keyset pagination and date ranges both walk this index.
    db.execute("CREATE INDEX entries_by_time ON entries (date, coalesce(time, ''), id)")
    dispositions = ", ".join(repr(d) for d in DISPOSITIONS)
    db.execute(
        f"""CREATE TABLE triage_results (
  id TEXT PRIMARY KEY NOT NULL,
  taken_at TEXT NOT NULL,
  date TEXT NOT NULL {check_sql(SPEC["date"])},
  disposition TEXT NOT NULL CHECK (disposition IN ({dispositions})),
  answers TEXT NOT NULL CHECK (json_valid(answers)),
  reasons TEXT NOT NULL CHECK (json_valid(reasons))
)"""
    )
    db.execute("CREATE INDEX triage_by_date ON triage_results (date)")
    db.execute(
        """CREATE TABLE alert_acks (
  rule TEXT PRIMARY KEY NOT NULL,
  acknowledged_at TEXT NOT NULL,
  since TEXT NOT NULL,
  strength REAL NOT NULL
)"""
    )
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")


# Frozen as written: later changes to the entry's specs must never change what this creates.
_M0002 = (
    """CREATE TABLE followups (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
    AND date >= '0001-01-01' AND date(date, '+0 days') IS date),
  time TEXT CHECK (time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND time <= '23:59')),
  kind TEXT NOT NULL CHECK (kind IN ('seen', 'gone')),
  signs TEXT NOT NULL DEFAULT '' CHECK (typeof(signs) = 'text' AND trim(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(
      ';' || signs || ';', ';saddle_numbness;', ';'), ';bladder_bowel_change;', ';'),
      ';leg_weakness;', ';'), ';both_legs;', ';'), ';sexual_dysfunction;', ';'), ';fever;', ';'),
      ';unexplained_weight_loss;', ';'), ';lump;', ';'), ';collapse;', ';'), ';') = ''),
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  CHECK ((kind = 'seen') = (signs = ''))
)""",
    "CREATE INDEX followups_by_date ON followups (date, kind)",
    # The rules look for warning signs and temperatures logged any time before: the few
    # entries that hold one, without reading the rest of the diary.
    "CREATE INDEX entries_with_signs ON entries (date) "
    "WHERE red_flags != '' OR temperature_c IS NOT NULL",
)


def m0002_followups(db: Database) -> None:
    """Records that the person was seen by a clinician, or that warning signs have gone.

    A 'seen' record names no signs; a 'gone' record names at least one warning sign. Each
    has a stable id and an ``updated`` time, so a later sync can merge them.
    """
    for statement in _M0002:
        db.execute(statement)


def m0003_long_cramps(db: Database) -> None:
    """An index of cramp lengths: a cramp that lasted too long stays an alert until the
    person was seen, so the rules look for one any time before, without reading the rest of
    the diary."""
    db.execute(
        "CREATE INDEX entries_by_cramp_minutes ON entries (cramp_minutes) "
        "WHERE cramp_minutes IS NOT NULL"
    )


# Frozen as written, like _M0002.
_DATE_CHECK = (
    "date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' "
    "AND date >= '0001-01-01' AND date(date, '+0 days') IS date"
)
_TIME_CHECK = "time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND time <= '23:59')"
_M0004 = (
    "ALTER TABLE entries ADD COLUMN sleep_hours REAL CHECK (sleep_hours IS NULL OR "
    "(typeof(sleep_hours) IN ('integer', 'real') AND sleep_hours BETWEEN 0 AND 24 "
    "AND sleep_hours / 0.5 = CAST(sleep_hours / 0.5 AS INTEGER)))",
    "ALTER TABLE entries ADD COLUMN mood INTEGER CHECK (mood IS NULL OR "
    "(typeof(mood) = 'integer' AND mood BETWEEN 0 AND 10))",
    "ALTER TABLE entries ADD COLUMN activity_min INTEGER CHECK (activity_min IS NULL OR "
    "(typeof(activity_min) = 'integer' AND activity_min BETWEEN 0 AND 1440))",
    f"""CREATE TABLE doses (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  date TEXT NOT NULL CHECK ({_DATE_CHECK}),
  time TEXT CHECK ({_TIME_CHECK}),
  medicine TEXT NOT NULL CHECK (typeof(medicine) = 'text' AND length(trim(medicine)) > 0
    AND length(medicine) <= 60 AND instr(medicine, char(0)) = 0),
  dose_mg REAL NOT NULL CHECK (typeof(dose_mg) IN ('integer', 'real')
    AND dose_mg > 0 AND dose_mg <= 100000),
  parts TEXT CHECK (parts IS NULL OR (json_valid(parts) AND json_type(parts) = 'object')),
  note TEXT CHECK (note IS NULL OR (typeof(note) = 'text' AND length(note) <= 500
    AND instr(note, char(0)) = 0)),
  created TEXT NOT NULL,
  updated TEXT NOT NULL
)""",
    "CREATE INDEX doses_by_time ON doses (date, coalesce(time, ''), id)",
    """CREATE TABLE medicine_limits (
  medicine TEXT PRIMARY KEY NOT NULL CHECK (typeof(medicine) = 'text'
    AND length(trim(medicine)) > 0 AND length(medicine) <= 60),
  daily_max_mg REAL NOT NULL CHECK (typeof(daily_max_mg) IN ('integer', 'real')
    AND daily_max_mg > 0 AND daily_max_mg <= 100000),
  updated TEXT NOT NULL
)""",
)


def m0004_medicines_sleep_mood_activity(db: Database) -> None:
    """Sleep, mood and activity on each entry; a log of medicine doses; personal limits.

    A dose names its medicine as the medicine list spells it (or as written, for one the
    list does not know) with its amount in mg; a combination product keeps the amount of
    each ingredient in ``parts`` (a JSON object of name to mg), so that the paracetamol in
    co-codamol counts towards the day's paracetamol. Each dose has a stable id and an
    ``updated`` time, so that a later sync can merge them. A personal limit is the daily
    maximum a doctor set for one medicine; it replaces the list's.
    """
    for statement in _M0004:
        db.execute(statement)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    m0001_initial,
    m0002_followups,
    m0003_long_cramps,
    m0004_medicines_sleep_mood_activity,
)
MIGRATION_NAMES: tuple[str, ...] = tuple(m.__name__ for m in MIGRATIONS)


def apply(db: Database, upto: int | None = None) -> None:
    """Apply pending migrations (the first ``upto``, or all); the caller holds the write lock."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS[:upto]:
        migrations(name=fn.__name__)(fn)
    migrations.apply(db)
