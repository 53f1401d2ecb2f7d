"""A long list's rows, kept in display order and patched by key.

Rebuilding and re-sorting 20,000 rows costs about 50 ms of Python per poll, every poll, though
a poll moves only the instances that changed and the running ones' times. ``SortedRows`` keeps
the rows in order beside their sort keys; a changed record is taken out where its old sort key
says and put back where its new one says (a bisection and a move of pointers), so a poll
costs the rows that changed. Each sort key ends with the row key, so no two are equal and a
row's place is found by bisection, without an index to rebuild.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from ssmtui.model.rows import Row

_R = TypeVar("_R")

SortKey = tuple[Hashable, ...]


class SortedRows(Generic[_R]):
    """Rows in the order of ``order_key(record)``, each built by ``build(record)``."""

    def __init__(
        self,
        key: Callable[[_R], str],
        order_key: Callable[[_R], SortKey],
        build: Callable[[_R], Row],
    ) -> None:
        self._key = key
        self._order_key = order_key
        self._build = build
        self.rows: list[Row] = []
        """The rows in display order; changed in place, so a holder of the list sees updates.
        A row may be replaced here directly when its sort key stays the same."""
        self._order: list[SortKey] = []
        self._sort_key_of: dict[str, SortKey] = {}

    def fill(self, records: Iterable[_R]) -> None:
        """Every row anew (a first fill, or after the order or filter changed)."""
        ordered = sorted(((self._order_key(r), r) for r in records), key=lambda pair: pair[0])
        self._order = [sort_key for sort_key, _ in ordered]
        self.rows[:] = [self._build(record) for _, record in ordered]
        self._sort_key_of = {
            row[0]: sort_key for row, sort_key in zip(self.rows, self._order, strict=True)
        }

    def put(self, record: _R) -> None:
        """Add the record's row, or replace it, at the place its sort key says (where it was,
        when the sort key did not change: the common case, and no pointers move)."""
        key = self._key(record)
        sort_key = self._order_key(record)
        if self._sort_key_of.get(key) == sort_key:
            self.rows[bisect_left(self._order, sort_key)] = self._build(record)
            return
        self.drop(key)
        at = bisect_left(self._order, sort_key)
        self._order.insert(at, sort_key)
        self.rows.insert(at, self._build(record))
        self._sort_key_of[key] = sort_key

    def drop(self, key: str) -> None:
        at = self.position(key)
        if at is not None:
            del self._order[at], self.rows[at], self._sort_key_of[key]

    def position(self, key: str) -> int | None:
        sort_key = self._sort_key_of.get(key)
        if sort_key is None:
            return None
        return bisect_left(self._order, sort_key)

    def __len__(self) -> int:
        return len(self.rows)
