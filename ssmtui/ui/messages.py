"""Messages the dashboard passes around: small, and carrying data, never a widget."""

from __future__ import annotations

from textual.message import Message

from ssmtui.poller import PollResult


class Polled(Message):
    """A poll cycle ended (well or badly); its snapshot is the last good one."""

    def __init__(self, result: PollResult) -> None:
        super().__init__()
        self.result = result


class StepsWanted(Message):
    """The user asked for what needs every instance's steps of the selected command (``/?``,
    ``l``, ``D``): a command too big to have them read at once has them read from now on."""
