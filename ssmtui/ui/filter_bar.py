"""The one-line input behind ``/``: filters the list in focus, or searches the output.

The bar is opened on what it acts on and acts on it itself: a list is filtered live as the
user types (``filter_by``), the output is searched on Enter; either gets the focus back when
the bar closes. The screen only says which is in focus.
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar, Protocol

from textual.binding import Binding, BindingType
from textual.widgets import Input

from ssmtui.model.fleet_search import SEARCH_PREFIX
from ssmtui.ui.output_view import OutputView


class Mode(Enum):
    COMMANDS = "Filter commands"
    INSTANCES = "Filter instances"
    SEARCH = "Search output"


class Filterable(Protocol):
    """A list the bar can filter: the commands or the instances."""

    needle: str

    def filter_by(self, needle: str) -> bool: ...

    def focus(self, scroll_visible: bool = True) -> object: ...


class FilterBar(Input):
    """Live filtering as you type; Enter keeps it, Escape puts back what was there."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = Mode.COMMANDS
        self._before = ""
        self._list: Filterable | None = None
        self._output: OutputView | None = None

    def filter(self, mode: Mode, target: Filterable) -> None:
        """Open on a list, filtering it as the user types."""
        self._list, self._output = target, None
        self._open(mode, target.needle)

    def search(self, output: OutputView) -> None:
        """Open on the output, searching it on Enter."""
        self._list, self._output = None, output
        self._open(Mode.SEARCH, output.needle)

    def _open(self, mode: Mode, current: str) -> None:
        self.mode = mode
        self._before = current
        self.value = current
        self.placeholder = f"{mode.value}: type, then Enter (Escape cancels)"
        self.border_title = mode.value
        self.display = True
        self.screen.set_focus(self)  # at once: `focus()` waits behind keys already queued

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.startswith(SEARCH_PREFIX):
            return  # every instance's output is searched on Enter: a 20,000-instance fleet is
            # a quarter of a second a search, too long to run on each key typed
        if self.display and self._list is not None:
            self._list.filter_by(event.value)

    def action_cancel(self) -> None:
        self._close(self._before, submitted=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close(event.value, submitted=True)

    def _close(self, value: str, *, submitted: bool) -> None:
        self.display = False
        if self._output is not None:
            self._output.focus()
            if submitted and value and not self._output.search(value):
                self.notify(f"No match for {value!r} in this output.", timeout=3)
        elif self._list is not None:
            self._list.filter_by(value)
            self._list.focus()
