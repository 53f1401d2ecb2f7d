"""The one-line input behind ``:``: change what is asked of AWS without restarting.

In the manner of k9s: ``stage all``, ``status failed``, ``doc AWS-RunPatchBaseline``,
``since 2h``; Tab (or →) takes the completion shown in grey, drawn from the verbs and from
what is on screen. What a line means is the model's business (``model/steering.py``); this
widget only collects it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from ssmtui.model.steering import OnScreen, completion


class _FromScreen(Suggester):
    """Completions from the verbs and from what the screen lists as the line is opened."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = OnScreen()

    async def get_suggestion(self, value: str) -> str | None:
        return completion(value, self.known)


class CommandLine(Input):
    """Enter applies the line (the screen says if it cannot); Escape closes it unchanged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", show=False),
        Binding("tab", "cursor_right", "Complete", show=False),
    ]

    class Entered(Message):
        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    def __init__(self, *, id: str | None = None) -> None:
        self._from_screen = _FromScreen()
        super().__init__(id=id, suggester=self._from_screen)
        self.border_title = "Command"
        self.placeholder = (
            "stage all · status failed · doc NAME · since 2h · until 1h · instance ID · "
            "command ID · clear   (Tab completes, Enter applies, Escape cancels)"
        )

    def open(self, known: OnScreen) -> None:
        self._from_screen.known = known
        self.value = ""
        self.display = True
        self.screen.set_focus(self)  # at once: keys typed right after ':' come here

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Entered(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Entered(event.value))
