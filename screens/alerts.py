"""Alerts: each active alert with why it fired, the entries behind it, what to do, sources.

Soon and urgent alerts can be acknowledged (they come back if the pattern gets worse);
emergency alerts cannot. Opening an evidence entry lets the person read or correct it; the
alerts are evaluated again when the form closes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from companion.alerts import Alert, acknowledge, active_alerts, rules
from companion.commands.diary import describe
from companion.content import known_sources
from companion.errors import CompanionError
from screens.app import companion_app
from screens.commands import BY_ID, bindings
from screens.footer import KeyFooter

CANNOT_DISMISS = (
    "An emergency alert cannot be dismissed: it stays while the warning sign is in the "
    "last 7 days. If you have not yet, get help now."
)


class AlertsScreen(Screen[None]):
    """The active alerts, one open at a time."""

    SCOPE = "alerts"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "alerts.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[Alert] = []

    def compose(self) -> ComposeResult:
        yield Header()
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
        """Evaluate the diary again, keeping the same alert open if it is still active."""
        app = companion_app(self)
        listing = self.query_one("#alert-list", OptionList)
        previous = self.current.rule if self.current else None
        self.alerts = active_alerts(app.store, app.today)
        listing.clear_options()
        listing.add_options(
            Option(Text.assemble((a.label, "bold"), f"  {a.title}")) for a in self.alerts
        )
        for widget in ("#alert-list", "#alert-what", "#evidence", "#alert-sources"):
            self.query_one(widget).display = bool(self.alerts)
        self.query_one("#alerts-intro", Static).update(self._intro())
        if self.alerts:
            rules_shown = [a.rule for a in self.alerts]
            listing.highlighted = rules_shown.index(previous) if previous in rules_shown else 0
            listing.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With no alert there is nothing to acknowledge and no evidence to open.
        if action in ("acknowledge", "open_entry"):
            return bool(self.alerts)
        return True

    def _intro(self) -> Text:
        today = companion_app(self).today
        if not self.alerts:
            watched = "; ".join(r.title.lower() for r in rules())
            return Text(
                f"No alerts as of {today:%d %B %Y}: nothing in your diary matches a pattern "
                f"worth getting checked. The companion watches for: {watched}."
            )
        count = len(self.alerts)
        return Text(
            f"{count} alert{'s' if count > 1 else ''} as of {today:%d %B %Y}. Each is a prompt "
            "to get checked, not a diagnosis."
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
        ack = BY_ID["acknowledge"].shown_key
        keeps = (
            CANNOT_DISMISS
            if alert.level == "emergency"
            else f"Press {ack} once you have acted on it: it comes back if it gets worse."
        )
        self.query_one("#alert-what", Static).update(
            Text.assemble(
                (f"{alert.label}: {alert.title}", "bold"),
                f" (since {alert.since})\n\n{alert.explanation}\n\n",
                ("What to do: ", "bold"),
                f"{alert.advice}\n\n",
                (keeps, "italic"),
            )
        )
        self._show_evidence(alert)
        known = known_sources()
        self.query_one("#alert-sources", Static).update(
            "Sources: " + "; ".join(known[s].title if s in known else s for s in alert.sources)
        )

    def _show_evidence(self, alert: Alert) -> None:
        """Each evidence day, then that day's entries (which can be opened)."""
        store = companion_app(self).store
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
        entry = companion_app(self).store.get(entry_id) if entry_id else None
        if entry is None:
            return
        self.app.push_screen(EntryForm(entry))  # read again when the form closes (on resume)

    def action_acknowledge(self) -> None:
        alert = self.current
        if alert is None:
            return
        if alert.level == "emergency":
            self.notify(CANNOT_DISMISS, title=alert.title, severity="error")
            return
        app = companion_app(self)
        try:
            acknowledge(app.store, alert, now=app.now())
        except CompanionError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(
            "It comes back if the pattern gets worse.", title=f"Acknowledged: {alert.title}"
        )
        self.load()
