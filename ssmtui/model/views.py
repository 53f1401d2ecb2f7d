"""Pure views over the state tree: counts, progress, durations, filtering and sorting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TypeVar

from ssmtui.model.status import CommandStatus, facts
from ssmtui.model.types import Command, Invocation, InvocationSet


def counts_by_status(records: Iterable[Command | Invocation]) -> Counter[str]:
    return Counter(str(record.status) for record in records)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a command has got across its targets."""

    completed: int
    total: int
    errors: int
    delivery_timed_out: int

    @property
    def fraction(self) -> float:
        """0..1; a command with no targets counts as done once it is final."""
        if self.total <= 0:
            return 0.0
        return min(1.0, max(0.0, self.completed / self.total))

    @property
    def succeeded(self) -> int:
        return max(0, self.completed - self.errors - self.delivery_timed_out)


def progress(command: Command) -> Progress:
    return Progress(
        completed=command.completed_count,
        total=command.target_count,
        errors=command.error_count,
        delivery_timed_out=command.delivery_timed_out_count,
    )


def duration(
    started: datetime | None, finished: datetime | None, now: datetime
) -> timedelta | None:
    """How long something ran, or has been running; None when it never started."""
    if started is None:
        return None
    end = finished if finished is not None else now
    return max(timedelta(0), end - started)


def failed_instances(command: Command, known: InvocationSet | None = None) -> int:
    """The instances of ``command`` that failed: its ErrorCount and DeliveryTimedOutCount,
    or the failed ones among its ``known`` invocations when those are more. An Undeliverable
    instance is in neither count, so only its listing tells of it."""
    counted = max(0, command.error_count) + max(0, command.delivery_timed_out_count)
    return max(counted, known.failed if known is not None else 0)


def has_failures(command: Command, known: InvocationSet | None = None) -> bool:
    """Whether some instance of ``command`` did not succeed: a failed instance while it runs
    (``failed_instances``), and any final status but Success once it ended."""
    if failed_instances(command, known):
        return True
    return command.terminal and command.status != CommandStatus.SUCCESS


def failures_while_running(
    commands: Iterable[Command], known: Mapping[str, InvocationSet] | None = None
) -> str:
    """'✖ 7 failed in 2 running': the instances that failed inside commands still running,
    which a count of commands by status cannot show; '' when there are none."""
    known = known or {}
    failed = [failed_instances(c, known.get(c.command_id)) for c in commands if not c.terminal]
    if not sum(failed):
        return ""
    return f"✖ {sum(failed)} failed in {sum(1 for n in failed if n)} running"


def no_instances_reason(command: Command | None) -> str:
    """Why ``command`` has no instances to show, in the operator's words; '' when it has some.
    A command sent to Targets has none for a moment while they are resolved, and none ever
    when no instance matched them (Failed, "No Instances In Tag")."""
    if command is None or command.target_count:
        return ""
    if command.terminal:
        return f"no instance matched its targets ({command.status_details or command.status})"
    return "its targets are being resolved"


def shared_name_tag(command: Command | None) -> str:
    """The Name tag every instance of ``command`` has, when it was sent to Targets that name
    exactly one Name tag value (``tag:Name=web``); '' otherwise. No read-only SSM answer
    carries an EC2 instance's tags, so this is the only Name tag ssmtui can know."""
    if command is None:
        return ""
    named = [target for target in command.targets if target.key == "tag:Name"]
    if len(named) == 1 and len(named[0].values) == 1:
        return named[0].values[0]
    return ""


def invocation_duration(invocation: Invocation, now: datetime) -> timedelta | None:
    """From the first step's start to the last step's end (or now, while it runs)."""
    if not invocation.plugins:
        return None
    starts = [p.started for p in invocation.plugins if p.started is not None]
    if not starts:
        return None
    ends = [p.finished for p in invocation.plugins if p.finished is not None]
    finished = max(ends) if invocation.terminal and ends else None
    return duration(min(starts), finished, now)


def _haystack(*parts: object) -> str:
    return " ".join(str(part) for part in parts if part).casefold()


def command_matches(command: Command, needle: str) -> bool:
    """Whether a user's filter text appears in any field an operator would search."""
    return needle.casefold() in _haystack(
        command.command_id,
        command.document_name,
        command.comment,
        command.status,
        command.status_details,
    )


def invocation_matches(invocation: Invocation, needle: str) -> bool:
    return needle.casefold() in _haystack(
        invocation.instance_id,
        invocation.instance_name,
        invocation.status,
        invocation.status_details,
    )


class CommandSort(Enum):
    """The orders the commands list cycles through."""

    NEWEST = "newest"
    STATUS = "status"
    DOCUMENT = "document"
    PROGRESS = "progress"


# Attention first: what is failing or running comes before what is done well.
def status_rank(status: str) -> int:
    return facts(status).rank


def _newest_first(command: Command) -> float:
    return -(command.requested.timestamp() if command.requested else 0.0)


def sort_commands(commands: Iterable[Command], order: CommandSort) -> list[Command]:
    """Sorted for display; ties fall back to newest first, then id, so order is stable."""
    rows = sorted(commands, key=lambda c: (_newest_first(c), c.command_id))
    if order is CommandSort.STATUS:
        rows.sort(key=lambda c: status_rank(c.status))
    elif order is CommandSort.DOCUMENT:
        rows.sort(key=lambda c: c.document_name.casefold())
    elif order is CommandSort.PROGRESS:
        rows.sort(key=lambda c: progress(c).fraction)
    return rows


class InvocationSort(Enum):
    INSTANCE = "instance"
    STATUS = "status"
    NAME = "name"


def invocation_sort_key(order: InvocationSort) -> Callable[[Invocation], tuple[Hashable, ...]]:
    """What ``order`` sorts by, ending with the instance id: no two keys are equal, so a long
    list kept in this order can find a row by bisection."""
    if order is InvocationSort.STATUS:
        return lambda i: (status_rank(i.status), i.instance_id)
    if order is InvocationSort.NAME:
        return lambda i: (i.instance_name.casefold(), i.instance_id)
    return lambda i: (i.instance_id,)


def sort_invocations(
    invocations: Iterable[Invocation], order: InvocationSort
) -> Sequence[Invocation]:
    return sorted(invocations, key=invocation_sort_key(order))


def status_glyph(status: str) -> str:
    """A glyph to go with the status word (never instead of it): '?' for one never seen."""
    return facts(status).glyph


def status_label(status: str) -> str:
    return f"{status_glyph(status)} {status}"


_R = TypeVar("_R")


def filtered(
    records: Iterable[_R],
    needle: str,
    keep: str | None,
    key: Callable[[_R], str],
    matches: Callable[[_R, str], bool],
) -> list[_R]:
    """The records the filter lets through, and ``keep`` (the selected one) whatever it says:
    a poll never pulls the row from under the cursor."""
    if not needle:
        return list(records)
    return [r for r in records if key(r) == keep or matches(r, needle)]


def cycled(options: tuple[_R, ...], current: _R) -> _R:
    """The option after ``current``, round to the first: ``s`` steps through sort orders."""
    return options[(options.index(current) + 1) % len(options)]
