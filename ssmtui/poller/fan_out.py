"""Several accounts and regions in one view: one poller each, their results merged.

Each (profile, region) has its own reader, poller and health, and polls on its own schedule,
so a slow, throttled or failing one holds up nobody. Whenever one of them has a result, the
screen gets the union of every source's latest snapshot, that source's delta (the others have
not changed since they last reported), and the sources that are failing now, by name.

Command ids are UUIDs, so commands of different sources never share a key; each command's
source goes with the result (``PollResult.sources``), and the focus goes to the poller that
read the command in focus.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from types import MappingProxyType

from ssmtui.model.filters import Filters
from ssmtui.model.pace import Pace
from ssmtui.model.types import Command, FleetSnapshot, InvocationSet
from ssmtui.poller.loop import Poller
from ssmtui.poller.results import Listener, PollResult, Source


class FanOut:
    """The pollers of several sources behind the one interface the screen steers."""

    def __init__(self, pollers: Sequence[tuple[Source, Poller]]) -> None:
        if not pollers:
            raise ValueError("a fan-out needs at least one source")
        self.pollers = dict(pollers)
        self._latest: dict[Source, PollResult] = {}
        self._owner: dict[str, Source] = {}
        self._listeners: list[Listener] = []
        self._first = next(iter(self.pollers.values()))

    # -- what the screen reads --------------------------------------------------------------

    @property
    def interval(self) -> float:
        return self._first.interval

    @property
    def paused(self) -> bool:
        return self._first.paused

    @property
    def busy(self) -> bool:
        return any(poller.busy for poller in self.pollers.values())

    @property
    def filters(self) -> Filters:
        return self._first.filters

    def clock(self) -> datetime:
        return self._first.clock()

    # -- what the screen asks ---------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def set_focus(
        self, command_id: str | None, instance_id: str | None = None, step: str | None = None
    ) -> None:
        """The source that read the command looks at it; the others at nothing."""
        owner = self._owner.get(command_id or "")
        for source, poller in self.pollers.items():
            if source == owner:
                poller.set_focus(command_id, instance_id, step)
            else:
                poller.set_focus(None)

    def set_sweep(self, wanted: bool) -> None:
        for poller in self.pollers.values():
            poller.set_sweep(wanted)

    def request_full_output(self) -> bool:
        return any(poller.request_full_output() for poller in self.pollers.values())

    def load_more_history(self) -> bool:
        asked = [poller.load_more_history() for poller in self.pollers.values()]
        return any(asked)

    def set_filters(self, filters: Filters) -> None:
        for poller in self.pollers.values():
            poller.set_filters(filters)

    def refresh_now(self) -> None:
        for poller in self.pollers.values():
            poller.refresh_now()

    def set_interval(self, seconds: float) -> None:
        for poller in self.pollers.values():
            poller.set_interval(seconds)

    def set_paused(self, paused: bool) -> None:
        for poller in self.pollers.values():
            poller.set_paused(paused)

    async def run(self, stop: asyncio.Event) -> None:
        """Every source's loop at once, until ``stop`` is set or the task is cancelled."""
        for source, poller in self.pollers.items():
            poller.subscribe(partial(self._took, source))
        await asyncio.gather(*(poller.run(stop) for poller in self.pollers.values()))

    async def poll_once(self) -> PollResult:
        """One cycle of every source, merged (``snapshot`` and tests)."""
        results = await asyncio.gather(*(p.poll_once() for p in self.pollers.values()))
        merged = None
        for source, result in zip(self.pollers, results, strict=True):
            merged = self._merge(source, result)
        assert merged is not None
        return merged

    # -- merging -------------------------------------------------------------------------------

    async def _took(self, source: Source, result: PollResult) -> None:
        merged = self._merge(source, result)
        for listener in self._listeners:
            outcome = listener(merged)
            if outcome is not None:
                await outcome

    def _merge(self, source: Source, result: PollResult) -> PollResult:
        self._latest[source] = result
        commands: dict[str, Command] = {}
        invocations: dict[str, InvocationSet] = {}
        paces: dict[str, Pace] = {}
        owners: dict[str, Source] = {}
        for each, latest in self._latest.items():
            commands.update(latest.snapshot.commands)
            invocations.update(latest.snapshot.invocations)
            paces.update(latest.paces)
            owners.update(dict.fromkeys(latest.snapshot.commands, each))
        self._owner = owners
        failing = {
            each: latest.health.error
            for each, latest in self._latest.items()
            if latest.health.error is not None
        }
        every_one_failing = len(failing) == len(self.pollers)
        focused = self._focused()
        goods = [r.last_good for r in self._latest.values() if r.last_good is not None]
        return replace(
            result,
            snapshot=FleetSnapshot(
                MappingProxyType(commands), MappingProxyType(invocations), result.snapshot.taken_at
            ),
            health=result.health if every_one_failing else replace(result.health, error=None),
            last_good=min(goods) if goods else None,
            region=", ".join(sorted({each.region for each in self.pollers})),
            paces=MappingProxyType(paces),
            more_history=any(r.more_history for r in self._latest.values()),
            step_text=focused.step_text if focused else None,
            swept=focused.swept if focused else None,
            sources=MappingProxyType(owners),
            source_errors=MappingProxyType({} if every_one_failing else failing),
        )

    def _focused(self) -> PollResult | None:
        """The latest result of the source that reads the command in focus: its step's
        output and its sweep are the screen's."""
        for each, poller in self.pollers.items():
            if poller.focus.command_id is not None and each in self._latest:
                return self._latest[each]
        return None
