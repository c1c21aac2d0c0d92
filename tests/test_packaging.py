"""The wheel carries content/ and the stylesheets, and works with no source tree beside it."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
            "--no-build-isolation", "-w", str(out), str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=out,
    )  # fmt: skip
    (built,) = out.glob("companion-*.whl")
    yield built


def source_files(folder: str, pattern: str = "*") -> set[str]:
    base = ROOT / folder
    return {
        p.relative_to(base).as_posix()
        for p in base.rglob(pattern)
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }


def test_the_wheel_carries_content_and_stylesheets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    content = source_files("content")
    assert content, "content/ is empty"
    assert {f"companion/_content/{name}" for name in content} <= names
    stylesheets = source_files("screens", "*.tcss")
    assert {f"screens/{name}" for name in stylesheets} <= names
    assert "companion/__main__.py" in names and "screens/app.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "companion = companion.launch:main" in zipfile.ZipFile(wheel).read(entry_points).decode(
        "utf-8"
    )


def test_the_installed_wheel_runs_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
    )
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies come from the development environment, appended after the new venv's
    # own site-packages; its .pth files (the editable install of this tree) are not read.
    (Path(purelib) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
            "--no-deps", "--no-index", str(wheel),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COMPANION_HOME")}

    def run(*args: str) -> str:
        done = subprocess.run(
            args, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    companion = str(venv / "bin" / "companion")
    assert run(companion, "--version").strip().startswith("companion ")
    home = str(tmp_path / "home")
    assert run(companion, "--home", home, "log", "--pain", "4").startswith("Saved ")
    assert run(companion, "--home", home, "list").splitlines()[1].split("\t")[2] == "4"
    show = "import companion, companion.content as c; print(companion.__file__, c.content_dir())"
    where = run(str(python), "-c", show).split()
    assert where[0].startswith(purelib)
    assert where[1] == str(Path(purelib) / "companion" / "_content")
    assert not where[0].startswith(str(ROOT))
