"""What one poll cycle hands to whoever listens: the snapshot, what changed, and its health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ssmtui.aws.client import CallStats
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.reconcile import Delta
from ssmtui.model.types import FleetSnapshot


@dataclass(frozen=True, slots=True)
class CycleHealth:
    started: datetime
    finished: datetime
    stats: CallStats
    error: AwsError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def throttled(self) -> bool:
        """AWS slowed this cycle down: it failed throttled, or retried after throttling."""
        failed_throttled = self.error is not None and self.error.kind is ErrorKind.THROTTLED
        return failed_throttled or self.stats.throttled > 0

    @property
    def seconds(self) -> float:
        return (self.finished - self.started).total_seconds()

    @property
    def total_calls(self) -> int:
        return sum(self.stats.calls.values())

    @property
    def mean_latency_ms(self) -> float:
        calls = self.total_calls
        return 1000 * self.stats.seconds / calls if calls else 0.0


@dataclass(frozen=True, slots=True)
class PollResult:
    snapshot: FleetSnapshot
    """The last good snapshot: this cycle's, or the one before when this cycle failed."""
    delta: Delta
    health: CycleHealth
    last_good: datetime | None

    def data_age(self, now: datetime) -> timedelta | None:
        return now - self.last_good if self.last_good else None


Listener = Callable[[PollResult], Awaitable[None] | None]
