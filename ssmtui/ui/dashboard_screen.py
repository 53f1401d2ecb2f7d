"""The dashboard's one screen, and the one place its state lives.

Two reactives hold everything the panes show: ``result``, the latest poll (snapshot, delta,
health), and ``selection``, where the user is (command, instance, step, pane). Each is stored
here once and replaced whole. Watchers hand them down: the panes derive their rows from them
and keep only what the user chose (order, filter, cursor). Data flows one way: a poll sets
``result``; a key or a cursor move sets ``selection``; the watcher of ``selection`` is the only
place that tells the poller where the user looks.

Living on a screen, not the app, the state goes when the screen goes: a poll result or a timer
tick that arrives while Textual tears the screen down is dropped with its message queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.worker import Worker

from ssmtui.model.clock import utc_now
from ssmtui.model.console import is_aws_endpoint
from ssmtui.model.filters import Filters
from ssmtui.model.notices import notices
from ssmtui.model.rows import short_duration
from ssmtui.model.steering import OnScreen, SteeringError, steer
from ssmtui.model.text import short_id
from ssmtui.model.types import Command, Invocation, InvocationSet
from ssmtui.model.views import (
    CommandSort,
    InvocationSort,
    no_instances_reason,
    shared_name_tag,
)
from ssmtui.poller import PollResult
from ssmtui.ui.clipboard import copy_text
from ssmtui.ui.command_line import CommandLine
from ssmtui.ui.commands_table import CommandsTable, where_read
from ssmtui.ui.exports import save_and_say
from ssmtui.ui.failures_screen import FailuresScreen
from ssmtui.ui.filter_bar import FilterBar, Mode
from ssmtui.ui.flash import status_changes
from ssmtui.ui.heap import Settler
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.messages import Polled
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.poll_control import PollControl
from ssmtui.ui.raw_screen import RawScreen
from ssmtui.ui.row_table import RowTable
from ssmtui.ui.selection import PANES, Selection, breadcrumb
from ssmtui.ui.status_line import (
    Banner,
    Effort,
    Freshness,
    StatusLine,
    Where,
    describe_filters,
)
from ssmtui.ui.steps_pane import StepsPane
from ssmtui.ui.take_away import OUTPUT, STEPS, Chosen, Taken, to_copy, to_open, to_save, to_show_raw

INTERVALS = (1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0)
HISTORY_AHEAD = 10
"""Rows from the end of the list at which the next page of older commands is read."""
NARROW_BELOW = 120
"""Narrower than this, the lower panes take the whole width in turn."""


_T = TypeVar("_T")


def _cycle(options: tuple[_T, ...], current: _T) -> _T:
    return options[(options.index(current) + 1) % len(options)]


class DashboardScreen(Screen[None]):
    """Commands > instances > steps > output, over the latest poll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", show=False),  # the breadcrumb says so
        Binding("slash", "filter", "Filter", priority=True),
        Binding(
            "colon", "command_line", "Command line", key_display=":", priority=True, show=False
        ),
        Binding("x", "clear_filters", "Clear filters", show=False),
        Binding("m", "mark", "Mark: tell me when it ends", show=False),
        Binding("s", "sort", "Sort"),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "pause", "Pause"),
        Binding("p", "resume", "Resume"),
        Binding("z", "zoom", "Zoom", show=False),  # in help; the footer is full at 80 columns
        Binding("f", "failures", "Failures"),
        Binding("c", "copy", "Copy id, URL or output", show=False),  # the footer is full
        Binding("u", "console_url", "Console URL", show=False),
        Binding("y", "raw", "Raw record", show=False),
        Binding("ctrl+s", "save", "Save output or instances", show=False),
        Binding("F", "full_output", "Full output from S3", show=False),
        Binding("plus,equals_sign", "slower", "Poll less often", key_display="+", show=False),
        Binding("minus", "faster", "Poll more often", key_display="-", show=False),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
    ]

    result: reactive[PollResult | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )
    """The latest poll; ``always_update`` so a poll is never compared with the last one.
    ``repaint=False`` on both: the panes redraw the lines they changed, where a repaint of the
    screen would draw every line of it again on every poll and every cursor move."""
    selection: reactive[Selection] = reactive(Selection, init=False, repaint=False)

    def __init__(self, where: Where, filters: Filters, *, bell: bool = False) -> None:
        super().__init__()
        self.where = where
        self.filters = filters
        self.bell = bell
        """Ring the terminal bell with each notice (``--bell``)."""
        self.marked: frozenset[str] = frozenset()
        """Commands the user asked to be told about when they end (``m``)."""
        self.poller: PollControl | None = None
        """Set by the app once its source opened; None until then."""
        self.effort = Effort()
        self.settler = Settler()
        self._asked_older: PollResult | None = None
        """The poll after which older commands were last asked for."""
        self.saving: Worker[None] | None = None
        """The latest save to a file, written in a thread."""

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status", markup=False)
        yield Banner(id="banner", markup=False)
        yield Static(id="crumbs", markup=False)
        yield CommandsTable(id="commands")
        with Horizontal(id="lower"):
            yield InvocationsTable(id="invocations")
            yield StepsPane(id="steps-pane")
        yield FilterBar(id="filter")
        yield CommandLine(id="command-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(FilterBar).display = False
        self.query_one(CommandLine).display = False
        self.query_one(Banner).display = False
        self.query_one(InvocationsTable).show(None, None, self.now(), keep=None)
        self.query_one(StepsPane).show(None, None, None, self.now())
        self.query_one(CommandsTable).focus()
        self._layout()
        self._show_position()
        self._refresh_status()
        self.set_interval(1.0, self._refresh_status)  # "polled 3s ago" counts up between polls

    def attach(self, poller: PollControl) -> None:
        """The poller is open: tell it where the user already looks."""
        self.poller = poller
        poller.set_focus(self.selection.command, self.selection.instance, self.selection.step)
        self._refresh_status()

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        self.set_class(self.size.width < NARROW_BELOW, "-narrow")

    def now(self) -> datetime:
        return self.poller.clock() if self.poller is not None else utc_now()

    # -- the latest poll flows down -----------------------------------------------------------

    def on_polled(self, message: Polled) -> None:
        if message.result.region != self.where.region:  # read from the poll, never the reader
            self.where = replace(self.where, region=message.result.region)
        self.effort = self.effort.add(message.result.health)
        if self.result is not None:
            self._tell(self.result, message.result)
        self.result = message.result
        self.settler.note(len(message.result.delta.added))  # the new rows are built by now

    def watch_result(self, result: PollResult | None) -> None:
        if result is None:
            return
        selected = self.selection.command
        kept = self._show_commands(changed=status_changes(result.delta, depth=1))
        if not kept and selected:
            self.notify(
                f"Command {short_id(selected)} is no longer listed: it left the filters in force.",
                severity="warning",
            )
        self._show_invocations(
            changed=status_changes(result.delta, depth=2), touched=self._touched(result)
        )
        self._show_steps()
        self._refresh_status()

    def _touched(self, result: PollResult) -> set[str]:
        """The selected command's instances this poll added, changed or removed."""
        command, delta = self.selection.command, result.delta
        keys = [*delta.added, *delta.changed, *delta.removed]
        return {key[1] for key in keys if len(key) == 2 and key[0] == command}

    def _show_invocations(
        self,
        changed: Iterable[str] = (),
        *,
        keep_selected: bool = True,
        touched: set[str] | None = None,
    ) -> bool:
        keep = self.selection.instance if keep_selected else None
        command = self.command()
        return self.query_one(InvocationsTable).show(
            self.selection.command,
            self.invocation_set(),
            self.now(),
            keep=keep,
            changed=list(changed),
            touched=touched,
            name_tag=shared_name_tag(command),
            empty_reason=no_instances_reason(command),
            pace=self._pace_line(command),
        )

    def _pace_line(self, command: Command | None) -> str:
        """The selected command's time so far, pace and ETA, while it runs."""
        if command is None or command.terminal or command.requested is None:
            return ""
        pace = self.result.paces.get(command.command_id) if self.result else None
        return " · ".join(
            [
                f"running {short_duration(self.now() - command.requested)}",
                str(pace) if pace is not None else "pace: measuring…",
            ]
        )

    def _show_steps(self) -> None:
        selection = self.selection
        health = self.result.health if self.result else None
        self.query_one(StepsPane).show(
            self.command(),
            self.invocation(),
            selection.step,
            self.now(),
            steps_refused=health.refusal("ListCommandInvocations") if health else None,
            output_refused=health.refusal("GetCommandInvocation") if health else None,
            outside=self.result.step_text if self.result else None,
        )

    def command(self) -> Command | None:
        """The selected command as of the last poll."""
        command = self.selection.command
        if self.result is None or command is None:
            return None
        return self.result.snapshot.commands.get(command)

    def invocation_set(self) -> InvocationSet | None:
        """The selected command's instances as of the last poll (None: none fetched yet)."""
        command = self.selection.command
        if self.result is None or command is None:
            return None
        return self.result.snapshot.invocations.get(command)

    def invocation(self) -> Invocation | None:
        """The selected instance's invocation of the selected command, as of the last poll."""
        invocations, instance = self.invocation_set(), self.selection.instance
        return invocations.by_instance.get(instance) if invocations and instance else None

    def _refresh_status(self) -> None:
        poller = self.poller
        paused = poller.paused if poller is not None else False
        interval = poller.interval if poller is not None else 0.0
        freshness = Freshness(self.result, self.now(), interval, paused)
        self.query_one(StatusLine).show(self.where, self.filters, freshness, self.effort)
        self.query_one(Banner).show(freshness)

    # -- the selection flows up, to the poller -------------------------------------------------

    @on(RowTable.Highlighted, "#commands")
    def _command_highlighted(self, event: RowTable.Highlighted) -> None:
        self.selection = self.selection.with_command(event.key)
        self._older_when_near_the_end()

    def _older_when_near_the_end(self) -> None:
        """History pages in as the cursor nears its end: once for each poll that said there
        is more, so holding ``j`` at the bottom asks for one page at a time."""
        result, table = self.result, self.query_one(CommandsTable)
        if result is None or not result.more_history or self.poller is None:
            return
        if table.cursor_row < table.row_count - HISTORY_AHEAD or result is self._asked_older:
            return
        self._asked_older = result
        self.poller.load_more_history()

    @on(RowTable.Highlighted, "#invocations")
    def _instance_highlighted(self, event: RowTable.Highlighted) -> None:
        self.selection = self.selection.with_instance(event.key)

    @on(RowTable.Highlighted, "#steps")
    def _step_highlighted(self, event: RowTable.Highlighted) -> None:
        self.selection = self.selection.with_step(event.key)

    @on(RowTable.Selected)
    def _row_opened(self, event: RowTable.Selected) -> None:
        self._go(+1, event.table)

    def watch_selection(self, old: Selection, new: Selection) -> None:
        moved = (old.command, old.instance) != (new.command, new.instance)
        if (moved or old.step != new.step) and self.poller is not None:
            self.poller.set_focus(new.command, new.instance, new.step)
        if old.command != new.command:
            self.query_one(InvocationsTable).start_over()
            self._show_invocations()
        if moved:
            self.query_one(StepsPane).start_over()
        if moved or old.step != new.step:
            self._show_steps()
        self._show_position()

    def on_descendant_focus(self) -> None:
        self.selection = self.selection.at_depth(self._focused_depth())

    def _focused_depth(self) -> int:
        focused = self.focused
        while focused is not None and focused.id not in PANES:
            focused = focused.parent if isinstance(focused.parent, Widget) else None
        return PANES.index(focused.id) if focused is not None and focused.id else 0

    def _go(self, step: int, start: Widget | None = None) -> None:
        depth = self.selection.depth
        if start is not None and start.id in PANES:
            depth = PANES.index(start.id)
        target = max(0, min(len(PANES) - 1, depth + step))
        if target != depth:
            self.query_one(f"#{PANES[target]}").focus()

    def action_leave(self) -> None:
        self._go(-1)

    def _show_position(self) -> None:
        """The breadcrumb, and the class the stylesheet lays the panes out by: ``-deep`` from
        the steps down. It goes on the two panes it resizes, not on the screen: a class change
        restyles the node and everything under it (about 0.5 ms a widget), and the screen
        holds the footer's keys too."""
        deep = self.selection.depth >= PANES.index("steps")
        self.query_one(CommandsTable).set_class(deep, "-deep")
        self.query_one("#lower").set_class(deep, "-deep")
        line = Text(breadcrumb(self.selection, self.command()))
        line.append("    Enter deeper · Escape back", style="dim")
        self.query_one("#crumbs", Static).update(line, layout=False)  # always one line

    # -- keys -----------------------------------------------------------------------------------

    def action_zoom(self) -> None:
        """The pane in focus fills the screen; again (or Escape) puts it back."""
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused, container=False)

    def action_failures(self) -> None:
        """The selected command's failures, grouped by what failed."""
        if self.selection.command is None:
            self.notify("Select a command first: its failures are grouped here.", timeout=3)
            return
        self.app.push_screen(FailuresScreen(self._failures_source), self._open_failure)

    def _failures_source(self) -> tuple[Command | None, InvocationSet | None, datetime]:
        return self.command(), self.invocation_set(), self.now()

    def _open_failure(self, instance_id: str | None) -> None:
        """From the failures screen: that instance, its failing step, its output."""
        if instance_id is None:
            return
        table = self.query_one(InvocationsTable)
        if instance_id not in table.row_keys():
            table.needle = ""  # the filter hid it: the failure comes first
            self._show_invocations(touched=None)
        table.move_cursor(table.get_row_index(instance_id))
        self.call_after_refresh(self.query_one("#output").focus)

    # -- taking things away: copy, console, raw, save ----------------------------------------

    def _chosen(self) -> Chosen:
        invocation = self.invocation()
        return Chosen(
            self.selection,
            self.command(),
            invocation,
            invocation.plugin(self.selection.step) if invocation else None,
            self.query_one(OutputView).text,
            self._region_of(self.selection.command),
        )

    def _region_of(self, command_id: str | None) -> str:
        """The region the command was read in: its source's, when several are polled."""
        source = self.result.sources.get(command_id or "") if self.result else None
        return source.region if source is not None else self.where.region

    def action_copy(self) -> None:
        """``c``: the CommandId, the InstanceId, the step's S3 URL or the output, by pane;
        in the output, the text the mouse selected if there is some."""
        selected = self.get_selected_text()
        if selected and self.selection.depth >= OUTPUT:
            self._copy(Taken(f"the selected text ({len(selected):,} characters)", selected))
        else:
            self._copy(to_copy(self._chosen()))

    def action_console_url(self) -> None:
        """``u``: the AWS console page of the command (or of the invocation, from the instances
        down), copied and shown."""
        taken = to_open(self._chosen())
        if isinstance(taken, Taken) and self.result and not is_aws_endpoint(self.result.endpoint):
            taken = Taken(f"{taken.what} (this endpoint is not AWS's)", taken.text)
        self._copy(taken, show=True)

    def _copy(self, taken: Taken | str, *, show: bool = False) -> None:
        if isinstance(taken, str):
            self.notify(taken, timeout=3)
            return
        cut = copy_text(self.app, taken.text)  # OSC 52: through ssh and tmux to your desktop
        shown = f":\n{taken.text}" if show else ""
        self.notify(f"Copied {taken.what}{cut}{shown}", timeout=8 if show or cut else 3)

    def action_full_output(self) -> None:
        """``F``: the focused step's whole output, from S3, where the command sent it."""
        plugin = self._chosen().plugin
        if plugin is None or self.selection.depth < STEPS:
            self.notify("Open a step first: F fetches its whole output from S3.", timeout=3)
        elif not (plugin.stdout_url or plugin.s3_bucket):
            self.notify(
                "This step's output is not in S3: send the command with an output S3 bucket "
                "(--output-s3-bucket-name) to keep more than 24,000 bytes.",
                timeout=6,
            )
        elif not plugin.terminal:
            self.notify("The agent uploads a step's output to S3 once it finishes.", timeout=4)
        elif self.poller is not None and self.poller.request_full_output():
            self.notify("Fetching the whole output from S3…", timeout=2)

    def action_raw(self) -> None:
        """``y``: the selected record as AWS returned it."""
        found = to_show_raw(self._chosen())
        if isinstance(found, str):
            self.notify(found, timeout=3)
            return
        self.app.push_screen(RawScreen(*found))

    def action_save(self) -> None:
        """Ctrl+S: the output shown, or the instances listed, to a new file; says where."""
        instances = self.query_one(InvocationsTable).row_keys()
        found = to_save(self._chosen(), instances)
        if isinstance(found, str):
            self.notify(found, timeout=3)
            return
        name, text = found
        saving = save_and_say(self, name, text, f"{len(text):,} characters")
        self.saving = self.run_worker(saving, group="save")

    def action_refresh(self) -> None:
        if self.poller is not None:
            self.poller.refresh_now()

    def action_pause(self) -> None:
        if self.poller is None:
            return
        self.poller.set_paused(not self.poller.paused)
        self._refresh_status()
        self.refresh_bindings()  # the footer says Resume while paused

    def action_resume(self) -> None:
        self.action_pause()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        """``/`` and ``:`` are priority keys, so they must stay characters wherever text is
        typed; ``p``
        is Pause or Resume, whichever it would do."""
        if action in ("filter", "command_line"):
            return self.app.screen is self and not isinstance(self.focused, Input)
        paused = self.poller is not None and self.poller.paused
        if action == "pause":
            return not paused
        if action == "resume":
            return paused
        return True

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
        if self.selection.depth == 1:
            invocations = self.query_one(InvocationsTable)
            invocations.order = _cycle(tuple(InvocationSort), invocations.order)
            self._show_invocations()
        else:
            commands = self.query_one(CommandsTable)
            commands.order = _cycle(tuple(CommandSort), commands.order)
            self._show_commands()

    def _show_commands(self, changed: Iterable[str] = (), *, keep_selected: bool = True) -> bool:
        if self.result is None:
            return True
        keep = self.selection.command if keep_selected else None
        snapshot = self.result.snapshot
        return self.query_one(CommandsTable).show(
            snapshot.commands,
            self.now(),
            keep=keep,
            changed=list(changed),
            invocations=snapshot.invocations,
            more=self.result.more_history,
            paces=self.result.paces,
            marked=self.marked,
            sources=where_read(self.result),
        )

    def action_filter(self) -> None:
        """``/``: search the output from the steps down, else filter the list in focus.

        A priority binding, so the bar takes focus while the keys typed after ``/`` are still
        queued: they reach the bar, not the list they were typed over.
        """
        depth = self.selection.depth
        bar = self.query_one(FilterBar)
        if depth >= 2:
            bar.open(Mode.SEARCH, self.query_one(OutputView).needle)
        elif depth == 1:
            bar.open(Mode.INSTANCES, self.query_one(InvocationsTable).needle)
        else:
            bar.open(Mode.COMMANDS, self.query_one(CommandsTable).needle)

    @on(FilterBar.Changed, "#filter")
    def _filter_typed(self, event: FilterBar.Changed) -> None:
        bar = self.query_one(FilterBar)
        if bar.display and bar.mode is not Mode.SEARCH:
            self._apply_filter(bar.mode, event.value)

    def on_filter_bar_done(self, event: FilterBar.Done) -> None:
        if event.mode is Mode.SEARCH:
            view = self.query_one(OutputView)
            view.focus()
            if event.submitted and event.value and not view.search(event.value):
                self.notify(f"No match for {event.value!r} in this output.", timeout=3)
            return
        self._apply_filter(event.mode, event.value).focus()

    def _apply_filter(self, mode: Mode, needle: str) -> RowTable:
        """The filter applies to the selected row too: if it does not match, the cursor goes
        to the first row that does (the user asked for those rows)."""
        table: CommandsTable | InvocationsTable
        if mode is Mode.COMMANDS:
            table = self.query_one(CommandsTable)
            table.needle = needle
            kept = self._show_commands(keep_selected=False)
        else:
            table = self.query_one(InvocationsTable)
            table.needle = needle
            kept = self._show_invocations(keep_selected=False)
        if not kept:
            table.move_cursor(0)
        return table

    # -- what is asked of AWS, changed from inside --------------------------------------------

    def action_command_line(self) -> None:
        """``:``: a priority key, so the keys typed right after it reach the line."""
        self.query_one(CommandLine).open(self._on_screen())

    def _on_screen(self) -> OnScreen:
        if self.result is None:
            return OnScreen()
        snapshot = self.result.snapshot
        invocations = self.invocation_set()
        return OnScreen(
            documents=tuple(sorted({c.document_name for c in snapshot.commands.values()})),
            instances=tuple(sorted(invocations.by_instance)) if invocations else (),
            commands=tuple(snapshot.commands),
        )

    @on(CommandLine.Entered)
    def _command_entered(self, event: CommandLine.Entered) -> None:
        line = self.query_one(CommandLine)
        if not event.line.strip():
            line.display = False
            self._focus_pane()
            return
        try:
            wanted = steer(event.line, self.filters, self._on_screen(), self.now)
        except SteeringError as error:
            self.notify(str(error), severity="error", timeout=6)
            return  # the line stays open, to be mended
        line.display = False
        self._focus_pane()
        self.apply_filters(wanted)

    def steer_to(self, line: str) -> None:
        """Apply a line as if typed after ``:`` (the palette's entries)."""
        try:
            self.apply_filters(steer(line, self.filters, self._on_screen(), self.now))
        except SteeringError as error:
            self.notify(str(error), severity="error", timeout=6)

    def _focus_pane(self) -> None:
        self.query_one(f"#{PANES[self.selection.depth]}").focus()

    def apply_filters(self, wanted: Filters) -> None:
        """Ask AWS for ``wanted`` from now on; the status line says what is in force."""
        if wanted == self.filters:
            return
        self.filters = wanted
        if self.poller is not None:
            self.poller.set_filters(wanted)
        self._refresh_status()
        self.notify(f"Now showing: {describe_filters(wanted)}.", timeout=3)

    def action_clear_filters(self) -> None:
        """``x``: every server-side filter off (the stage stays), and the list filter too."""
        commands = self.query_one(CommandsTable)
        if commands.needle:
            self._apply_filter(Mode.COMMANDS, "")
        self.apply_filters(Filters(stage=self.filters.stage))

    # -- telling the user what happened while they looked elsewhere ---------------------------

    def _tell(self, before: PollResult, after: PollResult) -> None:
        watched = self.marked | {self.selection.command} if self.selection.command else self.marked
        told = notices(before.snapshot, after.snapshot, watched)
        for notice in told:
            self.notify(
                notice.text,
                title="Failure" if notice.alarming else "Finished",
                severity="error" if notice.alarming else "information",
                timeout=10,
            )
        if told and self.bell:
            self.app.bell()
        self.marked = self.marked & set(after.snapshot.commands)

    def action_mark(self) -> None:
        """``m``: be told when the selected command ends (again: no longer)."""
        command = self.command()
        if command is None:
            self.notify("Select a command to mark.", timeout=3)
            return
        name = short_id(command.command_id)
        if command.command_id in self.marked:
            self.marked -= {command.command_id}
            self.notify(f"Unmarked {name}.", timeout=3)
        elif command.terminal:
            self.notify(f"{name} has already ended: {command.status.value}.", timeout=3)
            return
        else:
            self.marked |= {command.command_id}
            bell = " (with the bell)" if self.bell else ""
            self.notify(f"Marked {name}: you will be told when it ends{bell}.", timeout=3)
        self._show_commands()
