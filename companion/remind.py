"""``companion remind``: a daily desktop notification when nothing is logged that day.

Where systemd runs a manager for the user, a timer and a service go into the user's systemd
folder (``$XDG_CONFIG_HOME/systemd/user``, else ``~/.config/systemd/user``) and are enabled;
``--off`` disables and removes them. Elsewhere the crontab line is printed for the person
to add: a crontab is never edited. At the time, the service runs ``companion nudge
--any-time --notify``: a notification through ``notify-send`` if nothing is logged that day,
nothing otherwise.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from companion.errors import DataError
from companion.paths import FILE_MODE

UNIT = "companion-remind"
CRON_MARK = "# companion reminder"
SYSTEMCTL_TIMEOUT_S = 30


@dataclass(frozen=True)
class Installed:
    """What ``install`` did: the unit files written, or the crontab line to add."""

    files: tuple[Path, ...] = ()
    cron_line: str = ""


def units_dir() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if os.path.isabs(config) else Path.home() / ".config"
    return base / "systemd" / "user"


def unit_files() -> tuple[Path, Path]:
    folder = units_dir()
    return folder / f"{UNIT}.timer", folder / f"{UNIT}.service"


def nudge_command(program: list[str], home: Path) -> list[str]:
    """The reminder's command: the data directory named, since a timer has its own
    environment (no COMPANION_HOME)."""
    return [*program, "--home", str(home), "nudge", "--any-time", "--notify"]


def systemd_user() -> str | None:
    """systemctl's path when a systemd manager runs for this user, else None."""
    program = shutil.which("systemctl")
    if program is None:
        return None
    try:
        done = _systemctl(program, "show-environment")
    except DataError:
        return None
    return program if done.returncode == 0 else None


def timer_text(at: tuple[int, int]) -> str:
    return (
        "[Unit]\n"
        "Description=Companion: a reminder to fill in the diary\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {at[0]:02d}:{at[1]:02d}:00\n"
        f"Unit={UNIT}.service\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def service_text(command: list[str]) -> str:
    return (
        "[Unit]\n"
        "Description=Companion: a notification when nothing is logged today\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(systemd_quote(w) for w in command)}\n"
    )


def systemd_quote(word: str) -> str:
    """A word of ExecStart: quoted, with systemd's specifiers (%) and variables ($) kept
    literal."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def cron_line(at: tuple[int, int], command: list[str]) -> str:
    """The crontab line; it names the session's message bus when it has a fixed address,
    since a notification from cron needs one."""
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    env = f"DBUS_SESSION_BUS_ADDRESS={shlex.quote(bus)} " if bus.startswith("unix:path=") else ""
    # cron reads % as a line break: it is escaped with a backslash.
    words = " ".join(shlex.quote(w) for w in command).replace("%", "\\%")
    return f"{at[1]} {at[0]} * * * {env}{words} {CRON_MARK}"


def scheduled() -> str | None:
    """The time of the installed timer (HH:MM), or None."""
    text = _read(unit_files()[0])
    for line in (text or "").splitlines():
        if line.startswith("OnCalendar=*-*-* "):
            return line.rpartition(" ")[2][:5]
    return None


def install(at: tuple[int, int], command: list[str]) -> Installed:
    """Install the timer (replacing one installed before) or give the crontab line."""
    systemctl = systemd_user()
    if systemctl is None:
        return Installed(cron_line=cron_line(at, command))
    timer, service = unit_files()
    try:
        timer.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"{timer.parent}: cannot create the folder ({exc.strerror})") from None
    # A reminder set before stays as it was if this one cannot be set.
    before = {path: _read(path) for path in (timer, service)}
    try:
        for path, text in ((service, service_text(command)), (timer, timer_text(at))):
            _write(path, text)
        _check(_systemctl(systemctl, "daemon-reload"), "reload its units")
        _check(_systemctl(systemctl, "enable", "--now", f"{UNIT}.timer"), "start the timer")
    except DataError:
        for path, old in before.items():
            with contextlib.suppress(OSError, DataError):
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    _write(path, old)
        with contextlib.suppress(DataError):
            _systemctl(systemctl, "daemon-reload")
        raise
    return Installed(files=(timer, service))


def remove() -> tuple[Path, ...]:
    """Disable and remove the timer; the files removed (none when there was no timer)."""
    files = tuple(p for p in unit_files() if os.path.lexists(p))
    if not files:
        return ()
    systemctl = shutil.which("systemctl")
    if systemctl is not None:
        # A timer that was never started, or a manager not running, has nothing to stop.
        _systemctl(systemctl, "disable", "--now", f"{UNIT}.timer")
    for path in files:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DataError(f"{path}: cannot remove the file ({exc.strerror})") from None
    if systemctl is not None:
        _systemctl(systemctl, "daemon-reload")
    return files


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _write(path: Path, text: str) -> None:
    """The file whole, or not at all: written beside it, then renamed over it."""
    part = path.with_name(f".{path.name}.part")
    try:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(part, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise DataError(f"{path}: cannot write the file ({exc.strerror})") from None


def _systemctl(program: str, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [program, "--user", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SYSTEMCTL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataError(f"systemctl --user {args[0]} did not run ({type(exc).__name__})") from None


def _check(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        raise DataError(
            f"systemd could not {what} (systemctl exit {done.returncode}); nothing was installed"
        )
