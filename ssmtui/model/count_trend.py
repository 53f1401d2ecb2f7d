"""A few counts a minute over the last while: what the wall draws under each count, and what
the pace book keeps of a command's run.

Each poll notes the counts; a minute keeps the last value noted in it, and a minute without a
poll carries the one before over. Only the last ``minutes`` are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

HOUR = 60


class CountTrend:
    def __init__(self, minutes: int = HOUR) -> None:
        self.minutes = minutes
        self._minutes: dict[int, Mapping[str, int]] = {}

    def note(self, counts: Mapping[str, int], at: datetime) -> None:
        minute = int(at.timestamp() // 60)
        self._minutes[minute] = dict(counts)
        for old in [m for m in self._minutes if m <= minute - self.minutes]:
            del self._minutes[old]

    def series(self, name: str) -> tuple[int, ...]:
        """``name``'s value at the end of each minute noted so far, oldest first."""
        if not self._minutes:
            return ()
        first, last = min(self._minutes), max(self._minutes)
        values, value = [], 0
        for minute in range(first, last + 1):
            value = self._minutes.get(minute, {}).get(name, value)
            values.append(value)
        return tuple(values)
