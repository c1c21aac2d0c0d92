"""The diary browser: entries newest first, one page at a time from SQL (keyset paging).

Only the page on screen is in memory. Older and newer pages are asked for with the first or
last entry's key, so a page costs the same on the first day of the diary as on the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from companion.entry import Entry, entries_text
from companion.errors import CompanionError
from companion.safety import signs_in_short
from companion.store import Store
from companion.store.records import PageKey
from companion.terminal import one_line
from screens.app import CompanionApp
from screens.commands import bindings
from screens.dialogs import AskDate, Confirm
from screens.footer import KeyFooter
from screens.title_bar import TitleBar
from screens.widgets import Tick

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    text: str = ""
    has_cramps: bool = False
    night_pain: bool = False


@dataclass(frozen=True)
class Anchor:
    """Which page to read: older than a key, newer than a key, from a date, or the newest."""

    older_than: PageKey | None = None
    newer_than: PageKey | None = None
    on_or_before: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of entries, newest first, and whether there is more on either side."""

    entries: tuple[Entry, ...]
    has_older: bool
    has_newer: bool


def read_page(store: Store, filters: Filters, anchor: Anchor, size: int = PAGE_SIZE) -> Page:
    """Read one page with ``size + 1`` rows, the extra one saying whether more follow."""

    def fetch(
        after: PageKey | None, newest_first: bool, limit: int, day: str | None
    ) -> list[Entry]:
        return store.page(
            after=after,
            newest_first=newest_first,
            limit=limit,
            on_or_before=day,
            text=filters.text or None,
            has_cramps=filters.has_cramps,
            night_pain=filters.night_pain,
        )

    if anchor.newer_than is not None:
        rows = fetch(anchor.newer_than, False, size + 1, None)
        entries = tuple(reversed(rows[:size]))
        has_older = bool(entries) and bool(fetch(PageKey.of(entries[-1]), True, 1, None))
        return Page(entries, has_older=has_older, has_newer=len(rows) > size)
    rows = fetch(anchor.older_than, True, size + 1, anchor.on_or_before)
    entries = tuple(rows[:size])
    has_newer = bool(entries) and bool(fetch(PageKey.of(entries[0]), False, 1, None))
    return Page(entries, has_older=len(rows) > size, has_newer=has_newer)


# Column title, width and alignment of the diary's lines; notes take what is left.
COLUMNS = (
    ("Date", 10, "<"),
    ("Time", 5, "<"),
    ("Pain", 4, ">"),
    ("Worst", 5, ">"),
    ("Night", 5, ">"),
    ("Cramps", 6, ">"),
)
GAP = "  "


def header_line() -> Text:
    cells = [f"{title:{align}{width}}" for title, width, align in COLUMNS]
    return Text(GAP.join([*cells, "Signs, notes"]), style="bold")


def entry_line(entry: Entry) -> Text:
    """One entry as a line of fixed columns: the diary shows one Text per entry."""

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    values = (
        entry.date,
        entry.time or "",
        number(entry.pain),
        number(entry.worst_pain),
        number(entry.night_pain),
        number(entry.cramps) if entry.cramps else "",
    )
    line = Text()
    for (_, width, align), value in zip(COLUMNS, values, strict=True):
        line.append(f"{value:{align}{width}}")
        line.append(GAP)
    if entry.red_flags:  # by name, first: a count said nothing about which sign
        line.append(signs_in_short(entry.red_flags), style="bold red")
        line.append(" | " if entry.notes else "")
    line.append(one_line(entry.notes or ""), style="italic")
    return line


def day_doses(store: Store, day: str) -> Text | None:
    """'Doses on 2026-11-20: 08:00 paracetamol 1,000 mg · ...', or None when there are none."""
    from companion.dose_words import dose_text
    from companion.doses import iter_doses

    taken = [
        one_line(f"{r.time or 'no time'} {r.medicine} {dose_text(r)}")
        for r in iter_doses(store, day, day)
    ]
    if not taken:
        return None
    return Text.assemble((f"Doses on {day}: ", "bold"), " · ".join(taken))


