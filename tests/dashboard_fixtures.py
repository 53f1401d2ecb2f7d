"""The dashboard on the simulator (an app whose poller reads the test's own SimServer), and
how a test reads what the dashboard shows."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from ssmtui.aws.client import SsmReader
from ssmtui.model.filters import Filters
from ssmtui.poller import Poller
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.server import SimServer
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.status_line import Where
from tests.aws_fixtures import target_for


def plain(widget: Static) -> str:
    """What the widget shows, as text (a Rich renderable printed without colour)."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return captured.get()


def focus_of(app: Dashboard) -> Widget | None:
    """The focused widget, read afresh (each key press may move it)."""
    return app.focused


HOUR = 3600.0
"""An interval no test waits for: cycles come from the first poll, refreshes and focus moves."""


def dashboard_for(
    server: SimServer, clock: ManualClock, filters: Filters | None = None, interval: float = HOUR
) -> Dashboard:
    wanted = filters or Filters()

    @asynccontextmanager
    async def source() -> AsyncIterator[Poller]:
        async with SsmReader(target_for(server.endpoint), attempts=1) as reader:
            yield Poller(reader, wanted, interval=interval, clock=clock.now)

    return Dashboard(source, Where("test fleet"), wanted)


async def until(pilot: Pilot[None], condition: Callable[[], object], what: str) -> None:
    """Let the app run until ``condition`` holds; fail, naming ``what``, if it never does."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.025)
    raise AssertionError(f"the dashboard never reached: {what}")


async def commands_shown(pilot: Pilot[None], app: Dashboard, more_than: int = 0) -> CommandsTable:
    """Wait for more than ``more_than`` commands on screen and the app following the highlighted
    one: it learns of the highlight by message, a moment after the rows appear."""
    commands = app.query_one(CommandsTable)

    def settled() -> bool:
        selected = app.board.selection.command
        return commands.row_count > more_than and selected == commands.selected_key

    await until(pilot, settled, f"more than {more_than} commands on screen, one selected")
    return commands


def toasts(app: App[None]) -> list[str]:
    """The notifications on screen, as the user reads them (found by the widget's CSS type,
    not through Textual's private module)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]
