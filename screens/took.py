"""Log a dose from the app: the medicine (completed from the list and recent doses), the
amount, and the time; the day's totals against their limits follow, and paracetamol over
its limit says to get help now before anything else."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from companion.doses import DoseRecord, add, parse_note, recent_names, spelled_as_before
from companion.entry import ValidationError, check_not_future, parse_value
from companion.errors import CompanionError
from companion.medicines import canonical, find, medicines, parse_dose
from screens.app import CompanionApp
from screens.commands import bindings
from screens.dialogs import DIALOG_CSS

FIELDS = (
    ("medicine", "Medicine", "paracetamol, ibuprofen, as on the pack"),
    ("dose", "Dose", "400mg, 1g; co-codamol 30/500mg"),
    ("time", "Time", "HH:MM, today"),
    ("note", "Note", "optional"),
)


def completions(recent: list[str]) -> list[str]:
    """What the medicine field completes: recent doses first, then the list and aliases."""
    listed = [name for m in medicines().values() for name in (m.name, *m.aliases)]
    return list(dict.fromkeys([*recent, *listed]))


class TookDialog(ModalScreen[DoseRecord | None]):
    """Ask for a dose and save it; dismisses with the saved dose, or None."""

    app = getters.app(CompanionApp)

    SCOPE = "took"
    BINDINGS = bindings(SCOPE)
    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="TookDialog")
        + """
    TookDialog Label { margin-top: 1; }
    TookDialog #took-reason { margin-top: 1; }
    """
    )
    AUTO_FOCUS = "#took-medicine"

    def compose(self) -> ComposeResult:
        names = completions(recent_names(self.app.store))
        with Vertical():
            yield Static(Text("Log a dose you took", style="bold"))
            for name, label, hint in FIELDS:
                yield Label(label)
                yield Input(
                    self.app.now().strftime("%H:%M") if name == "time" else "",
                    placeholder=hint,
                    id=f"took-{name}",
                    compact=True,
                    suggester=SuggestFromList(names, case_sensitive=False)
                    if name == "medicine"
                    else None,
                )
            yield Static("Enter saves, escape cancels.", id="took-reason", classes="hint")

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#took-{name}", Input).value for name, _, _ in FIELDS}

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        typed = self.values()
        today = self.app.today
        try:
            medicine = canonical(typed["medicine"])
            dose = parse_dose(medicine, typed["dose"])
            time = parse_value("time", typed["time"])
            check_not_future(today.isoformat(), today)
            if time is not None and time > self.app.now().strftime("%H:%M"):
                raise ValidationError("time", "is later than now: log a dose once it is taken")
            note = parse_note(typed["note"])
        except ValidationError as exc:
            self._reason(f"✗ {exc.field.capitalize()}: {exc.problem}.")
            return
        try:
            if find(medicine) is None:
                dose = replace(dose, medicine=spelled_as_before(self.app.store, medicine))
            saved = add(self.app.store, DoseRecord(today.isoformat(), time, dose, note))
        except CompanionError as exc:
            self._reason(f"✗ Not saved: {exc}")
            return
        self.dismiss(saved)

    def _reason(self, text: str) -> None:
        reason = self.query_one("#took-reason", Static)
        reason.update(Text(text))
        reason.set_classes("error")

    def action_cancel(self) -> None:
        self.dismiss(None)
