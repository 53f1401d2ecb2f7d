"""One command's invocations as known, with the counts that tracking needs kept as they change.

A 20,000-instance command is tracked with a few dozen records a cycle; walking all 20,000 to
count them each cycle would cost more than the calls. So the book counts as records come in:
by status, how many are final and of which kind (in the terms of a command's own counts), and
which are waiting or moving; and it notes which instances changed since the screen last took
the set, so that reconciling a poll costs the records that moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ssmtui.model.failures import did_not_succeed
from ssmtui.model.status import InvocationStatus
from ssmtui.model.types import Command, Invocation

_PROGRESS = {
    InvocationStatus.PENDING: 0,
    InvocationStatus.DELAYED: 1,
    InvocationStatus.IN_PROGRESS: 2,
    InvocationStatus.CANCELLING: 3,
}
FINAL = 4
_ERROR_DETAILS = frozenset({"Failed", "Execution Timed Out"})
_DELIVERY_TIMED_OUT = "Delivery Timed Out"


def progress(invocation: Invocation) -> int:
    """How far along an invocation is (Pending 0, Delayed 1, InProgress 2, Cancelling 3,
    final 4); a status AWS added later counts as running."""
    if invocation.terminal:
        return FINAL
    return _PROGRESS.get(invocation.status, _PROGRESS[InvocationStatus.IN_PROGRESS])


@dataclass(frozen=True, slots=True)
class Tally:
    """What a set of invocations adds up to, in the terms of a command's own counts."""

    records: int
    completed: int
    errors: int
    """Failed or Execution Timed Out, as ErrorCount counts them."""
    delivery_timed_out: int

    def short_of(self, command: Command) -> bool:
        """Fewer invocations, or fewer final ones (of some kind), than the command says."""
        return (
            self.records < command.target_count
            or self.completed < command.completed_count
            or self.errors < command.error_count
            or self.delivery_timed_out < command.delivery_timed_out_count
        )

    def beyond(self, command: Command) -> bool:
        """More final invocations (of some kind) than the command says it has."""
        return (
            self.completed > command.completed_count
            or self.errors > command.error_count
            or self.delivery_timed_out > command.delivery_timed_out_count
        )


class InvocationBook:
    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.records: dict[str, Invocation] = {}
        self.by_status: Counter[str] = Counter()
        self.pending: set[str] = set()
        self.moving: set[str] = set()
        """Delayed, InProgress, Cancelling, or a status AWS added later: what can move next."""
        self.unexplained: set[str] = set()
        """Instances that did not succeed and whose steps are not known yet: kept as records
        come and go, so a cycle finds them without walking a fleet of 20,000."""
        self._completed = self._errors = self._delivery = 0
        self.touched: set[str] | None = set()
        """Instances stored since the screen last took the set; None: all may have changed."""

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Invocation]:
        return iter(self.records.values())

    def get(self, instance_id: str) -> Invocation | None:
        return self.records.get(instance_id)

    def store(self, record: Invocation) -> None:
        old = self.records.get(record.instance_id)
        if old is record:
            return
        if old is not None:
            self._count(old, -1)
        self.records[record.instance_id] = record
        self._count(record, 1)
        if self.touched is not None:
            self.touched.add(record.instance_id)

    def clear(self) -> None:
        """Forget every record (a whole listing replaces them): all may have changed."""
        self._reset()
        self.touched = None

    def tally(self) -> Tally:
        return Tally(len(self.records), self._completed, self._errors, self._delivery)

    def all_final(self) -> bool:
        return self._completed == len(self.records)

    def _count(self, record: Invocation, sign: int) -> None:
        instance_id = record.instance_id
        self.by_status[record.status] += sign
        if did_not_succeed(record) and record.plugins is None:
            if sign > 0:
                self.unexplained.add(instance_id)
            else:
                self.unexplained.discard(instance_id)
        stage = progress(record)
        if stage == FINAL:
            details = record.status_details
            self._completed += sign
            self._errors += sign * (details in _ERROR_DETAILS)
            self._delivery += sign * (details == _DELIVERY_TIMED_OUT)
            return
        waiting = self.pending if stage == 0 else self.moving
        if sign > 0:
            waiting.add(instance_id)
        else:
            waiting.discard(instance_id)
