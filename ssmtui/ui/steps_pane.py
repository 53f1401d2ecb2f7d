"""The steps pane: the selected invocation's plugins, and the output of the selected one."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ssmtui.model.text import neutralise
from ssmtui.model.types import Command, Invocation, PluginResult
from ssmtui.model.views import duration
from ssmtui.ui.cells import clock_time, literal, response_code, short_duration, status_text
from ssmtui.ui.keyed_table import Column, KeyedTable, Row
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.plugin_output import step_output

COLUMNS = (
    Column("index", "#", 2),
    Column("name", "Step", 22),
    Column("status", "Status", 13),
    Column("rc", "RC", 4),
    Column("took", "Took", 7),
    Column("started", "Started", 8),
    Column("ended", "Ended", 8),
)


class StepsTable(KeyedTable):
    """The plugins of one invocation, in document order; keyed by plugin name."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.invocation: Invocation | None = None

    def redraw(self, *, keep_selected: bool = True) -> bool:  # noqa: ARG002 (no filter here)
        plugins = self.invocation.plugins if self.invocation else None
        now = self.now
        if plugins is None or now is None:
            self.sync([])
            return True
        return self.sync([self._row(index, plugin, now) for index, plugin in enumerate(plugins, 1)])

    def _row(self, index: int, plugin: PluginResult, now: datetime) -> Row:
        return plugin.name, (
            Text(str(index)),
            literal(plugin.name),
            status_text(plugin.status, self.style_for),
            Text(response_code(plugin.response_code)),
            Text(short_duration(duration(plugin.started, plugin.finished, now))),
            Text(clock_time(plugin.started)),
            Text(clock_time(plugin.finished)),
        )

    def plugin(self, name: str | None) -> PluginResult | None:
        plugins = self.invocation.plugins if self.invocation else None
        return next((p for p in plugins or () if p.name == name), None)


def _same_invocation(shown: Invocation | None, new: Invocation | None) -> bool:
    """Whether ``new`` is a later look at the invocation on screen (refresh by key), not
    another one (a different list)."""
    if shown is None or new is None:
        return False
    return (shown.command_id, shown.instance_id) == (new.command_id, new.instance_id)


class StepsPane(Vertical):
    """Steps on top, a note on where the text comes from, then the output itself."""

    def compose(self) -> ComposeResult:
        yield StepsTable(id="steps")
        yield Static(id="output-note", markup=False)
        yield OutputView(id="output")

    def show(
        self,
        command: Command | None,
        invocation: Invocation | None,
        plugin_name: str | None,
        now: datetime,
    ) -> None:
        """Show ``invocation`` (None: nothing chosen, or its steps are not fetched yet)."""
        steps = self.query_one(StepsTable)
        if not _same_invocation(steps.invocation, invocation):
            steps.clear()
        steps.invocation, steps.now = invocation, now
        steps.redraw()
        self._title(invocation)
        self.show_output(command, invocation, steps.plugin(plugin_name or steps.selected_key))

    def show_output(
        self, command: Command | None, invocation: Invocation | None, plugin: PluginResult | None
    ) -> None:
        note = self.query_one("#output-note", Static)
        view = self.query_one(OutputView)
        if invocation is None or plugin is None:
            note.update(Text(""))
            view.show_text("")
            return
        output = step_output(command, invocation, plugin)
        name = neutralise(plugin.name, single_line=True)
        header = Text(f"{name} · {output.source}", style="bold", no_wrap=True, overflow="ellipsis")
        header.append_text(Text("".join(f"\n{line}" for line in output.notes)))
        note.update(header)
        view.show_text(output.body)

    def _title(self, invocation: Invocation | None) -> None:
        if invocation is None:
            self.border_title = Text("Steps")
            self.border_subtitle = Text("select an instance")
            return
        name = f" ({invocation.instance_name})" if invocation.instance_name else ""
        self.border_title = literal(f"{invocation.instance_id}{name} › Steps")
        self.border_subtitle = Text("loading steps…" if invocation.plugins is None else "")
