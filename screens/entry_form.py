"""The entry form, generated from ``companion.entry.SPECS``: one row per field, no second list.

Values are checked by ``parse_value`` as they are typed (the reason shows beside the field)
and by ``build_entry`` on save, the same validator the CLI and the CSV import use.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    Select,
    Static,
    TextArea,
)

from companion.entry import (
    EMERGENCY_FLAGS,
    NIGHT_ENDS,
    NOTES_ALLOW,
    SPEC,
    SPECS,
    Entry,
    FieldSpec,
    ValidationError,
    build_entry,
    check_not_future,
    one_line_ending,
    parse_value,
    when_logged,
)
from companion.errors import CompanionError
from companion.safety import FLAG_WORDS, emergency_notice, emergency_number
from companion.terminal import safe_text
from screens.app import CompanionApp
from screens.commands import bindings
from screens.dialogs import Confirm, EmergencyNotice
from screens.footer import KeyFooter
from screens.title_bar import TitleBar
from screens.widgets import Tick, ToggleGrid

EMERGENCY_TICKED = "!! emergency sign: saving shows what to do now"


def option_label(spec: FieldSpec, option: str) -> str:
    if spec.name == "red_flags":
        label = FLAG_WORDS.get(option, option)
        # The marker never splits when a narrow screen wraps the label.
        return f"{label} (!!\N{NO-BREAK SPACE}emergency)" if option in EMERGENCY_FLAGS else label
    return option.replace("_", " ")


def initial_text(value: Any, allowed: str = "") -> str:
    """A stored value as the form shows it.

    Text a diary holds from before control characters were refused is shown with them
    escaped (``\\x1b``): the terminal never receives them, and the person sees what is there.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return safe_text(one_line_ending(value) if allowed else value, allowed)
    return str(value)


def last_night_hint(day: str) -> str:
    """What "About last night" does, shown while it is ticked."""
    return (
        f"Saved on {date.fromisoformat(day):%a %d %b}, without a time: a night belongs to the "
        f"day it began (ticked for you until {NIGHT_ENDS:02d}:00)."
    )


