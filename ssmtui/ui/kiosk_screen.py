"""The wall view (``--kiosk``): read from across the room, steered by nobody.

Large counts of commands by outcome, the running commands with their progress and pace, the
commands with failures, and how old the data is, always. Nothing takes focus and no key is
needed; a failed poll is a banner over the last good data, never the end of the view.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from ssmtui.model.command_pane import CommandsView
from ssmtui.model.count_trend import CountTrend
from ssmtui.model.filters import Filters
from ssmtui.model.sparkline import sparkline
from ssmtui.model.status import CommandStatus
from ssmtui.model.types import FleetSnapshot
from ssmtui.model.views import failed_instances, has_failures
from ssmtui.poller import PollResult
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.pane_views import where_read
from ssmtui.ui.poll_screen import PollScreen
from ssmtui.ui.status_line import Banner, Freshness, StatusBar, Where

TREND_CELLS = 30
"""Cells of each count's trend: half a minute's worth each at most, over the hour."""
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
        yield Static("", markup=False, classes="tally-trend")

    def show(self, value: str, trend: tuple[int, ...] = ()) -> None:
        """The count, and under it its last hour a minute a cell, once there are two."""
        self.query_one(Digits).update(value)
        if len(trend) >= 2:
            line = f"{sparkline(trend, TREND_CELLS)} last {len(trend)} min"
            self.query_one(".tally-trend", Static).update(line, layout=False)


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


class KioskScreen(PollScreen):
    """Counts, running commands, failures and the data's age, from the latest poll."""

    def __init__(self, where: Where, filters: Filters) -> None:
        super().__init__(where, filters)
        self.trend = CountTrend()
        """The counts' last hour, from the polls this wall has seen."""

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Banner(id="banner", markup=False)
        with Horizontal(id="tallies"):
            yield Tally("▶ commands running", id="running")
            yield Tally("✖ commands with failures", id="failing")
            yield Tally("✔ commands succeeded", id="succeeded")
            yield Tally("✖ instances failed in running commands", id="instances-failed")
            yield Tally("seconds since the data was read", id="age")
        yield WallTable(id="wall-running", heading="Running")
        yield WallTable(id="wall-failures", heading="Failures")

    def show_result(self, result: PollResult) -> None:
        snapshot = result.snapshot
        counts = tallies(snapshot)
        self.trend.note(counts, snapshot.taken_at)
        for name, value in counts.items():
            self.query_one(f"#{name}", Tally).show(str(value), self.trend.series(name))
        now = self.now()
        commands = list(snapshot.commands.values())
        running = {c.command_id: c for c in commands if not c.terminal}
        failing = sorted(
            (c for c in commands if has_failures(c, snapshot.invocations.get(c.command_id))),
            key=lambda c: c.requested or now,
            reverse=True,
        )[:RECENT_FAILURES]
        sources = where_read(result)  # several accounts or regions: the wall says whose
        self.query_one("#wall-running", WallTable).show(
            CommandsView(running, now, paces=result.paces, sources=sources)
        )
        self.query_one("#wall-failures", WallTable).show(
            CommandsView(
                {c.command_id: c for c in failing}, now, paces=result.paces, sources=sources
            )
        )

    def status_shown(self, freshness: Freshness) -> None:
        """The data's age, always, in large."""
        age = freshness.age
        tally = self.query_one("#age", Tally)
        tally.show(str(int(age.total_seconds())) if age is not None else "–")
        tally.set_class(freshness.stale, "-stale")
