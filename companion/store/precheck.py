"""The check on open (quick_check), begun before the app loads Textual.

quick_check reads the whole diary file, 14 ms for 20,000 entries, in one call that SQLite
makes without holding the GIL: on a read-only connection of its own, in a thread that needs
the GIL only to begin and to end, it runs while the app imports Textual (a quarter of a
second of Python). The store takes its verdict only if the diary and its write-ahead log are
exactly as they were while it ran (same file, size, modification and change times); on any
change or failure it checks as always. Either way a damaged diary is refused before the
terminal is taken over.
"""

from __future__ import annotations

import os
import stat

from companion.targets import DIARY_COMPANIONS, SQLITE_MAGIC

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

Identity = tuple[object, ...]
WAIT_S = 5.0

_checks: dict[str, _Check] = {}


def _identity(path: str) -> Identity | None:
    """What changes whenever the diary's saved content can: its file, size and times, and
    those of a log holding saves (an empty log, or none, holds nothing). None, and so no
    verdict, for anything but a plain SQLite file with plain files beside it (_refused), and
    for a log without its shared-memory file: the read-only connection would read that one
    without locks, as for a copy no program shares, while a program may be starting on it."""
    try:
        # Never waits: a FIFO put at the path after any check would hold this for a writer.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None  # new, foreign or encrypted: the store says what it is
        beside: dict[str, os.stat_result] = {}
        for suffix in (s for s in DIARY_COMPANIONS if s):
            try:
                beside[suffix] = os.lstat(f"{path}{suffix}")
            except FileNotFoundError:
                continue
            if _refused(beside[suffix]):
                return None
    except OSError:
        return None
    wal = beside.get("-wal")
    if wal is not None and "-shm" not in beside:
        return None
    log = None
    if wal is not None and wal.st_size:
        log = (wal.st_dev, wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns)
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, log)


def _refused(beside: os.stat_result) -> bool:
    """A file beside the diary that the store refuses (store.core.check_files), left to it
    to name: SQLite, checking, would take a FIFO for an empty log and delete it, and write
    over a -shm that is another file's second name."""
    return not stat.S_ISREG(beside.st_mode) or beside.st_nlink > 1


class _Check:
    def __init__(self, path: str, check: Callable[[str], bool]) -> None:
        import threading

        self.path = path
        self.check = check
        self.sound: Identity | None = None
        """The files' identity while the check found them sound; None if it did not."""
        self.thread = threading.Thread(target=self._run, name="diary-check", daemon=True)

    def _run(self) -> None:
        try:
            before = _identity(self.path)
            if before is not None and self.check(self.path) and _identity(self.path) == before:
                self.sound = before
        except Exception:  # noqa: BLE001 - no verdict: the store checks as always
            return


def begin(path: str | os.PathLike[str], check: Callable[[str], bool]) -> None:
    """Start ``check`` (True if the diary file at ``path`` is sound) in a thread. It must
    import nothing: an import in a thread while the main one imports Textual can meet a
    module that one has half-loaded (ImportError: "partially initialized module")."""
    started = _Check(os.path.abspath(path), check)
    _checks[started.path] = started
    started.thread.start()


def passed(path: str | os.PathLike[str]) -> bool:
    """Whether a check begun for ``path`` found the file, exactly as it is now, sound.
    Waits for it if it is still running; a verdict is used once."""
    check = _checks.pop(os.path.abspath(path), None)
    if check is None:
        return False
    # Seconds, not the tens of milliseconds a check takes: a check held up (a slow disk, a
    # lock) is left behind, and the store checks as always.
    check.thread.join(timeout=WAIT_S)
    return check.sound is not None and check.sound == _identity(check.path)
