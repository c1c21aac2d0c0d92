"""The app's start and the diary browser's paging.

- Start: time from starting the process until the dashboard is drawn whole (its keys too)
  on a 20,000-entry diary, against a bare Textual app (Header, Static, Footer) started the
  same way, in fresh processes run alternately (their exits are not counted); and the peak
  memory (max RSS) of both.
- The footer: the same start with Textual's ``Footer(compact=True)`` in place of the app's
  KeyFooter, run alternately with the others. KeyFooter exists only for this gain: once
  Textual's footer is as fast, the row says MISS and KeyFooter should go.
- Paging: the diary browser on a 100,000-entry diary, one page older or newer at a time,
  in the real screen (SQL read and table fill).

Run alone with ``.venv/bin/python benchmarks/bench_tui.py``; ``benchmarks/run.py`` calls
``run()`` and prints its rows with the others.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

START_ENTRIES = 20_000
PAGING_ENTRIES = 100_000
PER_DAY = 5
TODAY = date(2026, 3, 31)
REPEAT = 15
PAGES = 20
START_GOAL = 1.1
FOOTER_GOAL = 0.95
MEMORY_GOAL = 1.3
PAGE_GOAL_MS = 50.0


# --- the child process: start one app, stop when its first screen is ready ---------------


def _child(kind: str, home: str) -> None:
    app: Any
    if kind in ("companion", "textual-footer"):
        if kind == "textual-footer":
            import gc

            gc.disable()  # from the start, as load_app below does, so both rows compare alike
            from textual.widgets import Footer

            import screens.footer

            # Before any screen is imported: each takes the name from screens.footer.
            screens.footer.KeyFooter = lambda: Footer(compact=True)
        # As ``companion`` starts it (run_app), Textual and all.
        from screens.start import load_app

        app = load_app(os.path.join(home, "diary.sqlite3"))(
            home=home, now=datetime.combine(TODAY, datetime.min.time())
        )
    else:
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("Back pain and cramp companion")
                yield Footer()

        app = Bare()

    drawn: list[float] = []

    async def ready(pilot: Any) -> None:
        # The first screen has been composed, filled from the diary and drawn, its footer's
        # keys too: Textual's Footer composes them after the first frame, so a first frame
        # alone would leave its work out.
        for _ in range(100):
            await pilot.pause(0)
            if "palette" in app.screen._compositor.render_strips()[-1].text:
                drawn.append(time.monotonic())
                break
        else:
            raise RuntimeError(f"{kind}: the footer's keys were never drawn")
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=ready)
    print(json.dumps({"drawn_at": drawn[0], "peak_kb": _peak_kb()}))


def _peak_kb() -> int:
    """This process's own peak memory.

    Linux keeps ru_maxrss across fork and exec, so a child started by a large benchmark
    process would report the parent's size; VmHWM belongs to this process's memory alone.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _start_once(kind: str, home: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds from starting a process (the interpreter's start included) to its first
    screen drawn whole, not counting its exit; and its peak memory. Both processes read the
    same clock: Linux's monotonic clock is the system's."""
    begin = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(home)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} app failed: {done.stderr.decode()[-400:]}")
    report = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return float(report["drawn_at"]) - begin, int(report["peak_kb"])


def _fill(home: Path, entries: int) -> None:
    from companion.demo import fill

    fill(home, days=entries // PER_DAY, today=TODAY, per_day=PER_DAY)


def _start_rows(work: Path) -> list[dict[str, Any]]:
    from harness import environment  # not at the top: the child processes never need it

    home = work / "start"
    _fill(home, START_ENTRIES)
    env = environment(work)  # bytecode cached for both apps, as in an installed package
    samples: dict[str, list[tuple[float, int]]] = {
        "companion": [],
        "textual-footer": [],
        "bare": [],
    }
    for round_ in range(REPEAT + 1):
        for kind, found in samples.items():
            sample = _start_once(kind, home, env)
            if round_:  # the first round warms caches and compiles bytecode
                found.append(sample)
    ours = statistics.median(s for s, _ in samples["companion"])
    bare = statistics.median(s for s, _ in samples["bare"])
    ours_kb = statistics.median(m for _, m in samples["companion"])
    bare_kb = statistics.median(m for _, m in samples["bare"])
    textual = statistics.median(s for s, _ in samples["textual-footer"])
    return [
        {
            "benchmark": f"app start to dashboard, {START_ENTRIES:,} entries",
            "median_ms": round(ours * 1000, 1),
            "baseline": "bare Textual app",
            "baseline_ms": round(bare * 1000, 1),
            "ratio": round(ours / bare, 2),
            "goal": f"<= {START_GOAL:g}",
            "result": "PASS" if ours / bare <= START_GOAL else "MISS",
        },
        {
            "benchmark": f"app peak memory, {START_ENTRIES:,} entries",
            "median_ms": None,
            "peak_mb": round(ours_kb / 1024, 1),
            "baseline": "bare Textual app",
            "baseline_mb": round(bare_kb / 1024, 1),
            "ratio": round(ours_kb / bare_kb, 2),
            "goal": f"<= {MEMORY_GOAL:g}",
            "result": "PASS" if ours_kb / bare_kb <= MEMORY_GOAL else "MISS",
        },
        {
            "benchmark": "app start with KeyFooter",
            "median_ms": round(ours * 1000, 1),
            "baseline": "Textual's Footer(compact=True)",
            "baseline_ms": round(textual * 1000, 1),
            "ratio": round(ours / textual, 2),
            "goal": f"<= {FOOTER_GOAL:g}",
            "result": "PASS" if ours / textual <= FOOTER_GOAL else "MISS",
        },
    ]


async def _paging_ms(home: Path) -> tuple[float, float]:
    """Median ms per page going older, then going newer, in the diary screen."""
    from screens.app import CompanionApp
    from screens.diary import DiaryScreen

    app = CompanionApp(home=home, now=datetime.combine(TODAY, datetime.min.time()))
    older: list[float] = []
    newer: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        for action, times in (
            (screen.action_next_page, older),
            (screen.action_previous_page, newer),
        ):
            for _ in range(PAGES):
                start = time.perf_counter()
                action()
                # Process the pending messages and draw the screen once, without the
                # idle-wait of a bare pause() (which polls CPU use for ~100 ms).
                await pilot.pause(0)
                times.append((time.perf_counter() - start) * 1000)
        assert screen.shown.entries and not screen.shown.has_newer
    return statistics.median(older), statistics.median(newer)


def _paging_rows(work: Path) -> list[dict[str, Any]]:
    home = work / "paging"
    if not home.exists():
        _fill(home, PAGING_ENTRIES)
    older, newer = asyncio.run(_paging_ms(home))
    return [
        {
            "benchmark": f"diary page {direction}, {PAGING_ENTRIES:,} entries",
            "median_ms": round(ms, 2),
            "goal": f"< {PAGE_GOAL_MS:g} ms",
            "result": "PASS" if ms < PAGE_GOAL_MS else "MISS",
        }
        for direction, ms in (("older", older), ("newer", newer))
    ]


def run() -> list[dict[str, Any]]:
    work = Path(tempfile.mkdtemp(prefix="companion-bench-tui-"))
    try:
        return _start_rows(work) + _paging_rows(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3])
    else:
        for row in run():
            print(json.dumps(row))
