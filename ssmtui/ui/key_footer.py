"""The footer of key hints, rebuilt only when the keys it would show change.

Textual's Footer rebuilds all of its key widgets whenever the screen's bindings are
recomputed: on every focus move, every screen change and every ``refresh_bindings``. Each
rebuild mounts and styles a widget per key and lays the screen out again, which is most of
what a key press costs when the keys on offer are the same before and after it. This footer
looks the same and rebuilds only when what it would show differs.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, skipping rebuilds that would draw the same keys."""

    _shown: Hashable = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = self._keys_on_offer(screen)
        if self._bindings_ready and shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # a rebuild is on its way; the next same keys need none

    def _keys_on_offer(self, screen: Screen[object]) -> Hashable:
        """Everything of the screen's bindings that the footer draws or acts on."""
        return tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.key_display,
                binding.show,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        )
