"""What is worth telling an operator who is not watching: a command finished, or began to fail.

Worked out from two successive snapshots of the commands, so each event is told once: the poll
that saw it happen.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ssmtui.model.status import CommandStatus
from ssmtui.model.text import short_id
from ssmtui.model.types import Command, FleetSnapshot
from ssmtui.model.views import failed_instances, has_failures


@dataclass(frozen=True, slots=True)
class Notice:
    command_id: str
    text: str
    alarming: bool
    """A failure, not just news."""


def notices(before: FleetSnapshot, after: FleetSnapshot, watched: Collection[str]) -> list[Notice]:
    """A running command's first failure (any command; an Undeliverable instance counts where
    its listing is known), and the end of a ``watched`` one."""
    told = []
    for command_id, now in after.commands.items():
        then = before.commands.get(command_id)
        if then is None or then.terminal:
            continue
        name = f"{short_id(command_id)} {now.document_name}".rstrip()
        if now.terminal and command_id in watched:
            ok = now.status is CommandStatus.SUCCESS
            told.append(
                Notice(command_id, f"{name} finished: {now.status.value}.", alarming=not ok)
            )
        elif not now.terminal and _failing(now, after) and not _failing(then, before):
            failed = failed_instances(now, after.invocations.get(command_id))
            told.append(
                Notice(
                    command_id,
                    f"{name} has its first failure ({failed} of {now.target_count} instances).",
                    alarming=True,
                )
            )
    return told


def _failing(command: Command, snapshot: FleetSnapshot) -> bool:
    return has_failures(command, snapshot.invocations.get(command.command_id))
