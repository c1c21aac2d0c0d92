"""The companion's Textual application: one store, one clock, one command registry.

The contract for every screen (the dashboard, the diary, and those of triage, trends,
alerts, export and advice):

- it is a ``textual.screen.Screen`` subclass constructed with no arguments, opened by a
  command in ``screens/commands.py`` (``screen="screens.module:ClassName"``), which also
  holds its key, title and help text; keys of its own go in the registry under a ``scope``
  named by the screen's ``SCOPE`` class variable and reach it through
  ``BINDINGS = commands.bindings(SCOPE)``;
- it reads ``self.app.store``, the open ``companion.store.Store`` (never open a second one),
  and ``self.app.today``, a ``datetime.date`` that tests freeze; ``app =
  getters.app(CompanionApp)`` in its class types ``self.app`` as ``CompanionApp`` for mypy;
- escape goes back to the dashboard (the app's binding), which re-reads the diary whenever it
  is shown again, so a screen that writes needs to do nothing more.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual.app import App

from companion.entry import Entry
from companion.errors import CompanionError
from companion.terminal import safe_text
from screens.commands import (
    APP,
    BY_ID,
    DASHBOARD,
    DOSE_DIALOG,
    ENTRY_FORM,
    bindings,
    load_screen,
    screen_class,
)

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from companion.store import Store

THEME_SETTING = "theme"


def _palette() -> type[Provider]:
    from screens.palette import CommandsProvider

    return CommandsProvider


def _import_dashboard() -> None:
    # Any error is raised again, and reported, when the dashboard is first shown.
    with contextlib.suppress(Exception):
        load_screen(DASHBOARD)


class CompanionApp(App[None]):
    """The full-screen companion. ``today``/``now`` freeze the clock for tests."""

    TITLE = "Companion"
    # dashboard.tcss too: the first screen's layout is read with the app's (see
    # get_default_screen).
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "dashboard.tcss"]
    BINDINGS = bindings(APP)
    COMMANDS = App.COMMANDS | {_palette}

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        demo: bool = False,
        today: date | None = None,
        now: datetime | None = None,
        opening: str | None = None,
        demo_command: str = "companion --demo",
    ) -> None:
        super().__init__()
        self.home = home
        self.demo = demo
        self.opening = opening
        """The id of a command whose screen opens over the dashboard at start."""
        self.demo_command = demo_command
        """How to start the demo, as this app was started (the welcome says it)."""
        self._now = now
        self._today = today or (now.date() if now else None)
        self._store: Store | None = None
        self.deleted: list[Entry] = []
        """Entries deleted in this session, newest last: the diary's undo."""
        if demo:
            self.title = "Companion · DEMO diary"
            self.sub_title = "generated; removed when you quit"

    # --- the clock and the store ---------------------------------------------------------

    @property
    def today(self) -> date:
        """The local date (frozen in tests); read it each time so midnight rolls over."""
        return self._today or date.today()

    def now(self) -> datetime:
        """The local time, or the frozen moment (on the frozen day, if only that is frozen)."""
        if self._now is None and self._today is not None:
            return datetime.combine(self._today, datetime.now().time())
        return self._now or datetime.now()

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the diary is not open")
        return self._store

    def get_default_screen(self) -> Screen[Any]:
        """The dashboard, first on the stack.

        Not a mode, and no CSS_PATH of its own: Textual starts a mode's first screen, or
        reads a screen's own stylesheet, by parsing every stylesheet again (three times
        over) and restyling every widget: about 30 ms.
        """
        return load_screen(DASHBOARD)()

    def on_load(self) -> None:
        from companion.store import Store

        # SQLite checks the diary file (quick_check) without holding the GIL: the dashboard's
        # code is imported meanwhile, in parallel, instead of after it.
        preload = threading.Thread(target=_import_dashboard, name="import-dashboard")
        preload.start()
        try:
            self._store = Store.open(self.home)
        except CompanionError as exc:
            # Exiting before the driver starts: the terminal is never taken over.
            # One line, never wrapped: it names a file, which a wrap would cut in two.
            self.error_console.soft_wrap = True
            message = Text(f"companion: {safe_text(str(exc))}")
            self.exit(return_code=exc.exit_code, message=message)
            return
        finally:
            preload.join()
        saved_theme = self._store.setting(THEME_SETTING)
        if saved_theme in self.available_themes:
            self.theme = saved_theme

    def on_ready(self) -> None:
        if self.opening is not None:
            self.action_open(self.opening)

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def watch_theme(self, theme: str) -> None:
        store = self._store
        # A diary in a read-only folder can be read, but the theme is not remembered.
        if store is not None and not store.readonly and store.setting(THEME_SETTING) != theme:
            store.set_setting(THEME_SETTING, theme)

    # --- notifications -------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text, whatever a screen asks (Textual's default is
        markup): they quote file names, folders and the emergency number as typed, and
        '[/]' there would stop the app, '[b]' vanish."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # --- crashes -------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Replace Textual's crash output, which prints local variables (diary text)."""
        from companion.crashlog import record_crash

        try:
            where = f"a report without personal data is in {record_crash(error, self.home)}"
        except (OSError, CompanionError):
            where = "no report could be written"
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises the first error for the tests.
            self._exception = error
            self._exception_event.set()
        self.panic(
            Text(f"companion: unexpected error ({type(error).__name__}); {safe_text(where)}")
        )

    # --- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.screen_stack) > 1
        if action == "open" and parameters:
            # The key of the screen on show is left out of its footer: it would do nothing.
            shown = type(self.screen)
            return BY_ID[str(parameters[0])].screen != f"{shown.__module__}:{shown.__qualname__}"
        return True

    def action_new_entry(self) -> None:
        self.push_screen(load_screen(ENTRY_FORM)())

    def action_took(self) -> None:
        self.push_screen(load_screen(DOSE_DIALOG)(), self._took)

    def _took(self, saved: object) -> None:
        """Say what the dose brings the 24-hour totals to; paracetamol over its limit is an
        emergency notice, read before anything else."""
        from companion.doses import DoseRecord

        if not isinstance(saved, DoseRecord):
            return
        from companion.alert_rules import LIMIT_RULES
        from companion.alerts import active_alerts
        from companion.dose_words import dose_text, totals_lines
        from companion.safety import NOT_A_DIAGNOSIS
        from screens.dialogs import EmergencyNotice

        lines = totals_lines(self.store, saved)
        done = f"Saved {saved.medicine} {dose_text(saved)}.\n" + "\n".join(t for t, _ in lines)
        if not any(over for _, over in lines):
            self.notify(done)
            return
        alerts = [a for a in active_alerts(self.store, self.today) if a.rule in LIMIT_RULES]
        urgent = alerts[0] if alerts else None
        if urgent is not None and urgent.level == "emergency":
            notice = f"{urgent.title}. {urgent.advice} {NOT_A_DIAGNOSIS}"
            self.push_screen(EmergencyNotice(f"{notice}\n\n{done}"))
            return
        advice = f"\n{urgent.advice} {NOT_A_DIAGNOSIS}" if urgent is not None else ""
        self.notify(done + advice, severity="warning", timeout=30)

    def action_open(self, command_id: str) -> None:
        """Open a command's screen on top of the dashboard (asking first if a screen it
        replaces holds something unsaved)."""
        command = BY_ID[command_id]
        screen = screen_class(command)
        if isinstance(self.screen, screen):
            return

        def open_it() -> None:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            opened = screen()
            opened.sub_title = opened.sub_title or command.title  # the header says where
            self.push_screen(opened)

        self.leave_asking(self.screen_stack[1:], open_it)

    def leave_asking(self, screens: Iterable[Screen[Any]], leave: Callable[[], None]) -> None:
        """Call ``leave``, which closes ``screens``, once the person agrees to lose what the
        first of them with something unsaved holds; at once if none has."""
        question = next(
            (q for s in reversed(list(screens)) if isinstance(s, Unsaved) and (q := s.unsaved())),
            None,
        )
        if question is None:
            leave()
            return
        from screens.dialogs import Confirm

        def answer(sure: bool | None) -> None:
            if sure:
                leave()

        self.push_screen(Confirm(question, yes="Leave", no="Stay"), answer)


@runtime_checkable
class Unsaved(Protocol):
    """A screen that holds something a person would lose by leaving it, such as a triage
    result not yet saved: the app asks before a key closes it."""

    def unsaved(self) -> str | None:
        """The question to ask before leaving, or None when nothing would be lost."""
