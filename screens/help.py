"""Help: every key (from the command registry) and what the companion is and is not."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from companion.safety import NOT_A_DIAGNOSIS, emergency_number
from screens.app import companion_app
from screens.commands import COMMANDS, SCOPES, in_scope
from screens.footer import KeyFooter


def keys_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what")
    # Every scope, also one a screen forgot to name in SCOPES.
    for scope in dict.fromkeys([*SCOPES, *(c.scope for c in COMMANDS)]):
        heading = SCOPES.get(scope, f"In {scope}")
        commands = in_scope(scope)
        if not commands:
            continue
        table.add_row(Text(heading, style="bold underline"), "")
        for command in commands:
            table.add_row(command.shown_key, f"{command.title}: {command.help}")
        table.add_row("", "")
    table.add_row(Text("Also", style="bold underline"), "")
    table.add_row("^p", "Command palette: every action by name, and the theme picker")
    table.add_row("tab", "Move to the next field or control")
    table.add_row("space", "Tick or untick the highlighted choice")
    return table


def about(number: str) -> Text:
    return Text.assemble(
        ("What this is. ", "bold"),
        "A private diary and self-care companion for low back pain and cramps. It keeps your "
        "entries on this computer only, asks triage questions, shows trends, and raises an "
        "alert when the diary looks like something a doctor should see.\n\n",
        ("What it is not. ", "bold"),
        f"It is not a doctor and not a diagnosis. {NOT_A_DIAGNOSIS} "
        "If you are worried, contact your doctor.\n\n",
        ("In an emergency ", "bold red"),
        f"call {number}, or go to the emergency department.",
    )


class HelpScreen(Screen[None]):
    """Keys and what the app is for."""

    CSS_PATH = "help.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Static(id="about")
            yield Static(keys_table(), id="keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Help"
        number = emergency_number(companion_app(self).store)
        self.query_one("#about", Static).update(about(number))
