"""Writing the diary out: the doctor's summary as a page (``write_report``), and the CSV
and/or the summary together (``export``), atomically, reporting progress for long diaries.

What the summary says is ``companion.summary``; ``companion.report_html`` lays it out.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.csvio import DEMO_NOTE
from companion.errors import UsageError
from companion.summary import REPORT_STEPS, Progress, Summary, summarise

if TYPE_CHECKING:
    from companion.store import Store

Row = tuple[Any, ...]


def default_paths(directory: Path, today: date, *, demo: bool = False) -> tuple[Path, Path]:
    """Where the app saves a CSV and a summary by default: the date in the name, and DEMO in
    that of a demo diary's export, so it never takes the name of a real one."""
    stem = f"companion-{'DEMO-' * demo}{today.isoformat()}"
    return directory / f"{stem}.csv", directory / f"{stem}.html"


# --- writing ------------------------------------------------------------------------------


def write_report(
    store: Store, path: Path, start: date, end: date, today: date, *, replace: bool = False
) -> Summary:
    """Write the summary to ``path`` (0600, atomically) and return what it shows.

    An existing file is replaced only with ``replace``; see ``companion.targets`` for the
    files that never are.
    """
    from companion.report_html import render
    from companion.targets import check_target, exists_message, private_output

    if check_target(path, store.path) and not replace:
        raise UsageError(exists_message(path))
    summary = summarise(store, start, end, today)
    page = render(summary)
    with private_output(path, replace=replace) as handle:
        handle.write(page)
    return summary


@dataclass(frozen=True)
class ExportResult:
    csv_path: Path | None
    csv_rows: int
    html_path: Path | None


def _counted(rows: Iterable[Row], tick: Callable[[int], None]) -> Iterator[Row]:
    for done, row in enumerate(rows, 1):
        if done % 500 == 0:
            tick(done)
        yield row


def _marked_demo(rows: Iterable[Row], notes: int) -> Iterator[Row]:
    """Every row's notes (column ``notes``) start with DEMO_NOTE: a demo CSV says what it is
    in every row a spreadsheet shows, and stays one that imports."""
    for row in rows:
        note = row[notes]
        yield (*row[:notes], f"{DEMO_NOTE}. {note}" if note else DEMO_NOTE, *row[notes + 1 :])


def export(
    store: Store,
    start: date,
    end: date,
    today: date,
    *,
    csv_path: Path | None = None,
    html_path: Path | None = None,
    progress: Progress | None = None,
    demo: bool = False,
    replace: bool = True,
) -> ExportResult:
    """Write the CSV and/or the summary for [start, end]; ``demo`` marks both as generated.

    Both files appear together or not at all: each is written to a temporary file, and the
    renames happen only once everything has been written. A file of the same name is
    replaced unless ``replace`` is False (the app asks first: ``targets.check_target``);
    the diary, a backup, a database, a device or a link never is.
    """
    from companion import csvio
    from companion.report_html import render
    from companion.targets import check_target, exists_message, private_output

    if csv_path is None and html_path is None:
        raise UsageError("choose a CSV, a summary, or both")
    for path in (csv_path, html_path):
        if path is not None and check_target(path, store.path) and not replace:
            raise UsageError(exists_message(path))
    from companion.store import summary as summary_rows

    days = (start.isoformat(), end.isoformat())
    total = (summary_rows.count(store, *days) if csv_path else 0) + (
        REPORT_STEPS if html_path else 0
    )

    def report(done: int) -> None:
        if progress:
            progress(min(done, total), total)

    rows = 0
    with contextlib.ExitStack() as files:
        if csv_path is not None:
            handle = files.enter_context(private_output(csv_path, newline="", replace=replace))
            handle.write("\ufeff")  # a BOM, so spreadsheets read the file as UTF-8
            stored: Iterable[Row] = store.iter_values(csvio.CSV_COLUMNS, *days)
            if demo:
                stored = _marked_demo(stored, csvio.CSV_COLUMNS.index("notes"))
            rows = csvio.write_rows(_counted(stored, report), handle)
            report(rows)
        if html_path is not None:
            summary = summarise(store, start, end, today, lambda done, _: report(rows + done))
            page = render(dataclasses.replace(summary, demo=demo))
            files.enter_context(private_output(html_path, replace=replace)).write(page)
    report(total)
    return ExportResult(csv_path, rows, html_path)
