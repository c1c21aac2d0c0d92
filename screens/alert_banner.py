"""The dashboard's banner: the most severe active alert, as a word, a symbol and a border."""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.widgets import Static

from companion.alert_rules import LEVELS
from companion.alerts import Alert, active_alerts
from companion.levels import level
from companion.safety import NOT_A_DIAGNOSIS, emergency_number
from screens.app import CompanionApp
from screens.commands import BY_ID


class AlertBanner(Static):
    """Hidden while no alert is active; the dashboard calls ``refresh_alerts`` whenever shown."""

    app = getters.app(CompanionApp)

    DEFAULT_CSS = """
    AlertBanner {
        height: auto;
        padding: 0 1;
        display: none;
    }
    AlertBanner.level-emergency {
        border: heavy $error;
    }
    AlertBanner.level-urgent {
        border: heavy $warning;
    }
    AlertBanner.level-soon {
        border: round $accent;
    }
    """

    def refresh_alerts(self) -> None:
        """Re-evaluate the diary and show the most severe alert."""
        app = self.app
        self.show(active_alerts(app.store, app.today), emergency_number(app.store))

    def show(self, alerts: list[Alert], number: str) -> None:
        self.display = bool(alerts)
        self.remove_class(*(f"level-{level}" for level in LEVELS))
        if not alerts:
            self.update("")
            return
        worst = alerts[0]  # evaluate() puts the most severe first
        self.add_class(f"level-{worst.level}")
        more = f" (and {len(alerts) - 1} more)" if len(alerts) > 1 else ""
        # Now and today are said in full; the word says "soon" well enough in one line.
        urgent_now = f" {level(worst.level).advice(number)}" if worst.level != "soon" else ""
        key = BY_ID["alerts"].shown_key
        self.update(
            Text.assemble(
                (f"{worst.label}: ", "bold"),
                (f"{worst.title}, since {worst.since}{more}.", "bold"),
                f"{urgent_now} {NOT_A_DIAGNOSIS} Press {key} for details.",
            )
        )
