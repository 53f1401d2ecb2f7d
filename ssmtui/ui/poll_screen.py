"""What every screen fed by polls shares: the latest result, where it was read, the filters
in force, the poller once it is open, the clock, and the status line and banner.

The dashboard and the kiosk each say only how they show a result (``show_result``) and what
they add to the status (``status_shown``); receiving a poll, attaching the poller and keeping
the status line current are written once, here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from textual.reactive import reactive
from textual.screen import Screen

from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.poller import PollResult
from ssmtui.ui.messages import Polled
from ssmtui.ui.poll_control import PollControl
from ssmtui.ui.status_line import Banner, Effort, Freshness, StatusBar, Where

INTERVALS = (1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0)
"""What ``+`` and ``-`` step through."""


class PollScreen(Screen[None]):
    """A screen that shows the latest poll; subclasses compose a StatusBar and a Banner."""

    result: reactive[PollResult | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )
    """The latest poll; ``always_update`` so a poll is never compared with the last one.
    ``repaint=False``: the panes redraw the lines they changed, where a repaint of the screen
    would draw every line of it again on every poll."""

    def __init__(self, where: Where, filters: Filters) -> None:
        super().__init__()
        self.where = where
        self.filters = filters
        self.poller: PollControl | None = None
        """Set by the app once its source opened; None until then."""
        self.effort = Effort()

    def on_mount(self) -> None:
        """Called by Textual after a subclass's own ``on_mount`` (every class's handler runs):
        a subclass must not call it again."""
        self.query_one(Banner).display = False
        self.refresh_status()
        self.set_interval(1.0, self.refresh_status)  # "polled 3s ago" counts up between polls

    def attach(self, poller: PollControl) -> None:
        """The poller is open."""
        self.poller = poller
        self.refresh_status()

    def now(self) -> datetime:
        return self.poller.clock() if self.poller is not None else utc_now()

    @property
    def paused(self) -> bool:
        return self.poller is not None and self.poller.paused

    def on_polled(self, message: Polled) -> None:
        result = message.result
        if result.region != self.where.region:  # read from the poll, never the reader
            self.where = replace(self.where, region=result.region)
        self.effort = self.effort.add(result.health)
        if self.result is not None:
            self.received(self.result, result)
        self.result = result

    def received(self, before: PollResult, after: PollResult) -> None:
        """A poll came after ``before``: what changed between them may be worth saying."""

    def watch_result(self, result: PollResult | None) -> None:
        if result is not None:
            self.show_result(result)
            self.refresh_status()

    def show_result(self, result: PollResult) -> None:
        """Hand the poll down to the panes."""
        raise NotImplementedError

    def refresh_status(self) -> None:
        interval = self.poller.interval if self.poller is not None else 0.0
        freshness = Freshness(self.result, self.now(), interval, self.paused)
        self.query_one(StatusBar).show(self.where, self.filters, freshness, self.effort)
        self.query_one(Banner).show(freshness)
        self.status_shown(freshness)

    def status_shown(self, freshness: Freshness) -> None:
        """What the screen adds to the status line and banner (the kiosk's age)."""

    # -- keys that steer the poller (the screens that bind them) ------------------------------

    def action_refresh(self) -> None:
        if self.poller is not None:
            self.poller.refresh_now()

    def action_pause(self) -> None:
        if self.poller is None:
            return
        self.poller.set_paused(not self.poller.paused)
        self.refresh_status()
        self.refresh_bindings()  # the footer says Resume while paused

    def action_resume(self) -> None:
        self.action_pause()

    def _step_interval(self, step: int) -> None:
        poller = self.poller
        if poller is None:
            return
        current = min(INTERVALS, key=lambda value: abs(value - poller.interval))
        index = max(0, min(len(INTERVALS) - 1, INTERVALS.index(current) + step))
        poller.set_interval(INTERVALS[index])
        self.refresh_status()

    def action_slower(self) -> None:
        self._step_interval(+1)

    def action_faster(self) -> None:
        self._step_interval(-1)
