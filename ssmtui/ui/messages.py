"""Messages the dashboard passes around: small, and carrying data, never a widget."""

from __future__ import annotations

from textual.message import Message

from ssmtui.poller import PollResult


class Polled(Message):
    """A poll cycle ended (well or badly); its snapshot is the last good one."""

    def __init__(self, result: PollResult) -> None:
        super().__init__()
        self.result = result
