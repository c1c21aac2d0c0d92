"""Parsed content files kept between starts, as Python keeps compiled modules.

Parsing content/red_flags.toml and the sources it cites takes about 7 ms of the app's start,
and importing tomllib 4 ms more (both pure Python); reading the same data back takes a tenth
of a millisecond. A kept copy is used only for the very bytes it was made from: it holds
them, compared whole (a checksum alone can match an edit, and these files hold the red-flag
rules), so an edited or upgraded content file is parsed again. A missing, unreadable,
damaged or foreign copy is passed over; keeping one never fails a command. Only shipped
content is kept here, never anything from the diary.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib

from companion.paths import APP_NAME, FILE_MODE, ensure_private_dir

TYPE_CHECKING = False  # typing is not imported at run time (see CONTRIBUTING)
if TYPE_CHECKING:
    from typing import Any

# Bump when what is kept changes shape: an older copy then reads as foreign.
MAGIC = b"companion content cache 2\n"
_HEADER = len(MAGIC) + 8  # the source's length and the payload's CRC-32, then the source


def cache_dir() -> str | None:
    """The folder for kept copies, in the platform's cache folder; None without a home folder.
    On Linux ``$XDG_CACHE_HOME/companion/content`` when that is an absolute path (the XDG
    rule), else ``~/.cache/companion/content``."""
    if sys.platform.startswith("linux"):
        # Without importing platformdirs, and tempfile with it, on the shell commands' path:
        # that would cost them more than the cache saves.
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
    else:
        import platformdirs

        base = platformdirs.user_cache_dir(appauthor=False)
    return os.path.join(base, APP_NAME, "content") if os.path.isabs(base) else None


def _file(relative: str) -> str | None:
    folder = cache_dir()
    return os.path.join(folder, relative.replace("/", "%") + ".marshal") if folder else None


def _header(source: bytes, payload: bytes) -> bytes:
    return MAGIC + len(source).to_bytes(4, "big") + zlib.crc32(payload).to_bytes(4, "big") + source


def _ours(info: os.stat_result) -> bool:
    """Made by this user and writable by no one else: what another user could have written
    there must never stand in for a content file (it holds the red-flag rules)."""
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


def recall(relative: str, source: bytes) -> dict[str, Any] | None:
    """What ``source`` (the bytes of content file ``relative``) parsed to, if kept."""
    target = _file(relative)
    if target is None:
        return None
    try:
        if not _ours(os.stat(os.path.dirname(target))):
            return None
        # Non-blocking: a FIFO put there would otherwise hold the start until a writer came.
        with open(os.open(target, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not _ours(info):
                return None
            kept = handle.read()
    except OSError:
        return None
    payload = kept[_HEADER + len(source) :]
    # The payload's own CRC first: marshal is safe only on the bytes it wrote.
    if kept[: _HEADER + len(source)] != _header(source, payload):
        return None
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def keep(relative: str, source: bytes, data: dict[str, Any]) -> None:
    """Keep what ``source`` parsed to, whole or not at all; any problem is passed over."""
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return  # a value marshal cannot write (a TOML date): parsed each time instead
    target = _file(relative)
    if target is None:
        return
    scratch = f"{target}.{os.urandom(6).hex()}.tmp"
    try:
        ensure_private_dir(os.path.dirname(target))
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_header(source, payload) + payload)
            os.replace(scratch, target)
        finally:
            if os.path.lexists(scratch):
                os.unlink(scratch)
    except Exception:  # noqa: BLE001 - a copy not kept only costs the next start a parse
        return
