"""The first screen: today, the last two weeks, this week against last, quick actions.

Everything is aggregated in SQL (``Store.daily`` over 14 days) and put in figures and words
by ``companion.overview``; the dashboard re-reads the diary each time it is shown, so it is
current after any save on any screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, getters
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from companion.blocks import NO_DATA, bar
from companion.entry import Entry
from companion.overview import DAYS_SHOWN, Overview, Sentence, Tone, summary
from companion.safety import signs_in_short
from companion.store import doses as dose_store
from companion.store.sync_keys import LAST_SYNC_KEY
from companion.sync.words import last_synced
from companion.terminal import one_line
from screens.alert_banner import AlertBanner
from screens.app import CompanionApp
from screens.commands import BY_ID, bindings
from screens.footer import KeyFooter
from screens.title_bar import TitleBar

if TYPE_CHECKING:
    from companion.store import Store

# How often the open dashboard looks for entries written by another process (the shell) and
# for a new day: a warning sign logged elsewhere reaches the banner within this many seconds.
OUTSIDE_CHECK_SECONDS = 2.0
DIGITS = frozenset("0123456789")
QUICK_ACTIONS = ("new", "checkin", "diary", "triage")
WELCOME_ACTIONS = ("new", "triage")
TONE_STYLES: dict[Tone | None, str] = {
    "better": "bold green",
    "worse": "bold yellow",
    "same": "bold",
    None: "",
}


def pain_style(value: float) -> str:
    if value >= 7:
        return "bold red"
    if value >= 4:
        return "yellow"
    return "green"


def sparkline(values: Sequence[float | None], high: float = 10.0, cells: int = 2) -> Text:
    """One bar per day on a fixed 0-high scale, ``cells`` wide; a dot where nothing was logged."""
    text = Text()
    for value in values:
        if value is None:
            text.append(NO_DATA * cells, style="dim")
        else:
            text.append(bar(value, high) * cells, style=pain_style(value))
    return text


def styled(sentence: Sentence) -> Text:
    """The sentence with its stressed part in bold: green when better, yellow when worse."""
    return Text.assemble(
        sentence.lead, (sentence.stress, TONE_STYLES[sentence.tone]), sentence.tail
    )


def entry_line(entry: Entry) -> Text:
    """One entry in a line: time, pain, cramps, warning signs, the start of the notes."""
    text = Text()
    text.append(f"{entry.time or '--:--'}  ", style="bold")
    if entry.pain is not None:
        text.append(f"pain {entry.pain}/10", style=pain_style(entry.pain))
    if entry.worst_pain is not None:
        text.append(f" (worst {entry.worst_pain})")
    if entry.cramps:
        text.append(f"  cramps {entry.cramps}")
    if entry.red_flags:
        text.append(f"  {signs_in_short(entry.red_flags)}", style="bold red")
    if entry.notes:
        text.append(f"  {one_line(entry.notes.splitlines()[0])}", style="italic")
    text.truncate(200)
    return text


def medicine_lines(store: Store, now: datetime) -> list[Text]:
    """Each medicine taken today, with its total within the last 24 hours against its limit
    (by name and mark, never colour alone): the 24 hours to now, or to the end of the day
    when a dose logged without a time makes that more."""
    today = now.date().isoformat()
    if not dose_store.has_doses(store, today, today):
        return []  # the medicine list, and the code that reads it, are not needed
    from companion.doses import day_totals, limits, total_24h
    from companion.medicines import mg_text

    found = limits(store)
    lines: list[Text] = []
    for taken in day_totals(store, today, today):
        total = max(
            total_24h(store, taken.medicine, today, now.strftime("%H:%M")),
            total_24h(store, taken.medicine, today, None),
        )
        limit = found.get(taken.medicine)
        line = Text("Took  ", style="bold")
        line.append(one_line(taken.medicine))
        line.append(f" {mg_text(total)} in 24 h")
        if limit is not None:
            over = total > limit.mg + 1e-9
            whose = " (yours)" if limit.personal else ""
            line.append(
                f" {'▲ OVER' if over else 'of'} {mg_text(limit.mg)}{whose}",
                style="bold red" if over else "",
            )
        lines.append(line)
    return lines


def action_links(command_ids: Sequence[str]) -> Content:
    """The registry's commands as clickable words, each with its key."""
    links = []
    for command_id in command_ids:
        command = BY_ID[command_id]
        label = f"{command.title} ({command.shown_key})"
        links.append(Content.styled(f" {label} ", f"@click={command.action}"))
    return Content("   ").join(links)


