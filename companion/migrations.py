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


def m0001_initial(db: Database) -> None:
    columns = ",\n  ".join(f"{s.name} {_SQL_TYPES[s.kind]} {check_sql(s)}" for s in SPECS)
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


# Frozen as written. Every table that travels between computers gets a trigger pair: a
# delete, by any path (the app, the CLI, an undo), leaves a tombstone, and putting the row
# back takes it away again.
_TRAVELLING_M0005 = (
    ("entries", "id"),
    ("followups", "id"),
    ("triage_results", "id"),
    ("alert_acks", "rule"),
)
_M0005 = (
    """CREATE TABLE tombstones (
  tbl TEXT NOT NULL CHECK (tbl IN ('entries', 'followups', 'triage_results', 'alert_acks')),
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
    *(
        statement
        for table, key in _TRAVELLING_M0005
        for statement in (
            f"""CREATE TRIGGER {table}_tombstone AFTER DELETE ON {table} BEGIN
  INSERT OR REPLACE INTO tombstones (tbl, id, deleted)
    VALUES ('{table}', old.{key}, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END""",
            f"""CREATE TRIGGER {table}_untombstone AFTER INSERT ON {table} BEGIN
  DELETE FROM tombstones WHERE tbl = '{table}' AND id = new.{key};
END""",
        )
    ),
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
    m0005_sync,
)
MIGRATION_NAMES: tuple[str, ...] = tuple(m.__name__ for m in MIGRATIONS)


def apply(db: Database, upto: int | None = None) -> None:
    """Apply pending migrations (the first ``upto``, or all); the caller holds the write lock."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS[:upto]:
        migrations(name=fn.__name__)(fn)
    migrations.apply(db)
