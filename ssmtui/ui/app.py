"""The dashboard: a Textual app that shows what the poller sees, and tells it where to look.

The poller runs as one task on the app's event loop and hands each cycle's result over by
message (``Polled``); the app passes the snapshot and its delta to each pane, which applies it
by key. Selection flows the other way: the highlighted command and instance become the
poller's focus, so invocations and steps are fetched only where the operator looks.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import ClassVar, TypeVar, cast

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Static

from ssmtui.model.clock import utc_now
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command
from ssmtui.model.views import CommandSort, InvocationSort
from ssmtui.poller import Filters, Poller, PollResult
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.filter_bar import FilterBar, Mode
from ssmtui.ui.help_screen import HelpScreen
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.keyed_table import KeyedTable
from ssmtui.ui.messages import Polled
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.status_line import Banner, Effort, Freshness, StatusLine, Where
from ssmtui.ui.steps_pane import StepsPane, StepsTable

log = logging.getLogger("ssmtui.ui")

PollerSource = Callable[[], AbstractAsyncContextManager[Poller]]
"""Opens whatever the poller reads from (AWS, or the simulator for the demo) and closes it."""

INTERVALS = (1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0)
NARROW_BELOW = 120
"""Narrower than this, the lower panes take the whole width in turn."""
PANES = ("commands", "invocations", "steps", "output")
"""The drill-down, in order: Enter moves right, Escape left."""


_Handler = TypeVar("_Handler", bound=Callable[..., None])


def _until_closing(handler: _Handler) -> _Handler:
    """Skip the handler once the app is closing.

    Under `run_test`, Textual prunes the screen while the app still handles queued messages and
    timer ticks (CI caught both); `is_running` is false by then, and a late one must not look
    for widgets that are gone.
    """

    @functools.wraps(handler)
    def guarded(app: App[None], *args: object) -> None:
        if app.is_running:
            handler(app, *args)

    return cast(_Handler, guarded)


def _cycle(options: tuple[object, ...], current: object) -> object:
    return options[(options.index(current) + 1) % len(options)]


class Dashboard(App[None]):
    """Live SSM Run Command: commands > instances > steps > output."""

    TITLE = "ssmtui"
    CSS_PATH = Path(__file__).with_name("ssmtui.tcss")
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "leave", "Back"),
        Binding("slash", "filter", "Filter/search", priority=True),
        Binding("s", "sort", "Sort"),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "pause", "Pause"),
        Binding("plus,equals_sign", "slower", "Poll less often", key_display="+", show=False),
        Binding("minus", "faster", "Poll more often", key_display="-", show=False),
        Binding("tab", "focus_next", "Next pane", show=False),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False),
    ]

    def __init__(self, source: PollerSource, where: Where, filters: Filters) -> None:
        super().__init__()
        self.source = source
        self.where = where
        self.filters = filters
        self.poller: Poller | None = None
        self.result: PollResult | None = None
        self.effort = Effort()
        self.command_id: str | None = None
        self.instance_id: str | None = None
        self.plugin_name: str | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- building and tearing down ----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status", markup=False)
        yield Banner(id="banner", markup=False)
        yield Static(id="crumbs", markup=False)
        yield CommandsTable(id="commands")
        with Horizontal(id="lower"):
            yield InvocationsTable(id="invocations")
            yield StepsPane(id="steps-pane")
        yield FilterBar(id="filter")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FilterBar).display = False
        self.query_one(Banner).display = False
        self.query_one(CommandsTable).focus()
        self._layout(self.size.width)
        self._show_position()
        self._refresh_status()
        self.set_interval(1.0, self._age_status)
        self._task = asyncio.create_task(self._poll(), name="ssmtui-poller")
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(signum, self._quit_soon)

    async def _poll(self) -> None:
        try:
            async with self.source() as poller:
                self.poller = poller
                self.where = replace(self.where, region=poller.reader.region)
                poller.subscribe(self._deliver)
                poller.set_focus(self.command_id, self.instance_id)
                await poller.run(self._stop)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the source could not open: say why and leave
            log.debug("poller source failed", exc_info=True)
            reason = neutralise(str(error), single_line=True)
            self.exit(return_code=1, message=Text(f"ssmtui: {reason}"))

    def _deliver(self, result: PollResult) -> None:
        self.post_message(Polled(result))

    async def _stop_polling(self) -> None:
        self._stop.set()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def action_quit(self) -> None:
        await self._stop_polling()
        self.exit()

    def _quit_soon(self) -> None:
        self.call_next(self.action_quit)

    async def on_unmount(self) -> None:
        await self._stop_polling()

    @_until_closing
    def on_resize(self) -> None:
        self._layout(self.size.width)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,  # noqa: ARG002 (never: a message may quote what AWS sent)
    ) -> None:
        """Every notification, from any widget, is literal and neutralised: the one way a
        toast reaches the screen."""
        super().notify(
            neutralise(message, single_line=True),
            title=neutralise(title, single_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _layout(self, width: int) -> None:
        self.screen.set_class(width < NARROW_BELOW, "-narrow")

    # -- poll results -----------------------------------------------------------------------

    @_until_closing
    def on_polled(self, message: Polled) -> None:
        result = message.result
        self.result = result
        self.effort = self.effort.add(result.health)
        now = self._now()
        snapshot, delta = result.snapshot, result.delta
        commands = self.query_one(CommandsTable)
        selected = self.command_id
        if not commands.show(snapshot, delta, now) and selected:
            self.notify(
                f"Command {short_id(selected)} is no longer listed: it left the filters in force.",
                severity="warning",
                markup=False,
            )
        self.query_one(InvocationsTable).show(snapshot, delta, now)
        self._show_steps()
        self._refresh_status()

    def _now(self) -> datetime:
        return self.poller.clock() if self.poller is not None else utc_now()

    @_until_closing
    def _age_status(self) -> None:
        """Each second, so "polled 3s ago" counts up between polls."""
        self._refresh_status()

    def _refresh_status(self) -> None:
        paused = self.poller.paused if self.poller is not None else False
        interval = self.poller.interval if self.poller is not None else 0.0
        freshness = Freshness(self.result, self._now(), interval, paused)
        self.query_one(StatusLine).show(self.where, self.filters, freshness, self.effort)
        self.query_one(Banner).show(freshness)

    def _show_steps(self) -> None:
        invocation = self.query_one(InvocationsTable).invocation(self.instance_id)
        self.query_one(StepsPane).show(self._command(), invocation, self.plugin_name, self._now())

    def _command(self) -> Command | None:
        """The selected command as of the last poll."""
        if self.result is None or self.command_id is None:
            return None
        return self.result.snapshot.commands.get(self.command_id)

    # -- selection drives the poller's focus ------------------------------------------------

    @_until_closing
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if isinstance(event.data_table, CommandsTable) and key != self.command_id:
            self.command_id, self.instance_id, self.plugin_name = key, None, None
            self.query_one(InvocationsTable).show_command(key)
            self._show_steps()
            self._focus_poller()
        elif isinstance(event.data_table, InvocationsTable) and key != self.instance_id:
            self.instance_id, self.plugin_name = key, None
            self._show_steps()
            self._focus_poller()
        elif isinstance(event.data_table, StepsTable) and key != self.plugin_name:
            self.plugin_name = key
            self._show_steps()
        self._show_position()

    def _focus_poller(self) -> None:
        if self.poller is not None:
            self.poller.set_focus(self.command_id, self.instance_id)

    @_until_closing
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._go(+1, event.data_table)

    @_until_closing
    def on_descendant_focus(self) -> None:
        self._show_position()

    def _depth(self) -> int:
        focused = self.focused
        while focused is not None and focused.id not in PANES:
            focused = focused.parent if isinstance(focused.parent, Widget) else None
        return PANES.index(focused.id) if focused is not None and focused.id else 0

    def _go(self, step: int, start: Widget | None = None) -> None:
        depth = PANES.index(start.id) if start is not None and start.id in PANES else self._depth()
        target = max(0, min(len(PANES) - 1, depth + step))
        if target != depth:
            self.query_one(f"#{PANES[target]}").focus()

    def action_leave(self) -> None:
        self._go(-1)

    def _show_position(self) -> None:
        """The breadcrumb, and the depth classes the stylesheet lays the panes out by."""
        depth = self._depth()
        for level in range(len(PANES)):
            self.screen.set_class(level == depth, f"-depth-{level}")
        crumbs = ["Commands"]
        command = self._command()
        if self.command_id:
            document = f" {command.document_name}" if command else ""
            crumbs.append(f"{short_id(self.command_id)}{document}")
        if self.instance_id and depth >= 1:
            crumbs.append(self.instance_id)
        if self.plugin_name and depth >= 2:
            crumbs.append(self.plugin_name)
        if depth >= 3:
            crumbs.append("output")
        line = Text(" › ".join(neutralise(c, single_line=True) for c in crumbs[: depth + 2]))
        line.append("    Enter deeper · Escape back", style="dim")
        self.query_one("#crumbs", Static).update(line)

    # -- keys -------------------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                {
                    "Everywhere": self.BINDINGS,
                    "Commands and instances": KeyedTable.BINDINGS,
                    "Output": OutputView.BINDINGS,
                }
            )
        )

    def action_refresh(self) -> None:
        if self.poller is not None:
            self.poller.refresh_now()

    def action_pause(self) -> None:
        if self.poller is None:
            return
        self.poller.set_paused(not self.poller.paused)
        self._refresh_status()

    def _step_interval(self, step: int) -> None:
        poller = self.poller
        if poller is None:
            return
        current = min(INTERVALS, key=lambda value: abs(value - poller.interval))
        index = max(0, min(len(INTERVALS) - 1, INTERVALS.index(current) + step))
        poller.set_interval(INTERVALS[index])
        self._refresh_status()

    def action_slower(self) -> None:
        self._step_interval(+1)

    def action_faster(self) -> None:
        self._step_interval(-1)

    def action_sort(self) -> None:
        """Next sort order of the list in focus (the commands, unless instances are)."""
        if self._depth() == 1:
            invocations = self.query_one(InvocationsTable)
            invocations.order = InvocationSort(_cycle(tuple(InvocationSort), invocations.order))
            invocations.redraw()
        else:
            commands = self.query_one(CommandsTable)
            commands.order = CommandSort(_cycle(tuple(CommandSort), commands.order))
            commands.redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        """``/`` is a priority key, so it must stay a character wherever text is typed."""
        if action == "filter":
            return self.screen is self.default_screen and not isinstance(self.focused, Input)
        return True

    def action_filter(self) -> None:
        """``/``: search the output from the steps down, else filter the list in focus.

        A priority binding, so the bar takes focus while the keys typed after ``/`` are still
        queued in the app: they reach the bar, not the list they were typed over.
        """
        depth = self._depth()
        if depth >= 2:
            self.query_one(FilterBar).open(Mode.SEARCH, self.query_one(OutputView).needle)
            return
        mode = Mode.INSTANCES if depth == 1 else Mode.COMMANDS
        self.query_one(FilterBar).open(mode, self._filtered_table(mode).needle)

    def _filtered_table(self, mode: Mode) -> KeyedTable:
        if mode is Mode.COMMANDS:
            return self.query_one(CommandsTable)
        return self.query_one(InvocationsTable)

    @_until_closing
    def on_input_changed(self, event: FilterBar.Changed) -> None:
        bar = self.query_one(FilterBar)
        if event.input is bar and bar.display and bar.mode is not Mode.SEARCH:
            self._apply_filter(bar.mode, event.value)

    @_until_closing
    def on_filter_bar_done(self, event: FilterBar.Done) -> None:
        if event.mode is Mode.SEARCH:
            view = self.query_one(OutputView)
            view.focus()
            if event.submitted and event.value and not view.search(event.value):
                self.notify(
                    f"No match for {event.value!r} in this output.", timeout=3, markup=False
                )
            return
        self._apply_filter(event.mode, event.value).focus()

    def _apply_filter(self, mode: Mode, needle: str) -> KeyedTable:
        table = self._filtered_table(mode)
        table.filter_by(needle)
        return table

    # -- the command palette: the same read-only actions as the keys -----------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:  # noqa: ARG002 (same actions on every screen)
        yield SystemCommand("Refresh now", "Poll at once (r)", self.action_refresh)
        yield SystemCommand("Pause or resume polling", "Freeze the screen (p)", self.action_pause)
        yield SystemCommand("Poll more often", "Shorter interval (-)", self.action_faster)
        yield SystemCommand("Poll less often", "Longer interval (+)", self.action_slower)
        yield SystemCommand("Sort", "Next sort order of the list in focus (s)", self.action_sort)
        yield SystemCommand(
            "Filter", "Filter the list in focus, or search output (/)", self.action_filter
        )
        yield SystemCommand("Help", "Every key (?)", self.action_help)
        yield SystemCommand("Quit", "Leave ssmtui (q)", self.action_quit)
