"""What the dashboard asks of whatever polls for it.

The screen steers the poll (where the user looks, refresh, pause, interval) and receives its
results; it never reads what the poller keeps. Written down as a Protocol so that the screen
depends on these few calls only: the app runs ``ssmtui.poller.Poller`` behind it, and the
screen's tests run a poller of their own that hands over results built from model records,
with no network and no simulator.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Protocol

from ssmtui.model.filters import Filters
from ssmtui.poller import Listener


class PollControl(Protocol):
    @property
    def interval(self) -> float:
        """Seconds between polls."""
        ...

    @property
    def paused(self) -> bool:
        """Polling on the interval is stopped; refreshes and focus moves still poll."""
        ...

    def clock(self) -> datetime:
        """The poll's "now": ages and durations on screen count from it."""
        ...

    @property
    def busy(self) -> bool:
        """A poll is running, or one is due at once."""
        ...

    def subscribe(self, listener: Listener) -> None: ...

    def set_focus(
        self, command_id: str | None, instance_id: str | None = None, step: str | None = None
    ) -> None:
        """The user looks at this command (and instance, and step): fetch its details from
        now on, and the step's live output where the command sends it to CloudWatch Logs."""
        ...

    def set_sweep(self, wanted: bool) -> None:
        """Read every instance's steps of the focused command, a few pages a poll (the
        durations, stragglers and fleet search need them), or stop reading them."""
        ...

    def request_full_output(self) -> bool:
        """Fetch the focused step's whole output from S3; False when no step is focused."""
        ...

    def set_filters(self, filters: Filters) -> None:
        """Ask AWS for these from now on (what was shown for others goes with the next poll)."""
        ...

    def load_more_history(self) -> bool:
        """Read the next page of older commands now; False when all of them are shown."""
        ...

    def refresh_now(self) -> None: ...

    def set_interval(self, seconds: float) -> None: ...

    def set_paused(self, paused: bool) -> None: ...

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set or the task is cancelled, handing each result over."""
        ...
