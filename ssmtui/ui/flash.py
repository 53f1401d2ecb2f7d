"""Which rows changed status a moment ago, so a table can highlight them briefly."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from ssmtui.model.reconcile import Delta

FLASH_SECONDS = 2.0


class Flashes:
    """Row keys whose status changed, each until a deadline on a monotonic clock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}

    def note(self, keys: Iterable[str]) -> None:
        """Light ``keys`` up, and forget every key whose time is up: rows that scrolled away
        are never asked about again, and a long run must not keep a key for each of them."""
        now = self._clock()
        self._until = {key: until for key, until in self._until.items() if until > now}
        deadline = now + FLASH_SECONDS
        for key in keys:
            self._until[key] = deadline

    def __len__(self) -> int:
        """How many keys are remembered (lit, or not yet asked about since their time ran out)."""
        return len(self._until)

    def active(self, key: str) -> bool:
        until = self._until.get(key)
        if until is None:
            return False
        if until <= self._clock():
            del self._until[key]
            return False
        return True


def status_changes(delta: Delta, key_parts: int) -> frozenset[str]:
    """The last key part of every record keyed by ``key_parts`` ids (1: a command, 2: an
    invocation) whose status changed in ``delta``; new rows are not flashed, the first fill
    would light up everything."""
    return frozenset(
        key[-1]
        for key, fields in delta.changed.items()
        if len(key) == key_parts and "status" in fields
    )
