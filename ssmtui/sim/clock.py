"""Clocks for the simulator: one a test steps by hand, one that follows wall time at a speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the simulator reads the time; always timezone-aware UTC."""

    def now(self) -> datetime: ...


class ManualClock:
    """A clock that moves only when told to, so a test can step a scenario deterministically."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self._now += timedelta(seconds=seconds)
        return self._now


class ScaledClock:
    """Wall time from ``start``, running ``speed`` times as fast; ``speed=0`` freezes it."""

    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must be zero or positive")
        self._start = start.astimezone(UTC)
        self._speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()

    def now(self) -> datetime:
        elapsed = (self._monotonic() - self._origin) * self._speed
        return self._start + timedelta(seconds=elapsed)
