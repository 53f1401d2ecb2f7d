"""How fast an executing command gets through its instances, and when it will be done.

Measured from its own CompletedCount over successive polls (AWS gives no rate), across the last
few minutes, so one burst or one quiet poll does not swing the estimate. A command seen only
once, or for under ``MIN_SPAN``, has no pace yet: an estimate from one sample would be a guess.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType

from ssmtui.model.time_text import short_duration
from ssmtui.model.types import Command

WINDOW = timedelta(minutes=5)
MIN_SPAN = timedelta(seconds=10)
TREND_MINUTES = 240
"""Minutes of a command's run its trend keeps (the last four hours): a sparkline is a few
dozen cells wide, and a bucket a minute costs a few bytes."""
BLOCKS = " ▁▂▃▄▅▆▇█"
"""A sparkline's cells, from none to the most in a minute; nothing at all is a blank."""


@dataclass(frozen=True, slots=True)
class Pace:
    per_minute: float
    """Instances finished a minute, over the last few minutes."""
    remaining: int
    """Instances not finished yet."""
    completions: tuple[int, ...] = ()
    """Instances finished in each minute of the run seen so far, oldest first."""
    failures: tuple[int, ...] = ()
    """Instances that failed or timed out in each of those minutes."""

    @property
    def eta(self) -> timedelta | None:
        """At this pace, how long the rest will take; None while nothing finishes."""
        if self.per_minute <= 0:
            return None
        return timedelta(minutes=self.remaining / self.per_minute)

    def rate_text(self) -> str:
        rate = self.per_minute
        shown = f"{rate:.0f}" if rate >= 10 else f"{rate:.1f}".removesuffix(".0")
        return f"{shown}/min"

    def eta_text(self) -> str:
        return f"ETA {short_duration(self.eta)}" if self.eta is not None else "ETA —"

    def __str__(self) -> str:
        return f"{self.rate_text()} {self.eta_text()}"


class PaceBook:
    """Each executing command's completed count at each poll, for the last ``WINDOW``."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[tuple[datetime, int]]] = {}
        self._minutes: dict[str, dict[int, tuple[int, int]]] = {}
        """Per command, per minute of the clock: its completed and failed counts at the last
        poll in that minute."""
        self._paces: dict[str, Pace] = {}

    @property
    def latest(self) -> Mapping[str, Pace]:
        """The paces as of the last poll noted (read-only: each poll makes a new mapping)."""
        return MappingProxyType(self._paces)

    def note(self, commands: Mapping[str, Command], at: datetime) -> Mapping[str, Pace]:
        """Add this poll's counts; the paces as of it. Finished commands are forgotten."""
        for command_id in [c for c in self._seen if c not in commands or commands[c].terminal]:
            del self._seen[command_id]
            self._minutes.pop(command_id, None)
        self._paces = {}
        for command_id, command in commands.items():
            if command.terminal:
                continue
            seen = self._seen.setdefault(command_id, deque())
            if seen and seen[-1][0] >= at:
                continue  # the same poll again (a fill cycle): nothing new to learn
            seen.append((at, command.completed_count))
            while len(seen) > 2 and at - seen[1][0] >= WINDOW:
                seen.popleft()  # the oldest that still spans the window stays
            minutes = self._minutes.setdefault(command_id, {})
            minute = int(at.timestamp() // 60)
            minutes[minute] = (command.completed_count, _failed(command))
            for old in [m for m in minutes if m <= minute - TREND_MINUTES]:
                del minutes[old]
            if (pace := _pace(seen, command)) is not None:
                done, failed = _trend(minutes)
                self._paces[command_id] = replace(pace, completions=done, failures=failed)
        return self.latest


def _failed(command: Command) -> int:
    return command.error_count + command.delivery_timed_out_count


def _trend(minutes: Mapping[int, tuple[int, int]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Finished and failed in each minute since the first seen: the count at the end of a
    minute less the one before (a minute with no poll carries the last count over)."""
    first, last = min(minutes), max(minutes)
    done, failed, before = [], [], minutes[first]
    for minute in range(first + 1, last + 1):
        now = minutes.get(minute, before)
        done.append(max(0, now[0] - before[0]))
        failed.append(max(0, now[1] - before[1]))
        before = now
    return tuple(done), tuple(failed)


def sparkline(values: tuple[int, ...], width: int) -> str:
    """``values`` in at most ``width`` cells (neighbours summed when there are more), each a
    block as high as its share of the largest; a minute with none is a blank."""
    if not values:
        return ""
    per_cell = -(-len(values) // width)
    cells = [sum(values[at : at + per_cell]) for at in range(0, len(values), per_cell)]
    top = max(cells)
    if top == 0:
        return " " * len(cells)
    return "".join(BLOCKS[0 if n == 0 else max(1, round(n / top * 8))] for n in cells)


def _pace(seen: deque[tuple[datetime, int]], command: Command) -> Pace | None:
    (first_at, first), (last_at, last) = seen[0], seen[-1]
    span = last_at - first_at
    if span < MIN_SPAN:
        return None
    per_minute = max(0, last - first) / (span / timedelta(minutes=1))
    return Pace(per_minute, max(0, command.target_count - command.completed_count))
