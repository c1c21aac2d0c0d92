"""The change files in a sync folder: how they are named, written and read.

A computer writes only files named by its own id, ``companion-<computer>-<number>.jsonl``,
each under a temporary name first and renamed when whole, so no two computers ever write the
same file and a reader never takes a half-written one for a whole one. A file is JSON lines:
a header (format, version, writer, number, the writer's diary version), one line per
change, and a last line holding the count and a SHA-256 of everything before it. A file
that is cut short, altered, written by a newer version, or anything else in the folder
(a sync program's temporary files and conflict copies, junk) is skipped with a note.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from companion.errors import StoreError
from companion.paths import DIR_MODE, FILE_MODE
from companion.row_versions import COMPUTER_RE, STAMP_RE, Version
from companion.scratch import clear_stale, scratch_file, sync_folder

FORMAT = "companion-sync"
VERSION = 1
NAME_RE = re.compile(r"companion-(?P<computer>[0-9a-f]{32})-(?P<seq>[0-9]{8,12})\.jsonl")
# The longest line a change can need: an entry's notes are at most 4,000 characters.
MAX_LINE = 256 * 1024
# What sync programs keep in the folders they carry: passed over without a note.
_BOOKKEEPING = frozenset(
    {".stfolder", ".stignore", ".stversions", ".dropbox", ".dropbox.cache", ".git", ".DS_Store"}
)
_CONFLICT_COPY_RE = re.compile(r".*(sync-conflict|conflicted copy|\(conflict|\.orig$).*", re.I)


class BadFile(Exception):
    """A change file that cannot be read now; the reason says why, in words."""


class NewerFile(BadFile):
    """A change file written by a newer version of the companion."""


@dataclass(frozen=True)
class ChangeFile:
    path: Path
    computer: str
    seq: int


def file_name(computer: str, seq: int) -> str:
    return f"companion-{computer}-{seq:08d}.jsonl"


def prepare(folder: Path) -> Path:
    """The sync folder, made private (0700) if the companion creates it."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileNotFoundError:
            raise StoreError(
                f"{folder}: the folder it would go in does not exist; give a folder that does"
            ) from None
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the sync folder ({exc.strerror})") from None
        with contextlib.suppress(OSError):
            folder.chmod(DIR_MODE)
        return folder
    except OSError as exc:
        raise StoreError(f"{folder}: cannot use the sync folder ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode) and folder.is_dir():
        return folder  # a link to the folder a sync program carries is fine
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{folder}: not a folder; give the folder your sync program carries")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"{folder}: the sync folder cannot be written; check its permissions")
    return folder


def scan(folder: Path, me: str) -> tuple[list[ChangeFile], list[str]]:
    """The change files in the folder, in order, and a note for everything else in it.

    This computer's own leftover temporary files (a sync killed while writing) are removed.
    """
    clear_stale(folder, f"companion-{me}")
    files: list[ChangeFile] = []
    notes: list[str] = []
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot read the sync folder ({exc.strerror})") from None
    for entry in entries:
        name = entry.name
        match = NAME_RE.fullmatch(name)
        if name in _BOOKKEEPING:
            continue
        if match is not None and entry.is_file(follow_symlinks=False):
            files.append(ChangeFile(Path(entry.path), match["computer"], int(match["seq"])))
        elif match is not None:
            notes.append(f"{name}: skipped, not a plain file")
        elif _CONFLICT_COPY_RE.fullmatch(name):
            notes.append(f"{name}: skipped, a sync program's conflict copy (the original is read)")
        elif name.startswith((".", "~")) or name.endswith((".tmp", ".part", ".partial", "~")):
            notes.append(f"{name}: skipped, a temporary file still being written")
        else:
            notes.append(f"{name}: skipped, not a change file of the companion")
    return files, notes


def next_seq(files: Iterable[ChangeFile], me: str, last: int) -> int:
    """The number of this computer's next file: after its last, and after any of its files in
    the folder (one written by a sync killed before the diary recorded it)."""
    return max([last, *(f.seq for f in files if f.computer == me)]) + 1


def write(
    folder: Path,
    me: str,
    seq: int,
    versions: Iterable[Version],
    migrations: int,
    written: str,
    passphrase: str | None = None,
) -> Path | None:
    """Write the versions as change file ``seq``; None (nothing written) when there are none.

    With ``passphrase`` (an encrypted diary's), the file is sealed with it: whoever can read
    the sync folder cannot read the diary. It is built in memory first, since the seal
    authenticates the whole of it.
    """
    header = {
        "format": FORMAT,
        "version": VERSION,
        "computer": me,
        "seq": seq,
        "migrations": migrations,
        "written": written,
    }
    target = folder / file_name(me, seq)
    try:
        with scratch_file(folder, f"companion-{me}") as temporary:
            os.chmod(temporary, FILE_MODE)
            with temporary.open("wb") as handle:
                if passphrase is None:
                    count = _write_lines(handle, header, versions)
                else:
                    from companion.sealed import seal

                    plain = io.BytesIO()
                    count = _write_lines(plain, header, versions)
                    handle.write(seal(plain.getvalue(), passphrase) if count else b"")
                if count == 0:
                    return None
                handle.flush()
                os.fsync(handle.fileno())
            _put_in_place(temporary, target)
    except FileExistsError:
        raise StoreError(f"{target}: already in the sync folder; sync again") from None
    except OSError as exc:
        raise StoreError(f"{folder}: cannot write to the sync folder ({exc.strerror})") from None
    sync_folder(folder)
    return target


def _put_in_place(temporary: Path, target: Path) -> None:
    """The whole file under its name, never over a file already there: a number is used once.

    A link is that in one step; a folder that cannot hold links (a FAT stick) gets a rename
    after a look, which is enough since only this computer writes names with its id.
    """
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(temporary, target)


def _write_lines(handle: IO[bytes], header: dict[str, Any], versions: Iterable[Version]) -> int:
    digest = hashlib.sha256()

    def put(value: dict[str, Any]) -> None:
        line = (json.dumps(value, ensure_ascii=False, allow_nan=False) + "\n").encode(
            "utf-8", "surrogatepass"
        )
        digest.update(line)
        handle.write(line)

    put(header)
    count = 0
    for v in versions:
        put(
            {"table": v.table, "id": v.id, "stamp": v.stamp, "n": v.n, "seen": v.seen, "row": v.row}
        )
        count += 1
    handle.write((json.dumps({"end": count, "sha256": digest.hexdigest()}) + "\n").encode())
    return count


def read(change: ChangeFile, migrations: int, passphrase: str | None = None) -> Iterator[Version]:
    """The versions in a change file, streamed; raises BadFile (after any it has yielded)
    when the file is not whole and as written, so the caller can undo what it applied.

    A sealed file (from an encrypted diary) is opened with ``passphrase``; a plain one is
    read as it is, whatever this diary is.
    """
    try:
        fd = os.open(change.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise BadFile(f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as raw:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadFile("not a plain file")
        handle = _opened(raw, passphrase)
        digest = hashlib.sha256()
        header = _line(handle, digest, 1)
        _check_header(header, change, migrations)
        count = 0
        while True:
            line = handle.readline(MAX_LINE + 1)
            if not line.endswith(b"\n"):
                raise BadFile("incomplete (cut short, or still arriving)")
            value = _json(line, count + 2)
            if "end" in value:
                if value != {"end": count, "sha256": digest.hexdigest()} or handle.read(1):
                    raise BadFile("damaged (its check does not match its content)")
                return
            digest.update(line)
            count += 1
            yield _version(value, change, count + 1)


def _opened(raw: IO[bytes], passphrase: str | None) -> IO[bytes]:
    """The file's lines: the file itself, or what its seal holds."""
    from companion.sealed import MAGIC

    if raw.read(len(MAGIC)) != MAGIC:
        raw.seek(0)
        return raw
    if passphrase is None:
        raise BadFile("sealed by an encrypted diary; this diary is not encrypted")
    from companion.errors import DataError
    from companion.sealed import unseal

    try:
        return io.BytesIO(unseal(MAGIC + raw.read(), passphrase))
    except DataError:  # a wrong passphrase is one too
        raise BadFile("sealed with another passphrase, or damaged") from None


def _line(handle: IO[bytes], digest: Any, number: int) -> dict[str, Any]:
    line = handle.readline(MAX_LINE + 1)
    if not line.endswith(b"\n"):
        raise BadFile("incomplete (cut short, or still arriving)")
    digest.update(line)
    return _json(line, number)


def _json(line: bytes, number: int) -> dict[str, Any]:
    def refuse(constant: str) -> None:
        raise ValueError(constant)

    try:
        value = json.loads(line.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise BadFile(f"line {number} is not a change (damaged or not from the companion)")
    return value


def _check_header(header: dict[str, Any], change: ChangeFile, migrations: int) -> None:
    if header.get("format") != FORMAT:
        raise BadFile("not a change file of the companion")
    version, theirs = header.get("version"), header.get("migrations")
    if not isinstance(version, int) or not isinstance(theirs, int):
        raise BadFile("damaged (its header is not as the companion writes it)")
    if version > VERSION or theirs > migrations:
        raise NewerFile("written by a newer version of the companion; upgrade to read it")
    if header.get("computer") != change.computer or header.get("seq") != change.seq:
        raise BadFile("renamed (its name is not the one it was written under)")


# SQLite's integers are 64-bit; a counter past this is not one the companion wrote.
_LARGEST = 2**63 - 1


def _storable(value: object) -> bool:
    """A value SQLite can hold as the companion writes them: text that is valid UTF-8 (JSON
    can carry a lone surrogate), a 64-bit integer, a finite number (JSON can carry 1e999),
    or nothing."""
    if value is None:
        return True
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -_LARGEST - 1 <= value <= _LARGEST
    return isinstance(value, float) and math.isfinite(value)


def _version(value: dict[str, Any], change: ChangeFile, number: int) -> Version:
    table, row_id, stamp = value.get("table"), value.get("id"), value.get("stamp")
    n, seen, row = value.get("n"), value.get("seen"), value.get("row")
    fits = (
        isinstance(table, str)
        and isinstance(row_id, str)
        and _storable(row_id)
        and isinstance(stamp, str)
        and STAMP_RE.fullmatch(stamp) is not None
        and type(n) is int
        and 0 <= n <= _LARGEST
        and isinstance(seen, dict)
        and all(
            COMPUTER_RE.fullmatch(c) and type(k) is int and 0 < k <= _LARGEST
            for c, k in seen.items()
        )
        and seen.get(change.computer) == change.seq
        and (row is None or (isinstance(row, dict) and all(map(_storable, row.values()))))
    )
    if not fits:
        raise BadFile(f"line {number} is not a change (damaged or not from the companion)")
    assert isinstance(table, str) and isinstance(row_id, str) and isinstance(stamp, str)
    assert isinstance(n, int) and isinstance(seen, dict)
    return Version(table, row_id, stamp, n, change.computer, change.seq, dict(seen), row)
