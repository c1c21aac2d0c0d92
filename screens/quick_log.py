"""The quick entry: a digit on the dashboard opens it with that pain, enter saves it, now.

One line at the foot of the dashboard: pain (set by the digit; a second digit makes 10),
cramps and a note, both optional. The values go through ``build_entry``, as the form's do,
and the entry goes on the day and time ``when_logged`` gives (in the small hours, the night
before, without a time), as the form's and ``companion log``'s do.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from companion.entry import NOTES_MAX, SPEC, Entry, ValidationError, build_entry, when_logged
from companion.errors import CompanionError
from screens.app import CompanionApp
from screens.commands import bindings

FIELDS = ("pain", "cramps", "notes")


def when_words(day: str, time: str | None, today: date) -> str:
    """Where the entry will go, in words."""
    if time is None:
        return f"on {date.fromisoformat(day):%a %d %b}, about last night (no time)"
    return f"today at {time}" if day == today.isoformat() else f"on {day} at {time}"


class QuickLog(ModalScreen[Entry | None]):
    """Pain now, cramps and a note in one line; dismisses with the saved entry."""

    app = getters.app(CompanionApp)

    SCOPE = "quick"
    BINDINGS = bindings(SCOPE)
    AUTO_FOCUS = "#quick-pain"
    DEFAULT_CSS = """
    QuickLog {
        align: center bottom;
        background: $background 50%;
    }
    QuickLog > Vertical {
        height: auto;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
        margin-bottom: 1;
    }
    QuickLog Horizontal {
        height: auto;
    }
    QuickLog Label {
        margin: 0 1 0 0;
        text-style: bold;
    }
    QuickLog Input {
        margin-right: 2;
    }
    QuickLog #quick-pain, QuickLog #quick-cramps {
        width: 5;
    }
    QuickLog #quick-notes {
        width: 1fr;
        margin-right: 0;
    }
    QuickLog #quick-hint.error {
        color: $text-error;
    }
    """

    def __init__(self, pain: str = "") -> None:
        super().__init__()
        self.pain = pain

    def compose(self) -> ComposeResult:
        day, time = when_logged(self.app.now())
        with Vertical() as box:
            box.border_title = "Quick entry"
            with Horizontal():
                yield Label("Pain 0-10")
                yield Input(
                    self.pain, id="quick-pain", restrict=r"[0-9]*", max_length=2, compact=True
                )
                yield Label("Cramps")
                yield Input(id="quick-cramps", restrict=r"[0-9]*", max_length=3, compact=True)
                yield Label("Note")
                yield Input(
                    id="quick-notes", max_length=NOTES_MAX, placeholder="optional", compact=True
                )
            yield Static(
                Text(
                    f"Saves {when_words(day, time, self.app.today)}. Enter saves, escape cancels."
                ),
                id="quick-hint",
            )

    def on_mount(self) -> None:
        pain = self.query_one("#quick-pain", Input)
        pain.cursor_position = len(pain.value)

    def type_pain(self, digits: str) -> None:
        """Digits typed before the pain field had the keys, added at its end."""
        fields = self.query("#quick-pain")
        if not fields:
            self.pain += digits
            return
        field = fields.first(Input)
        field.value += digits
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.app.screen is not self:
            return  # a second enter, typed before the first had closed the line: saved once
        raw: dict[str, object] = {n: self.query_one(f"#quick-{n}", Input).value for n in FIELDS}
        day, time = when_logged(self.app.now())
        raw.update(date=day, time=time)
        try:
            entry = build_entry(raw, today=self.app.today)
        except ValidationError as exc:
            field = exc.field if exc.field in FIELDS else "pain"
            self.query_one(f"#quick-{field}", Input).focus()
            label = SPEC[exc.field].label if exc.field in SPEC else exc.field
            self._hint(f"{label}: {exc.problem}. Nothing is saved yet.", error=True)
            return
        try:
            saved = self.app.store.add(entry)
        except CompanionError as exc:
            self._hint(str(exc), error=True)
            return
        self.notify(f"Saved the entry for {saved.date}.")
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _hint(self, text: str, *, error: bool) -> None:
        hint = self.query_one("#quick-hint", Static)
        hint.update(Text(text))
        hint.set_class(error, "error")
