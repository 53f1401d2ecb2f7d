"""A list the user narrows with ``/`` and orders with ``s``: the commands and the instances.

Each holds what the user chose of it (order, filter) and the last view record it was handed;
what a filter or the next order does with them is the same for both, and written once here.
"""

from __future__ import annotations

from enum import Enum
from typing import Generic, Protocol, TypeVar

from ssmtui.model.columns import Columns
from ssmtui.model.views import cycled
from ssmtui.ui.row_table import RowTable


class _Selecting(Protocol):
    @property
    def selected(self) -> str | None:
        """The row the screen has selected: it stays whatever the filter says."""


_Order = TypeVar("_Order", bound=Enum)
_View = TypeVar("_View", bound=_Selecting)


class ListTable(RowTable, Generic[_Order, _View]):
    def __init__(self, columns: Columns, order: _Order, view: _View, *, id: str | None) -> None:
        super().__init__(columns, id=id)
        self.order = order
        self.needle = ""
        """What the user typed after ``/``: only the rows that contain it are shown."""
        self.view = view
        """The last view handed in: a sort or a filter redraws from it."""

    def filter_by(self, needle: str) -> bool:
        """Only the rows that contain ``needle``: the user asked for those, so when the
        selected one is not among them, False, and the cursor goes to the first that is."""
        self.needle = needle
        kept = self._draw(keep=None)
        if not kept:
            self.move_cursor(0)
        return kept

    def action_sort(self) -> None:
        """The next order (``s``, routed by the screen)."""
        self.order = cycled(tuple(type(self.order)), self.order)
        self._draw(self.view.selected)

    def _draw(self, keep: str | None) -> bool:
        """Show the rows of ``view`` as the user chose them, ``keep`` among them; False when
        ``keep`` is not."""
        raise NotImplementedError
