"""`make run` on a fresh clone: only what the app needs, said aloud, and a demo that works."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from companion.program import command_line

ROOT = Path(__file__).resolve().parent.parent

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def dry_run(target: str, venv: Path) -> list[str]:
    """The commands ``make TARGET`` would run with a fresh .venv, without running them."""
    outer = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")  # as if typed, also when run under make test
    env = {k: v for k, v in os.environ.items() if k not in outer}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, f"VENV={venv}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


@needs_make
def test_make_run_installs_only_the_app_and_says_so(tmp_path: Path) -> None:
    """It installed the test and lint tools too, silently, for about 42 s."""
    commands = dry_run("run", tmp_path / "venv")
    installs = [c for c in commands if "pip install" in c]
    assert installs == [
        f"{tmp_path}/venv/bin/python -m pip install --quiet --disable-pip-version-check "
        "--no-compile -e ."
    ]
    says = [c for c in commands if c.startswith("echo ")]
    assert says and "Setting up" in says[0]
    assert any("make demo" in c for c in says)
    assert commands[-1] == f"{tmp_path}/venv/bin/companion"


@needs_make
def test_make_demo_opens_the_demo_and_make_test_adds_the_tools(tmp_path: Path) -> None:
    assert dry_run("demo", tmp_path / "venv")[-1] == f"{tmp_path}/venv/bin/companion --demo"
    tools = [c for c in dry_run("lint", tmp_path / "venv") if "pip install" in c]
    assert tools[-1].endswith("-e '.[dev]'")


def test_the_demo_command_is_written_as_the_app_was_started(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """After `make run`, 'companion' is not on the PATH: the welcome said a command that failed."""
    script = tmp_path / "venv" / "bin" / "companion"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", [str(script)])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert command_line("--demo") == "venv/bin/companion --demo"
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}/usr/bin")
    assert command_line("--demo") == "companion --demo"
    monkeypatch.setattr("sys.argv", [str(ROOT / "companion" / "__main__.py")])
    assert command_line("--demo").endswith(" -m companion --demo")


@needs_make
def test_make_test_fast_runs_all_but_the_slow_tests_without_the_lint(tmp_path: Path) -> None:
    commands = dry_run("test-fast", tmp_path / "venv")
    assert commands[-1] == f'{tmp_path}/venv/bin/python -m pytest -n 2 -m "not slow"'
    assert not any("ruff" in c or "mypy" in c for c in commands)
