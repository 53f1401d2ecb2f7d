"""A few counts a minute over the last while: what the wall draws under each count, and what
the pace book keeps of a command's run.

Each poll notes the counts; a minute keeps the last value noted in it, and a minute without a
poll carries the one before over. Only the last ``minutes`` are kept. A poll costs a few
appends, whatever the length: the pace book notes every executing command each poll.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from datetime import datetime

HOUR = 60


class CountTrend:
    def __init__(self, minutes: int = HOUR) -> None:
        self.minutes = minutes
        self._last: int | None = None
        """The minute of the clock the newest values belong to."""
        self._values: dict[str, deque[int]] = {}

    def note(self, counts: Mapping[str, int], at: datetime) -> None:
        minute = int(at.timestamp() // 60)
        skipped = 0 if self._last is None else min(max(0, minute - self._last), self.minutes)
        for name, value in counts.items():
            values = self._values.setdefault(name, deque(maxlen=self.minutes))
            if skipped:
                before = values[-1] if values else 0
                values.extend([before] * (skipped - 1))  # minutes without a poll
                values.append(value)
            elif values and self._last == minute:
                values[-1] = value  # a later poll in the same minute
            else:
                values.append(value)
        self._last = minute if self._last is None else max(self._last, minute)

    def series(self, name: str) -> tuple[int, ...]:
        """``name``'s value at the end of each minute noted so far, oldest first."""
        return tuple(self._values.get(name, ()))
