"""Schema migrations, applied in order with sqlite-utils' ``Migrations``.

Each migration is a plain function so the store can tell whether any are pending by name
alone, without importing sqlite-utils on every start.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "companion"

# Each migration's SQL is written out in full, never built from the entry's specs: a diary
# made by any release must get exactly the same tables from the same migrations. A later change
# to a column's CHECK is a new migration (see ``transform_check``).
_M0001 = (
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
    "  updated TEXT NOT NULL,\n"
    "  CHECK (pain IS NOT NULL OR cramps IS NOT NULL)\n"
    ")",
    # Keyset pagination and date ranges both walk this index.
    "CREATE INDEX entries_by_time ON entries (date, coalesce(time, ''), id)",
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
    "CREATE INDEX triage_by_date ON triage_results (date)",
    "CREATE TABLE alert_acks (\n"
    "  rule TEXT PRIMARY KEY NOT NULL,\n"
    "  acknowledged_at TEXT NOT NULL,\n"
    "  since TEXT NOT NULL,\n"
    "  strength REAL NOT NULL\n"
    ")",
    "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
)


def m0001_initial(db: Database) -> None:
    """The diary's entries, triage results, acknowledged alerts and settings."""
    for statement in _M0001:
        db.execute(statement)


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


# Frozen as written. Every table that travels between computers gets a trigger pair: a
# delete, by any path (the app, the CLI, an undo), leaves a tombstone, and putting the row
# back takes it away again.
def _tombstone_triggers(table: str, key: str) -> tuple[str, str]:
    return (
        f"""CREATE TRIGGER {table}_tombstone AFTER DELETE ON {table} BEGIN
  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)
    VALUES ('{table}', old.{key}, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END""",
        f"""CREATE TRIGGER {table}_untombstone AFTER INSERT ON {table} BEGIN
  DELETE FROM tombstones WHERE tbl = '{table}' AND id = new.{key};
END""",
    )


_M0005 = (
    """CREATE TABLE tombstones (
  tbl TEXT NOT NULL CHECK (tbl IN ('entries', 'followups', 'triage_results', 'alert_acks',
    'doses', 'medicine_limits')),
  id TEXT NOT NULL CHECK (typeof(id) = 'text'),
  deleted TEXT NOT NULL,
  PRIMARY KEY (tbl, id)
)""",
    """CREATE TABLE sync_versions (
  tbl TEXT NOT NULL,
  id TEXT NOT NULL,
  stamp TEXT NOT NULL,
  n INTEGER NOT NULL,
  computer TEXT NOT NULL,
  seq INTEGER NOT NULL,
  seen TEXT NOT NULL CHECK (json_valid(seen)),
  digest TEXT NOT NULL,
  PRIMARY KEY (tbl, id)
)""",
    "CREATE TABLE sync_files (name TEXT PRIMARY KEY NOT NULL, applied TEXT NOT NULL)",
    """CREATE TABLE sync_conflicts (
  tbl TEXT NOT NULL,
  id TEXT NOT NULL,
  stamp TEXT NOT NULL,
  n INTEGER NOT NULL,
  computer TEXT NOT NULL,
  seq INTEGER NOT NULL,
  row TEXT NOT NULL CHECK (json_valid(row)),
  found TEXT NOT NULL,
  UNIQUE (tbl, id, stamp, n, computer, seq)
)""",
    *_tombstone_triggers("entries", "id"),
    *_tombstone_triggers("followups", "id"),
    *_tombstone_triggers("triage_results", "id"),
    *_tombstone_triggers("alert_acks", "rule"),
    *_tombstone_triggers("doses", "id"),
    *_tombstone_triggers("medicine_limits", "medicine"),
)


def m0005_sync(db: Database) -> None:
    """What syncing through a shared folder needs: tombstones, which carry a delete to the
    other computers; the version of each row as last synced (its time, a tie-breaking
    counter, the computer that wrote it and what it had seen of each computer), to tell an
    edit made here from one read from the folder, and a later edit from a concurrent one;
    the change files already read; and the versions that lost a conflict, kept to restore.
    """
    for statement in _M0005:
        db.execute(statement)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    m0001_initial,
    m0002_followups,
    m0003_long_cramps,
    m0004_medicines_sleep_mood_activity,
    m0005_sync,
)
MIGRATION_NAMES: tuple[str, ...] = tuple(m.__name__ for m in MIGRATIONS)


def transform_check(db: Database, table: str, column: str, check: str) -> None:
    """Give ``column`` of ``table`` a new CHECK (frozen SQL, as written in the migration).

    SQLite cannot alter a constraint, so sqlite-utils' ``transform()`` rebuilds the table:
    a copy with every row, column, other constraint and index kept, and this CHECK in place
    of the column's old one. A row the new CHECK refuses fails the migration, which then
    changes nothing.
    """
    from sqlite_utils.create_table_parser import Check
    from sqlite_utils.db import Table

    class Rechecked(Table):
        @property
        def checks(self) -> list[Check]:
            kept = [c for c in super().checks if c.column != column]
            return [*kept, Check(check, column=column)]

    Rechecked(db, table).transform()


def apply(db: Database, upto: int | None = None) -> None:
    """Apply pending migrations (the first ``upto``, or all); the caller holds the write lock."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS[:upto]:
        migrations(name=fn.__name__)(fn)
    migrations.apply(db)
