"""What one poll cycle hands to whoever listens: the snapshot, what changed, and its health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from ssmtui.aws.client import CallStats
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.pace import Pace
from ssmtui.model.reconcile import Delta
from ssmtui.model.step_text import StepText
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import FleetSnapshot

_SERVICE_OF = {"GetLogEvents": "logs", "GetObject": "s3"}
"""The operations outside SSM the poller may call, and their services' IAM prefixes."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """One operation that failed while its cycle went on, as the screen tells it."""

    operation: str
    denied: bool
    """AWS said the identity may not call it: retrying will not help, a policy change will."""
    throttled: bool
    reason: str
    """One sentence, neutralised."""

    @staticmethod
    def of(operation: str, error: AwsError) -> Refusal:
        return Refusal(
            operation,
            error.kind is ErrorKind.ACCESS_DENIED,
            error.kind is ErrorKind.THROTTLED,
            str(error),
        )

    @property
    def short(self) -> str:
        """A few words for a pane's title."""
        if self.denied:
            service = _SERVICE_OF.get(self.operation, "ssm")
            return f"{service}:{self.operation} denied"
        return "throttled" if self.throttled else f"{self.operation} failed"


@dataclass(frozen=True, slots=True)
class CycleHealth:
    started: datetime
    finished: datetime
    stats: CallStats
    error: AwsError | None = None
    """The cycle failed: nothing it fetched is shown (the commands list could not be read)."""
    failed: Mapping[str, AwsError] = field(default_factory=lambda: MappingProxyType({}))
    """Operations that failed while the cycle went on: the part of the screen each one feeds
    keeps its last good data, and the rest is this cycle's."""

    @property
    def ok(self) -> bool:
        return self.error is None

    def refusal(self, operation: str) -> Refusal | None:
        """Why ``operation`` failed this cycle, if it did."""
        error = self.failed.get(operation)
        return Refusal.of(operation, error) if error is not None else None

    @property
    def refusals(self) -> tuple[Refusal, ...]:
        return tuple(Refusal.of(operation, error) for operation, error in self.failed.items())

    @property
    def throttled(self) -> bool:
        """AWS slowed this cycle down: it failed throttled, or retried after throttling."""
        errors = [self.error, *self.failed.values()]
        failed_throttled = any(e is not None and e.kind is ErrorKind.THROTTLED for e in errors)
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
class Source:
    """One (profile, region) polled, and the account its credentials belong to."""

    region: str
    account: str = ""
    profile: str | None = None

    def __str__(self) -> str:
        who = self.profile or self.account or "default"
        return f"{who} {self.region}"


@dataclass(frozen=True, slots=True)
class PollResult:
    snapshot: FleetSnapshot
    """The last good snapshot: this cycle's, or the one before when this cycle failed."""
    delta: Delta
    health: CycleHealth
    last_good: datetime | None
    region: str = ""
    """Where the poll went: the region, and the endpoint (AWS's, or another's)."""
    endpoint: str = ""
    step_text: StepText | None = None
    """The focused step's output from CloudWatch Logs (while it runs) or S3 (when asked)."""
    more_history: bool = False
    """Older finished commands are there to be read (``Poller.load_more_history``)."""
    paces: Mapping[str, Pace] = field(default_factory=lambda: MappingProxyType({}))
    """Each executing command's pace (instances a minute, ETA), where there is one yet."""
    sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))
    """Polling several accounts or regions: where each command was read (empty with one)."""
    source_errors: Mapping[Source, AwsError] = field(default_factory=lambda: MappingProxyType({}))
    """The sources whose latest poll failed: their commands show their last good poll."""
    swept: SweptSteps | None = None
    """Every instance's steps of the command in focus, as far as its sweep has read them
    (None: no sweep asked for)."""

    def data_age(self, now: datetime) -> timedelta | None:
        return now - self.last_good if self.last_good else None


Listener = Callable[[PollResult], Awaitable[None] | None]
