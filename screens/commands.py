"""Every command of the app, defined once.

The key bindings, the footer, the command palette and the help screen are all derived from
``COMMANDS``, so a key can never say one thing in the footer and another in the help.

A command whose ``screen`` is set opens that screen, imported only when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from companion.ranges import PERIODS, PRESETS
from companion.record import Record

if TYPE_CHECKING:
    from textual.screen import Screen

APP = "app"
"""Scope of commands that work everywhere except inside a modal form or dialog."""


class Command(Record):
    """One thing a person can do, with its key, words and action."""

    id: str
    key: str
    title: str
    help: str
    action: str
    scope: str = APP
    screen: str | None = None
    """``module:Class`` of the screen this command opens (a no-argument Screen)."""
    key_display: str | None = None
    short: str = ""
    """The footer's word, when the title is too long for an 80-column footer."""
    footer: bool = True

    @property
    def shown_key(self) -> str:
        return self.key_display or self.key

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.short or self.title,
            show=self.footer,
            key_display=self.key_display,
            tooltip=self.help,
            id=self.id,
        )


def _open(command_id: str) -> str:
    return f"app.open({command_id!r})"


COMMANDS: tuple[Command, ...] = (
    # Everywhere. Back first: on a narrow screen the footer cuts the last keys off.
    Command(
        "back", "escape", "Back", "Go back to the previous screen", "app.back", key_display="esc"
    ),
    Command("new", "n", "New entry", "Log how your back is now", "app.new_entry", short="New"),
    Command(
        "took",
        "m",
        "Log a dose",
        "Log a medicine you took, and see its total within 24 hours against its limit",
        "app.took",
        footer=False,
    ),
    Command(
        "checkin",
        "v",
        "Evening check-in",
        "The day's questions one at a time: pain, worst today, cramps, what helped, the night",
        _open("checkin"),
        screen="screens.checkin:CheckIn",
        short="Check-in",
        footer=False,
    ),
    Command(
        "diary",
        "d",
        "Diary",
        "Browse, find, edit or delete past entries",
        _open("diary"),
        screen="screens.diary:DiaryScreen",
    ),
    Command(
        "triage",
        "t",
        "Triage",
        "Answer the triage questions to see how urgently to get help",
        _open("triage"),
        screen="screens.triage:TriageScreen",
    ),
    Command(
        "trends",
        "r",
        "Trends",
        "Charts of pain, night pain and cramps over weeks and months",
        _open("trends"),
        screen="screens.trends:TrendsScreen",
    ),
    Command(
        "alerts",
        "a",
        "Alerts",
        "Patterns in the diary that are worth getting checked",
        _open("alerts"),
        screen="screens.alerts:AlertsScreen",
    ),
    Command(
        "insights",
        "i",
        "Insights",
        "Which factors go with better or worse days, when the diary supports it",
        _open("insights"),
        screen="screens.insights:InsightsScreen",
        footer=False,
    ),
    Command(
        "advice",
        "l",
        "Advice",
        "A library of self-care advice and when to get help",
        _open("advice"),
        screen="screens.advice:AdviceScreen",
        footer=False,
    ),
    Command(
        "export",
        "e",
        "Export",
        "Write a CSV or a one-page summary for a doctor",
        _open("export"),
        screen="screens.export:ExportScreen",
    ),
    Command(
        "help",
        "question_mark",
        "Help",
        "Every key, and what this app is and is not",
        _open("help"),
        screen="screens.help:HelpScreen",
        key_display="?",
    ),
    Command(
        "sync",
        "y",
        "Sync",
        "Sync the diary with your other computers through a shared folder (asks which "
        "folder, the last one filled in)",
        "app.sync",
        footer=False,
    ),
    Command("quit", "q", "Quit", "Close the companion", "app.quit"),
    # The dashboard. A digit opens the quick entry with that pain (the dashboard reads which).
    Command(
        "quick",
        ",".join("0123456789"),
        "Quick entry",
        "Log pain now in two keys: its digit (0-9; another 0 makes 10), then enter; cramps and "
        "a note are optional",
        "quick_log",
        "dashboard",
        key_display="0-9",
        footer=False,
    ),
    Command("quick-save", "enter", "Save", "Save the quick entry, now", "save", "quick"),
    Command(
        "quick-cancel",
        "escape",
        "Cancel",
        "Close the quick entry without saving",
        "cancel",
        "quick",
        key_display="esc",
    ),
    # The evening check-in.
    Command(
        "checkin-next",
        "enter",
        "Next",
        "Keep the answer and go on (an empty answer skips the question); saves at the end",
        "next",
        "checkin",
        key_display="⏎",
    ),
    Command(
        "checkin-back",
        "shift+tab",
        "Back",
        "Go back to the previous question",
        "previous",
        "checkin",
        key_display="⇧tab",
    ),
    Command(
        "checkin-save",
        "ctrl+s",
        "Save",
        "Save the answers so far as an entry",
        "save",
        "checkin",
        key_display="^s",
    ),
    Command(
        "checkin-leave",
        "escape",
        "Leave",
        "Leave the check-in (asks first if you have answered any)",
        "leave",
        "checkin",
        key_display="esc",
    ),
    # The entry form.
    Command("save", "ctrl+s", "Save", "Save this entry", "save", scope="form", key_display="^s"),
    Command(
        "cancel",
        "escape",
        "Cancel",
        "Leave the form (asks first if anything changed)",
        "cancel",
        scope="form",
        key_display="esc",
    ),
    # The diary browser; the filters' keys are written on their labels, not in the footer.
    Command("open", "enter", "Edit", "Open the highlighted entry to edit it", "edit", "diary"),
    Command(
        "delete", "x", "Delete", "Delete the highlighted entry (asks first)", "delete", "diary"
    ),
    Command("undo", "u", "Undo", "Put back the last entry you deleted", "undo", "diary"),
    Command("jump", "g", "Go to date", "Jump to a date", "jump", "diary", short="Go to"),
    Command(
        "next",
        "right_square_bracket",
        "Older",
        "The next page (older entries)",
        "next_page",
        "diary",
        key_display="]",
    ),
    Command(
        "previous",
        "left_square_bracket",
        "Newer",
        "The previous page (newer entries)",
        "previous_page",
        "diary",
        key_display="[",
    ),
    Command(
        "find",
        "slash",
        "Find",
        "Find entries by words in their notes",
        "find",
        "diary",
        key_display="/",
        footer=False,
    ),
    Command(
        "cramps",
        "c",
        "Cramps",
        "Show only entries with cramps (toggle)",
        "cramps",
        "diary",
        footer=False,
    ),
    Command(
        "nights",
        "w",
        "Night pain",
        "Show only entries with night pain (toggle)",
        "nights",
        "diary",
        footer=False,
    ),
    # Trends.
    Command(
        "shorter",
        "left_square_bracket",
        "Shorter",
        "Show a shorter period",
        "shorter",
        "trends",
        key_display="[",
    ),
    Command(
        "longer",
        "right_square_bracket",
        "Longer",
        "Show a longer period",
        "longer",
        "trends",
        key_display="]",
    ),
    *(
        Command(
            f"period-{p.key}",
            str(n),
            p.label.capitalize(),
            f"Trends over {p.description}",
            f"period({p.key!r})",
            "trends",
            footer=False,
        )
        for n, p in enumerate(PERIODS, start=1)
    ),
    # Alerts.
    Command(
        "acknowledge",
        "k",
        "Acknowledge",
        "Hide a soon or urgent alert until it gets worse or comes back, after asking "
        "(emergencies stay)",
        "acknowledge",
        "alerts",
        short="Ack",
    ),
    Command(
        "seen",
        "s",
        "I was seen",
        "Record that a doctor or nurse has seen you: settles the alerts from before now "
        "(asks first)",
        "seen",
        "alerts",
        short="Seen",
    ),
    Command(
        "gone",
        "g",
        "Sign gone",
        "Record that the warning sign behind this alert has gone (asks first)",
        "gone",
        "alerts",
        short="Gone",
    ),
    Command(
        "alert-undo",
        "u",
        "Undo",
        "Show an acknowledged alert again, or undo the last seen or gone record made here",
        "undo",
        "alerts",
    ),
    Command(
        "evidence",
        "o",
        "Open entry",
        "Open the highlighted evidence entry to read or correct it",
        "open_entry",
        "alerts",
        short="Open",
    ),
    # Export.
    Command(
        "export-write",
        "ctrl+s",
        "Export",
        "Write the chosen files into the folder",
        "write",
        "export",
        key_display="^s",
    ),
    *(
        Command(
            f"export-range-{n}",
            str(n),
            f"Range: {label}",
            f"Export the {label.lower()}",
            f"preset({n})",
            "export",
            footer=False,
        )
        for n, label in enumerate(PRESETS, start=1)
    ),
    Command(
        "export-dates",
        str(len(PRESETS) + 1),
        "Range: dates",
        "Type the first and last dates to export",
        f"preset({len(PRESETS) + 1})",
        "export",
        footer=False,
    ),
    Command("export-csv", "c", "CSV", "Include the CSV, or not", "toggle_csv", "export"),
    Command(
        "export-summary",
        "s",
        "Summary",
        "Include the one-page summary, or not",
        "toggle_summary",
        "export",
    ),
    # Logging a dose.
    Command("took-save", "ctrl+s", "Save", "Save the dose", "save", "took", key_display="^s"),
    Command(
        "took-cancel",
        "escape",
        "Cancel",
        "Close without saving",
        "cancel",
        "took",
        key_display="esc",
    ),
    # Questions and prompts.
    Command("yes", "y", "Yes", "Answer yes", "yes", scope="dialog"),
    Command("no", "n,escape", "No", "Answer no", "no", scope="dialog", key_display="n/esc"),
    Command(
        "dismiss",
        "escape",
        "Cancel",
        "Close without jumping",
        "cancel",
        scope="date",
        key_display="esc",
    ),
    Command(
        "dismiss-folder",
        "escape",
        "Cancel",
        "Close without syncing",
        "cancel",
        scope="folder",
        key_display="esc",
    ),
    # Triage: the questions, the result, the advice library.
    Command("answer-yes", "y", "Yes", "Answer yes", "answer(True)", "triage"),
    Command("answer-no", "n", "No", "Answer no", "answer(False)", "triage"),
    Command(
        "previous-question",
        "left,b",
        "Previous",
        "Go back to the previous question",
        "previous",
        "triage",
        key_display="←",
        short="Prev",
    ),
    Command(
        "next-question",
        "right,f,enter",
        "Next",
        "Go on once answered (enter also confirms a typed number)",
        "forward",
        "triage",
        key_display="→",
    ),
    Command(
        "skip-question",
        "s",
        "Skip",
        "Leave this question unanswered (never the emergency questions)",
        "skip",
        "triage",
    ),
    Command(
        "leave-triage",
        "escape",
        "Leave",
        "Leave the questions (asks first if you have answered any)",
        "leave",
        "triage",
        key_display="esc",
    ),
    Command(
        "triage-number",
        "p",
        "Emergency number",
        "Set the number the app tells you to call in an emergency",
        "emergency_number",
        "triage",
        footer=False,
    ),
    Command("save-triage", "s", "Save", "Keep this result in the diary", "save", "outcome"),
    Command(
        "read-plan",
        "enter",
        "Read",
        "Read the highlighted self-care article",
        "read",
        "outcome",
        key_display="⏎",
    ),
    Command("plan-library", "l", "Advice", "Every self-care article", "library", "outcome"),
    Command(
        "change-answers",
        "b",
        "Answers",
        "Go back to the questions to change an answer",
        "change",
        "outcome",
    ),
    Command(
        "leave-result",
        "escape",
        "Back",
        "Back to where the questions began (asks first if the result is not saved)",
        "leave",
        "outcome",
        key_display="esc",
    ),
    Command(
        "outcome-number",
        "p",
        "Emergency number",
        "Set the number the app tells you to call in an emergency",
        "emergency_number",
        "outcome",
        footer=False,
    ),
    Command(
        "read-article",
        "enter",
        "Read",
        "Read the highlighted article",
        "read",
        "advice",
        key_display="⏎",
    ),
    Command(
        "number-cancel",
        "escape",
        "Cancel",
        "Close without changing the number",
        "cancel",
        scope="number",
        key_display="esc",
    ),
)

