"""What became of each target, in one set of categories for the progress bar and the tally.

A status alone says too little: an Undeliverable instance and a cancelled one are "done" to
CompletedCount, and a bar that drew every completed target as success would paint them green.
Each invocation falls in one category by its Status and StatusDetails. A command whose
instances were not fetched has only its counts: ErrorCount (Failed and execution time-outs),
DeliveryTimedOutCount and CompletedCount. What completed without an error is then success only
when the command itself succeeded; otherwise it is "ended", drawn apart, since it may hold
cancelled or undeliverable targets the counts do not name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ssmtui.model.status import CommandStatus, InvocationStatus, Outcome, facts
from ssmtui.model.types import Command, Invocation


def outcome_of(invocation: Invocation) -> Outcome:
    """Its category; a status AWS added since is counted as failed once final (it did not
    succeed), as running before."""
    failed = invocation.status == InvocationStatus.FAILED
    if failed and invocation.status_details == "Undeliverable":
        return Outcome.UNDELIVERABLE
    return facts(invocation.status).outcome


@dataclass(frozen=True, slots=True)
class Breakdown:
    """How many targets of a command are in each category, out of ``total``."""

    counts: Counter[Outcome]
    total: int

    @property
    def done(self) -> int:
        return sum(n for outcome, n in self.counts.items() if outcome.block)

    def __getitem__(self, outcome: Outcome) -> int:
        return self.counts[outcome]


def breakdown_of_invocations(invocations: Iterable[Invocation], total: int) -> Breakdown:
    counts = Counter(outcome_of(invocation) for invocation in invocations)
    return Breakdown(counts, max(total, sum(counts.values())))


def breakdown_of_counts(command: Command) -> Breakdown:
    """What the command's own counts can tell; see the module's docstring."""
    errors = max(0, command.error_count)
    late = max(0, command.delivery_timed_out_count)
    rest = max(0, command.completed_count - errors - late)
    counts = Counter(
        {
            Outcome.FAILED: errors,
            Outcome.TIMED_OUT: late,
            Outcome.SUCCEEDED if command.status == CommandStatus.SUCCESS else Outcome.ENDED: rest,
        }
    )
    return Breakdown(+counts, command.target_count)


def counts_text(counts: Mapping[Outcome, int]) -> str:
    """'▶ 188  ✖ 3  ✉ 1  ✔ 809': each category with any, most urgent first, glyph and count
    (never colour alone); what ended without a word of how is 'ended N'."""
    return "  ".join(
        f"{outcome.glyph} {counts[outcome]}" if outcome.glyph else f"ended {counts[outcome]}"
        for outcome in Outcome
        if counts.get(outcome)
    )
