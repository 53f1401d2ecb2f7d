"""The dashboard's screen: commands > instances > steps > output, over the latest poll.

Two reactives hold what the panes show: ``result``, the latest poll (held by ``PollScreen``),
and ``selection``, where the user is (command, instance, step, pane). Each is replaced whole.
Watchers build one view record per pane from them (``pane_views``) and hand it down; a pane
keeps what the user chose of it (order, filter, cursor) and acts on it with its own keys
(``s``, ``n``, ``o``). Data flows one way: a poll sets ``result``; a key or a cursor move sets
``selection``; the watcher of ``selection`` is the only place that tells the poller where the
user looks.

What is left here routes: the selection, focus and depth, the ``/`` and ``:`` bars (priority
keys, so their typed characters reach them), history paging, and the keys that act on the
whole selection (take-away, failures, pause, interval, mark).

Living on a screen, not the app, the state goes when the screen goes: a poll result or a timer
tick that arrives while Textual tears the screen down is dropped with its message queue.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker

from ssmtui.model.filters import Filters
from ssmtui.model.steering import SteeringError, steer
from ssmtui.model.text import short_id
from ssmtui.model.types import Command, InvocationSet
from ssmtui.poller import PollResult
from ssmtui.ui import take_away_keys
from ssmtui.ui.command_line import CommandLine
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.failures_screen import FailuresScreen
from ssmtui.ui.filter_bar import FilterBar, Mode
from ssmtui.ui.flash import status_changes
from ssmtui.ui.heap import Settler
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.key_footer import KeyFooter
from ssmtui.ui.marks import Marks
from ssmtui.ui.messages import StepsWanted
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.pane_views import (
    chosen,
    commands_view,
    instances_view,
    on_screen,
    origin,
    selected,
    steps_view,
    sweep_wanted,
    touched,
)
from ssmtui.ui.poll_control import PollControl
from ssmtui.ui.poll_screen import PollScreen
from ssmtui.ui.row_table import RowTable
from ssmtui.ui.selection import PANES, Depth, Selection, breadcrumb
from ssmtui.ui.status_line import Banner, StatusBar, Where, describe_filters
from ssmtui.ui.steps_pane import StepsPane
from ssmtui.ui.take_away import Chosen, Taken, to_copy

HISTORY_AHEAD = 10
"""Rows from the end of the list at which the next page of older commands is read."""
NARROW_BELOW = 120
"""Narrower than this, the lower panes take the whole width in turn."""


class DashboardScreen(PollScreen):
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

    selection: reactive[Selection] = reactive(Selection, init=False, repaint=False)

    def __init__(self, where: Where, filters: Filters, *, bell: bool = False) -> None:
        super().__init__(where, filters)
        self.marks = Marks(bell=bell)
        self.settler = Settler()
        self._asked_older: PollResult | None = None
        """The poll after which older commands were last asked for."""
        self.saving: Worker[None] | None = None
        """The latest save to a file, written in a thread."""
        self._sweep_asked: str | None = None
        """The big command whose every instance's steps the user asked for (``/?``, ``l``)."""

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Banner(id="banner", markup=False)
        yield Static(id="crumbs", markup=False)
        yield CommandsTable(id="commands")
        with Horizontal(id="lower"):
            yield InvocationsTable(id="invocations")
            yield StepsPane(id="steps-pane")
        yield FilterBar(id="filter")
        yield CommandLine(id="command-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_instances()
        self._show_steps()
        self.query_one(CommandsTable).focus()
        self.on_resize()
        self._show_position()
        # PollScreen.on_mount runs after this one by itself: Textual calls the handler of
        # every class of the screen (calling it here too would start a second status timer)

    def attach(self, poller: PollControl) -> None:
        """The poller is open: tell it where the user already looks."""
        poller.set_focus(self.selection.command, self.selection.instance, self.selection.step)
        super().attach(poller)
        self._tell_sweep(self.selection)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_BELOW, "-narrow")

    # -- the latest poll flows down -----------------------------------------------------------

    def received(self, before: PollResult, after: PollResult) -> None:
        told = self.marks.news(before.snapshot, after.snapshot, self.selection.command)
        for notice in told:
            self.notify(
                notice.text,
                title="Failure" if notice.alarming else "Finished",
                severity="error" if notice.alarming else "information",
                timeout=10,
            )
        if told and self.marks.bell:
            self.app.bell()  # once a poll, however much it told

    def show_result(self, result: PollResult) -> None:
        selected = self.selection.command
        if not self._show_commands(status_changes(result.delta, key_parts=1)) and selected:
            self.notify(
                f"Command {short_id(selected)} is no longer listed: it left the filters in force.",
                severity="warning",
            )
        self._show_instances(
            status_changes(result.delta, key_parts=2), touched(result, self.selection)
        )
        self._show_steps()
        self.settler.note(len(result.delta.added))  # the new rows are built by now

    def _show_commands(self, changed: set[str] | frozenset[str] = frozenset()) -> bool:
        if self.result is None:
            return True
        view = commands_view(self.result, self.selection, self.now(), self.marks.marked, changed)
        return self.query_one(CommandsTable).show(view)

    def _show_instances(
        self, changed: set[str] | frozenset[str] = frozenset(), touched: set[str] | None = None
    ) -> bool:
        view = instances_view(
            self.result, self.selection, self.now(), changed=changed, touched=touched
        )
        return self.query_one(InvocationsTable).show(view)

    def _show_steps(self) -> None:
        self.query_one(StepsPane).show(steps_view(self.result, self.selection, self.now()))

    def command(self) -> Command | None:
        """The selected command as of the last poll."""
        return selected(self.result, self.selection).command

    def invocation_set(self) -> InvocationSet | None:
        """The selected command's instances as of the last poll (None: none fetched yet)."""
        return selected(self.result, self.selection).invocations

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
        self._tell_sweep(new)
        if old.command != new.command:
            self.query_one(InvocationsTable).start_over()
            self._show_instances()
        if moved:
            self.query_one(StepsPane).start_over()
        if moved or old.step != new.step:
            self._show_steps()
        self._show_position()

    def _tell_sweep(self, selection: Selection) -> None:
        if self.poller is not None:
            asked = self._sweep_asked == selection.command
            self.poller.set_sweep(sweep_wanted(selection, self.command(), asked=asked))

    @on(StepsWanted)
    def _steps_wanted(self) -> None:
        self._sweep_asked = self.selection.command
        self._tell_sweep(self.selection)

    def on_descendant_focus(self) -> None:
        self.selection = self.selection.at_depth(self._focused_depth())

    def _focused_depth(self) -> Depth:
        focused = self.focused
        while focused is not None and focused.id not in PANES:
            focused = focused.parent if isinstance(focused.parent, Widget) else None
        return Depth.of(focused.id) if focused is not None and focused.id else Depth.COMMANDS

    def _go(self, step: int, start: Widget | None = None) -> None:
        depth = Depth.of(start.id) if start is not None and start.id in PANES else None
        here = depth if depth is not None else self.selection.depth
        target = here.moved(step)
        if target != here:
            self.query_one(f"#{target.pane}").focus()

    def action_leave(self) -> None:
        self._go(-1)

    def _focus_pane(self) -> None:
        self.query_one(f"#{self.selection.pane}").focus()

    def _show_position(self) -> None:
        """The breadcrumb, and the class the stylesheet lays the panes out by: ``-deep`` from
        the steps down. It goes on the two panes it resizes, not on the screen: a class change
        restyles the node and everything under it (about 0.5 ms a widget), and the screen
        holds the footer's keys too."""
        deep = self.selection.depth >= Depth.STEPS
        self.query_one(CommandsTable).set_class(deep, "-deep")
        self.query_one("#lower").set_class(deep, "-deep")
        line = Text(breadcrumb(self.selection, self.command()))
        line.append("    Enter deeper · Escape back", style="dim")
        self.query_one("#crumbs", Static).update(line, layout=False)  # always one line

    # -- keys on the whole selection -----------------------------------------------------------

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
        latest = lambda: (self.command(), self.invocation_set(), self.now())  # noqa: E731
        where = lambda: origin(self.result, self.selection, self.where)  # noqa: E731
        self.app.push_screen(FailuresScreen(latest, where), self._open_failure)

    def _open_failure(self, instance_id: str | None) -> None:
        """From the failures screen: that instance, its failing step, its output."""
        if instance_id is None:
            return
        table = self.query_one(InvocationsTable)
        if instance_id not in table.row_keys():
            table.filter_by("")  # the filter hid it: the failure comes first
        table.move_cursor(table.get_row_index(instance_id))
        self.call_after_refresh(self.query_one("#output").focus)

    def _chosen(self) -> Chosen:
        shown = self.query_one(OutputView).text
        return chosen(self.result, self.selection, shown, self.where.region)

    def action_copy(self) -> None:
        """``c``: the CommandId, the InstanceId, the step's S3 URL or the output, by pane;
        in the output, the text the mouse selected if there is some."""
        selected = self.get_selected_text()
        if selected and self.selection.depth >= Depth.OUTPUT:
            taken = Taken(f"the selected text ({len(selected):,} characters)", selected)
            take_away_keys.copy(self, taken)
        else:
            take_away_keys.copy(self, to_copy(self._chosen()))

    def action_console_url(self) -> None:
        """``u``: the AWS console page of the command (or of the invocation, from the instances
        down), copied and shown."""
        endpoint = self.result.endpoint if self.result else ""
        take_away_keys.console_url(self, self._chosen(), endpoint)

    def action_full_output(self) -> None:
        """``F``: the focused step's whole output, from S3, where the command sent it."""
        take_away_keys.full_output(self, self._chosen(), self.poller)

    def action_raw(self) -> None:
        """``y``: the selected record as AWS sent it."""
        take_away_keys.raw(self, self._chosen())

    def action_save(self) -> None:
        """Ctrl+S: the output shown, or the instances listed, to a new file; says where."""
        instances = self.query_one(InvocationsTable).row_keys()
        self.saving = take_away_keys.save(self, self._chosen(), instances) or self.saving

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        """``/`` and ``:`` are priority keys, so they must stay characters wherever text is
        typed; ``p`` is Pause or Resume, whichever it would do."""
        if action in ("filter", "command_line"):
            return self.app.screen is self and not isinstance(self.focused, Input)
        if action == "pause":
            return not self.paused
        if action == "resume":
            return self.paused
        return True

    def action_sort(self) -> None:
        """``s``: the list in focus sorts itself (the commands, unless the instances are in
        focus); the key is the screen's, so it works from the steps and output too."""
        if self.selection.depth == Depth.INSTANCES:
            self.query_one(InvocationsTable).action_sort()
        else:
            self.query_one(CommandsTable).action_sort()

    def action_mark(self) -> None:
        """``m``: be told when the selected command ends (again: no longer)."""
        self.notify(self.marks.toggle(self.command()), timeout=3)
        self._show_commands()

    # -- the bars: `/` filters or searches, `:` changes what is asked of AWS -------------------

    def action_filter(self) -> None:
        """``/``: search the output from the steps down, else filter the list in focus.

        A priority binding, so the bar takes focus while the keys typed after ``/`` are still
        queued: they reach the bar, not the list they were typed over.
        """
        depth, bar = self.selection.depth, self.query_one(FilterBar)
        if depth >= Depth.STEPS:
            bar.search(self.query_one(OutputView))
        elif depth == Depth.INSTANCES:
            bar.filter(Mode.INSTANCES, self.query_one(InvocationsTable))
        else:
            bar.filter(Mode.COMMANDS, self.query_one(CommandsTable))

    def action_command_line(self) -> None:
        """``:``: a priority key, so the keys typed right after it reach the line."""
        self.query_one(CommandLine).open(
            on_screen(self.result, self.selection), self.filters, self.now
        )

    @on(CommandLine.Closed)
    def _command_line_closed(self) -> None:
        self._focus_pane()

    @on(CommandLine.Steered)
    def _steered(self, event: CommandLine.Steered) -> None:
        self.apply_filters(event.filters)

    def steer_to(self, line: str) -> None:
        """Apply a line as if typed after ``:`` (the palette's entries)."""
        try:
            self.apply_filters(
                steer(line, self.filters, on_screen(self.result, self.selection), self.now)
            )
        except SteeringError as error:
            self.notify(str(error), severity="error", timeout=6)

    def apply_filters(self, wanted: Filters) -> None:
        """Ask AWS for ``wanted`` from now on; the status line says what is in force."""
        if wanted == self.filters:
            return
        self.filters = wanted
        if self.poller is not None:
            self.poller.set_filters(wanted)
        self.refresh_status()
        self.notify(f"Now showing: {describe_filters(wanted)}.", timeout=3)

    def action_clear_filters(self) -> None:
        """``x``: every server-side filter off (the stage stays), and the list filter too."""
        commands = self.query_one(CommandsTable)
        if commands.needle:
            commands.filter_by("")
        self.apply_filters(Filters(stage=self.filters.stage))
