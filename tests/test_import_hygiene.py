"""The core stays free of the UI: nothing under companion/ imports Textual or screens.

Only ``companion/__main__.py`` may, inside a function, to start the app. Checked twice: in
the source (so a lazy import in the wrong place is caught too) and by importing every module.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import companion

PACKAGE = Path(companion.__file__).parent
UI = ("textual", "screens")


def ui_imports(tree: ast.AST) -> list[tuple[int, str, bool]]:
    """(line, module, inside a function) for every import of Textual or screens."""
    found: list[tuple[int, str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                names = [child.module]
            for name in names:
                if name.split(".")[0] in UI:
                    found.append((child.lineno, name, in_function))
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, inner)

    visit(tree, False)
    return found


def test_the_checker_sees_imports_at_any_depth() -> None:
    source = (
        "import textual\nif x:\n    from screens.app import A\ndef f():\n    import textual.app\n"
    )
    assert ui_imports(ast.parse(source)) == [
        (1, "textual", False),
        (3, "screens.app", False),
        (5, "textual.app", True),
    ]


def test_no_core_module_imports_the_ui_in_its_source() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 5
    offenders = []
    for path in modules:
        for line, name, in_function in ui_imports(ast.parse(path.read_text(), str(path))):
            allowed = path == PACKAGE / "__main__.py" and in_function
            if not allowed:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert offenders == []


IMPORT_ALL = """
import importlib, json, pkgutil, sys
import companion
names = [m.name for m in pkgutil.walk_packages(companion.__path__, "companion.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


def test_importing_every_core_module_loads_no_ui() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert "companion.__main__" in result["modules"]
    assert "companion.store" in result["modules"]
    loaded = [m for m in result["loaded"] if m.split(".")[0] in UI]
    assert loaded == []


HOT_PATH = """
import json, sys
from companion.__main__ import main
code = main(["--home", sys.argv[1], "log", *sys.argv[2:]])
print(json.dumps({"code": code, "loaded": sorted(sys.modules)}))
"""


def log_imports(home: Path, *words: str) -> list[str]:
    """The modules loaded by ``companion log WORDS`` in a new process."""
    done = subprocess.run(
        [sys.executable, "-c", HOT_PATH, str(home), *words],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0
    loaded: list[str] = result["loaded"]
    return loaded


def test_logging_to_an_existing_diary_skips_the_heavy_imports(tmp_path: Path) -> None:
    """sqlite-utils only when migrating, platformdirs only without --home, rich only to print
    a table, tempfile only to write a file (the first open of a day writes the daily backup),
    no other command's module."""
    home = tmp_path / "home"
    first, second, third = (log_imports(home, "--pain", "3") for _ in range(3))
    assert "sqlite_utils" in first  # the first start creates the schema
    assert "tempfile" in second  # today's backup of a diary that now has data
    heavy = {"sqlite_utils", "platformdirs", "rich", "textual", "click", "csv", "tempfile", "uuid"}
    heavy |= {"sqlcipher3", "cryptography", "keyring", "getpass"}  # only for an encrypted diary
    # Standard modules that would each cost a save a tenth of its time or more (make bench):
    # argparse's help measured with shutil, records made with dataclasses, paths as pathlib.
    heavy |= {"typing", "dataclasses", "inspect", "pathlib", "urllib.parse", "shutil"}
    assert sorted(heavy.intersection(third)) == []
    # Only the parsers of the module that registers ``log`` are built.
    commands = {m for m in third if m.startswith("companion.commands.")}
    assert commands == {"companion.commands.diary"}


def test_a_log_that_checks_alerts_loads_the_medicines_list_only_for_doses(tmp_path: Path) -> None:
    """A temperature makes ``log`` check the alerts before and after the save; in a diary
    without doses, the medicines list (its TOML, the dose arithmetic) is not loaded."""
    home = tmp_path / "home"
    log_imports(home, "--pain", "3")
    loaded = log_imports(home, "--pain", "3", "--temperature", "38.4")
    assert "companion.alerts" in loaded
    assert "companion.medicines" not in loaded and "companion.doses" not in loaded


SQL = re.compile(r"\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET|CREATE TABLE|PRAGMA)\b")
# The schema's own home: the migrations write it, the schema check reads it back. And the
# nudge, run at shell prompts: one read-only count with sqlite3 alone, since importing the
# store package costs more than its whole time (make bench).
SQL_HOMES = ("store", "migrations.py", "schema.py", "nudge.py")


def test_sql_lives_in_the_store() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in SQL_HOMES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}")
    assert offenders == []


def test_a_log_that_checks_alerts_reads_the_rules_kept_from_an_earlier_parse(
    tmp_path: Path,
) -> None:
    """Content files are parsed once and kept (companion.content_cache): later commands load
    no TOML parser, nor platformdirs to find the cache folder."""
    home = tmp_path / "home"
    for _ in range(2):
        loaded = log_imports(home, "--pain", "3", "--temperature", "38.4")
    assert "companion.alerts" in loaded
    assert "tomllib" not in loaded and "platformdirs" not in loaded
