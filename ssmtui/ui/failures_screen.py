"""The ``f`` screen: the focused command's failures, grouped by what failed.

Two levels in one screen: the groups (count, step, response code, error, example), largest
first; Enter on one lists its instances; Enter on an instance closes the screen on it, and the
dashboard opens that instance's failing step. Escape goes back a level, then closes. It reads
the dashboard's latest poll each second, so groups grow as failures arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from ssmtui.model.failure_pane import COLUMNS as CLUSTER_COLUMNS
from ssmtui.model.failure_pane import cluster_key, cluster_rows
from ssmtui.model.failures import FailureCluster, cluster_failures
from ssmtui.model.instance_pane import COLUMNS as INSTANCE_COLUMNS
from ssmtui.model.instance_pane import invocation_row
from ssmtui.model.rerun import IDS_A_LINE, Origin, RerunRefused, rerun_lines
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command, Invocation, InvocationSet
from ssmtui.ui.cells import literal, retitle
from ssmtui.ui.exports import file_name, save_and_say
from ssmtui.ui.key_footer import KeyFooter
from ssmtui.ui.raw_screen import LinesScreen
from ssmtui.ui.row_table import RowTable

LatestFailures = Callable[[], tuple[Command | None, InvocationSet | None, datetime]]
"""The focused command and its instances as of the dashboard's latest poll, and the time."""


class FailuresScreen(Screen[str | None]):
    """Dismissed with the instance to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f", "dismiss(None)", "Close"),
        Binding("ctrl+s", "save", "Save instances"),
        Binding("R", "rerun_group", "Re-run group"),
        Binding("E", "rerun_all", "Re-run all failed"),
    ]
    DEFAULT_CSS = """
    FailuresScreen > #failures-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    FailuresScreen > RowTable {
        height: 1fr;
        border: round $primary;
    }
    """

    def __init__(self, latest: LatestFailures, origin: Callable[[], Origin]) -> None:
        super().__init__()
        self.latest = latest
        self.origin = origin
        """Where the command was read, for the re-run line's --region and --profile."""
        self._shown: InvocationSet | None = None
        self._clusters: Mapping[str, FailureCluster] = {}
        self.saving: Worker[None] | None = None
        """The latest save of a group's instances, written in a thread."""
        self._opened: str | None = None
        """The group whose instances are listed; None: the groups are."""

    def compose(self) -> ComposeResult:
        yield Static(id="failures-title", markup=False)
        yield RowTable(CLUSTER_COLUMNS, id="clusters")
        yield RowTable(INSTANCE_COLUMNS, id="members")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#members").display = False
        self._refresh()
        self.set_interval(1.0, self._refresh)
        self.query_one("#clusters").focus()

    def _refresh(self) -> None:
        command, invocations, now = self.latest()
        if invocations is self._shown and invocations is not None:
            return
        self._shown = invocations
        records = invocations.by_instance if invocations else {}
        clusters = cluster_failures(records.values())
        self._clusters = {cluster_key(c): c for c in clusters}
        table = self.query_one("#clusters", RowTable)
        table.show_rows(cluster_rows(clusters))
        retitle(table, literal("Groups · largest first"))
        self._title(command, clusters)
        if self._opened is not None:
            self._show_members(records, now)

    def _title(self, command: Command | None, clusters: list[FailureCluster]) -> None:
        if command is None:
            text = "Failures · no command selected"
        else:
            failed = sum(c.count for c in clusters)
            what = f"{short_id(command.command_id)} {command.document_name}"
            text = (
                f"Failures of {what} · {failed} instance(s) in {len(clusters)} group(s)"
                if clusters
                else f"Failures of {what} · no instance has failed (so far)"
            )
        title = literal(text, style="bold")
        title.append("    Enter: its instances, then one's failing step · Escape: back", "dim")
        self.query_one("#failures-title", Static).update(title, layout=False)

    def _show_members(self, records: Mapping[str, Invocation], now: datetime) -> None:
        cluster = self._clusters.get(self._opened or "")
        members = self.query_one("#members", RowTable)
        if cluster is None:  # the group changed shape (its error line, say): back to groups
            self.action_back()
            return
        today = now.astimezone(UTC).date()
        rows = [invocation_row(records[i], now, today) for i in cluster.instances if i in records]
        members.show_rows(rows)
        retitle(
            members,
            literal(f"{cluster.count} × {cluster.step or cluster.status}: {cluster.signature}"),
        )

    @on(RowTable.Selected, "#clusters")
    def _open_cluster(self, event: RowTable.Selected) -> None:
        self._opened = event.key
        members = self.query_one("#members", RowTable)
        members.reset()
        _, invocations, now = self.latest()
        self._show_members(invocations.by_instance if invocations else {}, now)
        self.query_one("#clusters").display = False
        members.display = True
        members.focus()

    @on(RowTable.Selected, "#members")
    def _open_instance(self, event: RowTable.Selected) -> None:
        self.dismiss(event.key)

    def _group(self) -> FailureCluster | None:
        """The group opened, else the one highlighted."""
        key = self._opened or self.query_one("#clusters", RowTable).selected_key
        return self._clusters.get(key or "")

    def action_rerun_group(self) -> None:
        """R: the send-command line for the group's instances, shown and copied, never sent."""
        cluster = self._group()
        if cluster is None:
            self.notify("No group to re-run yet.", timeout=3)
            return
        what = f"{cluster.count} × {cluster.step or cluster.status}: {cluster.signature}"
        self._rerun(cluster.instances, f"the group {what}")

    def action_rerun_all(self) -> None:
        """E: the lines for every failed instance of the command."""
        failed = [instance for cluster in self._clusters.values() for instance in cluster.instances]
        self._rerun(failed, "every failed instance")

    def _rerun(self, instances: Sequence[str], which: str) -> None:
        command, _, _ = self.latest()
        if command is None:
            return
        try:
            lines = rerun_lines(command, instances, self.origin())
        except RerunRefused as refusal:
            self.notify(f"No re-run line: {refusal}.", timeout=6)
            return
        title = (
            f"Re-run {short_id(command.command_id)} on {which}: {len(lines)} line(s) of at most "
            f"{IDS_A_LINE} instances · copied; ssmtui never sends it"
        )
        text = neutralise("\n\n".join(lines) + "\n")  # checked ASCII already: as it was
        self.app.push_screen(LinesScreen(title, text, "the re-run line(s)"))

    def action_save(self) -> None:
        """Ctrl+S: the group's instance ids, one a line (for xargs or a re-run's targets)."""
        cluster = self._group()
        if cluster is None:
            self.notify("No group to save yet.", timeout=3)
            return
        command, _, _ = self.latest()
        name = file_name(short_id(command.command_id) if command else "", "failed", cluster.step)
        text = "".join(f"{instance}\n" for instance in cluster.instances)
        what = f"the {cluster.count} instance id(s) of this group"
        self.saving = self.run_worker(save_and_say(self, name, text, what), group="save")

    def action_back(self) -> None:
        if self._opened is None:
            self.dismiss(None)
            return
        self._opened = None
        self.query_one("#members").display = False
        clusters = self.query_one("#clusters")
        clusters.display = True
        clusters.focus()
