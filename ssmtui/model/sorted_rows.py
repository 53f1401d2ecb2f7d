"""A long list's rows, kept in display order and patched by key.

Rebuilding and re-sorting 20,000 rows costs about 50 ms of Python per poll, every poll, though
a poll moves only the instances that changed and the running ones' times. ``SortedRows`` keeps
the records in order beside their sort keys; a changed record is taken out where its old sort
key says and put back where its new one says (a bisection and a move of pointers), so a poll
costs the records that changed, and a row is built only when it is read (``LazyRows``). Each
sort key ends with the row key, so no two are equal and a row's place is found by bisection,
without an index to rebuild.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar, overload

from ssmtui.model.cells import Row

_R = TypeVar("_R")

SortKey = tuple[Hashable, ...]


class LazyRows(Sequence[Row], Generic[_R]):
    """Rows in the order of their records, each built the first time it is read.

    A table reads the rows on screen, and a poll reads the rows it changed: the other rows of
    a 20,000-instance list are never built until someone scrolls to them, so a fill or a new
    sort order costs a sort of keys, not 20,000 rows.
    """

    def __init__(self, records: list[_R], build: Callable[[_R], Row]) -> None:
        self._records = records
        self._build = build
        self._built: list[Row | None] = []

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._built[index]
        if row is None:
            row = self._built[index] = self._build(self._records[index])
        return row

    def __setitem__(self, index: int, row: Row) -> None:
        """A row rebuilt in place by its holder (the same record, seen later)."""
        self._built[index] = row

    def _inserted(self, index: int) -> None:
        self._built.insert(index, None)

    def _deleted(self, index: int) -> None:
        del self._built[index]

    def _replaced(self, index: int) -> None:
        self._built[index] = None

    def _reset(self) -> None:
        self._built[:] = [None] * len(self._records)


class SortedRows(Generic[_R]):
    """Rows in the order of ``order_key(record)``, each built by ``build(record)`` when read."""

    def __init__(
        self,
        key: Callable[[_R], str],
        order_key: Callable[[_R], SortKey],
        build: Callable[[_R], Row],
    ) -> None:
        self._key = key
        self._order_key = order_key
        self._records: list[_R] = []
        self.rows = LazyRows(self._records, build)
        """The rows in display order; changed in place, so a holder of it sees updates."""
        self._order: list[SortKey] = []
        self._sort_key_of: dict[str, SortKey] = {}

    def fill(self, records: Iterable[_R]) -> None:
        """Every row anew (a first fill, or after the order or filter changed)."""
        ordered = sorted(((self._order_key(r), r) for r in records), key=lambda pair: pair[0])
        self._order = [sort_key for sort_key, _ in ordered]
        self._records[:] = [record for _, record in ordered]
        self.rows._reset()
        self._sort_key_of = {self._key(record): sort_key for sort_key, record in ordered}

    def put(self, record: _R) -> None:
        """Add the record's row, or replace it, at the place its sort key says (where it was,
        when the sort key did not change: the common case, and no pointers move)."""
        key = self._key(record)
        sort_key = self._order_key(record)
        if self._sort_key_of.get(key) == sort_key:
            at = bisect_left(self._order, sort_key)
            self._records[at] = record
            self.rows._replaced(at)
            return
        self.drop(key)
        at = bisect_left(self._order, sort_key)
        self._order.insert(at, sort_key)
        self._records.insert(at, record)
        self.rows._inserted(at)
        self._sort_key_of[key] = sort_key

    def drop(self, key: str) -> None:
        at = self.position(key)
        if at is not None:
            del self._order[at], self._records[at], self._sort_key_of[key]
            self.rows._deleted(at)

    def position(self, key: str) -> int | None:
        sort_key = self._sort_key_of.get(key)
        if sort_key is None:
            return None
        return bisect_left(self._order, sort_key)

    def __len__(self) -> int:
        return len(self._records)
