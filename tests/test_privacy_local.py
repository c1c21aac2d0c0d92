"""Nothing leaves the data directory: every file is private, and nothing opens a socket.

Every command runs in a child process with the umask set (022 and 002) and with a
``sitecustomize`` guard on the path that records any attempt to connect or resolve a name;
the app runs under Pilot with the same guard patched in.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from screens.app import CompanionApp
from screens.commands import APP, COMMANDS

REPO = Path(__file__).resolve().parent.parent

GUARD = textwrap.dedent(
    """
    # Installed as sitecustomize by the privacy tests: every way out is recorded and refused.
    import os, socket

    def _refuse(what):
        def refused(*args, **kwargs):
            with open(os.environ["NETWORK_ATTEMPTS"], "a") as log:
                log.write(what + " " + repr(args[1:] if what.startswith("socket.") else args)
                          + "\\n")
            raise OSError("network access refused by the privacy test")
        return refused

    socket.socket.connect = _refuse("socket.connect")
    socket.socket.connect_ex = _refuse("socket.connect_ex")
    socket.socket.sendto = _refuse("socket.sendto")
    socket.create_connection = _refuse("create_connection")
    socket.getaddrinfo = _refuse("getaddrinfo")
    """
)

EVERYTHING = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from companion import store
    from companion.entry import Entry
    from companion.__main__ import main

    home, out, result = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    codes = {}

    def run(*args):
        codes[" ".join(args)] = main(["--home", home, *args])

    run("log", "--pain", "3", "--notes", "stiff after the drive")
    run("log", "--pain", "7", "--red-flags", "fever", "--date", "2026-01-05")
    run("list", "--all")
    run("list", "--all", "--json")
    run("export", "--csv", str(out / "diary.csv"))
    run("import", str(out / "diary.csv"))
    run("triage", "--questions")
    run("triage", "--set-emergency-number", "112")
    run("alerts")
    run("alerts", "--json")
    run("report", "--html", str(out / "report.html"), "--from", "2026-01-01")
    run("backup")
    run("backup", str(out / "copy.sqlite3"))
    run("restore", str(out / "copy.sqlite3"), "--yes")

    # While a diary is open, its write-ahead log and shared memory exist: check them too.
    opened = store.Store.open(home)
    opened.add(Entry(date="2026-01-06", pain=2))
    while_open = {p.name: oct(p.stat().st_mode & 0o777) for p in Path(home).iterdir()}
    opened.close()

    def boom(self):
        raise RuntimeError("forced")
    store.Store.count = boom
    run("backup")  # an unexpected error: writes the crash log

    result.write_text(json.dumps({"codes": codes, "while_open": while_open}))
    """
)


def _run_everything(tmp: Path, umask: int) -> dict[str, Any]:
    guard_dir, out, home = tmp / "guard", tmp / "out", tmp / "home"
    guard_dir.mkdir()
    out.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    env = {
        **os.environ,
        "PYTHONPATH": f"{guard_dir}{os.pathsep}{REPO}",
        "NETWORK_ATTEMPTS": str(tmp / "attempts.txt"),
    }
    env.pop("COMPANION_HOME", None)
    with_umask = f'umask {umask:03o} && exec "$0" "$@"'
    script = [sys.executable, "-c", EVERYTHING, str(home), str(out), str(tmp / "result.json")]
    proc = subprocess.run(
        ["sh", "-c", with_umask, *script],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads((tmp / "result.json").read_text())
    attempts = tmp / "attempts.txt"
    result["attempts"] = attempts.read_text() if attempts.exists() else ""
    return result


@pytest.mark.parametrize("umask", [0o022, 0o002], ids=["umask022", "umask002"])
def test_every_file_is_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    result = _run_everything(tmp_path, umask)
    codes = result["codes"]
    assert codes.pop("backup") == 1  # the forced crash, last; the earlier backup also ran
    assert set(codes.values()) == {0}, codes

    home = tmp_path / "home"
    seen = {p.relative_to(home).as_posix(): p for p in home.rglob("*")}
    assert {"diary.sqlite3", "companion.log", "backups"} <= set(seen)
    assert any(name.endswith("-restore.sqlite3") for name in seen)
    for name, path in [(".", home), *seen.items()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{name}: {oct(mode)}"
    for name in ("diary.csv", "report.html", "copy.sqlite3"):
        assert stat.S_IMODE((tmp_path / "out" / name).stat().st_mode) == 0o600, name
    assert {"diary.sqlite3-wal", "diary.sqlite3-shm"} <= set(result["while_open"])
    assert set(result["while_open"].values()) == {"0o600", "0o700"}, result["while_open"]


def test_no_command_opens_a_network_connection(tmp_path: Path) -> None:
    assert _run_everything(tmp_path, 0o022)["attempts"] == ""


def test_the_guard_notices_a_connection(tmp_path: Path) -> None:
    """The guard above is live: a process that does connect is caught."""
    (tmp_path / "sitecustomize.py").write_text(GUARD)
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "NETWORK_ATTEMPTS": str(tmp_path / "a")}
    code = "import socket\ntry: socket.create_connection(('127.0.0.1', 9))\nexcept OSError: pass"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=30)
    assert "create_connection" in (tmp_path / "a").read_text()


@pytest.mark.slow
async def test_the_app_opens_no_socket(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(what)
            raise OSError("network access refused by the privacy test")

        return refused

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(name))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))

    app = CompanionApp(home=home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "5", "ctrl+s")
        await pilot.pause()
        # Every screen the app offers, one after another.
        for command in COMMANDS:
            if command.scope == APP and command.id not in ("quit", "back", "new"):
                await pilot.press(command.key.split(",")[0], "escape")
                await pilot.pause()
    assert attempts == []
    from companion.store import Store

    with Store.open(home) as store:
        assert store.count() == 1