BY_ID: dict[str, Command] = {c.id: c for c in COMMANDS}
SCOPES: dict[str, str] = {
    APP: "Anywhere but the entry form and the triage questions",
    "dashboard": "On the dashboard",
    "quick": "In the quick entry",
    "checkin": "In the evening check-in",
    "form": "In the entry form",
    "diary": "In the diary",
    "trends": "In trends",
    "alerts": "In alerts",
    "export": "In export",
    "took": "When logging a dose",
    "dialog": "When asked to confirm",
    "date": "When asked for a date",
    "folder": "When asked for the sync folder",
    "triage": "In the triage questions",
    "outcome": "On the triage result",
    "advice": "In the advice library",
    "number": "When setting the emergency number",
}


def in_scope(scope: str) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if c.scope == scope)


def bindings(scope: str) -> list[BindingType]:
    """The key bindings of one scope, for a class's ``BINDINGS``."""
    return [c.binding() for c in in_scope(scope)]


# The two screens the app opens by itself. Screens import the app (for its type), so the app
# names its screens, as every command does, and imports them only when one is opened.
DASHBOARD = "screens.dashboard:Dashboard"
ENTRY_FORM = "screens.entry_form:EntryForm"
DOSE_DIALOG = "screens.took:TookDialog"


def screen_class(command: Command) -> type[Screen[object]]:
    """Import the command's screen class."""
    assert command.screen is not None
    return load_screen(command.screen)


def load_screen(name: str) -> type[Screen[object]]:
    """The screen class named "module:Class", imported on first use."""
    module_name, _, class_name = name.partition(":")
    screen: type[Screen[object]] = getattr(importlib.import_module(module_name), class_name)
    return screen


def live_commands(screen: Screen[object]) -> tuple[Command, ...]:
    """The commands that work on this screen: its own scope, and the app's unless it is modal."""
    scope = getattr(screen, "SCOPE", None)
    own = in_scope(scope) if scope else ()
    if screen.is_modal:
        return own
    shown = f"{type(screen).__module__}:{type(screen).__qualname__}"

    def works(command: Command) -> bool:
        # As in the footer: no way back from the first screen, and no opening the one on
        # show. (The stack holds the palette too while it asks, so it is not counted.)
        if command.id == "back":
            return screen is not screen.app.screen_stack[0]
        return command.screen != shown

    return own + tuple(c for c in in_scope(APP) if works(c))
