"""The one-line input behind ``/``: filters the list in focus, or searches the output."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class Mode(Enum):
    COMMANDS = "Filter commands"
    INSTANCES = "Filter instances"
    SEARCH = "Search output"


class FilterBar(Input):
    """Live filtering as you type; Enter keeps it, Escape puts back what was there."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    class Done(Message):
        """The bar closed: ``value`` is what to apply (the old value after a cancel)."""

        def __init__(self, mode: Mode, value: str, *, submitted: bool) -> None:
            super().__init__()
            self.mode = mode
            self.value = value
            self.submitted = submitted

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = Mode.COMMANDS
        self._before = ""

    def open(self, mode: Mode, current: str) -> None:
        self.mode = mode
        self._before = current
        self.value = current
        self.placeholder = f"{mode.value}: type, then Enter (Escape cancels)"
        self.border_title = mode.value
        self.display = True
        self.screen.set_focus(self)  # at once: `focus()` waits behind keys already queued

    def action_cancel(self) -> None:
        self._close(self._before, submitted=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close(event.value, submitted=True)

    def _close(self, value: str, *, submitted: bool) -> None:
        self.display = False
        self.post_message(self.Done(self.mode, value, submitted=submitted))
