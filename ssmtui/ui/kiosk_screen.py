"""The wall view (``--kiosk``): read from across the room, steered by nobody.

Large counts of commands by outcome, the running commands with their progress and pace, the
commands with failures, and how old the data is, always. Nothing takes focus and no key is
needed; a failed poll is a banner over the last good data, never the end of the view.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Digits, Static

from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.model.status import CommandStatus
from ssmtui.model.types import FleetSnapshot
from ssmtui.model.views import failed_instances, has_failures
from ssmtui.poller import PollResult
from ssmtui.ui.commands_table import CommandsTable, where_read
from ssmtui.ui.messages import Polled
from ssmtui.ui.poll_control import PollControl
from ssmtui.ui.status_line import Banner, Effort, Freshness, StatusLine, Where

RECENT_FAILURES = 20
"""The failures listed: the newest first; the count above says how many there are in all."""


class Tally(Vertical):
    """One large number with what it counts under it."""

    def __init__(self, label: str, *, id: str) -> None:
        super().__init__(id=id, classes="tally")
        self._label = label

    def compose(self) -> ComposeResult:
        yield Digits("–")
        yield Static(self._label, markup=False, classes="tally-label")

    def show(self, value: str) -> None:
        self.query_one(Digits).update(value)


def tallies(snapshot: FleetSnapshot) -> dict[str, int]:
    """Commands by what an operator on the wall cares about; words, never colour alone."""
    commands = list(snapshot.commands.values())
    known = snapshot.invocations
    running = [c for c in commands if not c.terminal]
    return {
        "running": len(running),
        "failing": sum(1 for c in commands if has_failures(c, known.get(c.command_id))),
        "succeeded": sum(1 for c in commands if c.status == CommandStatus.SUCCESS),
        "instances-failed": sum(failed_instances(c, known.get(c.command_id)) for c in running),
    }


class WallTable(CommandsTable):
    """The commands pane's rows, for reading only: it never takes focus."""

    can_focus = False


class KioskScreen(Screen[None]):
    """Counts, running commands, failures and the data's age, from the latest poll."""

    result: reactive[PollResult | None] = reactive(None, always_update=True, init=False)

    def __init__(self, where: Where, filters: Filters) -> None:
        super().__init__()
        self.where = where
        self.filters = filters
        self.poller: PollControl | None = None
        self.effort = Effort()

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status", markup=False)
        yield Banner(id="banner", markup=False)
        with Horizontal(id="tallies"):
            yield Tally("▶ commands running", id="running")
            yield Tally("✖ commands with failures", id="failing")
            yield Tally("✔ commands succeeded", id="succeeded")
            yield Tally("✖ instances failed in running commands", id="instances-failed")
            yield Tally("seconds since the data was read", id="age")
        yield WallTable(id="wall-running", heading="Running")
        yield WallTable(id="wall-failures", heading="Failures")

    def on_mount(self) -> None:
        self.query_one(Banner).display = False
        self._refresh_status()
        self.set_interval(1.0, self._refresh_status)

    def attach(self, poller: PollControl) -> None:
        self.poller = poller
        self._refresh_status()

    def now(self) -> datetime:
        return self.poller.clock() if self.poller is not None else utc_now()

    def on_polled(self, message: Polled) -> None:
        if message.result.region != self.where.region:
            self.where = replace(self.where, region=message.result.region)
        self.effort = self.effort.add(message.result.health)
        self.result = message.result

    def watch_result(self, result: PollResult | None) -> None:
        if result is None:
            return
        commands = list(result.snapshot.commands.values())
        for name, value in tallies(result.snapshot).items():
            self.query_one(f"#{name}", Tally).show(str(value))
        now = self.now()
        running = {c.command_id: c for c in commands if not c.terminal}
        failing = sorted(
            (c for c in commands if has_failures(c, result.snapshot.invocations.get(c.command_id))),
            key=lambda c: c.requested or now,
            reverse=True,
        )[:RECENT_FAILURES]
        sources = where_read(result)  # several accounts or regions: the wall says whose
        self.query_one("#wall-running", WallTable).show(
            running, now, keep=None, paces=result.paces, sources=sources
        )
        self.query_one("#wall-failures", WallTable).show(
            {c.command_id: c for c in failing}, now, keep=None, paces=result.paces, sources=sources
        )
        self._refresh_status()

    def _refresh_status(self) -> None:
        poller = self.poller
        interval = poller.interval if poller is not None else 0.0
        freshness = Freshness(self.result, self.now(), interval, paused=False)
        self.query_one(StatusLine).show(self.where, self.filters, freshness, self.effort)
        self.query_one(Banner).show(freshness)
        age = freshness.age
        self.query_one("#age", Tally).show(
            str(int(age.total_seconds())) if age is not None else "–"
        )
        self.query_one("#age", Tally).set_class(freshness.stale, "-stale")