class Dashboard(Screen[None]):
    """How the back has been, at a glance (laid out by dashboard.tcss, in the app's CSS_PATH)."""

    app = getters.app(CompanionApp)

    SCOPE = "dashboard"
    BINDINGS = bindings(SCOPE)

    _just_read = False
    _read_as_of: tuple[int, date] | None = None  # the diary's data_version and the day

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Column(id="dashboard"):
            yield AlertBanner(id="alert-banner")
            yield Static(id="welcome")
            yield Static(id="today", classes="panel")
            yield Fortnight(id="fortnight", classes="panel")
            yield Static(id="week", classes="panel")
            yield Static(id="sync-status")
            yield Static(action_links(QUICK_ACTIONS), id="quick-actions", classes="actions")
        yield KeyFooter()

    def on_mount(self) -> None:
        fortnight = self.query_one("#fortnight")
        fortnight.border_title = f"Last {DAYS_SHOWN} days, 0-10 ({NO_DATA} nothing logged)"
        self.query_one("#week").border_title = "This week"
        # Read before the first layout: filled after it, the screen would be laid out and
        # drawn twice before its first frame.
        self.refresh_data()
        self._just_read = True
        self.set_interval(OUTSIDE_CHECK_SECONDS, self._check_outside_changes)

    def on_screen_resume(self) -> None:
        # Sent right after on_mount too, when the diary has just been read.
        if not self._just_read:
            self.refresh_data()
        self._just_read = False

    def _check_outside_changes(self) -> None:
        if self.is_current and self._read_as_of != (self.app.store.data_version(), self.app.today):
            self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read everything from the diary."""
        store, today = self.app.store, self.app.today
        self._read_as_of = (store.data_version(), today)
        # span() reads the date index's two ends; count() would walk all of it.
        empty = store.span() is None and not dose_store.has_doses(store)
        self._show_sync(store.setting(LAST_SYNC_KEY))
        self.query_one("#welcome").display = empty
        for panel in ("#today", "#fortnight", "#week", "#quick-actions"):
            self.query_one(panel).display = not empty
        self.query_one(AlertBanner).refresh_alerts()
        if empty:
            self.query_one("#welcome", Static).update(self._welcome())
            return
        self._show_today(
            store.entries_on(today.isoformat()), today, medicine_lines(store, self.app.now())
        )
        start = today - timedelta(days=DAYS_SHOWN - 1)
        overview = Overview.of(store.daily(start.isoformat(), today.isoformat()), today)
        self._show_fortnight(overview)
        self.query_one("#week", Static).update(
            Text.assemble(styled(overview.change_words()), "\n", overview.cramp_words())
        )

    def _welcome(self) -> Content:
        from companion.demo import DEMO_DAYS  # only an empty diary shows this

        return Content.assemble(
            ("Welcome. ", "bold"),
            "This is your private diary for back pain and cramps; it stays on this computer.\n"
            "Log how you are today, or answer the triage questions to see how urgently to "
            "get help.\nTo look around first, quit and run ",
            (self.app.demo_command, "bold"),
            f": a generated {DEMO_DAYS}-day diary in a temporary folder, never mixed with "
            "yours.\n\n",
            action_links(WELCOME_ACTIONS),
        )

    def _show_today(self, entries: list[Entry], today: date, medicines: list[Text]) -> None:
        body = self.query_one("#today", Static)
        body.border_title = f"Today, {today:%A %d %B}"
        if not entries and not medicines:
            body.update(
                Text(
                    "Nothing logged today. Type your pain (0-10) to log it in two keys, "
                    "n for the full form, or v for the evening check-in.",
                    style="italic",
                )
            )
            return
        body.update(Text("\n").join([*(entry_line(e) for e in reversed(entries)), *medicines]))

    def _show_sync(self, stamp: str | None) -> None:
        """When the diary was last synced, once sync is set up, and the key to sync again."""
        status = last_synced(stamp, self.app.now().astimezone())
        line = self.query_one("#sync-status", Static)
        line.display = status is not None
        if status is not None:
            line.update(Text.assemble(status, (f" · {BY_ID['sync'].shown_key} to sync", "dim")))

    def on_key(self, event: events.Key) -> None:
        # The quick entry's binding (for help and the palette) cannot say which digit was
        # pressed; the digit is read here first and becomes the pain. It is acted on in the
        # app's turn, after any key before it that opens a screen ('n' then '6' typed fast).
        if event.character is not None and event.character in DIGITS:
            event.stop()
            event.prevent_default()
            self.app.call_later(self.action_quick_log, event.character)

    def action_quick_log(self, pain: str = "") -> None:
        from screens.quick_log import QuickLog

        shown = self.app.screen
        if isinstance(shown, QuickLog):
            # Typed fast ('1', '0', enter), the next keys reach the dashboard before the quick
            # entry has taken them: a digit belongs to the pain there (or 10 would save as 1).
            shown.type_pain(pain)
        elif shown is self:
            self.app.push_screen(QuickLog(pain))

    def _show_fortnight(self, overview: Overview) -> None:
        self.query_one(Fortnight).show(overview)


class Column(VerticalScroll):
    """The dashboard's scrolling column, focused so that the arrow keys scroll it.

    Its look does not change with focus (no :focus rule matches it or what it holds; a test
    keeps it so), so gaining or losing focus restyles nothing. Textual would restyle every
    panel in it: a pass over the whole screen before its first frame, and at each return to
    it."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        pass


