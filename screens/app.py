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
import gc
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual import work
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
DIARY_MODE = "diary"
UNLOCK = "screens.unlock:Unlock"


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
        self.locked = False
        """An encrypted diary whose passphrase is not known yet: the app opens on Unlock."""
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
        if self.locked:
            return load_screen(UNLOCK)()
        return load_screen(DASHBOARD)()

    def on_load(self) -> None:
        from companion.store import Store

        # SQLite checks the diary file (quick_check) without holding the GIL: the dashboard's
        # code is imported meanwhile, in parallel, instead of after it.
        preload = threading.Thread(target=_import_dashboard, name="import-dashboard")
        preload.start()
        try:
            self.locked = _needs_passphrase(self.home)
            if self.locked:
                return
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
        self._use_theme()

    def _use_theme(self) -> None:
        saved_theme = self.store.setting(THEME_SETTING)
        if saved_theme in self.available_themes:
            self.theme = saved_theme

    def unlocked(self, store: Store) -> None:
        """The Unlock screen opened the diary: on to the dashboard."""
        self._store = store
        self.locked = False
        self._use_theme()
        # The first screen cannot be switched away (it has no caller to answer): the diary
        # opens in a mode of its own, with the dashboard first, as the app's other start.
        self.add_mode(DIARY_MODE, load_screen(DASHBOARD))
        self.switch_mode(DIARY_MODE)
        self.on_ready()

    def on_ready(self) -> None:
        # After the first frame, what start-up made (modules, classes, styles, the dashboard)
        # lives as long as the app: no later collection, nor the last one at exit, walks it
        # again. Once a process: tests start many apps in one.
        if gc.get_freeze_count() == 0:
            gc.freeze()
        gc.enable()  # paused for the start by screens.start.load_app
        if self.opening is not None and not self.locked:
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
        if self.locked:
            return action == "quit"
        if action == "back":
            return len(self.screen_stack) > 1
        if action == "open" and parameters:
            # The key of the screen on show is left out of its footer: it would do nothing.
            shown = type(self.screen)
            return BY_ID[str(parameters[0])].screen != f"{shown.__module__}:{shown.__qualname__}"
        return True

    def action_new_entry(self) -> None:
        self.push_screen(load_screen(ENTRY_FORM)())

    def action_sync(self) -> None:
        """Ask for the sync folder (the last one filled in), then sync in a thread."""
        if self.demo:
            self.notify("The demo diary is not synced: it is removed when you quit.")
            return
        if self.store.readonly:
            self.notify(safe_text(str(self.store.readonly_error())), severity="error")
            return
        from companion.store.sync_keys import FOLDER_KEY
        from screens.dialogs import AskFolder

        def chosen(folder: str | None) -> None:
            if folder:
                self._sync(folder)

        self.push_screen(AskFolder(self.store.setting(FOLDER_KEY) or ""), chosen)

    @work(thread=True, exclusive=True, group="sync")
    def _sync(self, folder: str) -> None:
        """One sync through a connection of its own (the app's is not for other threads);
        the dashboard notices the diary changed and reads it again."""
        from companion.store import Store
        from companion.sync.engine import sync
        from companion.sync.words import result_lines

        try:
            with Store.open_path(self.store.path) as store:
                result = sync(store, Path(folder).expanduser())
        except CompanionError as exc:
            self.call_from_thread(
                self.notify, safe_text(str(exc)), title="Not synced", severity="error"
            )
            return
        lines = [safe_text(line) for line in result_lines(result)]
        self.call_from_thread(self.notify, "\n".join(lines), title="Synced", timeout=10)

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


def _needs_passphrase(home: str | Path | None) -> bool:
    """An encrypted diary whose passphrase no file or keyring gives: the Unlock screen asks."""
    from companion import passphrase
    from companion.paths import DIARY_FILE, home_dir
    from companion.store import cipher

    directory = home_dir(home)
    return (
        cipher.encrypted(directory / DIARY_FILE)
        and cipher.available()
        and passphrase.known(directory) is None
    )


@runtime_checkable
class Unsaved(Protocol):
    """A screen that holds something a person would lose by leaving it, such as a triage
    result not yet saved: the app asks before a key closes it."""

    def unsaved(self) -> str | None:
        """The question to ask before leaving, or None when nothing would be lost."""
