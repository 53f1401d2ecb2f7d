"""The commands pane's memory of the rows it built: a row is rebuilt only when it changed."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from ssmtui.model.cells import Row


class RowMemo:
    """The last row built for each key, with what it was built from.

    A row is reused while its record is the very same object and its clock-driven texts
    (``extras``) are equal. Rows of keys not asked for in a pass are forgotten at its end, so
    the memo holds at most one list's rows. Three flat dicts rather than a tuple per key: a
    tuple holding a record stays tracked by the garbage collector, 20,000 of them for it to
    walk on every full pass.
    """

    def __init__(self) -> None:
        self._records: dict[str, object] = {}
        self._extras: dict[str, tuple[Hashable, ...]] = {}
        self._rows: dict[str, Row] = {}
        self._seen: set[str] = set()

    def row(
        self, key: str, record: object, extras: tuple[Hashable, ...], build: Callable[[], Row]
    ) -> Row:
        self._seen.add(key)
        if self._records.get(key) is record and self._extras.get(key) == extras:
            return self._rows[key]
        made = self._rows[key] = build()
        self._records[key], self._extras[key] = record, extras
        return made

    def forget(self, key: str) -> None:
        self._seen.discard(key)
        self._rows.pop(key, None)
        self._records.pop(key, None)
        self._extras.pop(key, None)

    def forget_unseen(self) -> None:
        """End a pass: keep only the rows this pass asked for."""
        for key in self._rows.keys() - self._seen:
            del self._rows[key], self._records[key], self._extras[key]
        self._seen = set()
