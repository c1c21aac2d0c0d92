"""Alerts: each alert with why it fired, the entries behind it, what to do, sources.

Soon and urgent alerts can be acknowledged, after a question (they come back if the pattern
gets worse), and shown again; emergency alerts cannot. The person can record that they were
seen, or that a warning sign has gone, each after a question, and undo it. Opening an
evidence entry lets the person read or correct it; the alerts are evaluated again when the
form closes.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion import followups
from companion.alert_rules import rules
from companion.alerts import Alert, acknowledge, alert_states, unacknowledge
from companion.content import known_sources
from companion.entry_line import describe
from companion.errors import CompanionError
from companion.safety import flag_words
from screens.app import CompanionApp
from screens.commands import BY_ID, bindings
from screens.dialogs import Confirm
from screens.footer import KeyFooter
from screens.title_bar import TitleBar

CAME_AND_WENT = "A sign like this that came and went still needs checking now."


def key(command_id: str) -> str:
    return BY_ID[command_id].shown_key


class AlertsScreen(Screen[None]):
    """The alerts, one open at a time: the active ones, then those acknowledged."""

    app = getters.app(CompanionApp)

    SCOPE = "alerts"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "alerts.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[Alert] = []
        self.hidden: set[str] = set()  # rules of the alerts an acknowledgement hides
        self.recorded: list[followups.Followup] = []  # seen and gone records made here

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="alerts"):
            yield Static(id="alerts-intro")
            yield OptionList(id="alert-list")
            yield Static(id="alert-what", classes="panel")
            yield OptionList(id="evidence")
            yield Static(id="alert-sources", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#evidence").border_title = "Evidence (enter or o opens an entry)"

    def on_screen_resume(self) -> None:
        # Also sent right after on_mount: the one read when the screen opens.
        self.load()

    def load(self) -> None:
        """Evaluate the diary again, keeping the same alert open if it is still listed."""
        app = self.app
        listing = self.query_one("#alert-list", OptionList)
        previous = self.current.rule if self.current else None
        active, hidden = alert_states(app.store, app.today)
        self.alerts, self.hidden = [*active, *hidden], {a.rule for a in hidden}
        listing.clear_options()
        listing.add_options(Option(self._line(a)) for a in self.alerts)
        for widget in ("#alert-list", "#alert-what", "#evidence", "#alert-sources"):
            self.query_one(widget).display = bool(self.alerts)
        self.query_one("#alerts-intro", Static).update(self._intro(len(active)))
        if self.alerts:
            shown = [a.rule for a in self.alerts]
            listing.highlighted = shown.index(previous) if previous in shown else 0
            listing.focus()
        self.refresh_bindings()

    def _line(self, alert: Alert) -> Text:
        if alert.rule in self.hidden:
            return Text.assemble(("○ acknowledged: ", "italic"), alert.label, f"  {alert.title}")
        return Text.assemble((alert.label, "bold"), f"  {alert.title}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        alert = self.current
        if action == "acknowledge":
            # Hidden for an emergency, which cannot be acknowledged (the panel says why), and
            # for one already acknowledged.
            return (
                alert is not None and alert.level != "emergency" and alert.rule not in self.hidden
            )
        if action in ("open_entry", "seen"):
            return alert is not None
        if action == "gone":
            return alert is not None and bool(alert.signs)
        if action == "undo":
            return bool(self.recorded) or (alert is not None and alert.rule in self.hidden)
        return True

    def _intro(self, active: int) -> Text:
        today = self.app.today
        acknowledged = len(self.alerts) - active
        if not active and acknowledged:
            return Text(
                f"No active alerts as of {today:%d %B %Y}; {acknowledged} acknowledged, listed "
                "below. Each is a prompt to get checked, not a diagnosis."
            )
        if not active:
            watched = "; ".join(r.title.lower() for r in rules())
            return Text(
                f"No alerts as of {today:%d %B %Y}: nothing in your diary matches a pattern "
                f"worth getting checked. The companion watches for: {watched}."
            )
        also = f" {acknowledged} acknowledged, listed last." if acknowledged else ""
        return Text(
            f"{active} alert{'s' if active > 1 else ''} as of {today:%d %B %Y}. Each is a "
            f"prompt to get checked, not a diagnosis.{also}"
        )

    @property
    def current(self) -> Alert | None:
        if not self.alerts:
            return None
        index = self.query_one("#alert-list", OptionList).highlighted
        return self.alerts[index] if index is not None and index < len(self.alerts) else None

    @on(OptionList.OptionHighlighted, "#alert-list")
    def show_alert(self) -> None:
        alert = self.current
        if alert is None:
            return
        self.query_one("#alert-what", Static).update(
            Text.assemble(
                (f"{alert.label}: {alert.title}", "bold"),
                f" (since {alert.since})\n\n{alert.explanation}\n\n",
                ("What to do: ", "bold"),
                f"{alert.advice}\n\n",
                (self._keys_for(alert), "italic"),
            )
        )
        self._show_evidence(alert)
        known = known_sources()
        self.query_one("#alert-sources", Static).update(
            "Sources: " + "; ".join(known[s].title if s in known else s for s in alert.sources)
        )
        self.refresh_bindings()

    def _keys_for(self, alert: Alert) -> str:
        seen = f"Press {key('seen')} once you have been seen"
        gone = f", {key('gone')} if the sign has gone" if alert.signs else ""
        if alert.rule in self.hidden:
            return (
                "Acknowledged: hidden from the dashboard until it gets worse or comes back. "
                f"Press {key('alert-undo')} to show it again."
            )
        if alert.level == "emergency":
            return (
                "An emergency alert cannot be dismissed: it stays until you record that you "
                f"were seen. {seen}{gone}."
            )
        return (
            f"{seen}{gone}; or {key('acknowledge')} once you have acted on it, to hide it "
            "until it gets worse."
        )

    def _show_evidence(self, alert: Alert) -> None:
        """Each evidence day, then that day's entries (which can be opened)."""
        store = self.app.store
        evidence = self.query_one("#evidence", OptionList)
        evidence.clear_options()
        for item in alert.evidence:
            evidence.add_option(Option(Text(f"{item.date}  {item.detail}", "bold"), disabled=True))
            evidence.add_options(
                Option(f"  {describe(entry)}", id=entry.id) for entry in store.entries_on(item.date)
            )

    @on(OptionList.OptionSelected, "#evidence")
    def open_selected(self) -> None:
        self.action_open_entry()

    def action_open_entry(self) -> None:
        from screens.entry_form import EntryForm

        evidence = self.query_one("#evidence", OptionList)
        if evidence.highlighted is None:
            evidence.focus()
            self.notify("Choose an entry in the evidence list first.")
            return
        entry_id = evidence.get_option_at_index(evidence.highlighted).id
        entry = self.app.store.get(entry_id) if entry_id else None
        if entry is None:
            return
        self.app.push_screen(EntryForm(entry))  # read again when the form closes (on resume)

    # --- acknowledging, and recording seen or gone -------------------------------------------

    def _ask(self, question: str, yes: str, then: Callable[[], None]) -> None:
        def answered(sure: bool | None) -> None:
            if sure:
                try:
                    then()
                except CompanionError as exc:
                    self.notify(str(exc), severity="error")
                self.load()

        self.app.push_screen(Confirm(question, yes=yes, no="Cancel"), answered)

    def action_acknowledge(self) -> None:
        alert = self.current
        if alert is None:
            return
        app = self.app

        def done() -> None:
            acknowledge(app.store, alert, now=app.now())
            self.notify(
                f"Hidden until the pattern gets worse. Press {key('alert-undo')} on it to show it "
                "again.",
                title=f"Acknowledged: {alert.title}",
            )

        self._ask(
            f"Acknowledge “{alert.title}”? It is hidden from the dashboard until the pattern "
            "gets worse or comes back. Acknowledge it once you have acted on it.",
            "Acknowledge",
            done,
        )

    def action_seen(self) -> None:
        app = self.app
        now = app.now()

        def done() -> None:
            self.recorded.append(followups.record(app.store, "seen", now=now))
            self.notify(
                f"Alerts from before then are settled; anything logged later raises them "
                f"again. Press {key('alert-undo')} to undo.",
                title="Recorded that you were seen",
            )

        self._ask(
            f"Record that a doctor or nurse has seen you, today at {now:%H:%M}? The alerts "
            "from before then are settled; anything you log later raises them again.",
            "I was seen",
            done,
        )

    def action_gone(self) -> None:
        alert = self.current
        if alert is None or not alert.signs:
            return
        app = self.app
        signs = flag_words(alert.signs)
        # A sign that needs help now and came and went still needs checking now.
        after = (
            f"{CAME_AND_WENT} The alert stays until you record that you were seen."
            if alert.level == "emergency"
            else "If it comes back, log it again."
        )

        def done() -> None:
            made = followups.record(app.store, "gone", frozenset(alert.signs), now=app.now())
            self.recorded.append(made)
            self.notify(
                f"{after} Press {key('alert-undo')} to undo.", title=f"Recorded: {signs} gone"
            )

        self._ask(f"Record that {signs} has gone, today? {after}", "It has gone", done)

    def action_undo(self) -> None:
        alert = self.current
        store = self.app.store
        if alert is not None and alert.rule in self.hidden:
            unacknowledge(store, alert.rule)
            self.notify("It shows again.", title=f"No longer acknowledged: {alert.title}")
        elif self.recorded:
            undone = self.recorded.pop()
            followups.remove(store, undone.id)
            what = (
                "you were seen" if undone.kind == "seen" else f"{flag_words(undone.signs)} has gone"
            )
            self.notify(f"Removed the record that {what}.")
        else:
            return
        self.load()
