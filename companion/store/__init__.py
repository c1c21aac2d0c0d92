"""The diary file and every SQL statement the companion runs on it.

``core`` opens the file, checks and migrates it, and reads and writes entries; the other
modules hold the queries of one part of the companion each (alerts, follow-ups, triage
results, trends, the summary, backups, restore, import), which those parts call rather than
writing SQL of their own.
"""

from companion.store.core import (
    BUSY_TIMEOUT_S,
    COLUMNS,
    REST_PAIN,
    Store,
    check_files,
    connect_read_only,
    entry_to_params,
    row_to_entry,
)
from companion.store.errors import sql_error

__all__ = [
    "BUSY_TIMEOUT_S",
    "COLUMNS",
    "REST_PAIN",
    "Store",
    "check_files",
    "connect_read_only",
    "entry_to_params",
    "row_to_entry",
    "sql_error",
]
