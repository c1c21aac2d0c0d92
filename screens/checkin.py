"""The evening check-in: the day's questions one at a time, for anyone who finds the form long.

Each answer is checked by ``parse_value`` as the form's are, and the entry is made by
``build_entry`` on the day ``when_logged`` gives, so the check-in and the form write the same
entry. An empty answer skips the question; the entry needs pain or cramps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from companion.entry import (
    SPEC,
    Entry,
    ValidationError,
    build_entry,
    ordered,
    parse_value,
    when_logged,
)
from companion.errors import CompanionError
from companion.wording import counted
from screens.app import CompanionApp
from screens.commands import bindings
from screens.footer import KeyFooter
from screens.title_bar import TitleBar
from screens.widgets import ToggleGrid

Answers = Mapping[str, Any]


def _always(_: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    field: str
    text: str
    hint: str
    asked: Callable[[Answers], bool] = _always


QUESTIONS: tuple[Question, ...] = (
    Question("pain", "How bad is your pain right now?", "0 is no pain, 10 the worst imaginable."),
    Question("worst_pain", "What was the worst pain today?", "0-10, at least the pain now."),
    Question("cramps", "How many cramps did you have today?", "A count; 0 for none."),
    Question(
        "cramp_minutes",
        "How long did the longest cramp last?",
        "In minutes.",
        lambda answers: bool(answers.get("cramps")),
    ),
    Question(
        "relief",
        "What helped today?",
        "Arrows move, space ticks; leave all unticked if nothing did.",
    ),
    Question(
        "night_pain",
        "Last night, how bad was the pain at its worst?",
        "0-10; 0 if the night was free of pain.",
    ),
    Question("woke_at_night", "Did pain wake you last night?", "y or n."),
)
SHORT_ANSWERS = {"y": "yes", "n": "no"}
FORM_NOTE = (
    "Warning signs, medicines, weight and notes go in the full entry form (n), which can also "
    "edit this entry later from the diary."
)


def shown(field: str, value: Any) -> str:
    if isinstance(value, frozenset):
        return ", ".join(w.replace("_", " ") for w in ordered(field, value)) or "nothing ticked"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class Choices(ToggleGrid, inherit_bindings=False):
    """The grid of what helped, ticked with space: enter goes on to the next question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("space", "flip", "Tick", show=False),
    ]


