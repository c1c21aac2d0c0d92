"""Insights: the factors that go with better or worse days, when the diary supports it.

Each finding is a sentence with a small chart of the mean with and without the factor; then
what was compared and found nothing, what had too few days, and how it was worked out.
Everything is read again whenever the screen is shown, as an entry made from here may change
it.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from companion import insights
from companion.insights import CAUSE, METHOD, MIN_DAYS, Finding, factor_label
from companion.terminal import safe_text
from screens.app import CompanionApp
from screens.footer import KeyFooter
from screens.title_bar import TitleBar


class FindingChart(Widget):
    """A finding's bars, drawn to the width the screen gives them."""

    DEFAULT_CSS = """
    FindingChart {
        height: 3;
        margin-bottom: 1;
    }
    """

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding

    def render(self) -> Text:
        lines = self.finding.chart(max(20, self.size.width))
        return Text(safe_text("\n".join(lines), "\n"), no_wrap=True)


class InsightsScreen(Screen[None]):
    """What goes with better or worse days, over the whole diary."""

    app = getters.app(CompanionApp)

    CSS_PATH = "insights.tcss"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="insights"):
            yield Static(id="insights-intro")
            yield Static(CAUSE, id="insights-cause", classes="panel", markup=False)
            yield Vertical(id="insights-findings")
            yield Static(id="insights-nothing", markup=False)
            yield Static(id="insights-too-few", markup=False)
            yield Static(METHOD, id="insights-method", classes="hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#insights-cause").border_title = "Read this first"

    async def on_screen_resume(self) -> None:
        # Also sent right after on_mount: the one read when the screen opens.
        await self.load()

    async def load(self) -> None:
        store, today = self.app.store, self.app.today
        span = store.span()
        start, end = insights.resolve_range(
            None, None, today, date.fromisoformat(span[0]) if span else None
        )
        found = insights.read(store, start, end)
        self.query_one("#insights-intro", Static).update(
            Text(f"The whole diary, {start:%d %b %Y} to {end:%d %b %Y}: {found.counts}.")
        )
        box = self.query_one("#insights-findings", Vertical)
        await box.remove_children()
        widgets: list[Widget] = []
        if found.findings:
            widgets.append(Static(Text("What holds up", style="bold")))
            for finding in found.findings:
                widgets += [Static(Text(safe_text(finding.text))), FindingChart(finding)]
        elif found.comparisons:
            widgets.append(
                Static(Text("Nothing holds up: no factor goes with a clear difference."))
            )
        else:
            widgets.append(
                Static(
                    Text(
                        f"Too few days to compare anything yet: each factor needs {MIN_DAYS} "
                        f"days with it and {MIN_DAYS} without."
                    )
                )
            )
        await box.mount_all(widgets)
        self._list(
            "#insights-nothing",
            "Compared, with nothing that holds up",
            [factor_label(f) for f in found.nothing],
        )
        self._list(
            "#insights-too-few",
            f"Too few days to say (under {MIN_DAYS} with or without; the days named)",
            [f"{factor_label(f)} ({n})" for f, n in found.too_few],
        )

    def _list(self, where: str, title: str, labels: list[str]) -> None:
        shown = self.query_one(where, Static)
        shown.display = bool(labels)
        shown.update(Text.assemble((title, "bold"), "\n", safe_text(", ".join(labels))))
