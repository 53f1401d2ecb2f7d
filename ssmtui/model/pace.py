"""How fast an executing command gets through its instances, and when it will be done.

Measured from its own CompletedCount over successive polls (AWS gives no rate), across the last
few minutes, so one burst or one quiet poll does not swing the estimate. A command seen only
once, or for under ``MIN_SPAN``, has no pace yet: an estimate from one sample would be a guess.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from types import MappingProxyType

from ssmtui.model.count_trend import CountTrend
from ssmtui.model.time_text import short_duration
from ssmtui.model.types import Command

WINDOW = timedelta(minutes=5)
MIN_SPAN = timedelta(seconds=10)
TREND_MINUTES = 240
"""Minutes of a command's run its trend keeps (the last four hours): a sparkline is a few
dozen cells wide, and a bucket a minute costs a few bytes."""


@dataclass(frozen=True, slots=True)
class Pace:
    per_minute: float
    """Instances finished a minute, over the last few minutes."""
    remaining: int
    """Instances not finished yet."""
    done_by_minute: tuple[int, ...] = ()
    """Its CompletedCount at the end of each minute of the run seen so far, oldest first."""
    failed_by_minute: tuple[int, ...] = ()
    """Its failed and timed-out instances at the end of each of those minutes."""

    @property
    def completions(self) -> tuple[int, ...]:
        """Instances finished in each minute (worked out only for the command on screen)."""
        return per_minute(self.done_by_minute)

    @property
    def failures(self) -> tuple[int, ...]:
        """Instances that failed or timed out in each minute."""
        return per_minute(self.failed_by_minute)

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
        self._trends: dict[str, CountTrend] = {}
        """Per command, its completed and failed counts at the last poll of each minute."""
        self._paces: dict[str, Pace] = {}

    @property
    def latest(self) -> Mapping[str, Pace]:
        """The paces as of the last poll noted (read-only: each poll makes a new mapping)."""
        return MappingProxyType(self._paces)

    def note(self, commands: Mapping[str, Command], at: datetime) -> Mapping[str, Pace]:
        """Add this poll's counts; the paces as of it. Finished commands are forgotten."""
        for command_id in [c for c in self._seen if c not in commands or commands[c].terminal]:
            del self._seen[command_id]
            self._trends.pop(command_id, None)
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
            trend = self._trends.setdefault(command_id, CountTrend(TREND_MINUTES))
            trend.note({"done": command.completed_count, "failed": _failed(command)}, at)
            if (pace := _pace(seen, command, trend)) is not None:
                self._paces[command_id] = pace
        return self.latest


def _failed(command: Command) -> int:
    return command.error_count + command.delivery_timed_out_count


def per_minute(levels: tuple[int, ...]) -> tuple[int, ...]:
    """What each minute added to a count (never less than nothing: a count AWS lowered)."""
    return tuple(max(0, after - before) for before, after in pairwise(levels))


def _pace(seen: deque[tuple[datetime, int]], command: Command, trend: CountTrend) -> Pace | None:
    (first_at, first), (last_at, last) = seen[0], seen[-1]
    span = last_at - first_at
    if span < MIN_SPAN:
        return None
    rate = max(0, last - first) / (span / timedelta(minutes=1))
    remaining = max(0, command.target_count - command.completed_count)
    return Pace(rate, remaining, trend.series("done"), trend.series("failed"))