class CheckIn(Screen[None]):
    """One question on screen at a time, then what will be saved."""

    app = getters.app(CompanionApp)

    SCOPE = "checkin"
    BINDINGS = bindings(SCOPE)
    DEFAULT_CSS = """
    CheckIn #checkin { padding: 1 2; }
    CheckIn #progress { color: $text-muted; }
    CheckIn #question { text-style: bold; margin-top: 1; }
    CheckIn #answer-box { height: auto; margin: 1 0; }
    CheckIn #answer-box Input { width: 12; }
    CheckIn #reason { height: auto; }
    CheckIn #reason.error { color: $text-error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, Any] = {}
        self.step = 0
        """Index into QUESTIONS; len(QUESTIONS) is the review before saving."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="checkin"):
            yield Static(id="progress")
            yield Static(id="question")
            yield Vertical(id="answer-box")
            yield Static(id="reason")
        yield KeyFooter()

    async def on_mount(self) -> None:
        await self.show_step()

    # --- the steps -----------------------------------------------------------------------

    def asked(self) -> list[int]:
        """The steps asked with the answers so far."""
        return [n for n, q in enumerate(QUESTIONS) if q.asked(self.answers)]

    async def show_step(self, problem: str = "") -> None:
        box = self.query_one("#answer-box", Vertical)
        await box.remove_children()
        steps = self.asked()
        if self.step >= len(QUESTIONS):
            self.query_one("#progress", Static).update("Check-in: what will be saved")
            self.query_one("#question", Static).update(self.review())
            self._reason(
                problem or f"Enter saves; shift+tab goes back to change an answer.\n{FORM_NOTE}",
                problem,
            )
            return
        question = QUESTIONS[self.step]
        number = steps.index(self.step) + 1
        self.query_one("#progress", Static).update(f"Check-in: question {number} of {len(steps)}")
        self.query_one("#question", Static).update(Text(question.text))
        value = self.answers.get(question.field)
        if question.field == "relief":
            spec = SPEC["relief"]
            widget: Input | Choices = Choices(
                [(o, o.replace("_", " ")) for o in spec.options], value or (), id="answer"
            )
        else:
            widget = Input(
                "" if value is None else shown(question.field, value),
                id="answer",
                compact=True,
                placeholder="skip: enter",
            )
        await box.mount(widget)
        widget.focus()
        self._reason(problem or f"{question.hint} Enter goes on (empty skips).", problem)

    def review(self) -> Text:
        lines = [
            f"{SPEC[q.field].label}: {shown(q.field, self.answers[q.field])}"
            for q in QUESTIONS
            if q.field in self.answers and q.asked(self.answers)
        ]
        return Text("\n".join(lines) if lines else "Nothing answered yet.")

    def _reason(self, text: str, problem: str) -> None:
        reason = self.query_one("#reason", Static)
        reason.update(Text(text))
        reason.set_class(bool(problem), "error")

    # --- moving on -----------------------------------------------------------------------

    @on(Input.Submitted)
    async def action_next(self) -> None:
        if self.step >= len(QUESTIONS):
            await self.action_save()
            return
        if not self.take_answer():
            return
        later = [n for n in self.asked() if n > self.step]
        self.step = later[0] if later else len(QUESTIONS)
        await self.show_step()

    async def action_previous(self) -> None:
        if self.step < len(QUESTIONS) and not self.take_answer():
            return
        earlier = [n for n in self.asked() if n < self.step]
        if earlier:
            self.step = earlier[-1]
            await self.show_step()

    def take_answer(self) -> bool:
        """Keep the answer on screen; False (and why, on screen) if it is not one."""
        field = QUESTIONS[self.step].field
        widget = self.query_one("#answer")
        raw: object
        if isinstance(widget, Choices):
            raw = widget.selected
        else:
            assert isinstance(widget, Input)
            text = widget.value.strip()
            raw = SHORT_ANSWERS.get(text.lower(), text) if field == "woke_at_night" else text
        try:
            value = parse_value(field, raw)
        except ValidationError as exc:
            self._reason(f"{SPEC[field].label} {exc.problem}.", exc.problem)
            return False
        if value is None or value == frozenset():
            self.answers.pop(field, None)
        else:
            self.answers[field] = value
        if field == "cramps" and not value:
            self.answers.pop("cramp_minutes", None)  # not asked without cramps
        return True

    # --- saving and leaving --------------------------------------------------------------

    async def action_save(self) -> None:
        if self.step < len(QUESTIONS) and not self.take_answer():
            return
        day, time = when_logged(self.app.now())
        raw = {**self.answers, "date": day, "time": time}
        try:
            entry: Entry = build_entry(raw, today=self.app.today)
        except ValidationError as exc:
            if exc.field in self.answers or exc.field == "pain":
                self.step = next(n for n, q in enumerate(QUESTIONS) if q.field == exc.field)
            label = SPEC[exc.field].label if exc.field in SPEC else exc.field
            await self.show_step(f"Not saved: {label} {exc.problem}.")
            return
        try:
            saved = self.app.store.add(entry)
        except CompanionError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.answers = {}
        self.notify(f"Saved the check-in for {saved.date}.")
        self.dismiss()

    def unsaved(self) -> str | None:
        count = len(self.answers)
        if self.step < len(QUESTIONS) and QUESTIONS[self.step].field not in self.answers:
            typed = self.query("#answer").first()
            if isinstance(typed, Input):
                count += bool(typed.value.strip())
            elif isinstance(typed, Choices):
                count += bool(typed.selected)
        if not count:
            return None
        return f"Leave the check-in? Your {counted(count, 'answer')} will be lost."

    def action_leave(self) -> None:
        def leave() -> None:
            self.dismiss()

        self.app.leave_asking([self], leave)
