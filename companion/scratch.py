"""Temporary files, and clearing away the ones a killed run left behind.

Every temporary file the companion makes (a backup or an export being written, a backup being
checked before a restore, an import being staged) is ``.{name}.{random}.part`` beside where it
belongs, private (0600), and held under an exclusive ``flock`` for as long as it is in use. A
process that dies, even by SIGKILL, drops its locks, so a later run can tell a leftover from a
file another program is still writing: ``clear_stale`` removes the unlocked ones, with the
journal or write-ahead log SQLite may have left beside them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator

from companion.paths import as_path

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from pathlib import Path

SUFFIX = ".part"
SIDECARS = ("-journal", "-wal", "-shm")
# tempfile's random part: eight of a-z, 0-9 and _.
_SCRATCH_RE = r"\.(?P<name>.+)\.[a-z0-9_]{8}\.part"  # compiled on first use


@contextlib.contextmanager
def scratch_file(directory: Path, name: str) -> Iterator[Path]:
    """A new, empty, private file in ``directory``, locked while the block runs.

    Leftovers of earlier runs for the same ``name`` are cleared first. The file (and anything
    SQLite kept beside it) is removed afterwards, unless the block renamed it into place.
    Raises OSError if the folder cannot be written.
    """
    import tempfile  # lazily: it pulls in shutil and the compression modules at every start

    clear_stale(directory, name)
    while True:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=SUFFIX, dir=directory)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # A cleaner in another program may have removed the file between its creation and
        # the lock: then it is not ours to use, and another one is made.
        try:
            if os.stat(tmp_name).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    tmp = as_path(tmp_name)
    try:
        yield tmp
    finally:
        # Removed while still locked, so no cleaner ever sees it unlocked.
        _remove_with_sidecars(tmp)
        os.close(fd)


def clear_stale(directory: str | os.PathLike[str], name: str | None = None) -> list[Path]:
    """Remove the temporary files in ``directory`` (of ``name``, or all) that nobody holds.

    Never raises: a folder that cannot be read or written just keeps its leftovers.
    """
    removed: list[Path] = []
    try:
        with os.scandir(directory) as found:
            names = [entry.name for entry in found if entry.name.startswith(".")]
    except OSError:
        return removed
    present = set(names)
    for entry_name in names:
        base = _base_name(entry_name)
        match = re.fullmatch(_SCRATCH_RE, base)
        if match is None or (name is not None and match["name"] != name):
            continue
        path = as_path(directory) / entry_name
        if base != entry_name:
            # A journal or log beside a temporary file: cleared with that file, or alone
            # once the file itself is gone (it is never made again under the same name).
            if base not in present:
                removed += _unlink(path)
            continue
        removed += _remove_if_unused(path)
    return removed


def _base_name(name: str) -> str:
    for sidecar in SIDECARS:
        if name.endswith(SUFFIX + sidecar):
            return name.removesuffix(sidecar)
    return name


def _remove_if_unused(path: Path) -> list[Path]:
    """Remove the file if no process holds its lock, holding it meanwhile (see scratch_file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return []
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return _remove_with_sidecars(path)
    except OSError:  # held by a program still writing it
        return []
    finally:
        os.close(fd)


def _remove_with_sidecars(path: Path) -> list[Path]:
    removed: list[Path] = []
    for suffix in ("", *SIDECARS):
        removed += _unlink(path.with_name(path.name + suffix))
    return removed


def _unlink(path: Path) -> list[Path]:
    try:
        path.unlink()
    except OSError:
        return []
    return [path]


def sync_folder(folder: Path) -> None:
    """A rename or link in ``folder`` reaches the disk (the folder's own entry is flushed)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
