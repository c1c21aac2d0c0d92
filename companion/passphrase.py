"""Where the passphrase of an encrypted diary comes from.

In this order: the one that already opened the diary in this process; a file named with
``--passphrase-file`` or ``COMPANION_PASSPHRASE_FILE`` (for scripts: a passphrase on the
command line would show in the process list); the system keyring, only if the person asked
for it when encrypting (``companion encrypt --keyring``); else the terminal (getpass). The
passphrase is never written beside the diary: a passphrase file inside the data folder is
refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys

from companion.errors import DataError, UsageError
from companion.paths import as_path

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from pathlib import Path

ENV_FILE = "COMPANION_PASSPHRASE_FILE"
# In the data folder, a note (no secret in it) that the passphrase is in the system keyring.
KEYRING_NOTE = "passphrase-in-keyring"
KEYRING_SERVICE = "companion"
MIN_LENGTH = 8
MAX_LENGTH = 1024

_file: Path | None = None
_known: dict[Path, str] = {}


def use_file(path: str | os.PathLike[str] | None) -> None:
    """``--passphrase-file``: read the passphrase from this file when one is needed."""
    global _file
    _file = as_path(path) if path else None


def remember(home: Path, passphrase: str) -> None:
    """The passphrase that opened the diary in ``home``: later connections to it (a backup,
    the export screen's) use it."""
    _known[_folder(home)] = passphrase


def forget() -> None:
    """Forget every passphrase this process was given."""
    _known.clear()


def _folder(home: Path) -> Path:
    try:
        return home.resolve()
    except OSError:
        return home.absolute()


def given_file() -> Path | None:
    if _file is not None:
        return _file
    env = os.environ.get(ENV_FILE)
    # As --passphrase-file: '~name' of an unknown user stays as written, a file not found.
    return as_path(os.path.expanduser(env)) if env else None


def read_file(path: Path, home: Path) -> str:
    """The passphrase in ``path``: its first line. Refused inside the data folder (a key
    beside the diary protects nothing) and when other people may read the file."""
    with contextlib.suppress(OSError):
        if path.resolve().is_relative_to(home.resolve()):
            raise UsageError(
                f"{path}: a passphrase file inside the data folder would sit beside the "
                "diary it protects; keep it elsewhere"
            )
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{path}: the passphrase file is not a file")
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise UsageError(
                f"{path}: other people can read the passphrase file; run 'chmod 600 {path}'"
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_LENGTH + 2)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such passphrase file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read the passphrase file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: the passphrase file is not UTF-8 text") from None
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    problem = check(passphrase)
    if problem:
        raise DataError(f"{path}: the passphrase in the file {problem}")
    return passphrase


def check(passphrase: str) -> str | None:
    """What is wrong with a passphrase, or None."""
    if not passphrase:
        return "is empty"
    if len(passphrase) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in passphrase):
        return "holds a control character"
    return None


def from_keyring(home: Path) -> str | None:
    """The passphrase kept in the system keyring, if the person asked for that; None if
    not, or if the keyring cannot be reached (then the terminal asks)."""
    if not (home / KEYRING_NOTE).exists():
        return None
    try:
        import keyring

        found = keyring.get_password(KEYRING_SERVICE, keyring_user(home))
    except Exception:  # noqa: BLE001 - no keyring package or no backend: ask instead
        return None
    return found if isinstance(found, str) else None


def keyring_user(home: Path) -> str:
    return str(home.resolve())


def keep_in_keyring(home: Path, passphrase: str) -> None:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_user(home), passphrase)
    except ImportError:
        raise UsageError(
            "the system keyring needs the keyring package: pip install 'companion[keyring]'"
        ) from None
    except Exception as exc:  # noqa: BLE001 - any backend's failure is one line
        raise DataError(
            f"the system keyring refused the passphrase ({type(exc).__name__})"
        ) from None
    from companion.paths import create_private_file

    create_private_file(home / KEYRING_NOTE)


def forget_keyring(home: Path) -> None:
    note = home / KEYRING_NOTE
    if not note.exists():
        return
    with contextlib.suppress(Exception):
        import keyring

        keyring.delete_password(KEYRING_SERVICE, keyring_user(home))
    with contextlib.suppress(FileNotFoundError):
        note.unlink()


def known(home: Path) -> str | None:
    """The passphrase without asking: remembered, from a file, or from the keyring."""
    remembered = _known.get(_folder(home))
    if remembered is not None:
        return remembered
    path = given_file()
    if path is not None:
        return read_file(path, home)
    return from_keyring(home)


def ask(prompt: str = "Passphrase: ", *, twice: bool = False, diary: Path | None = None) -> str:
    """Ask on the terminal without echo; twice (and they must agree) when setting one."""
    if not sys.stdin.isatty():
        # Random bytes look just like an encrypted diary until a passphrase is tried.
        raise DataError(
            f"{diary}: the diary is encrypted (or it is not a diary at all: then move it "
            f"away); give its passphrase with --passphrase-file FILE or {ENV_FILE}"
            if diary is not None
            else f"no terminal to ask the passphrase on; use --passphrase-file FILE or {ENV_FILE}"
        )
    import getpass

    try:
        first = getpass.getpass(prompt)
        problem = check(first)
        if twice and problem is None and len(first) < MIN_LENGTH:
            problem = f"is shorter than {MIN_LENGTH} characters"
        if problem:
            raise UsageError(f"the passphrase {problem}")
        if twice and getpass.getpass("The same passphrase again: ") != first:
            raise UsageError("the two passphrases differ; nothing was changed")
    except EOFError:
        raise UsageError("no passphrase given; nothing was changed") from None
    return first


def for_diary(home: Path) -> str:
    """The passphrase of the encrypted diary in ``home``: known, or asked once."""
    from companion.paths import DIARY_FILE

    found = known(home)
    return found if found is not None else ask(diary=home / DIARY_FILE)
