"""Where the diary lives, and how private files are made.

One place for every path: ``--home``, else ``COMPANION_HOME``, else the platform's user
data directory. The directory is 0700 and every file in it, and every export, is 0600.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from companion.errors import StoreError, UsageError

APP_NAME = "companion"
DIARY_FILE = "diary.sqlite3"
LOG_FILE = "companion.log"
BACKUP_DIR = "backups"
DIR_MODE = 0o700
FILE_MODE = 0o600


def home_dir(cli_home: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, not yet created."""
    if cli_home:
        return Path(cli_home).expanduser()
    env = os.environ.get("COMPANION_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # lazily: only when no home was given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create the directory (0700) if missing; tighten it if it is ours and too open."""
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != DIR_MODE:
            path.chmod(DIR_MODE)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the data directory ({exc.strerror})") from None
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 unless it exists (SQLite would make it 0644)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the file ({exc.strerror})") from None
    os.close(fd)


def already_there(paths: Iterable[Path]) -> list[Path]:
    """Those of ``paths`` that writing would replace (a dangling symlink too)."""
    return [path for path in paths if path.exists() or path.is_symlink()]


def refuse_to_replace(path: Path, *, force: bool) -> None:
    """An export never replaces a file unless the person said so (``--force``)."""
    if not force and already_there([path]):
        raise UsageError(f"{path} is there already: give --force to replace it")


@contextlib.contextmanager
def private_output(path: Path, *, mode: str = "w", newline: str | None = None) -> Iterator[IO[Any]]:
    """Write a file atomically with mode 0600: a temporary file beside it, renamed at the end.

    If anything fails, the old file (if any) is untouched and the temporary file removed.
    """
    import tempfile  # lazily: it pulls in shutil and the compression modules

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write here ({exc.strerror})") from None
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, FILE_MODE)
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise StoreError(f"{path}: cannot write the file ({exc.strerror})") from None
        raise
