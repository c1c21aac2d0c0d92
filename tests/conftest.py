"""Fixtures shared by every test layer: a private data directory, a store, the CLI."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from companion.__main__ import main
from companion.store import Store


@pytest.fixture(autouse=True, scope="session")
def _no_ambient_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Never touch the real cache folder: parsed content is kept in one of the session's own
    (shared by its tests, as by a person's starts; tests of the cache use their own)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _no_ambient_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the real data directory: the default home points into tmp_path."""
    monkeypatch.setenv("COMPANION_HOME", str(tmp_path / "default-home"))


@pytest.fixture(autouse=True)
def _no_passphrase_kept() -> Iterator[None]:
    """A passphrase one test gave is never known to the next (they share a process)."""
    from companion import passphrase

    yield
    passphrase.forget()
    passphrase.use_file(None)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    with Store.open(home) as opened:
        yield opened


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(home: Path) -> object:
    """Run ``companion --home HOME ARGS...`` in-process; returns code, stdout, stderr.

    ``terminal=True`` makes standard output say it is a terminal (Rich draws no colours), as
    when a person reads it; otherwise it is a pipe."""

    def run(*args: str, stdin: str | None = None, terminal: bool = False) -> CliResult:
        out, err = (TerminalOutput() if terminal else io.StringIO()), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err), pytest.MonkeyPatch.context() as mp:
            if terminal:
                mp.setenv("TTY_COMPATIBLE", "0")  # no escape sequences from Rich
            if stdin is not None:
                mp.setattr("sys.stdin", io.StringIO(stdin))
            code = _call(["--home", str(home), *args])
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


class TerminalOutput(io.StringIO):
    def isatty(self) -> bool:
        return True


def _call(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors and --version
        return int(exc.code or 0)
