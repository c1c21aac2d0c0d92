"""The screen's keys in one line, drawn by one widget, as Textual's compact ``Footer`` draws them.

Textual's footer is a container with a widget per key, each styled, measured and laid out on
its own, composed only after the screen's first frame and again whenever the bindings are
refreshed. ``make bench`` starts the app with each, alternately: the dashboard is drawn whole
(keys included) about a sixth sooner with this one. This footer reads the same bindings and
draws the same line, with the same theme colours, key by key: a click on a key presses it, the
key under the mouse is highlighted and its help is the tooltip, a disabled key is dim, and the
command palette's key sits at the right end behind a rule. Unlike Textual's, it does not scroll
sideways when the keys are wider than the screen: it shows the keys that fit whole, in order,
and keeps the help key, which lists them all.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from companion.record import Record

# The look of Textual's compact footer keys, in the same theme variables.
KEY_STYLE = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION_STYLE = "$footer-description-foreground on $footer-description-background"
ITEM_STYLE = "on $footer-item-background"
HOVER_STYLE = "$footer-key-foreground on $block-hover-background"
RULE_STYLE = "$foreground 20%"
RULE = "▏"
HELP_KEY = "question_mark"


class FooterItem(Record):
    """One key as the footer shows it."""

    key: str
    """The key pressed when it is clicked."""
    display: str
    description: str
    tooltip: str
    enabled: bool


class KeyFooter(Widget):
    """The keys that work on this screen now, with the command palette's at the right."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[FooterItem, ...] = ()
        self._palette: FooterItem | None = None
        self._hovered: FooterItem | None = None
        self._places: list[tuple[int, int, FooterItem]] = []
        """Where each key was drawn: first and last column + 1."""
        self._drawn: tuple[tuple[object, ...], Content] | None = None
        """The line last drawn, and the width, keys and key under the mouse it shows."""

    @property
    def keys(self) -> tuple[FooterItem, ...]:
        """The keys on show, left to right, the command palette's last."""
        return (*self._keys, self._palette) if self._palette else self._keys

    def on_mount(self) -> None:
        self._read_keys(self.screen)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        # The screen's signal would otherwise keep a removed footer alive as long as it lives.
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self._read_keys(screen):
            self.refresh()

    def _read_keys(self, screen: Screen[object]) -> bool:
        """Take the keys from the screen's bindings, as Textual's footer does; True if changed."""
        app = self.app
        active = screen.active_bindings
        keys: dict[str, FooterItem] = {}  # by action: the first key bound to it
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = FooterItem(
                    binding.key, app.get_key_display(binding), binding.description, tooltip, enabled
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = FooterItem(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.tooltip or binding.description,
                enabled,
            )
        found = tuple(keys.values())
        if (found, palette) == (self._keys, self._palette):
            return False
        self._keys, self._palette = found, palette
        self._set_hovered(None)
        return True

    def _label(self, item: FooterItem) -> Content:
        description = f" {item.description}" if item.description else ""
        label = Content.assemble((item.display, KEY_STYLE), (description, DESCRIPTION_STYLE))
        look = HOVER_STYLE if item == self._hovered else ITEM_STYLE
        return label.stylize_before(look if item.enabled else f"{look} dim")

    def render(self) -> Content:
        # Textual asks again at each layout before the first frame, and the keys are the same.
        drawn_for = (self.size.width, self._keys, self._palette, self._hovered)
        if self._drawn is None or self._drawn[0] != drawn_for:
            self._drawn = (drawn_for, self._draw(drawn_for[0]))
        return self._drawn[1]

    def _draw(self, width: int) -> Content:
        right = Content("")
        if self._palette is not None:
            rule = Content.styled(RULE, RULE_STYLE)
            if self._palette == self._hovered:
                rule = rule.stylize_before(HOVER_STYLE)
            right = rule + self._label(self._palette) + " "
        room = max(0, width - right.cell_length)
        places: list[tuple[int, int, FooterItem]] = []
        left = Content("")
        for item in self._fitting(room):
            label = self._label(item)
            start = left.cell_length
            places.append((start, start + label.cell_length, item))
            left = left + label + " "
        if self._palette is not None:
            places.append((width - right.cell_length, width - 1, self._palette))
        self._places = places
        return left.truncate(room, pad=True) + right

    def _fitting(self, room: int) -> list[FooterItem]:
        """The keys that fit whole in ``room`` cells, in order. When some must go, the
        screen's own keys and the way back stay, then the help key (it shows them all), then
        as many of the rest as fit."""
        keys = list(self._keys)

        def width(items: list[FooterItem]) -> int:
            return sum(self._label(item).cell_length + 1 for item in items) - 1

        if width(keys) <= room:
            return keys
        back = next((n for n, item in enumerate(keys) if item.key == "escape"), -1)
        chosen = keys[: back + 1]
        rest = keys[back + 1 :]
        for item in [*(i for i in rest if i.key == HELP_KEY), *rest]:
            if item in chosen:
                continue
            if width([*chosen, item]) > room:
                if item.key == HELP_KEY:
                    continue
                break
            chosen.append(item)
        return [item for item in keys if item in chosen]

    def _item_at(self, x: int) -> FooterItem | None:
        return next((item for start, end, item in self._places if start <= x < end), None)

    def _set_hovered(self, item: FooterItem | None) -> None:
        if item != self._hovered:
            self._hovered = item
            self.tooltip = (item.tooltip or None) if item else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hovered(self._item_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hovered(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
