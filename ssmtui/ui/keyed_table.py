"""A DataTable kept in step with a list of keyed rows, never cleared and refilled.

Each refresh hands over the rows the table should show, in order, each under a stable key
(CommandId, InstanceId, plugin name). The table adds what is new, rewrites only the cells that
differ, removes what is gone and reorders in place, so the cursor stays on the row the user
chose and the scroll position stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Self, TypeVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from ssmtui.model.reconcile import Delta
from ssmtui.model.types import FleetSnapshot
from ssmtui.ui.cells import STATUS_COMPONENTS
from ssmtui.ui.flash import FLASH_SECONDS, Flashes, status_changes


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int | None = None


class KeyText(Text):
    """A row's first cell, which also carries the row key so a sort can find the row."""

    def __init__(self, text: Text, row_key: str) -> None:
        super().__init__(text.plain, style=text.style, no_wrap=True, end="", justify=text.justify)
        self.spans = list(text.spans)
        self.row_key = row_key


_Record = TypeVar("_Record")

Row = tuple[str, Sequence[Text] | None]
"""A row key and its cells, one per column; None when the row on screen is still right."""


class KeyedTable(DataTable[Text]):
    """Row cursor, styled through component classes named in ssmtui.tcss."""

    COMPONENT_CLASSES = (
        DataTable.COMPONENT_CLASSES
        | STATUS_COMPONENTS
        | {"progress--done", "progress--failed", "progress--todo", "row--changed", "muted"}
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("down,j", "cursor_down", "Next row", key_display="↓ j", show=False),
        Binding("up,k", "cursor_up", "Previous row", key_display="↑ k", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    flash_depth = 1
    """Which records' status changes light up rows: 1 commands, 2 invocations."""

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cursor_foreground_priority="renderable")
        self._column_specs = tuple(columns)
        self.flashes = Flashes()
        self.needle = ""
        """What the user typed after ``/``: only rows that contain it are shown."""
        self.snapshot: FleetSnapshot | None = None
        self.now: datetime | None = None
        self._inputs: dict[str, tuple[object, ...]] = {}
        """Per row on screen: what its cells were made from (see ``cells_for``)."""

    def on_mount(self) -> None:
        for column in self._column_specs:
            self.add_column(column.label, key=column.key, width=column.width)

    def show(self, snapshot: FleetSnapshot, delta: Delta, now: datetime) -> bool:
        """Apply one poll's result; False when the selected row left the list."""
        self.snapshot, self.now = snapshot, now
        self.flashes.note(status_changes(delta, depth=self.flash_depth))
        if self.flashes.any():
            self.set_timer(FLASH_SECONDS + 0.1, self.redraw)
        return self.redraw()

    def redraw(self, *, keep_selected: bool = True) -> bool:
        """Rows again from the last snapshot: after a poll, sort, filter or a flash's end."""
        raise NotImplementedError

    def matching(
        self,
        records: Iterable[_Record],
        key: Callable[[_Record], str],
        matches: Callable[[_Record, str], bool],
        *,
        keep_selected: bool,
    ) -> list[_Record]:
        """The records the filter lets through, and the selected one whatever it says when
        ``keep_selected``: a poll never pulls the row from under the cursor."""
        if not self.needle:
            return list(records)
        selected = self.selected_key if keep_selected else None
        return [r for r in records if key(r) == selected or matches(r, self.needle)]

    def filter_by(self, needle: str) -> None:
        """The user's filter applies to the selected row too: if it does not match, the
        cursor goes to the first row that does (the user asked for those rows)."""
        before = self.selected_key
        self.needle = needle
        self.redraw(keep_selected=False)
        if self.row_count and self.selected_key != before:
            self.move_cursor(row=0, animate=False)

    def style_for(self, component: str) -> Style:
        return self.get_component_rich_style(component, partial=True)

    @property
    def selected_key(self) -> str | None:
        under = self._row_under_cursor()
        return under[1].value if under else None

    def _row_under_cursor(self) -> tuple[int, RowKey] | None:
        """The cursor's row and its key; the row is clamped, as removals can leave the cursor
        past the last row."""
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        return row, self.coordinate_to_cell_key(Coordinate(row, 0)).row_key

    def row_keys(self) -> list[str]:
        """Row keys in the order shown."""
        return [str(row.key.value) for row in self.ordered_rows]

    def cells_for(
        self, key: str, inputs: tuple[object, ...], build: Callable[[], Sequence[Text]]
    ) -> Row:
        """A row's cells, built only when what they show changed (else None: keep the row).

        ``inputs`` is everything the cells are made from: the record first (reconcile keeps an
        unchanged record as the very same object, so the comparison is an identity check),
        then the texts that move with the clock. A 20,000-instance command then costs a poll
        only the rows that changed. Only the inputs are kept, never the cells: the table holds
        the one copy of each cell, the one on screen (a second copy of every cell of every row
        that ever changed grew the dashboard by megabytes a minute).
        """
        if self._inputs.get(key) == inputs:
            return key, None
        self._inputs[key] = inputs
        return key, build()

    def clear(self, columns: bool = False) -> Self:
        self._inputs.clear()
        super().clear(columns)
        return self

    def sync(self, rows: Sequence[Row]) -> bool:
        """Show ``rows`` in this order; False when the selected row had to go (the cursor
        then stays at the same height, on the row that took its place, now the selected one)."""
        selected = self.selected_key
        wanted = {key for key, _ in rows}
        for key in set(self.row_keys()) - wanted:
            self.remove_row(key)
            self._inputs.pop(key, None)
        column_keys = [column.key for column in self._column_specs]
        for key, cells in rows:
            if cells is None:
                continue  # the cells already on screen are right
            first, *rest = cells
            row_cells = [KeyText(first, key), *rest]
            if key not in self.rows:
                self.add_row(*row_cells, key=key)
                continue
            current = self.get_row(key)
            for column, old, new in zip(column_keys, current, row_cells, strict=True):
                if old != new:
                    self.update_cell(key, column, new)
        self._reorder([key for key, _ in rows])
        if selected is None:
            return True
        if selected not in wanted:
            self._announce_cursor_row()
            return False
        self.move_cursor(row=self.get_row_index(selected), animate=False)
        return True

    def _announce_cursor_row(self) -> None:
        """The row under the cursor is another one now, though the cursor did not move: say
        so, as a move would, so whoever follows the selection follows it there."""
        under = self._row_under_cursor()
        if under is not None:
            self.post_message(DataTable.RowHighlighted(self, *under))

    def _reorder(self, order: list[str]) -> None:
        if self.row_keys() == order:
            return
        position = {key: index for index, key in enumerate(order)}
        first_column = self._column_specs[0].key
        self.sort(first_column, key=lambda cell: position[cell.row_key])
