"""The dashboard with a poller the test scripts: results built from model records, no network.

``ScriptedPoller`` stands where ``ssmtui.poller.Poller`` stands (the screen's ``PollControl``):
it records what the screen asked of it (focus, refresh, pause, interval) and hands over, as
``Polled`` messages through the app's own worker and subscription, whatever the test publishes.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple

from textual.pilot import Pilot

from ssmtui.aws.client import CallStats
from ssmtui.aws.errors import AwsError
from ssmtui.model.filters import Filters
from ssmtui.model.pace import PaceBook
from ssmtui.model.reconcile import Delta, reconcile
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import FleetSnapshot
from ssmtui.poller import CycleHealth, Listener, PollResult
from ssmtui.ui.app import Dashboard
from ssmtui.ui.status_line import Where
from tests.fleet_records import NOW


def one_call() -> CallStats:
    """What a quiet cycle costs: one ListCommands."""
    return CallStats(Counter({"ListCommands": 1}), requests=1, seconds=0.05)


class Focus(NamedTuple):
    command: str | None
    instance: str | None


class ScriptedPoller:
    """A poller whose every result the test publishes."""

    def __init__(self, first: FleetSnapshot | None, *, interval: float = 5.0) -> None:
        self.first = first
        self.interval = interval
        self.paused = False
        self.region = "eu-west-1"
        self.busy = False
        self.now = first.taken_at if first else NOW
        self._focus = Focus(None, None)
        self.refreshes = 0
        self.step: str | None = None
        self.full_output_requests = 0
        self.more_history = False
        """What the next result says of older commands."""
        self.history_asks = 0
        self.asked: list[Filters] = []
        """Every set of filters the screen asked for, in order."""
        self.started = asyncio.Event()
        self._listeners: list[Listener] = []
        self._snapshot = FleetSnapshot.empty(self.now)
        self._last_good: datetime | None = None
        self._paces = PaceBook()
        self.sweep_wanted = False
        """Whether the screen last asked for every instance's steps of its focus."""
        self.swept: SweptSteps | None = None
        """What the next results carry as the focused command's sweep."""

    def clock(self) -> datetime:
        return self.now

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def looking_at(self) -> Focus:
        """Where the screen last said the user looks."""
        return self._focus

    def is_paused(self) -> bool:
        return self.paused

    def set_focus(
        self, command_id: str | None, instance_id: str | None = None, step: str | None = None
    ) -> None:
        self._focus = Focus(command_id, instance_id if command_id else None)
        self.step = step if instance_id else None

    def set_sweep(self, wanted: bool) -> None:
        self.sweep_wanted = wanted

    def is_sweeping(self) -> bool:
        """Whether the screen last asked for every instance's steps (read afresh each time)."""
        return self.sweep_wanted

    def request_full_output(self) -> bool:
        self.full_output_requests += 1
        return self.step is not None

    def load_more_history(self) -> bool:
        self.history_asks += 1
        return self.more_history

    def set_filters(self, filters: Filters) -> None:
        self.asked.append(filters)

    def refresh_now(self) -> None:
        self.refreshes += 1

    def set_interval(self, seconds: float) -> None:
        self.interval = seconds

    def set_paused(self, paused: bool) -> None:
        self.paused = paused

    async def run(self, stop: asyncio.Event) -> None:
        """The first result at once, as the real poller's first cycle; then only what the test
        publishes, until the app cancels the worker."""
        self.started.set()
        if self.first is not None:
            await self.publish(self.first)
        await stop.wait()

    async def publish(
        self,
        fetched: FleetSnapshot,
        stats: CallStats | None = None,
        failed: Mapping[str, AwsError] | None = None,
    ) -> PollResult:
        """A good poll that fetched ``fetched``, reconciled as the real poller does;
        ``failed``: operations that failed while it went on."""
        self.now = fetched.taken_at
        self._snapshot, delta = reconcile(self._snapshot, fetched)
        self._last_good = self.now
        health = CycleHealth(
            self.now, self.now, stats or one_call(), None, MappingProxyType(dict(failed or {}))
        )
        result = PollResult(
            self._snapshot,
            delta,
            health,
            self._last_good,
            self.region,
            more_history=self.more_history,
            paces=MappingProxyType(dict(self._paces.note(self._snapshot.commands, self.now))),
            swept=self.swept,
        )
        await self._hand_over(result)
        return result

    async def fail(self, error: AwsError, at: datetime, stats: CallStats | None = None) -> None:
        """A failed poll at ``at``: the last good snapshot stays, with the reason."""
        self.now = at
        health = CycleHealth(at, at, stats or one_call(), error)
        await self._hand_over(
            PollResult(self._snapshot, Delta(), health, self._last_good, self.region)
        )

    async def _hand_over(self, result: PollResult) -> None:
        for listener in self._listeners:
            outcome = listener(result)
            if outcome is not None:
                await outcome


def scripted_app(
    first: FleetSnapshot | None,
    filters: Filters | None = None,
    *,
    interval: float = 5.0,
    where: Where | None = None,
) -> tuple[Dashboard, ScriptedPoller]:
    """The real app over a scripted poller: ``first`` is on screen as soon as the app is up."""
    poller = ScriptedPoller(first, interval=interval)

    @asynccontextmanager
    async def source() -> AsyncIterator[ScriptedPoller]:
        yield poller

    return Dashboard(source, where or Where("test fleet"), filters or Filters()), poller


async def shown(pilot: Pilot[None], poller: ScriptedPoller) -> None:
    """Wait until the poller started and the screen handled all it was handed: the worker
    starts once the app is ready, and each result arrives by message."""
    await poller.started.wait()
    await pilot.pause()
    await pilot.pause()  # a highlight posted while showing the result, and what it set off


async def publish(pilot: Pilot[None], poller: ScriptedPoller, fetched: FleetSnapshot) -> PollResult:
    """Publish a poll result and wait until the screen shows it."""
    result = await poller.publish(fetched)
    await shown(pilot, poller)
    return result
