"""What became of a command or an instance, as a script reads it: one exit status each.

``ssmtui wait`` exits with its command's verdict (the worst of several), and ``ssmtui
snapshot --fail-on`` with the worst verdict among what it was told to fail on. 1 and 2 keep
their meaning for every subcommand (AWS could not be read; bad input), so the verdicts start
at 3.

A command's ``Status`` says too little: ``Failed`` is also what AWS answers for a command
whose ``StatusDetails`` is ``Incomplete`` (every target tried, some did not succeed, fewer
than MaxErrors failed: a partial success), and ``TimedOut`` covers both delivery and execution
time-outs. The verdict reads both fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING

from ssmtui.model.status import CommandStatus, InvocationStatus, is_terminal

if TYPE_CHECKING:  # the records are annotations here: ``ssmtui --help`` need not load them
    from ssmtui.model.types import Command, Invocation


class Verdict(Enum):
    """An outcome, its exit status and its words; declared from the best to the worst."""

    SUCCESS = (0, "succeeded")
    STILL_RUNNING = (7, "still running when --timeout ran out")
    INCOMPLETE = (6, "partly succeeded: some targets did not, fewer than MaxErrors failed")
    CANCELLED = (5, "was cancelled")
    TIMED_OUT = (4, "timed out (delivery or execution)")
    FAILED = (3, "failed")

    def __init__(self, exit_status: int, words: str) -> None:
        self.exit_status = exit_status
        self.words = words

    @property
    def severity(self) -> int:
        """Higher is worse: the order the members are declared in."""
        return list(Verdict).index(self)


TIMED_OUT_DETAILS = {"Delivery Timed Out", "Execution Timed Out"}


def command_verdict(command: Command) -> Verdict | None:
    """None while the command is still executing (Cancelling included)."""
    if not is_terminal(command.status):
        return None
    if command.status == CommandStatus.SUCCESS:
        return Verdict.SUCCESS
    if command.status == CommandStatus.CANCELLED:
        return Verdict.CANCELLED
    if command.status == CommandStatus.TIMED_OUT or command.status_details in TIMED_OUT_DETAILS:
        return Verdict.TIMED_OUT
    if command.status_details == "Incomplete":
        return Verdict.INCOMPLETE
    return Verdict.FAILED


def invocation_verdict(invocation: Invocation) -> Verdict | None:
    """None while the instance is still executing; an Undeliverable or Terminated instance
    (Status Failed, or Cancelled) is what its Status says."""
    if not invocation.terminal:
        return None
    if invocation.status == InvocationStatus.SUCCESS:
        return Verdict.SUCCESS
    if invocation.status == InvocationStatus.CANCELLED:
        return Verdict.CANCELLED
    if invocation.status == InvocationStatus.TIMED_OUT:
        return Verdict.TIMED_OUT
    return Verdict.FAILED


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The worst of them; success when there are none."""
    return max(verdicts, key=lambda verdict: verdict.severity, default=Verdict.SUCCESS)


class FailOn(Enum):
    """What ``snapshot --fail-on`` fails on."""

    FAILED = "failed"
    """Status Failed: a failure, or a partial success (StatusDetails Incomplete)."""
    TIMEDOUT = "timedout"
    ANY_UNSUCCESSFUL = "any-unsuccessful"
    """Every final verdict but success."""

    def matches(self, verdict: Verdict | None) -> bool:
        if verdict is None or verdict is Verdict.SUCCESS:
            return False
        if self is FailOn.FAILED:
            return verdict in (Verdict.FAILED, Verdict.INCOMPLETE)
        if self is FailOn.TIMEDOUT:
            return verdict is Verdict.TIMED_OUT
        return verdict is not Verdict.STILL_RUNNING
