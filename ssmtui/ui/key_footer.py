"""The footer of key hints: one line drawn by one widget, redrawn when the keys change.

Textual's Footer is a row of widgets, one per key, and it rebuilds all of them whenever the
screen's bindings are recomputed: on every focus move, every screen change and every
``refresh_bindings``. Mounting and styling a dozen widgets and laying the screen out again was
about a quarter of what the dashboard's key presses cost in its tests. This footer keeps the
same look (each key in bold on its own colours, then its description, the command palette's
key on the right) in one line of text, drawn again only when what it shows differs; a click
on a key presses it, as Textual's does.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class _Key(NamedTuple):
    start: int
    end: int
    key: str
    enabled: bool


class KeyFooter(Widget):
    """The keys on offer, as Textual's compact Footer shows them, in one line."""

    ALLOW_SELECT = False  # keys to press, not text to copy
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[Binding, bool], ...] | None = None
        """The keys on offer as last drawn: the next draw needs no other."""
        self._keys: list[_Key] = []
        """Where each key was drawn, for a click to press it."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        shown = self._on_offer(screen)
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    @staticmethod
    def _on_offer(screen: Screen[object]) -> tuple[tuple[Binding, bool], ...]:
        """The keys to show, one per action (the first key bound to it), in binding order."""
        seen: dict[str, tuple[Binding, bool]] = {}
        for _, binding, enabled, _ in screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled)
        return tuple(seen.values())

    def _palette(self) -> tuple[Binding, bool] | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return (found[1], found[2]) if found is not None else None

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        width = self.size.width
        palette = self._palette()
        right = Text()
        if palette is not None:
            binding, _ = palette
            right = Text.assemble(
                ("▏", Style(dim=True)),
                (self.app.get_key_display(binding), key_style),
                (f" {binding.description}", description_style),
            )
        room = width - right.cell_len - 1
        line = Text(no_wrap=True, overflow="crop")
        self._keys = []
        for binding, enabled in self._shown or ():
            label = self.app.get_key_display(binding)
            cell = Text.assemble((label, key_style), (f" {binding.description}", description_style))
            if not enabled:
                cell.stylize(Style(dim=True))
            if line.cell_len + cell.cell_len > room:
                break  # a key is shown whole or not at all
            start = line.cell_len
            line.append_text(cell)
            self._keys.append(_Key(start, line.cell_len, binding.key, enabled))
            line.append(" ")
        if right:
            line.append(" " * max(0, width - line.cell_len - right.cell_len))
            start = line.cell_len
            line.append_text(right)
            if palette is not None:
                self._keys.append(_Key(start, line.cell_len, palette[0].key, palette[1]))
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on a key presses it (a disabled one rings the bell), as in Textual's."""
        for drawn in self._keys:
            if drawn.start <= event.x < drawn.end:
                if drawn.enabled:
                    self.app.simulate_key(drawn.key.split(",")[0])
                else:
                    self.app.bell()
                return

    def on_resize(self) -> None:
        self.refresh()
