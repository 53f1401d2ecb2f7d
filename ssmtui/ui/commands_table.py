"""The commands pane: one row per command, in the order and with the filter the user chose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ssmtui.model.command_pane import COLUMNS, CommandsView, command_rows
from ssmtui.model.row_memo import RowMemo
from ssmtui.model.views import CommandSort, has_failures
from ssmtui.ui.cells import literal, retitle
from ssmtui.ui.list_table import ListTable


class CommandsTable(ListTable[CommandSort, CommandsView]):
    """Holds what the user chose (order, filter) and the last view it was handed; the
    commands themselves come with each view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_failure", "Next failed", show=False),  # in help; the footer is full
    ]

    def __init__(self, *, id: str | None = None, heading: str = "Commands") -> None:
        super().__init__(
            COLUMNS, CommandSort.NEWEST, CommandsView({}, datetime.min.replace(tzinfo=UTC)), id=id
        )
        self.heading = heading
        self._memo = RowMemo()
        self._failing: frozenset[str] = frozenset()
        """Commands with an instance that did not succeed, as of the last view."""

    def show(self, view: CommandsView) -> bool:
        """Show ``view``; False when its selected command is no longer among the rows."""
        self.view = view
        known = view.invocations
        self._failing = frozenset(
            c.command_id for c in view.commands.values() if has_failures(c, known.get(c.command_id))
        )
        return self._draw(view.selected, view.changed)

    def _draw(self, keep: str | None, changed: frozenset[str] = frozenset()) -> bool:
        view = self.view
        rows = command_rows(view, self.order, self.needle, self._memo, keep=keep)
        if self.columns != view.columns:
            self.set_columns(view.columns)
        kept = self.show_rows(rows, changed)
        self._title(len(rows), len(view.commands), more=view.more)
        return kept

    def action_next_failure(self) -> None:
        """The cursor to the next command below it with failed instances, round to the top."""
        if not self.move_to_next(self._failing.__contains__):
            self.notify("No command shown has a failed instance.", timeout=3)

    def _title(self, shown: int, total: int, *, more: bool) -> None:
        count = f"{shown} of {total}" if self.needle else f"{total}"
        if more:
            count += "+ (older ones load as you scroll down)"
        parts: Sequence[str] = [f"{self.heading} · {count}", f"sort: {self.order.value}"]
        if self.needle:
            parts = [*parts, f"filter: {self.needle}"]
        retitle(self, literal(" · ".join(parts)), Text("" if total else "no commands to show yet"))
