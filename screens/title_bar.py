"""The title line at the top of every screen, drawn by one widget, as Textual's ``Header`` draws it.

Textual's header is four widgets (a container, the icon, the title and the clock's room), each
styled, measured and drawn on its own, with the title set again once the screen is mounted:
about a tenth of the dashboard's start after its imports (``make bench``). This one draws the
same line in the same theme colours: the command palette's icon at the left (highlighted under
the mouse, with its tooltip; a click opens the palette), and the app's title with the screen's
sub-title centred, cut with an ellipsis when the screen is narrow. Unlike Textual's, a click
elsewhere on it does nothing (Textual's grows it to three lines).
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # the room Textual's header gives its icon, and its clock (below)
CLOCK_WIDTH = 10
ICON_TOOLTIP = "Open the command palette"
HOVER_STYLE = "on $foreground 10%"


class TitleBar(Widget):
    """The command palette's icon, then the app's title and the screen's sub-title."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    _hovered = False

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    @property
    def heading(self) -> Content:
        """The title as shown: the screen's own, else the app's, and the same for the sub-title."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        room = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH)
        icon = Content(f" {ICON}".ljust(ICON_WIDTH))
        if self._hovered:
            icon = icon.stylize_before(HOVER_STYLE)
        return icon + self.heading.center(room, ellipsis=True) + " " * CLOCK_WIDTH

    def _set_hovered(self, hovered: bool) -> None:
        if hovered != self._hovered:
            self._hovered = hovered
            self.tooltip = ICON_TOOLTIP if hovered else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hovered(event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE)

    def on_leave(self, event: events.Leave) -> None:
        self._set_hovered(False)

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