class EntryForm(ModalScreen[Entry | None]):
    """A new entry (no argument) or an existing one to edit; dismisses with the saved entry."""

    app = getters.app(CompanionApp)

    SCOPE = "form"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "entry_form.tcss"
    AUTO_FOCUS = "#field-pain"

    def __init__(self, entry: Entry | None = None) -> None:
        super().__init__()
        self.entry = entry
        self._initial: dict[str, object] = {}
        self._time_now = ""
        """The time the form itself put in (now); it belongs to today only."""

    # --- building the form ---------------------------------------------------------------

    def _start_values(self) -> dict[str, Any]:
        if self.entry is not None:
            return self.entry.values()
        now = self.app.now()
        day, time = when_logged(now)
        self._time_now = now.strftime("%H:%M")
        return {"date": day, "time": time}

    def compose(self) -> ComposeResult:
        values = self._start_values()
        yield TitleBar()
        with VerticalScroll(id="fields"):
            for spec in SPECS:
                wide = spec.kind in ("set", "text")
                with Horizontal(id=f"row-{spec.name}", classes="field-row" + " wide" * wide):
                    yield Label(spec.label, classes="field-label")
                    if wide:  # the reason goes under a list, which takes the whole width
                        with Vertical(classes="control-and-reason"):
                            yield self._control(spec, values.get(spec.name))
                            yield self._reason(spec)
                        continue
                    yield self._control(spec, values.get(spec.name))
                    if spec.name == "date" and self.entry is None:
                        last_night = values["time"] is None
                        yield Tick("About last night", last_night, id="last-night", compact=True)
                    yield self._reason(spec)
                if spec.name == "date" and self.entry is None:
                    hint = Static(last_night_hint(values["date"]), id="last-night-hint")
                    hint.display = values["time"] is None
                    yield hint
        yield KeyFooter()

    def _reason(self, spec: FieldSpec) -> Static:
        reason = Static(self._hint(spec), id=f"reason-{spec.name}", classes="reason hint")
        reason.display = bool(self._hint(spec)) or spec.kind != "set"  # no blank under a list
        return reason

    def _control(self, spec: FieldSpec, value: Any) -> Widget:
        field_id = f"field-{spec.name}"
        tooltip = f"{spec.meaning} ({spec.unit})"
        if spec.kind == "set":
            chosen = value or frozenset()
            return ToggleGrid(
                ((option, option_label(spec, option)) for option in spec.options),
                chosen,
                id=field_id,
                classes="control",
            )
        if spec.kind == "choice":
            return Select[str](
                [(option, option) for option in spec.options],
                prompt="not recorded",
                value=value if value in spec.options else Select.NULL,
                id=field_id,
                classes="control",
                compact=True,
                tooltip=tooltip,
            )
        if spec.name == "notes":
            area = TextArea(
                initial_text(value, NOTES_ALLOW), id=field_id, classes="control", soft_wrap=True
            )
            area.tooltip = tooltip
            return area
        return Input(
            initial_text(value),
            placeholder=spec.unit if spec.kind in ("date", "time") else "",
            id=field_id,
            classes=f"control {spec.kind}",
            compact=True,
            tooltip=tooltip,
            max_length=spec.max_length or 0,
            suggester=self._medicine_suggester() if spec.name == "medications" else None,
        )

    def _medicine_suggester(self) -> Suggester:
        """Completes a medicine's name from the list and the recent doses."""
        from companion.doses import recent_names
        from screens.took import completions

        return SuggestFromList(completions(recent_names(self.app.store)), case_sensitive=False)

    def _hint(self, spec: FieldSpec) -> str:
        # The date's format is in its placeholder; its row holds the "last night" toggle.
        return "" if spec.kind in ("set", "choice", "date") else spec.unit

    def on_mount(self) -> None:
        self.sub_title = (
            "New entry"
            if self.entry is None
            else f"Edit the entry of {self.entry.date} {self.entry.time or ''}".rstrip()
        )
        self._initial = self.raw_values()
        self._show_emergency_hint()

    # --- reading and checking values ---------------------------------------------------

    def raw_values(self) -> dict[str, object]:
        """Field name to what the form holds: text, a choice, or a set of words."""
        raw: dict[str, object] = {}
        for spec in SPECS:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, ToggleGrid):
                raw[spec.name] = frozenset(widget.selected)
            elif isinstance(widget, Select):
                raw[spec.name] = "" if widget.value is Select.NULL else widget.value
            elif isinstance(widget, TextArea):
                raw[spec.name] = widget.text
            else:
                assert isinstance(widget, Input)
                raw[spec.name] = widget.value
        return raw

    def show_reason(self, name: str, problem: str | None) -> None:
        reason = self.query_one(f"#reason-{name}", Static)
        if problem is None:
            reason.update(self._hint(SPEC[name]))
            reason.set_class(False, "error")
            reason.set_class(True, "hint")
        else:
            reason.update(Text(f"✗ {problem}"))
            reason.set_class(True, "error")
            reason.set_class(False, "hint")
            reason.display = True

    @on(Input.Changed, ".control")
    def check_field(self, event: Input.Changed) -> None:
        """Whatever is typed stays, and the reason it is not a value shows beside it: 6.5 is
        not quietly read as 65, nor does a letter vanish without a word."""
        assert event.input.id is not None
        name = event.input.id.removeprefix("field-")
        try:
            value = parse_value(name, event.value)
            if name == "date" and value is not None:
                check_not_future(value, self.app.today)
        except ValidationError as exc:
            self.show_reason(name, exc.problem)
        else:
            self.show_reason(name, None)
        if name == "date":
            self._time_follows_date()
        if name in ("date", "time"):
            self._date_typed()

    def _time_follows_date(self) -> None:
        """The time the form put in is now's, so it goes with today's date: another day has
        no time unless the person types one, as with ``companion log --date``."""
        time_field = self.query_one("#field-time", Input)
        if self.entry is not None or time_field.value not in ("", self._time_now):
            return  # an entry's own time, or one the person typed
        today = self.app.today.isoformat()
        own = self._time_now if self.query_one("#field-date", Input).value == today else ""
        if time_field.value != own:
            with self.prevent(Input.Changed):
                time_field.value = own

    def _date_typed(self) -> None:
        """A date or time typed by hand is no longer "about last night": untick it."""
        if self.entry is not None or not (toggle := self.query_one("#last-night", Tick)).value:
            return
        typed = (
            self.query_one("#field-date", Input).value,
            self.query_one("#field-time", Input).value,
        )
        day, time = when_logged(self.app.now(), last_night=True)
        if typed != (day, time or ""):
            with self.prevent(Checkbox.Changed):
                toggle.value = False
            self.query_one("#last-night-hint").display = False

    @on(ToggleGrid.Changed, "#field-red_flags")
    def _show_emergency_hint(self) -> None:
        flags = self.query_one("#field-red_flags", ToggleGrid).selected
        reason = self.query_one("#reason-red_flags", Static)
        reason.update(EMERGENCY_TICKED if flags & EMERGENCY_FLAGS else "")
        reason.set_class(bool(flags & EMERGENCY_FLAGS), "error")
        reason.display = bool(flags & EMERGENCY_FLAGS)

    @on(Checkbox.Changed, "#last-night")
    def about_last_night(self, event: Checkbox.Changed) -> None:
        """The day before without a time, or now: the rule ``companion log`` follows too."""
        now = self.app.now()
        day, time = when_logged(now, last_night=event.value)
        self._time_now = now.strftime("%H:%M")
        self.query_one("#field-date", Input).value = day
        self.query_one("#field-time", Input).value = time or ""
        hint = self.query_one("#last-night-hint", Static)
        hint.update(last_night_hint(day))
        hint.display = event.value

    # --- saving and leaving --------------------------------------------------------------

    def action_save(self) -> None:
        raw = self.raw_values()
        if self.entry is not None and raw == self._initial:
            # Nothing changed: nothing to write (a note's line endings, its time of change).
            self.dismiss(None)
            return
        try:
            entry = build_entry(
                raw,
                entry_id=self.entry.id if self.entry is not None else None,
                today=self.app.today,
            )
            if self.entry is not None:
                # A field left as it was keeps what the diary holds, not what the form shows
                # of it (six figures of a number, a control character escaped, one kind of
                # line ending): an edit changes only what was edited.
                stored = self.entry.values()
                entry = entry.with_changes(
                    **{
                        name: stored[name]
                        for name, shown in self._initial.items()
                        if raw[name] == shown
                    }
                )
        except ValidationError as exc:
            self.show_reason(exc.field, exc.problem)
            self.query_one(f"#field-{exc.field}").focus()
            label = SPEC[exc.field].label if exc.field in SPEC else exc.field
            self.notify(f"{label}: {exc.problem}", title="Not saved", severity="error")
            return
        store = self.app.store
        try:
            saved = store.add(entry) if self.entry is None else store.update(entry)
        except CompanionError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        done = f"Saved the entry for {saved.date}."
        if saved.emergency_flags:
            # Said in the notice, not in a toast: nothing may cover what to do now.
            notice = emergency_notice(saved.emergency_flags, emergency_number(store))

            def read(_: None) -> None:
                self.dismiss(saved)

            self.app.push_screen(EmergencyNotice(f"{notice}\n\n{done}"), read)
            return
        self.notify(done)
        self.dismiss(saved)

    def action_cancel(self) -> None:
        if self.raw_values() == self._initial:
            self.dismiss(None)
            return

        def leave(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            Confirm(
                "Leave without saving? Your changes to this entry will be lost.",
                yes="Discard",
                no="Keep editing",
            ),
            leave,
        )
