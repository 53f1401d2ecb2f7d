"""A pane's columns, declared beside the function that builds its rows, and found by name.

Each pane's renderer (``command_pane``, ``instance_pane``, ``step_pane``) declares its columns
here and builds each row's cells as a mapping from column name to cell, which ``ordered``
lays out in the columns' order: a cell is never found by its position across modules (k9s
keeps each resource's header beside its row builder; Textual's DataTable finds cells by
ColumnKey), and a cell the builder forgot is a KeyError, not a silently shifted row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

from ssmtui.model.cells import Cell


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    """What the row builder and the UI call it."""
    label: str
    """Its header."""
    width: int
    """The cells it always gets; longer text is cut with an ellipsis."""
    grow: bool = False
    """Whether it shares the width left over (names, comments, details)."""


class Columns(Sequence[Column]):
    """The columns of one table, in the order shown."""

    def __init__(self, *columns: Column) -> None:
        self._columns = columns
        self._at = {column.name: at for at, column in enumerate(columns)}

    def __iter__(self) -> Iterator[Column]:
        return iter(self._columns)

    @overload
    def __getitem__(self, at: int) -> Column: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[Column]: ...
    def __getitem__(self, at: int | slice) -> Column | Sequence[Column]:
        return self._columns[at]

    def __len__(self) -> int:
        return len(self._columns)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Columns) and other._columns == self._columns

    def __hash__(self) -> int:
        return hash(self._columns)

    def position(self, name: str) -> int:
        """Where the column called ``name`` is; KeyError if the table has none."""
        return self._at[name]

    def after(self, name: str, *inserted: Column) -> Columns:
        """These columns with ``inserted`` following the one called ``name``."""
        at = self.position(name) + 1
        return Columns(*self._columns[:at], *inserted, *self._columns[at:])

    def ordered(self, cells: Mapping[str, Cell]) -> tuple[Cell, ...]:
        """A row's cells, by column name, in the columns' order."""
        return tuple(cells[column.name] for column in self._columns)
