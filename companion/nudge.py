"""``companion nudge``: one short line when nothing is logged today, after an hour you choose.

It runs at shell prompts (``companion hook``) and from the reminder (``companion remind``), so
it costs next to nothing: it imports the standard library's ``sqlite3`` and nothing of the
app, and only after the hour has come. The diary is opened read-only, never created, never
migrated, never backed up, and asked one indexed question. Whatever goes wrong (no diary
yet, a damaged or locked file, a link where the diary belongs) it says nothing and exits 0:
a prompt is no place for an error. Only a mistyped option is reported, in one line, still
with exit 0. It is the one module outside ``companion/store`` with SQL of its own: importing
the store would cost more than the whole nudge.

The hour is an option, ``--after HH:MM`` (default 18:00), written into the line that
``companion hook`` gives for the shell's rc file: nothing is stored for it.
"""

import os
import stat
import sys
import time

from companion.night import NIGHT_ENDS

DEFAULT_AFTER = "18:00"
APP_NAME = "companion"  # the folder name platformdirs gives the data directory
DIARY_FILE = "diary.sqlite3"
LAST_DATE_FILE = "last-entry-date"  # beside an encrypted diary, only if the person chose it
SQLITE_MAGIC = b"SQLite format 3\x00"
MESSAGE = (
    "companion: nothing logged today; type your pain (0-10) in the app, or: companion log --pain N"
)
NOTIFY_TITLE = "Companion"
NOTIFY_TIMEOUT_S = 10
HELP = f"""\
usage: companion nudge [--after HH:MM] [--any-time] [--notify] [--home DIR]

Print one line when nothing is logged today, once the time is past --after
(default {DEFAULT_AFTER}); print nothing otherwise. Until {NIGHT_ENDS:02d}:00 'today' is the day
before, as for 'companion log'. It never creates or changes the diary and always exits 0.
'companion hook' gives the lines that run it from your shell.

options:
  --after HH:MM  say it only from this time of day on (default {DEFAULT_AFTER})
  --any-time     say it whatever the time
  --notify       as a desktop notification (notify-send) instead of a line
  --home DIR     data directory
"""


class Request:
    """What was asked for, parsed by hand: argparse alone costs more than the whole nudge."""

    def __init__(self) -> None:
        self.home: str | None = None
        self.after = parse_clock(DEFAULT_AFTER)
        self.any_time = False
        self.notify = False


def parse_clock(text: str) -> tuple[int, int]:
    """HH:MM on the 24-hour clock; ValueError otherwise."""
    hours, sep, minutes = text.partition(":")
    if not (sep and len(hours) in (1, 2) and len(minutes) == 2):
        raise ValueError(text)
    if not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
        raise ValueError(text)
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError(text)
    return int(hours), int(minutes)


def parse(words: list[str]) -> Request | str:
    """The request, or a one-line problem. ``words`` are the command's arguments, with the
    word ``nudge`` among them and ``--home DIR`` before or after it."""
    request = Request()
    rest = iter(words)
    seen_command = False
    for word in rest:
        name, eq, value = word.partition("=")
        if name in ("--home", "--after") and not eq:
            value = next(rest, "")
            if not value:
                return f"{name} needs a value"
        if name == "--home":
            request.home = value
        elif name == "--after" and seen_command:
            try:
                request.after = parse_clock(value)
            except ValueError:
                return "--after must be a time of day as HH:MM, such as 18:00"
        elif word in ("--any-time", "--notify") and seen_command:
            setattr(request, word[2:].replace("-", "_"), True)
        elif word in ("-h", "--help"):
            return ""
        elif word == "nudge" and not seen_command:
            seen_command = True
        else:
            return f"unrecognized argument: {word}"
    return request


def main(words: list[str]) -> int:
    """``companion [--home DIR] nudge ...``; always 0."""
    request = parse(words)
    if isinstance(request, str) and not request:
        sys.stdout.write(HELP)
    elif isinstance(request, str):
        from companion.terminal import safe_text  # a mistake's cost: the way is fast without

        sys.stderr.write(f"companion nudge: {safe_text(request)}\n")
    else:
        try:
            if nothing_logged(request, time.localtime()):
                say(request.notify)
                sys.stdout.flush()
        except BrokenPipeError:
            # Nobody reads the line: point stdout at nothing, so that Python's last flush
            # does not complain either.
            try:  # noqa: SIM105 - importing contextlib would cost more than the nudge
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
        except (Exception, KeyboardInterrupt):  # noqa: BLE001 - a prompt is no place for an error
            pass
    return 0


