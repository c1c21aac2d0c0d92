"""The README's alert and column tables are written from the rules and the fields."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "readme.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=REPO
    )


def test_the_readme_tables_are_up_to_date() -> None:
    done = run("--check")
    assert done.returncode == 0, done.stderr


def test_a_stale_table_fails_the_check_and_is_rewritten(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    text = (REPO / "README.md").read_text(encoding="utf-8")
    stale = text.replace(
        "| `long_cramp` | urgent | a cramp longer than 10 minutes", "| `x` | soon | x"
    )
    stale = stale.replace("| `pain` | Pain at the time of the entry | 0-10 |\n", "")
    assert stale != text
    readme.write_text(stale, encoding="utf-8")
    done = run("--check", "--readme", str(readme))
    assert done.returncode == 1
    assert "out of date" in done.stderr
    assert run("--readme", str(readme)).returncode == 0
    assert readme.read_text(encoding="utf-8") == text
