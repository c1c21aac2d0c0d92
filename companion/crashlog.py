"""A crash report that holds no personal data: where it failed, never what it held.

Exception messages and local variables can carry diary text, so only the exception type
and the code locations are written.
"""

from __future__ import annotations

import os
import stat
import traceback
from pathlib import Path

from companion import __version__
from companion.entry import timestamp
from companion.paths import FILE_MODE, LOG_FILE, ensure_private_dir, home_dir


def crash_text(exc: BaseException) -> str:
    lines = [f"{timestamp()} companion {__version__}: {type(exc).__module__}.{type(exc).__name__}"]
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def record_crash(exc: BaseException, home: str | os.PathLike[str] | None) -> Path | None:
    """Append the report to the log in the data directory; return the log's path.

    Returns None if the report cannot be written (a full disk, a read-only folder): a
    failure here must never hide the first one behind a second traceback.
    """
    try:
        path = ensure_private_dir(home_dir(home)) / LOG_FILE
        # Only a file of its own: never through a link (O_NOFOLLOW), never waiting on a
        # pipe with no reader (O_NONBLOCK), never into a file that has another name too.
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK
        fd = os.open(path, flags, FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                return None
            os.fchmod(fd, FILE_MODE)
            handle.write(crash_text(exc))
    except Exception:  # noqa: BLE001 - see above
        return None
    return path
