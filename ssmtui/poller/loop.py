"""The poll loop: when to run a cycle (schedule, pause, wake, interval), one at a time.

What a cycle fetches is the fetch plan's business (``plan.py``); the loop runs it on the
interval, at once when woken (a refresh, a new focus), and back to back while the plan has a
sweep to finish, and hands each result to whoever listens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.model.pace import PaceBook
from ssmtui.poller.plan import FetchPlan, Focus
from ssmtui.poller.reader import Reader
from ssmtui.poller.results import Listener, PollResult

MIN_GAP = 0.5
"""Seconds from the end of one cycle to the start of the next, at the least, so that cycles
slower than the interval (a slow endpoint) are not run back to back."""


def next_start(started: float, ended: float, interval: float) -> float:
    """When the next cycle is due: ``interval`` seconds after the last one *started*, not after
    it ended. A cycle that spent seconds in retries and backoff (throttling, a slow endpoint)
    then does not push the next one back, so fresh data returns within one interval of the
    fault clearing; but never sooner than ``MIN_GAP`` after it ended."""
    return max(started + interval, ended + MIN_GAP)


HISTORY_PAGES = 2
"""Pages of finished commands (100) read at first; older ones as the user scrolls to them."""


class Poller:
    """Polls SSM Run Command for one reader and hands each cycle's result to listeners."""

    def __init__(
        self,
        reader: Reader,
        filters: Filters | None = None,
        *,
        interval: float = 5.0,
        linger: float = 300.0,
        page_budget: int = 20,
        history_pages: int | None = HISTORY_PAGES,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._new_plan = partial(
            FetchPlan,
            reader,
            linger=linger,
            page_budget=page_budget,
            history_pages=history_pages,
            paces=PaceBook(),
            clock=clock,
        )
        self.plan = self._new_plan(filters)
        self.interval = interval
        self.clock = clock
        self.paused = False
        self._wake = asyncio.Event()
        self._rearm = asyncio.Event()
        self._listeners: list[Listener] = []

    @property
    def focus(self) -> Focus:
        return self.plan.focus

    # -- control ----------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def set_focus(
        self, command_id: str | None, instance_id: str | None = None, step: str | None = None
    ) -> None:
        """Look here from now on; the next cycle starts at once when the focus moved."""
        instance_id = instance_id if command_id else None
        focus = Focus(command_id, instance_id, step if instance_id else None)
        if focus != self.plan.focus:
            self.plan.focus = focus
            self.refresh_now()

    @property
    def filters(self) -> Filters:
        return self.plan.filters

    def set_filters(self, filters: Filters) -> None:
        """Ask AWS for these from now on: a plan of their own, started afresh at once.

        What the old plan remembered (history, trackers, outputs) answered other filters, so it
        goes; the focus stays. A cycle of the old plan still under way finishes unheard.
        """
        if filters == self.plan.filters:
            return
        focus, sweep = self.plan.focus, self.plan.sweep_wanted
        self.plan = self._new_plan(filters)
        self.plan.focus, self.plan.sweep_wanted = focus, sweep
        self.refresh_now()

    def set_sweep(self, wanted: bool) -> None:
        """Read every instance's steps of the focused command (a few pages a poll), or stop;
        the next poll starts at once when asked."""
        if wanted != self.plan.sweep_wanted:
            self.plan.sweep_wanted = wanted
            if wanted:
                self.refresh_now()

    def load_more_history(self) -> bool:
        """Read the next page of older commands now; False when all of them are shown."""
        if not self.plan.want_more_history():
            return False
        self.refresh_now()
        return True

    def request_full_output(self) -> bool:
        """Fetch the focused step's whole output from S3 now; False when no step is focused."""
        focus = self.plan.focus
        if focus.command_id is None or focus.instance_id is None or focus.step is None:
            return False
        self.plan.step_texts.wanted = (focus.command_id, focus.instance_id, focus.step)
        self.refresh_now()
        return True

    def refresh_now(self) -> None:
        """Poll at once, even while paused: the user asked for it."""
        self._wake.set()

    def set_interval(self, seconds: float) -> None:
        """Poll every ``seconds`` from now on; the wait under way is re-armed, not finished."""
        self.interval = seconds
        self._rearm.set()

    @property
    def busy(self) -> bool:
        """A cycle is running, or one is due at once (a refresh, a new focus, a sweep)."""
        return self.plan.running or self._wake.is_set() or self.plan.unfinished

    def set_paused(self, paused: bool) -> None:
        """Stop or resume polling on the interval; refreshes and focus moves still poll."""
        self.paused = paused
        self._rearm.set()

    async def poll_once(self, *, fill: bool = False) -> PollResult:
        return await self.plan.cycle(fill=fill)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; a cycle starts only after the previous one ended.

        Paused, the loop polls only when woken (a refresh or a new focus), never on its own;
        a sweep the user started by looking at a big command is finished even so.
        """
        loop = asyncio.get_running_loop()
        started = ended = loop.time()
        due_now = True
        fill_failed = False
        while not stop.is_set():
            due_now = due_now or self._wake.is_set()
            if due_now or (not self.paused and loop.time() >= self._due(started, ended)):
                self._wake.clear()
                started = loop.time()
                plan = self.plan
                result = await plan.cycle()
                await self._notify(result, plan)
                ended = loop.time()
                due_now = False
                # a failed poll is not followed at once by a fill (it would fail too, and its
                # narrower complaint would replace the poll's on screen): the next poll retries
                fill_failed = not result.health.ok
                continue
            if self.plan.unfinished and not fill_failed:
                plan = self.plan
                result = await plan.cycle(fill=True)
                fill_failed = not result.health.ok  # retried with the next full cycle
                await self._notify(result, plan)
                continue
            self._rearm.clear()
            timeout = None if self.paused else max(0.0, self._due(started, ended) - loop.time())
            signal = await _first_of((stop, self._wake, self._rearm), timeout)
            due_now = signal is self._wake

    def _due(self, started: float, ended: float) -> float:
        return next_start(started, ended, self.interval)

    async def _notify(self, result: PollResult, plan: FetchPlan) -> None:
        """Hand ``result`` over, unless the filters changed while ``plan`` made it."""
        if plan is not self.plan:
            return
        for listener in self._listeners:
            outcome = listener(result)
            if outcome is not None:
                await outcome


async def _first_of(events: Sequence[asyncio.Event], timeout: float | None) -> asyncio.Event | None:
    """The first of ``events`` to be set within ``timeout`` seconds, or None.

    The waiters are cleaned up with ``gather``, never by awaiting each under a suppressed
    CancelledError: that would also swallow a cancellation of the caller arriving meanwhile,
    and the poller, a worker the app cancels on quit, would poll on and hold the exit up.
    """
    waiters = {asyncio.ensure_future(event.wait()): event for event in events}
    try:
        done, _ = await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
    return next((waiters[w] for w in waiters if w in done), None)
