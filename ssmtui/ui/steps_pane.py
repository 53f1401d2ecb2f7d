"""The steps pane: the selected invocation's steps, and the output of the selected one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from ssmtui.model.deciding import landing_step
from ssmtui.model.durations import histogram_lines, took
from ssmtui.model.fleet_steps import NO_STEPS
from ssmtui.model.output_diff import successes_of
from ssmtui.model.output_limits import LISTED_STDERR_RULE
from ssmtui.model.status import PluginStatus
from ssmtui.model.step_pane import COLUMNS, step_rows
from ssmtui.model.step_text import StepText
from ssmtui.model.text import neutralise
from ssmtui.model.types import Command, Invocation, PluginResult
from ssmtui.poller.results import Refusal
from ssmtui.ui.cells import literal, renote, retitle
from ssmtui.ui.diff_screen import DiffScreen
from ssmtui.ui.messages import StepsWanted
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.pane_views import StepsView
from ssmtui.ui.row_table import RowTable
from ssmtui.ui.step_output import STDERR_RULE, Stream, step_output

_Shown = tuple[
    Command | None, Invocation | None, PluginResult | None, Refusal | None, StepText | None
]


def _for(text: StepText, invocation: Invocation, plugin: PluginResult) -> bool:
    return text.of(invocation.command_id, invocation.instance_id, plugin.name)


class StepsTable(RowTable):
    """The steps of one invocation, in document order; keyed by step name."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)


