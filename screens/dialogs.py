"""Small modal screens: a yes/no question, a date or folder prompt, and the emergency
notice."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from companion.entry import ValidationError, parse_date
from companion.levels import level
from screens.commands import bindings

DIALOG_CSS = """
{cls} {{
    align: center middle;
    background: $background 70%;
}}
{cls} > Vertical {{
    width: 64;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    padding: 1 2;
    border: thick $primary;
    background: $surface;
}}
{cls} Horizontal {{
    height: auto;
    margin-top: 1;
}}
{cls} Button {{
    margin-right: 2;
}}
"""


class Confirm(ModalScreen[bool]):
    """Ask a yes/no question; escape means no."""

    SCOPE = "dialog"
    BINDINGS = bindings(SCOPE)
    DEFAULT_CSS = DIALOG_CSS.format(cls="Confirm")

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="yes", variant="primary", compact=True)
                yield Button(f"{self.no} (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class AskDate(ModalScreen[str | None]):
    """Ask for a date (YYYY-MM-DD); says why if it is not one."""

    SCOPE = "date"
    BINDINGS = bindings(SCOPE)
    DEFAULT_CSS = DIALOG_CSS.format(cls="AskDate")

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.prompt))
            yield Input(self.value, placeholder="YYYY-MM-DD", id="date", compact=True)
            yield Static("Enter to go, escape to cancel.", id="reason", classes="hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_date(event.value))
        except ValidationError as exc:
            reason = self.query_one("#reason", Static)
            reason.update(f"✗ The date {exc.problem}.")
            reason.set_classes("error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskFolder(ModalScreen[str | None]):
    """Ask for the folder to sync through; says so if nothing was typed."""

    SCOPE = "folder"
    BINDINGS = bindings(SCOPE)
    DEFAULT_CSS = DIALOG_CSS.format(cls="AskFolder")

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    "Sync through which folder? One that Syncthing, Nextcloud, Dropbox or a "
                    "USB stick carries to your other computers. Anyone who can read it can "
                    "read your diary."
                )
            )
            yield Input(self.value, placeholder="a folder, e.g. ~/Sync/companion", id="folder")
            yield Static("Enter to sync, escape to cancel.", id="reason", classes="hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
            return
        reason = self.query_one("#reason", Static)
        reason.update("✗ Type the folder to sync through.")
        reason.set_classes("error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class EmergencyNotice(ModalScreen[None]):
    """What to do now, after an emergency warning sign was logged. Closed only by reading it.

    No keys of its own, and a modal screen takes none of the app's: escape does not close it.
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="EmergencyNotice")
        + """
    EmergencyNotice > Vertical { border: thick $error; }
    EmergencyNotice #notice-title { text-style: bold; color: $text-error; }
    /* Nothing covers what to do now: a message that arrives meanwhile waits, or times out. */
    EmergencyNotice Toast { display: none; }
    """
    )

    def __init__(self, notice: str) -> None:
        super().__init__()
        self.notice = notice

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(level("emergency").heading, id="notice-title")
            yield Static(Text(self.notice), id="notice")
            with Horizontal():
                yield Button("I have read this (enter)", id="read", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#read", Button).focus()

    @on(Button.Pressed)
    def read(self) -> None:
        self.dismiss(None)
