"""The invocations pane: the selected command on each of its instances."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from rich.text import Text

from ssmtui.model.text import short_id
from ssmtui.model.types import Invocation
from ssmtui.model.views import (
    InvocationSort,
    counts_by_status,
    invocation_duration,
    invocation_matches,
    sort_invocations,
    status_glyph,
    status_rank,
)
from ssmtui.ui.cells import day_time, literal, response_code, short_duration, status_text
from ssmtui.ui.keyed_table import Column, KeyedTable, Row

COLUMNS = (  # most telling first: a narrow terminal scrolls sideways for the rest
    Column("instance", "Instance", 19),
    Column("status", "Status", 13),
    Column("name", "Name", 16),
    Column("rc", "RC", 4),
    Column("duration", "Took", 7),
    Column("details", "Details", 18),
    Column("requested", "Requested UTC", 14),
)


def last_response_code(invocation: Invocation) -> int:
    """The code of the last step that ran, once the invocation is over: what a failed one
    ended on. While it runs there is none yet (an early step's 0 would read as success)."""
    if not invocation.terminal:
        return -1
    ran = [plugin for plugin in invocation.plugins or () if plugin.has_run]
    return ran[-1].response_code if ran else -1


def summary(invocations: Sequence[Invocation]) -> str:
    """'▶ 188 ✔ 809 ✖ 3', most urgent first."""
    counts = counts_by_status(invocations)
    ordered = sorted(counts.items(), key=lambda item: status_rank(item[0]))
    return "  ".join(f"{status_glyph(status)} {count}" for status, count in ordered)


class InvocationsTable(KeyedTable):
    """Shows one command at a time; switching commands starts afresh, refreshes apply by key."""

    flash_depth = 2

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.command_id: str | None = None
        self.order = InvocationSort.INSTANCE

    def show_command(self, command_id: str | None) -> None:
        """Follow another command: its rows replace the last one's (a different list)."""
        if command_id == self.command_id:
            return
        self.command_id = command_id
        self.needle = ""
        self.clear()
        self.redraw()

    def invocation(self, instance_id: str | None) -> Invocation | None:
        if self.snapshot is None or self.command_id is None or instance_id is None:
            return None
        invocations = self.snapshot.invocations.get(self.command_id)
        return invocations.by_instance.get(instance_id) if invocations else None

    def redraw(self, *, keep_selected: bool = True) -> bool:
        if self.snapshot is None or self.now is None or self.command_id is None:
            self._title(None, 0)
            return True
        invocations = self.snapshot.invocations.get(self.command_id)
        everything = list(invocations.by_instance.values()) if invocations else []
        shown = self.matching(
            everything, lambda i: i.instance_id, invocation_matches, keep_selected=keep_selected
        )
        now, today = self.now, self.now.astimezone(UTC).date()
        rows = [self._row(item, now, today) for item in sort_invocations(shown, self.order)]
        kept = self.sync(rows)
        loading = invocations is None or not invocations.complete
        self._title(everything, len(rows), loading=loading)
        return kept

    def _title(
        self, everything: Sequence[Invocation] | None, shown: int, *, loading: bool = False
    ) -> None:
        if self.command_id is None or everything is None:
            self.border_title = Text("Instances")
            self.border_subtitle = Text("select a command")
            return
        parts = [
            f"{short_id(self.command_id)} › Instances · {len(everything)}",
            summary(everything),
        ]
        parts.append(f"sort: {self.order.value}")
        if self.needle:
            parts.append(f"filter: {self.needle} ({shown} shown)")
        self.border_title = literal(" · ".join(parts))
        self.border_subtitle = Text("loading…" if loading else "")

    def _row(self, invocation: Invocation, now: datetime, today: date) -> Row:
        key = invocation.instance_id
        flashing = self.flashes.active(key)
        took = short_duration(invocation_duration(invocation, now))

        def cells() -> tuple[Text, ...]:
            status = status_text(invocation.status, self.style_for)
            if flashing:
                status.stylize(self.style_for("row--changed"))
            return (
                literal(invocation.instance_id),
                status,
                literal(invocation.instance_name or "—"),
                Text(response_code(last_response_code(invocation))),
                Text(took),
                literal(invocation.status_details),
                Text(day_time(invocation.requested, today)),
            )

        return self.cells_for(key, (invocation, flashing, took, today), cells)
