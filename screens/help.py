"""Help: every key (from the command registry) and what the companion is and is not."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from companion.levels import level
from companion.safety import emergency_number
from screens.app import CompanionApp
from screens.commands import COMMANDS, SCOPES, in_scope
from screens.footer import KeyFooter
from screens.title_bar import TitleBar

# Keys that belong to Textual's widgets rather than to a command.
OTHER_KEYS = (
    ("^p", "Command palette: every action by name, and the theme picker"),
    ("tab", "Move to the next field or control"),
    ("space", "Tick or untick the highlighted choice"),
)


def _keys(rows: Iterable[tuple[str, str]], width: int) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column("key", style="bold", no_wrap=True, width=width)
    table.add_column("what")
    for row in rows:
        table.add_row(*row)
    return table


def triage_length() -> Text:
    """How many questions the triage asks, counted from its content."""
    from companion import triage

    content = triage.triage()
    first = sum(q.emergency for q in content.questions)
    back_only = len(content.worth_asking({triage.PLAN_QUESTION: "pain"}))
    return Text(
        f"{len(content.questions)} questions at most, one at a time: the {first} about signs "
        "that need help now always, then each of the others only while its answer could "
        f"still change the advice (for back pain without cramps, {back_only} at most). Each "
        "question says about how many there are."
    )


def keys_help() -> Group:
    """Every key, scope by scope; each heading on its own line, so the keys stay narrow."""
    width = max(len(key) for key in [*(c.shown_key for c in COMMANDS), *dict(OTHER_KEYS)])
    sections: list[RenderableType] = []
    # Every scope, also one a screen forgot to name in SCOPES.
    for scope in dict.fromkeys([*SCOPES, *(c.scope for c in COMMANDS)]):
        rows = [(c.shown_key, f"{c.title}: {c.help}") for c in in_scope(scope)]
        if rows:
            heading = SCOPES.get(scope, f"In {scope}")
            sections += [Text(heading, style="bold underline")]
            if scope == "triage":
                sections += [triage_length()]
            sections += [_keys(rows, width), Text()]
    return Group(*sections, Text("Also", style="bold underline"), _keys(OTHER_KEYS, width))


def about(number: str) -> Text:
    return Text.assemble(
        ("What this is. ", "bold"),
        "A private diary and self-care companion for low back pain and cramps. It keeps your "
        "entries on this computer only, asks triage questions, shows trends, and raises an "
        "alert when the diary looks like something a doctor should see.\n\n",
        ("What it is not. ", "bold"),
        "It is not a doctor. Its alerts and triage results are prompts to get checked, "
        "not a diagnosis. If you are worried, contact your doctor.\n\n",
        ("In an emergency: ", "bold red"),
        level("emergency").advice(number),
    )


class HelpScreen(Screen[None]):
    """Keys and what the app is for."""

    app = getters.app(CompanionApp)

    CSS_PATH = "help.tcss"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="help"):
            yield Static(id="about")
            yield Static(keys_help(), id="keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        number = emergency_number(self.app.store)
        self.query_one("#about", Static).update(about(number))