LABEL_WIDTH = 11


def fortnight_text(overview: Overview, width: int) -> Text:
    """The pain and night pain bars with their summaries, and the first and last dates: a
    day is two cells wide where the summaries fit beside that, else one, so that they are
    never cut."""
    rows = [("Pain", overview.pain, "pain"), ("Night pain", overview.night, "night pain")]
    summaries = [f"  {summary(values, what)}" for _, values, what in rows]
    wide = LABEL_WIDTH + 2 * DAYS_SHOWN + max(len(s) for s in summaries) <= width
    cells = 2 if wide else 1
    bars = cells * DAYS_SHOWN
    first, last = overview.days[0], overview.days[-1]
    axis = f"{first:%d %b}".ljust(bars - 6) + f"{last:%d %b}"
    lines = [
        Text.assemble((f"{label:<{LABEL_WIDTH}}", "bold"), sparkline(values, cells=cells), text)
        for (label, values, _), text in zip(rows, summaries, strict=True)
    ]
    return Text("\n").join([*lines, Text(" " * LABEL_WIDTH + axis, style="dim")])


class Fortnight(Widget):
    """The last 14 days, drawn for the width it is given."""

    DEFAULT_CSS = "Fortnight { height: auto; }"

    overview: Overview | None = None
    _drawn: tuple[int, Content] | None = None
    """What was drawn, for the width it was drawn at: Textual asks for it to measure the
    height, then to draw it, and again at each redraw (Content: a Text would be converted
    each time)."""

    def show(self, overview: Overview) -> None:
        self.overview = overview
        self._drawn = None
        self.refresh(layout=True)

    def render(self) -> Content:
        if self.overview is None:
            return Content()
        width = self.content_size.width
        if self._drawn is None or self._drawn[0] != width:
            text = fortnight_text(self.overview, width)
            self._drawn = (width, Content.from_rich_text(text, console=self.app.console))
        return self._drawn[1]
