"""Model records for screen tests, built by hand: what a poll would have parsed from AWS.

Each builder takes only what a test cares about and fills the rest as AWS would (times that
agree with the statuses, counts that agree with the invocations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus, is_terminal
from ssmtui.model.types import Command, FleetSnapshot, Invocation, InvocationSet, PluginResult

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def command_id(n: int) -> str:
    """A CommandId of AWS's shape (a UUID), different in its first eight characters."""
    return f"{n:08x}-1111-4222-8333-{n:012x}"


def command(
    n: int,
    status: str = "InProgress",
    *,
    document: str = "AWS-RunShellScript",
    comment: str = "",
    minutes_ago: float = 5,
    targets: int = 3,
    completed: int = 0,
    errors: int = 0,
    at: datetime = NOW,
) -> Command:
    return Command(
        command_id(n),
        CommandStatus(status),
        status_details=status,
        document_name=document,
        comment=comment,
        requested=at - timedelta(minutes=minutes_ago),
        target_count=targets,
        completed_count=completed,
        error_count=errors,
        max_concurrency="50",
        max_errors="0",
    )


def step(
    name: str,
    status: str = "Success",
    *,
    code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    seconds_ago: float = 60,
    took: float = 5,
    at: datetime = NOW,
) -> PluginResult:
    """One step on one instance; a finished step's output as GetCommandInvocation gave it."""
    plugin_status = PluginStatus(status)
    finished = is_terminal(plugin_status)
    started = at - timedelta(seconds=seconds_ago) if status != "Pending" else None
    if code is None:
        code = {"Success": 0, "Failed": 1}.get(status, -1)
    return PluginResult(
        name,
        plugin_status,
        status_details=status,
        response_code=code,
        started=started,
        finished=started + timedelta(seconds=took) if finished and started else None,
        output=(stdout or "")[:2500],
        stdout=stdout,
        stderr=stderr,
    )


def killed_on_windows(name: str = "RunPowerShellScript") -> PluginResult:
    """A step its time-out killed on Windows: the SSM Agent reports -1, with start and end."""
    return PluginResult(
        name,
        PluginStatus.TIMED_OUT,
        status_details="Execution Timed Out",
        response_code=-1,
        started=NOW - timedelta(minutes=5),
        finished=NOW,
    )


def invocation(
    of: Command, instance: str, status: str = "InProgress", *steps: PluginResult, name: str = ""
) -> Invocation:
    """``of`` on ``instance``; with no steps given, the steps were not fetched (no Details)."""
    return Invocation(
        of.command_id,
        instance,
        InvocationStatus(status),
        status_details=status,
        instance_name=name,
        requested=of.requested,
        plugins=tuple(steps) if steps else None,
    )


def fleet(
    commands: Iterable[Command], invocations: Iterable[Invocation] = (), *, at: datetime = NOW
) -> FleetSnapshot:
    """The snapshot a poll at ``at`` would give: these commands, and these invocations grouped
    by command as complete sets."""
    by_command: dict[str, dict[str, Invocation]] = {}
    for record in invocations:
        by_command.setdefault(record.command_id, {})[record.instance_id] = record
    return FleetSnapshot(
        MappingProxyType({c.command_id: c for c in commands}),
        MappingProxyType(
            {
                cid: InvocationSet(MappingProxyType(records), at, failed=failed(records))
                for cid, records in by_command.items()
            }
        ),
        at,
    )


def later(snapshot: FleetSnapshot, seconds: float, *changed: Command | Invocation) -> FleetSnapshot:
    """``snapshot`` as a poll ``seconds`` later sees it, with ``changed`` records replacing
    (or joining) those of the same key; every other record is the very same object."""
    at = snapshot.taken_at + timedelta(seconds=seconds)
    commands = dict(snapshot.commands)
    sets = {cid: dict(records.by_instance) for cid, records in snapshot.invocations.items()}
    for record in changed:
        if isinstance(record, Command):
            commands[record.command_id] = record
        else:
            sets.setdefault(record.command_id, {})[record.instance_id] = record
    return fleet(commands.values(), [r for s in sets.values() for r in s.values()], at=at)


def without(snapshot: FleetSnapshot, command: Command) -> FleetSnapshot:
    """``snapshot`` with ``command`` and its invocations gone (it left the filters)."""
    return replace(
        snapshot,
        commands=MappingProxyType(
            {cid: c for cid, c in snapshot.commands.items() if cid != command.command_id}
        ),
        invocations=MappingProxyType(
            {cid: s for cid, s in snapshot.invocations.items() if cid != command.command_id}
        ),
    )


def failed(records: Mapping[str, Invocation]) -> int:
    """What the tracker counts of a set: the instances that ended Failed or TimedOut."""
    return sum(1 for r in records.values() if r.status in ("Failed", "TimedOut"))
