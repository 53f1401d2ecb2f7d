"""What is worth telling an operator who is not watching: a command finished, or began to fail.

Worked out from two successive snapshots of the commands, so each event is told once: the poll
that saw it happen.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ssmtui.model.status import CommandStatus
from ssmtui.model.text import short_id
from ssmtui.model.types import Command
from ssmtui.model.views import has_failures


@dataclass(frozen=True, slots=True)
class Notice:
    command_id: str
    text: str
    alarming: bool
    """A failure, not just news."""


def notices(
    before: Mapping[str, Command], after: Mapping[str, Command], watched: Collection[str]
) -> list[Notice]:
    """A running command's first failure (any command), and the end of a ``watched`` one."""
    told = []
    for command_id, now in after.items():
        then = before.get(command_id)
        if then is None or then.terminal:
            continue
        name = f"{short_id(command_id)} {now.document_name}".rstrip()
        if now.terminal and command_id in watched:
            ok = now.status is CommandStatus.SUCCESS
            told.append(
                Notice(command_id, f"{name} finished: {now.status.value}.", alarming=not ok)
            )
        elif not now.terminal and has_failures(now) and not has_failures(then):
            failed = now.error_count + now.delivery_timed_out_count
            told.append(
                Notice(
                    command_id,
                    f"{name} has its first failure ({failed} of {now.target_count} instances).",
                    alarming=True,
                )
            )
    return told