class DiaryScreen(Screen[None]):
    """Find, edit and delete entries."""

    app = getters.app(CompanionApp)

    SCOPE = "diary"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "diary.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.shown = Page((), False, False)
        self.where = Anchor()
        """How the page on screen was asked for, to read it again after a change."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="filters"):
            yield Input(placeholder="Find words in notes (/)", id="find", compact=True)
            yield Tick("Cramps (c)", id="has-cramps", compact=True)
            yield Tick("Night pain (w)", id="night-pain", compact=True)
        yield Static(header_line(), id="columns")
        yield OptionList(id="entries")
        yield Static(id="day-doses")
        yield Static(id="page-status", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        # Also sent right after on_mount: the one read when the screen opens.
        self.load(self.where)

    # --- reading -------------------------------------------------------------------------

    def load(self, anchor: Anchor | None = None) -> None:
        """Read a page (the newest unless an anchor says otherwise) and show it."""
        self.where = anchor or Anchor()
        self.shown = read_page(self.app.store, self.filters, self.where)
        lines = self.query_one(OptionList)
        lines.clear_options()
        lines.add_options(Option(entry_line(e), id=e.id) for e in self.shown.entries)
        lines.highlighted = 0 if self.shown.entries else None
        self._show_status()
        self._show_doses()

    def _show_status(self) -> None:
        page = self.shown
        if not page.entries:
            text = "No entries match." if self.filters != Filters() else "The diary is empty."
        else:
            first, last = page.entries[-1].date, page.entries[0].date
            parts = [f"{entries_text(len(page.entries))}, {first} to {last}", "enter edit"]
            if page.has_newer:
                parts.append("[ newer")
            if page.has_older:
                parts.append("] older")
            text = " · ".join(parts)
        self.query_one("#page-status", Static).update(text)

    @on(OptionList.OptionHighlighted)
    def _show_doses(self) -> None:
        """The doses logged on the highlighted entry's day, on one line."""
        entry = self.highlighted()
        line = self.query_one("#day-doses", Static)
        shown = day_doses(self.app.store, entry.date) if entry is not None else None
        line.display = shown is not None
        line.update(shown or "")

    def highlighted(self) -> Entry | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.shown.entries):
            return None
        return self.shown.entries[index]

    def _refilter(self, filters: Filters) -> None:
        self.filters = filters
        self.load()

    # --- actions -------------------------------------------------------------------------

    def action_next_page(self) -> None:
        if not self.shown.has_older:
            self.notify("No older entries.")
            return
        self.load(Anchor(older_than=PageKey.of(self.shown.entries[-1])))

    def action_previous_page(self) -> None:
        if not self.shown.has_newer:
            self.notify("No newer entries.")
            return
        self.load(Anchor(newer_than=PageKey.of(self.shown.entries[0])))

    def action_find(self) -> None:
        self.query_one("#find", Input).focus()

    def action_cramps(self) -> None:
        self.query_one("#has-cramps", Checkbox).toggle()

    def action_nights(self) -> None:
        self.query_one("#night-pain", Checkbox).toggle()

    @on(Input.Changed, "#find")
    def find(self, event: Input.Changed) -> None:
        self._refilter(
            Filters(event.value.strip(), self.filters.has_cramps, self.filters.night_pain)
        )

    @on(Input.Submitted, "#find")
    def found(self) -> None:
        self.query_one(OptionList).focus()

    @on(Checkbox.Changed)
    def toggle_filter(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "has-cramps":
            self._refilter(Filters(self.filters.text, event.value, self.filters.night_pain))
        else:
            self._refilter(Filters(self.filters.text, self.filters.has_cramps, event.value))

    def action_jump(self) -> None:
        def go(day: str | None) -> None:
            if day is not None:
                self.load(Anchor(on_or_before=day))
                self.query_one(OptionList).focus()

        self.app.push_screen(AskDate("Go to the entries of (and before) which date?"), go)

    @on(OptionList.OptionSelected)
    def action_edit(self) -> None:
        from screens.entry_form import EntryForm

        entry = self.highlighted()
        if entry is not None:
            self.app.push_screen(EntryForm(entry))

    def action_delete(self) -> None:
        entry = self.highlighted()
        if entry is None:
            return

        def delete(sure: bool | None) -> None:
            if sure:
                self._delete(entry)

        when = f"{entry.date} {entry.time or ''}".rstrip()
        self.app.push_screen(
            Confirm(f"Delete the entry of {when}? You can undo with u until you quit."), delete
        )

    def _delete(self, entry: Entry) -> None:
        try:
            removed = self.app.store.delete(entry.id)
        except CompanionError as exc:
            self.notify(str(exc), title="Not deleted", severity="error")
            return
        self.app.deleted.append(removed)
        self.load(self.where)
        self.notify(f"Deleted the entry of {removed.date}. Press u to undo.")

    def action_undo(self) -> None:
        app = self.app
        if not app.deleted:
            self.notify("Nothing to undo.")
            return
        entry = app.deleted.pop()
        try:
            app.store.restore(entry)
        except CompanionError as exc:
            self.notify(str(exc), title="Not restored", severity="error")
            return
        self.load(self.where)
        self.notify(f"Put back the entry of {entry.date}.")