class StepsPane(Vertical):
    """Steps on top, a note on where the text comes from, then the output itself."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "next_stream", "stdout/stderr"),
        Binding("D", "compare", "Compare a failed step with a success", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._landed: tuple[str, str] | None = None
        """The invocation whose steps the cursor was put on its landing step for: once each,
        so the user's own moves are never undone by a poll."""
        self.stream = Stream.BOTH
        """Which stream the output shows; the user's choice, kept from step to step."""
        self._shown: _Shown = (None, None, None, None, None)
        """What the output was last drawn from, to draw it again in another stream."""
        self._searched = ""
        """Where the search in the output stands ("match 3 of 12 for 'error'")."""
        self._waiting = ""
        """Why there are no steps to show, if there are none."""
        self._heading = Text("Steps")
        self._fleet = NO_STEPS
        """Every instance's steps known, as of the last view."""

    def compose(self) -> ComposeResult:
        yield StepsTable(id="steps")
        yield Static(id="durations", markup=False)
        yield Static(id="output-note", markup=False)
        yield OutputView(id="output")

    def start_over(self) -> None:
        """Another invocation: its steps are a different list."""
        self.query_one(StepsTable).reset()
        self._landed = None

    def show(self, view: StepsView) -> None:
        """Show the view's invocation (None: nothing chosen, or not fetched yet) and the output
        of its step (None: of the step under the cursor)."""
        steps = self.query_one(StepsTable)
        invocation, step = view.invocation, view.step
        plugins = invocation.plugins if invocation else None
        steps.show_rows(step_rows(plugins or (), view.now))
        if invocation is not None and plugins:
            step = self._land(invocation, steps) or step
        self._title(invocation, view.steps_refused)
        name = step or steps.selected_key
        plugin = invocation.plugin(name) if invocation else None
        outside = view.outside
        if outside is not None and not (
            plugin and invocation and _for(outside, invocation, plugin)
        ):
            outside = None  # it was fetched for another step than the one on screen
        self._show_output(view.command, invocation, plugin, view.output_refused, outside)
        self._fleet = view.fleet
        self._show_durations(view, plugin)

    def _show_durations(self, view: StepsView, plugin: PluginResult | None) -> None:
        """How long the step took on every instance that finished it, and where this one
        falls; nothing until two have."""
        durations = self.query_one("#durations", Static)
        found = view.fleet.spread(plugin.name) if plugin is not None else None
        if plugin is None or found is None or len(found.seconds) < 2:
            durations.display = False
            return
        lines = histogram_lines(found, took(plugin), len(view.fleet))
        durations.update(Text("\n".join(lines), no_wrap=True, overflow="ellipsis"))
        durations.display = True

    def _land(self, invocation: Invocation, steps: StepsTable) -> str | None:
        """The first time this invocation's steps are shown, put the cursor on the step that
        failed (else the running one, else the last that ran); that step, or None."""
        key = (invocation.command_id, invocation.instance_id)
        if self._landed == key:
            return None
        self._landed = key
        name = landing_step(invocation)
        if name is None:
            return None
        steps.move_cursor(steps.get_row_index(name))
        return name

    def _show_output(
        self,
        command: Command | None,
        invocation: Invocation | None,
        plugin: PluginResult | None,
        refused: Refusal | None,
        outside: StepText | None = None,
    ) -> None:
        self._shown = (command, invocation, plugin, refused, outside)
        note = self.query_one("#output-note", Static)
        view = self.query_one(OutputView)
        if invocation is None or plugin is None:
            renote(note, Text(""))
            view.show_text("")
            return
        output = step_output(command, invocation, plugin, self.stream, outside)
        name = neutralise(plugin.name, single_line=True)
        header = Text(f"{name} · {output.origin}", style="bold", no_wrap=True, overflow="ellipsis")
        notes = list(output.notes)
        if refused is not None and plugin.stdout is None and plugin.terminal and plugin.has_run:
            # first: the note is only a few lines high, and this one explains the others
            notes.insert(0, f"✖ The full output could not be fetched: {refused.reason}.")
        header.append_text(Text("".join(f"\n{line}" for line in notes)))
        renote(note, header)
        # a failed step's error is in stderr, after what may be pages of stdout
        failed = plugin.status == PluginStatus.FAILED
        if (
            view.show_text(output.body, output.paint)
            and failed
            and not view.reveal_line(STDERR_RULE)
        ):
            view.reveal_line(LISTED_STDERR_RULE)

    def action_compare(self) -> None:
        """``D``: the step shown, where it did not succeed, against the same step on the
        instances of the command where it did."""
        _, invocation, plugin, _, _ = self._shown
        if invocation is None or plugin is None:
            self.notify("Open a step first: D compares a failed step with a success.", timeout=3)
            return
        if plugin.status == PluginStatus.SUCCESS or not plugin.terminal:
            self.notify("D compares a step that ended unsuccessfully; this one has not.", timeout=3)
            return
        found = [
            (instance_id, step)
            for instance_id, step in successes_of(self._fleet.steps, plugin.name)
            if instance_id != invocation.instance_id
        ]
        if not found and not self._fleet:  # a big command's steps are read only when asked
            self.post_message(StepsWanted())
            self.notify("Reading every instance's steps to find a success: D again soon.")
            return
        if not found:
            read = len(self._fleet)
            self.notify(f"No instance has succeeded at this step yet ({read:,} read).", timeout=4)
            return
        self.app.push_screen(DiffScreen(invocation.instance_id, plugin, found))

    def action_next_stream(self) -> None:
        """``o``: both streams, then stdout alone, then stderr alone."""
        streams = tuple(Stream)
        self.stream = streams[(streams.index(self.stream) + 1) % len(streams)]
        self._show_output(*self._shown)
        self.notify(f"Output: {self.stream.value}", timeout=2)

    def on_output_view_searched(self, event: OutputView.Searched) -> None:
        needle = neutralise(event.needle, single_line=True)
        if not event.count:
            self._searched = f"no match for {needle!r}"
        elif not event.at:
            self._searched = f"{event.count} matches for {needle!r} · n next"
        else:
            self._searched = f"match {event.at} of {event.count} for {needle!r}"
        self._retitle()

    def _title(self, invocation: Invocation | None, refused: Refusal | None) -> None:
        if invocation is None:
            self._heading, self._waiting = Text("Steps"), "select an instance"
        else:
            name = f" ({invocation.instance_name})" if invocation.instance_name else ""
            waiting = "loading steps…" if refused is None else f"steps unavailable: {refused.short}"
            self._waiting = waiting if invocation.plugins is None else ""
            self._heading = literal(f"{invocation.instance_id}{name} › Steps")
        self._retitle()

    def _retitle(self) -> None:
        """The subtitle: why the steps are missing, else where the search stands."""
        retitle(self, self._heading, literal(self._waiting or self._searched))
