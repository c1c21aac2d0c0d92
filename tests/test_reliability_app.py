"""The app under stress: other processes writing at the same time, and a storm of resizes."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from companion.store import Store
from screens.app import CompanionApp
from screens.dashboard import Dashboard
from screens.entry_form import EntryForm

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 20, 9, 15)

# ``companion log`` again and again, until the stop file appears; one line per save.
WRITER = textwrap.dedent(
    """
    import contextlib, io, os, sys
    from companion.__main__ import main
    home, tag, stop = sys.argv[1:]
    i = 0
    while not os.path.exists(stop) or i < 5:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["--home", home, "log", "--pain", "3", "--notes", f"{tag}-{i}"])
        print(code, f"{tag}-{i}", err.getvalue().strip(), flush=True)
        i += 1
    """
)
APP_SAVES = 6


@pytest.mark.slow
async def test_the_app_and_cli_loops_write_together(home: Path, tmp_path: Path) -> None:
    Store.open(home).close()  # create the diary first, so no one races to migrate it
    stop = tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    errors = [(tmp_path / f"cli{n}.err").open("w") for n in range(2)]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(home), f"cli{n}", str(stop)],
            stdout=subprocess.PIPE,
            stderr=errors[n],
            text=True,
            env=env,
        )
        for n in range(2)
    ]
    lines: list[str] = []
    try:
        for writer in writers:  # both are writing before the app starts
            assert writer.stdout is not None
            lines.append(writer.stdout.readline())
            assert lines[-1].startswith("0 "), lines[-1]
        app = CompanionApp(home=home, now=NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(APP_SAVES):
                await pilot.press("n", "5", "ctrl+s")
                await pilot.pause()
                assert isinstance(app.screen, Dashboard), "a save did not go through"
        stop.touch()
        for writer in writers:  # the same reader as readline() above: nothing read is lost
            assert writer.stdout is not None
            lines += writer.stdout.read().splitlines()
            assert writer.wait(timeout=60) == 0, [e.name for e in errors]
    finally:
        stop.touch()
        for writer in writers:
            writer.kill()
            writer.wait()
            if writer.stdout is not None:
                writer.stdout.close()
        for error in errors:
            error.close()

    failed = [line for line in lines if not line.startswith("0 ")]
    assert not failed, failed[:3]
    assert not any("locked" in line or "busy" in line for line in lines)
    with Store.open(home) as store:
        rows = store.conn.execute("SELECT pain, notes FROM entries").fetchall()
    assert {notes for pain, notes in rows if notes} == {line.split()[1] for line in lines}
    assert sum(1 for pain, notes in rows if notes is None and pain == 5) == APP_SAVES


@pytest.mark.slow
async def test_a_resize_storm_then_a_save(home: Path) -> None:
    rng = random.Random(20261120)
    sizes = [(rng.randint(10, 160), rng.randint(3, 60)) for _ in range(50)]
    sizes[::10] = [(10, 3)] * 5  # the smallest size, again and again
    app = CompanionApp(home=home, now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        for i, (width, height) in enumerate(sizes):
            if i == 25:
                await pilot.press("n", "4")  # half the storm with the form open
            await pilot.resize_terminal(width, height)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        await pilot.press("n", "7", "ctrl+s")
        await pilot.pause()
    with Store.open(home) as store:
        assert sorted(e.pain for e in store.iter_rows()) == [4, 7]
