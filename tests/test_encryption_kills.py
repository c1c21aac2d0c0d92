"""Killing ``companion encrypt`` or ``decrypt`` at any moment leaves a diary that opens, with
every entry: the old one, or the whole new one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from companion import passphrase
from companion.demo import fill
from companion.paths import DIARY_FILE
from companion.store import Store, cipher

SECRET = "correct horse battery staple"


def run_killed(home: Path, secret: Path, command: str, after: float) -> None:
    env = {**os.environ, passphrase.ENV_FILE: str(secret)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "companion", "--home", str(home), command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(after)
    worker.send_signal(signal.SIGKILL)
    worker.wait()


def entries_in(home: Path) -> int:
    passphrase.forget()
    key = SECRET if cipher.encrypted(home / DIARY_FILE) else None
    with Store.open(home, passphrase=key) as store:
        return store.count()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_a_killed_conversion_leaves_a_whole_diary(command: str, tmp_path: Path) -> None:
    secret = tmp_path / "pass"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    secret.chmod(0o600)
    home = tmp_path / "home"
    count = fill(home, days=200, today=date(2026, 11, 21), per_day=3)
    if command == "decrypt":
        from companion.store.encryption import convert

        convert(home, None, SECRET)
    # From before the passphrase is read to after the diary is renamed and the backups go.
    for after in (0.1, 0.5, 1.0, 1.6, 2.4):
        run_killed(home, secret, command, after)
        assert entries_in(home) == count, after
    # A later run finishes the job whatever the kill left.
    env = {**os.environ, passphrase.ENV_FILE: str(secret)}
    done = subprocess.run(
        [sys.executable, "-m", "companion", "--home", str(home), command],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert cipher.encrypted(home / DIARY_FILE) == (command == "encrypt")
    assert entries_in(home) == count
    leftovers = [p.name for p in home.rglob("*.part")]
    assert leftovers == []
