"""The triage wizard, its result, and the emergency-number setting.

One question per step, in the order of content/triage.toml: the emergency questions first,
never skippable. An answer that makes the result an emergency shows the emergency notice at
once, before any other question. The result screen shows the advice in words and a symbol,
every reason with its sources, what to watch for, and a self-care plan from the library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from companion import outcome, triage
from companion.entry import plain_text
from companion.errors import CompanionError
from companion.safety import DEFAULT_EMERGENCY_NUMBER, EMERGENCY_NUMBER_KEY, emergency_number
from companion.wording import counted
from screens.app import CompanionApp
from screens.commands import bindings
from screens.dialogs import DIALOG_CSS, Confirm, EmergencyNotice
from screens.footer import KeyFooter
from screens.title_bar import TitleBar
from screens.widgets import marked

if TYPE_CHECKING:
    from companion.triage import Answer, Question, Result

NUMBER_MAX = 80


class TriageScreen(ModalScreen[None]):
    """The questions, one at a time, with a progress bar and "why we ask".

    Modal, so that every key answers the question: the app's keys (``n`` a new entry, ``d``
    the diary...) would open another screen and lose the answers.
    """

    app = getters.app(CompanionApp)

    SCOPE = "triage"
    # Digits and backspace are bindings like every other key, so keys typed fast are
    # handled in the order they were pressed.
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings(SCOPE),
        *(Binding(str(n), f"digit({n})", show=False) for n in range(10)),
        Binding("backspace", "erase", show=False),
    ]
    CSS_PATH = "triage.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.content = triage.triage()
        self.answers: dict[str, Answer] = {}
        self.skipped: set[str] = set()
        self.position = 0
        self.typed = ""
        self.keys_for: tuple[str, bool, bool] | None = None
        self._flow: tuple[frozenset[object], tuple[Question, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="wizard"):
            with Horizontal(id="progress-row"):
                yield Static(id="progress")
                yield ProgressBar(id="bar", show_eta=False, show_percentage=False)
            yield Static(id="section")
            yield Static(id="question")
            yield Horizontal(id="choices")
            yield Static(id="status")
            yield Static(id="why")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Triage questions"
        self.show_question()

    # --- where we are ------------------------------------------------------------------------

    @property
    def flow(self) -> tuple[Question, ...]:
        """The questions on this person's path: those that could still change the advice,
        and those already answered or skipped (read on every key, so kept until they change).
        """
        key = frozenset([*self.answers.items(), *self.skipped])
        if self._flow is None or self._flow[0] != key:
            seen = self.answers.keys() | self.skipped
            self._flow = key, self.content.worth_asking(self.answers, seen)
        return self._flow[1]

    @property
    def current(self) -> Question:
        flow = self.flow
        return flow[min(self.position, len(flow) - 1)]

    def show_question(self) -> None:
        flow = self.flow
        self.position = min(self.position, len(flow) - 1)
        question = flow[self.position]
        self.typed = ""
        # "About": an answer can still leave out questions that no longer matter.
        self.query_one("#progress", Static).update(
            f"Question {self.position + 1} of about {len(flow)}"
        )
        self.query_one("#bar", ProgressBar).update(total=len(flow), progress=self.position)
        section = self.content.sections[question.section]
        if question.emergency:
            section += " · these come first and must be answered"
        self.query_one("#section", Static).update(section)
        self.query_one("#question", Static).update(Text(question.text, style="bold"))
        self.query_one("#why", Static).update(Text.assemble(("Why we ask: ", "bold"), question.why))
        buttons = self.buttons(question)
        choices = self.query_one("#choices", Horizontal)
        shown = [(b.name, str(b.label)) for b in choices.query(Button)]
        if shown != [(b.name, str(b.label)) for b in buttons]:  # most steps keep yes and no
            choices.remove_children()
            choices.mount_all(buttons)
        self.show_status()
        # Which keys apply depends on the kind of question and on whether it is the first;
        # redrawing the footer is slow.
        keys = (question.kind, question.emergency, self.position == 0)
        if keys != self.keys_for:
            self.keys_for = keys
            self.refresh_bindings()

    def buttons(self, question: Question) -> list[Button]:
        if question.kind == "bool":
            made = [
                Button("Yes (y)", name="yes", compact=True),
                Button("No (n)", name="no", compact=True),
            ]
        elif question.kind == "choice":
            made = [
                Button(f"{n}. {option.label}", name=f"option-{n}", compact=True)
                for n, option in enumerate(question.options, start=1)
            ]
        else:
            return []
        for button in made:
            button.can_focus = False  # every key goes to the wizard; buttons are for the mouse
        return made

    def show_status(self) -> None:
        question = self.current
        value = self.answers.get(question.id)
        if question.kind == "int":
            line = Text.assemble(
                "Type the number, then press enter: ",
                (f" {self.typed or '_'} ", "reverse"),
                f" {question.unit}",
            )
            if value is not None and not self.typed:
                line.append(f"   (your answer: {question.describe(value)})")
        elif question.kind == "choice":
            line = Text(f"Press 1 to {len(question.options)}, or click.")
            if value is not None:
                line.append(f"   Your answer: {question.describe(value)}.")
        elif value is not None:
            line = Text(f"Your answer: {question.describe(value)}.")
        else:
            line = Text("")
        if question.id in self.skipped:
            line.append("   Skipped for now.")
        self.query_one("#status", Static).update(line)

    def say(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message, style="bold"))

    def how_to_answer(self) -> str:
        question = self.current
        if question.kind == "bool":
            return "Press y for yes or n for no."
        if question.kind == "choice":
            return f"Press a number from 1 to {len(question.options)} to choose."
        return "Type the number, then press enter."

    def on_key(self, event: events.Key) -> None:
        # y and n have no binding on a question that is not yes/no: say which keys answer it.
        if event.key in ("y", "n") and self.current.kind != "bool":
            event.stop()
            self.say(self.how_to_answer())

    # --- answering ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        question = self.current
        if action == "answer":
            return question.kind == "bool"
        if action == "skip":
            # Hidden, not greyed out: an emergency question has no skip at all.
            return not question.emergency
        if action == "previous" and self.position == 0:
            return None  # greyed out: nothing before the first question
        return True

    def action_answer(self, value: bool) -> None:
        if self.current.kind == "bool":
            self.record(value)

    def action_digit(self, digit: int) -> None:
        """Choose option ``digit``, or type it into the number."""
        question = self.current
        if question.kind == "choice" and 1 <= digit <= len(question.options):
            self.record(question.options[digit - 1].value)
        elif question.kind == "int" and len(self.typed) < len(str(question.maximum)):
            self.typed += str(digit)
            self.show_status()
        elif question.kind != "int":
            self.say(self.how_to_answer())

    def action_erase(self) -> None:
        if self.current.kind == "int":
            self.typed = self.typed[:-1]
            self.show_status()

    @on(Button.Pressed)
    def clicked(self, event: Button.Pressed) -> None:
        # Buttons are named, not given ids: the old ones may linger while new ones mount.
        button = event.button.name or ""
        if button in ("yes", "no"):
            self.record(button == "yes")
        elif button.startswith("option-"):
            self.record(self.current.options[int(button.removeprefix("option-")) - 1].value)

    def record(self, value: Answer) -> None:
        question = self.current
        was_emergency = self.evaluate().disposition == "emergency"
        self.answers[question.id] = value
        self.skipped.discard(question.id)
        if not was_emergency and self.evaluate().disposition == "emergency":
            # The question stays on show under the notice and the result: say its answer.
            self.show_status()
            self.app.push_screen(EmergencyNotice(self.notice()), self.after_notice)
            return
        self.advance()

    def after_notice(self, _: None = None) -> None:
        self.finish()

    def notice(self) -> str:
        shown = outcome.build(self.evaluate(), self.number())
        reasons = [r.text for r in shown.reasons if r.symbol == shown.symbol]
        return " ".join([*reasons, shown.action, shown.not_a_diagnosis])

    def action_forward(self) -> None:
        question = self.current
        if question.kind == "int" and self.typed:
            try:
                value = question.check(int(self.typed))
            except triage.AnswerError:
                self.typed = ""
                self.show_status()
                self.say(f"Please type a number from {question.minimum} to {question.maximum}.")
                return
            self.record(value)
        elif question.id in self.answers or question.id in self.skipped:
            self.advance()
        elif question.emergency:
            self.say("This question needs an answer: press y or n.")
        else:
            self.say("Answer this question first, or press s to skip it.")

    def action_previous(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.show_question()

    def action_skip(self) -> None:
        question = self.current
        if question.emergency:
            self.say("This question cannot be skipped: press y or n.")
            return
        self.answers.pop(question.id, None)
        self.skipped.add(question.id)
        self.advance()

    def advance(self) -> None:
        if self.position + 1 >= len(self.flow):
            self.finish()
            return
        self.position += 1
        self.show_question()

    def number(self) -> str:
        return emergency_number(self.app.store)

    def evaluate(self) -> Result:
        return self.content.evaluate(self.answers, self.number())

    def finish(self) -> None:
        self.app.push_screen(OutcomeScreen(self.evaluate()))

    def action_emergency_number(self) -> None:
        ask_emergency_number(self)

    def action_leave(self) -> None:
        """Back to where the wizard was opened, asking first if that would lose answers."""
        if not self.answers:
            self.dismiss()
            return

        def leave(sure: bool | None) -> None:
            if sure:
                self.dismiss()

        self.app.push_screen(
            Confirm(
                f"Leave the questions? Your {counted(len(self.answers), 'answer')} will be lost.",
                yes="Leave",
                no="Keep answering",
            ),
            leave,
        )


class OutcomeScreen(Screen[None]):
    """The result: how urgently, why (with sources), what to watch for, and what helps."""

    app = getters.app(CompanionApp)

    SCOPE = "outcome"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "triage.tcss"

    def __init__(self, result: Result) -> None:
        super().__init__()
        self.result = result
        self.saved_on: str | None = None
        self.has_plan = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="outcome"):
            yield Static(id="headline", classes=self.result.disposition)
            yield Static(id="action")
            yield Static(id="unanswered")
            yield Static(id="reasons")
            yield Static(id="watch")
            yield Static(id="plan-heading")
            yield OptionList(id="plan")
            yield Static(id="saved")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Triage result"
        self.render_outcome()
        plan = self.query_one("#plan", OptionList)
        if plan.option_count:
            plan.highlighted = 0
        # The page, not the plan, takes focus so the advice at the top is what shows first.
        self.query_one("#outcome", VerticalScroll).focus()

    def render_outcome(self) -> None:
        shown = outcome.build(self.result, emergency_number(self.app.store))
        self.query_one("#headline", Static).update(Text(shown.headline, style="bold"))
        self.query_one("#action", Static).update(Text(shown.action))
        unanswered = self.query_one("#unanswered", Static)
        unanswered.display = bool(shown.unanswered_note)
        if shown.unanswered:
            unanswered.update(
                Text.assemble(
                    ("Not answered: ", "bold"),
                    "; ".join(shown.unanswered),
                    ". ",
                    shown.unanswered_note,
                )
            )
        else:
            unanswered.update(shown.unanswered_note)
        reasons = marked(
            (
                Text(reason.symbol, style="bold"),
                Text.assemble(reason.text, (f"\nSources: {reason.sources}", "dim")),
            )
            for reason in shown.reasons
        )
        self.query_one("#reasons", Static).update(Group(Text("Why", style="bold"), reasons))
        watch: list[RenderableType] = []
        for group in shown.watch:
            watch += [
                Text(f"{group.heading}:", style="bold"),
                marked(("•", item) for item in group.items),
            ]
        self.query_one("#watch", Static).update(Group(*watch))
        heading = self.query_one("#plan-heading", Static)
        plan = self.query_one("#plan", OptionList)
        heading.display = plan.display = self.has_plan = bool(shown.plan)
        heading.update(
            Text.assemble(
                (shown.plan_heading, "bold"), "  (enter reads; tab to choose; l: all articles)"
            )
        )
        if not plan.option_count:  # drawn again after a save: keep the highlighted article
            plan.add_options(
                Option(Text.assemble((a.title, "bold"), f": {a.summary}"), id=a.id)
                for a in shown.plan
            )
        saved = (
            f"✓ Saved to the diary ({self.saved_on})."
            if self.saved_on
            else "Press s to keep this result in the diary."
        )
        self.query_one("#saved", Static).update(f"{saved}\n{shown.not_a_diagnosis}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self.saved_on is not None:
            return None  # shown dimmed: the result is already in the diary
        if action == "read":
            return self.has_plan  # an emergency has no plan to read
        return True

    def action_save(self) -> None:
        if self.saved_on is not None:
            return
        from companion.triage_store import save_result

        try:
            saved = save_result(self.app.store, self.result, self.app.today)
        except CompanionError as exc:  # a read-only folder, a full disk
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.saved_on = saved.date
        self.render_outcome()
        self.refresh_bindings()
        self.notify("The result is saved in your diary.", title="Saved")

    @on(OptionList.OptionSelected, "#plan")
    def open_article(self, event: OptionList.OptionSelected) -> None:
        from screens.advice import ArticleScreen

        if event.option.id:
            self.app.push_screen(ArticleScreen(event.option.id))

    def action_read(self) -> None:
        self.query_one("#plan", OptionList).action_select()

    def action_library(self) -> None:
        from screens.advice import AdviceScreen

        self.app.push_screen(AdviceScreen())

    def action_change(self) -> None:
        self.app.pop_screen()

    def unsaved(self) -> str | None:
        if self.saved_on is not None:
            return None
        answers = counted(len(self.result.answers), "answer")
        return f"Leave without saving this result? Your {answers} will be lost."

    def action_leave(self) -> None:
        """Back to where the questions began (the questions are done), asking first if the
        result is not saved."""

        def leave() -> None:
            self.app.pop_screen()
            if isinstance(self.app.screen, TriageScreen):
                self.app.pop_screen()

        self.app.leave_asking([self], leave)

    def action_emergency_number(self) -> None:
        ask_emergency_number(self, self.render_outcome)


class EmergencyNumberDialog(ModalScreen[str | None]):
    """Ask what the app should tell the person to call in an emergency."""

    SCOPE = "number"
    BINDINGS = bindings(SCOPE)
    DEFAULT_CSS = DIALOG_CSS.format(cls="EmergencyNumberDialog")

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text.assemble(
                    ("Emergency number\n", "bold"),
                    "What should the app tell you to call in an emergency? For example 112, "
                    "911, 999 or 000. Leave it empty for the general wording.",
                )
            )
            yield Input(
                value="" if self.current == DEFAULT_EMERGENCY_NUMBER else self.current,
                placeholder="e.g. 112",
                max_length=NUMBER_MAX,
                id="number",
            )
            with Horizontal():
                yield Button("Save (enter)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#number", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        self.dismiss(" ".join(self.query_one("#number", Input).value.split()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_emergency_number(
    screen: TriageScreen | OutcomeScreen, then: Callable[[], None] | None = None
) -> None:
    """Open the dialog; store the answer as the setting and tell the person."""
    app = screen.app

    def store(value: str | None) -> None:
        if value is None:
            return
        try:
            app.store.set_setting(EMERGENCY_NUMBER_KEY, plain_text("Emergency number", value))
        except CompanionError as exc:  # a control character, a read-only folder
            app.notify(str(exc), title="Not saved", severity="error")
            return
        app.notify(f"In an emergency the app will say: call {emergency_number(app.store)}.")
        if then is not None:
            then()

    app.push_screen(EmergencyNumberDialog(emergency_number(app.store)), store)
