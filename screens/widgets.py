"""Pieces the screens share: toggles that say their state with a mark, and marked lists.

Textual draws the same "X" for ticked and unticked toggles and tells them apart by colour;
these show "✓" when ticked and a blank when not.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Checkbox

TICKED = "✓"
UNTICKED = " "


def marked(rows: Iterable[tuple[RenderableType, RenderableType]]) -> Table:
    """A mark and its text per row; a text that wraps stays indented under its first line."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for mark, text in rows:
        table.add_row(mark, text)
    return table


class Tick(Checkbox):
    """A checkbox marked ✓ when ticked: Textual's shows an X either way, in another colour."""

    BUTTON_INNER = UNTICKED

    def watch_value(self) -> None:
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        super().watch_value()


Cell = tuple[int, bool, str]
"""One option's part of a line of a ToggleGrid: its index, whether it starts there, the words."""

MARK_WIDTH = 5  # "›[✓] "


class ToggleGrid(Widget, can_focus=True):
    """A set of words to tick, laid out in as many columns as fit: one tab stop for all.

    In one column a label too long for the width wraps, indented under its start, so every
    word is read in full however narrow. Arrows move, space or enter ticks, a click ticks the
    option under the mouse.
    """

    DEFAULT_CSS = """
    ToggleGrid {
        height: auto;
        background: $boost;
    }
    ToggleGrid:focus {
        background: $surface-lighten-1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("space,enter", "flip", "Tick", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        """The ticked set changed."""

        def __init__(self, grid: ToggleGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> ToggleGrid:
            return self.grid

    def __init__(
        self,
        options: Iterable[tuple[str, str]],
        ticked: Iterable[str] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = tuple(options)
        self._ticked = set(ticked)

    @property
    def selected(self) -> frozenset[str]:
        return frozenset(self._ticked)

    # --- layout --------------------------------------------------------------------------

    @property
    def _cell_width(self) -> int:
        return max(len(label) for _, label in self.options) + MARK_WIDTH

    def _columns(self, width: int) -> int:
        return max(1, width // self._cell_width)

    def _lines(self, width: int) -> list[list[Cell]]:
        """The cells of each line on screen."""
        columns, count = self._columns(width), len(self.options)
        if columns > 1:
            return [
                [(i, True, self.options[i][1]) for i in range(start, min(start + columns, count))]
                for start in range(0, count, columns)
            ]
        lines: list[list[Cell]] = []
        for index, (_, label) in enumerate(self.options):
            wrapped = textwrap.wrap(label, max(1, width - MARK_WIDTH)) or [""]
            lines += [[(index, n == 0, part)] for n, part in enumerate(wrapped)]
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        width = self.content_size.width
        cell_width = width // self._columns(width)
        lines = []
        for cells in self._lines(width):
            line = Text()
            for index, starts, words in cells:
                here = index == self.cursor and self.has_focus
                if starts:
                    mark = TICKED if self.options[index][0] in self._ticked else UNTICKED
                    cell = f"{'›' if here else ' '}[{mark}] {words}"
                else:
                    cell = " " * MARK_WIDTH + words
                line.append(cell.ljust(cell_width)[:cell_width], style="reverse" if here else "")
            lines.append(line)
        return Text("\n").join(lines)

    # --- keys and mouse ------------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        step = rows * self._columns(self.content_size.width) + columns
        target = self.cursor + step
        if 0 <= target < len(self.options):
            self.cursor = target

    def action_flip(self) -> None:
        self._flip(self.cursor)

    def on_click(self, event: events.Click) -> None:
        width = self.content_size.width
        columns = self._columns(width)
        lines = self._lines(width)
        if not 0 <= event.y < len(lines):
            return
        # The last few cells of a row, left over by the division, belong to its last option.
        column = min(event.x // (width // columns), columns - 1)
        cells = lines[event.y]
        if column < len(cells):
            index = cells[column][0]
            self.cursor = index
            self._flip(index)

    def _flip(self, index: int) -> None:
        value = self.options[index][0]
        self._ticked.symmetric_difference_update({value})
        self.refresh()
        self.post_message(self.Changed(self))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
