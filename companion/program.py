"""How this program was started, so that it can be started again: typed by the person (the
demo command the welcome shows), from a shell's rc file, a systemd timer or a crontab."""

from __future__ import annotations

import os
import sys


def program_words(*, keep_name: bool = True) -> list[str]:
    """This program's command, as it was started, for running it again: ['companion'] when
    that is on the PATH (unless ``keep_name`` is False: a timer or cron has a PATH of its
    own), else the absolute path that was used, or Python's with ``-m companion``."""
    import shutil

    started, found = sys.argv[0], shutil.which("companion")
    if os.path.basename(started) == "__main__.py":
        return [os.path.abspath(sys.executable), "-m", "companion"]
    if keep_name and found and os.path.realpath(found) == os.path.realpath(started):
        return ["companion"]
    return [os.path.abspath(started)]


def command_line(*args: str) -> str:
    """This program's command with ``args``, written as it was started, so that it works when
    typed again: 'companion --demo' when that is on the PATH, else the path that was used
    ('.venv/bin/companion --demo' after ``make run``, or '... -m companion --demo')."""

    def shown(path: str) -> str:
        relative = os.path.relpath(path)
        return path if relative.startswith("..") else relative

    words = program_words()
    return " ".join([*(shown(w) if os.path.isabs(w) else w for w in words), *args])
