"""Textual's footer, made cheap to show: it rebuilds its keys only when they change.

Textual's ``Footer`` throws away and remounts every key each time the screen's bindings are
refreshed, which happens several times while a screen starts (mount, focus, the screen
stack) with the same keys each time; and a compact footer restyles each key one by one
after mounting it. With ten keys that was about 35 ms of the dashboard's start.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """A ``Footer`` that looks and behaves the same, without rebuilding identical keys."""

    _shown: tuple[ActiveBinding, ...] | None = None
    """The bindings the keys on show were built from (None: none built yet)."""

    def _shown_bindings(self) -> tuple[ActiveBinding, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            active
            for key, active in self.screen.active_bindings.items()
            if active.binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._shown_bindings()
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                # Born compact: the data binding then finds nothing to restyle.
                widget.add_class("-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if self.is_attached and self._shown_bindings() != self._shown:
            await self.recompose()
