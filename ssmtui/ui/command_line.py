"""The one-line input behind ``:``: change what is asked of AWS without restarting.

In the manner of k9s: ``stage all``, ``status failed``, ``doc AWS-RunPatchBaseline``,
``since 2h``; Tab (or →) takes the completion shown in grey, drawn from the verbs and from
what is on screen. What a line means is the model's business (``model/steering.py``); this
widget reads it against the filters in force and posts the filters chosen (``Steered``), or
says in a toast why the line cannot be applied and stays open to be mended.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.model.steering import OnScreen, SteeringError, completion, steer


class _FromScreen(Suggester):
    """Completions from the verbs and from what the screen lists as the line is opened."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = OnScreen()

    async def get_suggestion(self, value: str) -> str | None:
        return completion(value, self.known)


class CommandLine(Input):
    """Enter applies the line; Escape closes it unchanged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", show=False),
        Binding("tab", "cursor_right", "Complete", show=False),
    ]

    class Steered(Message):
        """The line chose these filters."""

        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    class Closed(Message):
        """The line closed, applied or not: focus goes back to the panes."""

    def __init__(self, *, id: str | None = None) -> None:
        self._from_screen = _FromScreen()
        self._filters = Filters()
        self._now: Callable[[], datetime] = utc_now
        super().__init__(id=id, suggester=self._from_screen)
        self.border_title = "Command"
        self.placeholder = (
            "stage all · status failed · doc NAME · since 2h · until 1h · instance ID · "
            "command ID · clear   (Tab completes, Enter applies, Escape cancels)"
        )

    def open(self, known: OnScreen, filters: Filters, now: Callable[[], datetime]) -> None:
        """Open, reading lines against ``filters`` and completing from ``known``."""
        self._from_screen.known = known
        self._filters, self._now = filters, now
        self.value = ""
        self.display = True
        self.screen.set_focus(self)  # at once: keys typed right after ':' come here

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_close()
            return
        try:
            wanted = steer(event.value, self._filters, self._from_screen.known, self._now)
        except SteeringError as error:
            self.notify(str(error), severity="error", timeout=6)
            return  # the line stays open, to be mended
        self.action_close()
        self.post_message(self.Steered(wanted))
