"""``make bench``: run every ``benchmarks/bench_*.py`` module's ``run()`` and print one table.

Each ``run()`` returns rows (dicts); the table's columns are the keys in the order they first
appear, so modules may report ratios, times or both. A module that fails is shown as an
ERROR row and the others still run. ``run.py cli alerts`` runs only the modules whose names
contain one of the words. Exit status 1 if any module failed, else 0 (a MISS is reported,
not fatal).
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # harness.py, and companion from the tree


def discover(words: Sequence[str] = ()) -> list[Path]:
    modules = sorted(HERE.glob("bench_*.py"))
    if words:
        modules = [m for m in modules if any(w in m.stem for w in words)]
    return modules


def run_module(path: Path) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        rows = module.run()
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise TypeError("run() must return a list of dicts")
        return rows
    except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the rest
        return [{"benchmark": path.stem, "result": f"ERROR {type(exc).__name__}: {exc}"}]


def table(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    cells = [["" if row.get(c) is None else str(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(_is_number(r[c]) for r in rows if r.get(c) is not None) for c in columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def main(argv: Sequence[str]) -> int:
    modules = discover(argv)
    if not modules:
        print(f"no benchmarks match {' '.join(argv)}", file=sys.stderr)
        return 2
    print(
        f"companion benchmarks: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; medians of repeated runs"
    )
    rows: list[dict[str, Any]] = []
    for path in modules:
        start = time.perf_counter()
        print(f"  running {path.stem} ...", end="", flush=True)
        rows += run_module(path)
        print(f" {time.perf_counter() - start:.0f} s")
    print()
    print(table(rows))
    failed = any(str(r.get("result", "")).startswith("ERROR") for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
