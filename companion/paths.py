"""Where the diary lives, and how private files are made.

One place for every path: ``--home``, else ``COMPANION_HOME``, else the platform's user
data directory. The directory is private (0700; one that others can open is refused) and
every file in it, and every export, is 0600.
"""

from __future__ import annotations

import contextlib
import os
import stat

from companion.errors import StoreError, UsageError

# ``companion log`` runs this module and the store on plain text paths: importing pathlib
# costs that command about a tenth of its time. Path objects are made where they are needed.
TYPE_CHECKING = False  # not typing's, for the same reason
if TYPE_CHECKING:
    from pathlib import Path
    from typing import TypeVar

    PathType = TypeVar("PathType", str, Path)

APP_NAME = "companion"
DIARY_FILE = "diary.sqlite3"
LOG_FILE = "companion.log"
BACKUP_DIR = "backups"
# Only by choice, beside an encrypted diary: the date of its latest entry, for the nudge.
LAST_DATE_FILE = "last-entry-date"
DIR_MODE = 0o700
FILE_MODE = 0o600


def home_dir(cli_home: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, not yet created."""
    return as_path(home_folder(cli_home))


def home_folder(cli_home: str | os.PathLike[str] | None = None) -> str:
    """The data directory as text (see ``home_dir``)."""
    if cli_home:
        return _without_trailing(_expanded(os.fspath(cli_home)))
    env = os.environ.get("COMPANION_HOME")
    if env:
        return _without_trailing(_expanded(env))
    import platformdirs  # lazily: only when no home was given

    folder: str = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return folder


def _expanded(folder: str) -> str:
    """``~`` and ``~name`` as the home folder they stand for. One that cannot be found (a
    mistyped user name) is an error, not a folder named '~name' made where the command runs."""
    full = os.path.expanduser(folder)
    if full.startswith("~"):
        user = full.split(os.sep, 1)[0]
        raise UsageError(f"{folder}: no home folder is known for {user}; write the folder in full")
    return full


def _without_trailing(folder: str) -> str:
    """The folder without a trailing '/' or '/.', as a Path would name it: 'notes.txt/' is
    the file notes.txt (not a folder), not a folder that cannot be made."""
    drive, rest = os.path.splitdrive(folder)  # a drive's root (C:\\) stays whole
    while rest.endswith((os.sep, os.sep + ".")) and rest.strip(os.sep + "."):
        rest = rest.removesuffix(".").rstrip(os.sep)
    return drive + rest


def as_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path, importing pathlib only now (see above)."""
    from pathlib import Path

    return Path(path)


def ensure_private_dir(path: PathType) -> PathType:
    """The folder, made private (0700) if the companion creates it; refused if others can open it.

    A folder that already exists keeps its mode: it may be shared (/tmp) or a person's own
    home folder, which are not the companion's to change. The missing folders on the way to
    it are created private too.
    """
    missing: list[str] = []
    probe = os.fspath(path)
    while not os.path.exists(probe) and probe != os.path.dirname(probe):
        missing.append(probe)
        probe = os.path.dirname(probe)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            continue  # another program made it meanwhile: checked below like any other
        except OSError as exc:
            raise StoreError(
                f"{folder}: cannot create the data directory ({exc.strerror})"
            ) from None
        # mkdir's mode passes through the umask, which could take the owner's rights away.
        with contextlib.suppress(OSError):
            os.chmod(folder, DIR_MODE)
    _check_private(path)
    return path


def _check_private(path: str | os.PathLike[str]) -> None:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot use the data directory ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path}: not a folder; give --home a folder for the diary")
    if info.st_uid != os.geteuid():
        raise StoreError(f"{path}: this folder belongs to another user; use a folder of your own")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise StoreError(
            f"{path}: other people can open this folder, so it cannot hold your diary; use a "
            f"new folder (the companion makes it private) or run 'chmod 700 {path}'"
        )


def create_private_file(path: str | os.PathLike[str]) -> None:
    """Create an empty file with mode 0600 unless it exists (SQLite would make it 0644).

    Never through a symbolic link: a link at ``path``, even one to nowhere, is an error.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the file ({exc.strerror})") from None
    os.close(fd)