def diary_day(now: time.struct_time) -> str:
    """The day an entry made now goes on: today, or until NIGHT_ENDS the day before."""
    if now.tm_hour >= NIGHT_ENDS:
        return time.strftime("%Y-%m-%d", now)
    # Noon of the day before, normalised by mktime: never off by a day across a clock change.
    noon = time.mktime((now.tm_year, now.tm_mon, now.tm_mday - 1, 12, 0, 0, 0, 0, -1))
    return time.strftime("%Y-%m-%d", time.localtime(noon))


def nothing_logged(request: Request, now: time.struct_time) -> bool:
    """True when it is time to say so and the diary holds no entry for the day."""
    if not request.any_time and (now.tm_hour, now.tm_min) < request.after:
        return False
    home = data_dir(request.home)
    if home is None:
        return False
    path = os.path.join(home, DIARY_FILE)
    count = entries_on(path, diary_day(now))
    return count == 0


def data_dir(cli_home: str | None) -> str | None:
    """The data directory as ``companion.paths.home_dir`` finds it (tests hold them equal):
    --home, COMPANION_HOME, else the XDG rule platformdirs follows on Linux and the BSDs,
    worked out here because importing platformdirs would cost more than the rest of the
    nudge. Other systems ask platformdirs."""
    chosen = cli_home or os.environ.get("COMPANION_HOME")
    if chosen:
        return os.path.expanduser(chosen)
    if sys.platform in ("win32", "darwin", "ios", "android") or "ANDROID_DATA" in os.environ:
        from companion.paths import home_dir

        return str(home_dir())
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, APP_NAME)
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        return None  # platformdirs asks the password database; a prompt will not wait for that
    return os.path.join(home, ".local", "share", APP_NAME)


def entries_on(path: str, day: str) -> int | None:
    """How many entries the diary at ``path`` holds for ``day``; None without a diary (or
    with anything but plain files there: a link is never followed)."""
    import sqlite3  # here: a nudge before the hour never pays for it

    present = []
    for suffix in ("", "-wal", "-shm"):
        try:
            info = os.lstat(path + suffix)
        except FileNotFoundError:
            present.append(False)
            continue
        if not stat.S_ISREG(info.st_mode):
            return None
        present.append(True)
    diary, wal, shm = present
    if not diary:
        return None
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            return _logged_by_kept_date(path, day)
    # As the store reads a diary it may not write: through the log and its index when both
    # are there (the app has it open); a log alone into this connection's memory, taking no
    # locks; no log, the file alone, immutable (else SQLite would make a -wal and a -shm).
    query = "mode=ro" if shm else f"mode=ro&vfs={_NO_LOCKS_VFS}" if wal else "immutable=1"
    conn = sqlite3.connect(f"{_uri(path)}?{query}", uri=True, timeout=0.5)
    try:
        if wal and not shm:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        row = conn.execute("SELECT count(*) FROM entries WHERE date = ?", (day,)).fetchone()
        return int(row[0])
    finally:
        conn.close()


def _logged_by_kept_date(path: str, day: str) -> int | None:
    """An encrypted diary cannot be read here: the date of its latest entry, kept beside it
    only when the person chose to (``companion encrypt --nudge-date``), answers instead;
    without that file, None (silence)."""
    kept = os.path.join(os.path.dirname(path), LAST_DATE_FILE)
    try:
        fd = os.open(kept, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        latest = handle.read(32).decode("ascii", "replace").strip()
    return 1 if latest >= day else 0


_NO_LOCKS_VFS = "win32-none" if os.name == "nt" else "unix-none"


def _uri(path: str) -> str:
    """A ``file:`` URI for SQLite: every byte but letters, digits and ``/._-~`` escaped."""
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-~"
    raw = os.fsencode(os.path.abspath(path))
    return "file:" + "".join(chr(b) if b in safe else f"%{b:02X}" for b in raw)


def say(notify: bool) -> None:
    if notify and _notified():
        return
    sys.stdout.write(MESSAGE + "\n")


def _notified() -> bool:
    """A desktop notification, if notify-send is there and a session takes it."""
    import shutil
    import subprocess

    program = shutil.which("notify-send")
    if program is None:
        return False
    try:
        done = subprocess.run(
            [program, "--app-name", NOTIFY_TITLE, NOTIFY_TITLE, MESSAGE.partition(": ")[2]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=NOTIFY_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
