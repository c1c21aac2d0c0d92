"""Export for a doctor: the CSV and/or the one-page summary, for a range, into a folder.

The writing runs in a thread worker with a progress bar, reading the diary through a
connection of its own (the app's is not for other threads). Both files appear together or not
at all (``companion.report.export``); leaving the screen part-way cancels the export, writes
nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)
from textual.worker import get_current_worker

from companion import report, summary
from companion.entry import FUTURE, ValidationError, entries_text, parse_date
from companion.errors import CompanionError, UsageError
from companion.store import Store
from companion.store.cipher import passphrase_of
from screens.app import CompanionApp
from screens.commands import bindings
from screens.dialogs import Confirm
from screens.footer import KeyFooter
from screens.title_bar import TitleBar
from screens.widgets import Tick

DATES = len(summary.PRESETS)  # the last choice: dates typed by hand
DEFAULT_PRESET = list(summary.PRESETS).index("Last 90 days")


@dataclass(frozen=True)
class Plan:
    """What to write, checked: a range and one or two target files."""

    start: date
    end: date
    csv: Path | None
    html: Path | None

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.csv, self.html) if p is not None]

    @property
    def existing(self) -> list[Path]:
        """The files it would replace."""
        return [p for p in self.paths if p.exists() or p.is_symlink()]


class Cancelled(Exception):
    """The screen was left while writing: stop, and let the files be discarded."""


class ExportScreen(Screen[None]):
    """Choose a range, the files and a folder; write them with a progress bar."""

    app = getters.app(CompanionApp)

    SCOPE = "export"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "export.tcss"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="export"):
            with Horizontal(classes="row"):
                yield Label("Range", classes="label")
                yield Select[int](
                    [
                        (f"{label}  ({n})", n - 1)
                        for n, label in enumerate((*summary.PRESETS, "Dates typed below"), 1)
                    ],
                    value=DEFAULT_PRESET,
                    allow_blank=False,
                    id="preset",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label("From", classes="label")
                yield Input(id="start", placeholder="YYYY-MM-DD", max_length=10, compact=True)
                yield Label("to", classes="to")
                yield Input(id="end", placeholder="YYYY-MM-DD", max_length=10, compact=True)
            with Horizontal(classes="row"):
                yield Label("Write", classes="label")
                yield Tick("CSV (c)", True, id="want-csv", compact=True)
                yield Tick("Summary (s)", True, id="want-html", compact=True)
            with Horizontal(classes="row"):
                yield Label("Folder", classes="label")
                yield Input(id="folder", compact=True)
            yield Static(id="targets", classes="hint")
            if passphrase_of(self.app.store.conn) is not None:
                yield Static(
                    "The diary is encrypted; these exports are not: they are plain files "
                    "for your doctor, readable by anyone who has them.",
                    id="plain-exports",
                    classes="hint",
                )
            yield Button("Export (^s)", id="write", variant="primary", compact=True)
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Export for a doctor"
        self.query_one("#progress", ProgressBar).display = False
        with self.prevent(Input.Changed):
            self.query_one("#folder", Input).value = str(Path.home())
        self._fill_dates(DEFAULT_PRESET)
        self.query_one("#preset", Select).focus()

    # --- the form ------------------------------------------------------------------------

    def _fill_dates(self, index: int) -> None:
        """Put the dates of preset ``index`` in the date fields."""
        app = self.app
        preset = list(summary.PRESETS)[index]
        start, end = summary.preset_range(preset, app.today, app.store.span())
        with self.prevent(Input.Changed):
            self.query_one("#start", Input).value = start.isoformat()
            self.query_one("#end", Input).value = end.isoformat()
        self._show_targets()

    def action_preset(self, number: int) -> None:
        """Choose a range by its key: 1-4 the presets, 5 dates typed by hand."""
        self.query_one("#preset", Select).value = number - 1
        if number - 1 == DATES:
            self.query_one("#start", Input).focus()

    @on(Select.Changed, "#preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        if event.value != DATES:
            self._fill_dates(int(event.value))  # type: ignore[call-overload]

    @on(Input.Changed, "#start, #end")
    def _dates_typed(self) -> None:
        preset = self.query_one("#preset", Select)
        if preset.value != DATES:
            with self.prevent(Select.Changed):
                preset.value = DATES
        self._show_targets()

    @on(Input.Changed, "#folder")
    @on(Tick.Changed)
    def _show_targets(self) -> None:
        try:
            plan = self.plan()
        except CompanionError as problem:
            text = f"✗ {problem}"
        else:
            names = " and ".join(path.name for path in plan.paths)
            replaces = plan.existing
            files = "files" if len(replaces) > 1 else "file"
            text = f"→ {names}" + (
                f" (asks before replacing the {files} there)" if replaces else ""
            )
        self.query_one("#targets", Static).update(Text(text))

    def action_toggle_csv(self) -> None:
        self.query_one("#want-csv", Tick).toggle()

    def action_toggle_summary(self) -> None:
        self.query_one("#want-html", Tick).toggle()

    def plan(self) -> Plan:
        """The form's values, checked; UsageError names the field that is wrong."""
        values = {name: self.query_one(f"#{name}", Input).value for name in ("start", "end")}
        try:
            start, end = (date.fromisoformat(parse_date(values[n], n)) for n in ("start", "end"))
        except ValidationError as exc:
            label = "From" if exc.field == "start" else "To"
            raise UsageError(f"{label}: {exc.problem}") from None
        if start > end:
            raise UsageError("From: the start date is after the end date")
        if end > self.app.today:
            raise UsageError(f"To: {FUTURE}")
        folder_text = self.query_one("#folder", Input).value.strip()
        if not folder_text:
            raise UsageError("Folder: say where to save the files")
        try:
            folder = Path(folder_text).expanduser().absolute()
        except RuntimeError:  # ~name, and no user of that name
            folder = Path(folder_text)
        if not folder.is_dir():
            raise UsageError(f"Folder: {folder} is not a folder that exists")
        app = self.app
        csv_path, html_path = report.default_paths(folder, app.today, demo=app.demo)
        want_csv = self.query_one("#want-csv", Tick).value
        want_html = self.query_one("#want-html", Tick).value
        if not (want_csv or want_html):
            raise UsageError("Write: choose the CSV, the summary, or both")
        return Plan(start, end, csv_path if want_csv else None, html_path if want_html else None)

    # --- writing -------------------------------------------------------------------------

    @on(Button.Pressed, "#write")
    @on(Input.Submitted)
    def action_write(self) -> None:
        if self.query_one("#write", Button).disabled:
            return
        try:
            plan = self.plan()
        except CompanionError as problem:
            self._say(f"✗ Not exported. {problem}", error=True)
            return
        if plan.existing:
            self._ask_to_replace(plan)
            return
        self._start(plan)

    def _ask_to_replace(self, plan: Plan) -> None:
        names = " and ".join(path.name for path in plan.existing)
        folder = plan.existing[0].parent
        lost = "The files there now are" if len(plan.existing) > 1 else "The file there now is"

        def answer(replace: bool | None) -> None:
            if replace:
                self._start(plan)
            else:
                self.query_one("#progress", ProgressBar).display = False  # from a last export
                self._say("Not exported: nothing was replaced.")

        self.app.push_screen(
            Confirm(
                f"Replace {names} in {folder}? {lost} lost.",
                yes="Replace",
                no="Keep it",
            ),
            answer,
        )

    def _start(self, plan: Plan) -> None:
        self.query_one("#write", Button).disabled = True
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._say("Writing…")
        self._write(plan, self.app.store.path)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, plan: Plan, diary: Path) -> None:
        worker = get_current_worker()
        app = self.app

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise Cancelled
            app.call_from_thread(self._progress, done, total)

        try:
            with Store.open_path(diary, readonly=True) as store:
                result = report.export(
                    store,
                    plan.start,
                    plan.end,
                    app.today,
                    csv_path=plan.csv,
                    html_path=plan.html,
                    progress=progress,
                    demo=app.demo,
                )
        except Cancelled:
            # The screen is gone: the person hears it wherever they are now. notify is
            # thread-safe and never waits, even for an app that is closing.
            app.notify("Export cancelled: nothing was written.")
            return
        except CompanionError as problem:
            app.call_from_thread(self._finish, f"✗ Not exported; nothing was written. {problem}")
            return
        saved = []
        if result.csv_path:
            saved.append(f"{result.csv_path} ({entries_text(result.csv_rows)})")
        if result.html_path:
            saved.append(str(result.html_path))
        app.call_from_thread(self._finish, "✓ Saved " + " and ".join(saved))

    def _progress(self, done: int, total: int) -> None:
        if not self.is_attached:  # left while the last step was on its way
            return
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)

    def _finish(self, message: str) -> None:
        if not self.is_attached:  # left just as the files were being put in place
            self.app.notify(message, severity="error" if message.startswith("✗") else "information")
            return
        self.query_one("#write", Button).disabled = False
        self._say(message, error=message.startswith("✗"))
        self._show_targets()

    def _say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.set_class(error, "error")
        status.update(Text(message))
