"""The title line: one widget drawing what Textual's Header draws, and doing what it does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.widget import Widget
from textual.widgets import Header, Static

from screens.app import CompanionApp
from screens.title_bar import ICON_TOOLTIP, TitleBar

LONG = "Export for a doctor, with the charts of the last three months and every note"


class Titled(App[None]):
    def __init__(self, bar: type[Widget], sub_title: str) -> None:
        super().__init__()
        self.bar, self.screen_sub_title = bar, sub_title

    def compose(self) -> ComposeResult:
        yield self.bar()
        yield Static("body")

    def on_mount(self) -> None:
        self.title = "Companion"
        self.screen.sub_title = self.screen_sub_title


def cells(app: App[None]) -> list[tuple[str, object, object]]:
    """The top line cell by cell: its character, background, and foreground where visible."""
    found = []
    for segment in app.screen._compositor.render_strips()[0]:
        style = segment.style
        for char in segment.text:
            colour = style.color if style and char != " " else None
            found.append((char, style.bgcolor if style else None, colour))
    return found


@pytest.mark.parametrize("width", [80, 60, 30])
@pytest.mark.parametrize("sub_title", ["", "Trends", LONG])
async def test_it_draws_the_line_textual_header_draws(width: int, sub_title: str) -> None:
    drawn = {}
    for bar in (Header, TitleBar):
        app = Titled(bar, sub_title)
        async with app.run_test(size=(width, 4)) as pilot:
            await pilot.pause()
            drawn[bar] = cells(app)
    assert drawn[TitleBar] == drawn[Header]
    line = "".join(char for char, _, _ in drawn[TitleBar])
    assert len(line) == width and "⭘" in line
    if sub_title == LONG:
        assert "…" in line


async def test_a_click_on_the_icon_opens_the_command_palette(home: Path) -> None:
    app = CompanionApp(home=home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click(TitleBar, offset=(40, 0))  # the title: nothing happens
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_the_icon_under_the_mouse_is_highlighted_and_explained(home: Path) -> None:
    app = CompanionApp(home=home)
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(TitleBar)
        before = cells(app)
        await pilot.hover(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert bar.tooltip == ICON_TOOLTIP
        highlighted = cells(app)
        assert highlighted[1][1] != before[1][1]  # the icon's background
        assert highlighted[20] == before[20]  # the title's is not
        await pilot.hover(TitleBar, offset=(40, 0))
        await pilot.pause()
        assert bar.tooltip is None
        assert cells(app) == before
