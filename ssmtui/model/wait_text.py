"""What ``ssmtui wait`` says of a command while it waits: a bar for a terminal, a line for a log.

Both are built from the same tally the dashboard's commands pane draws (the instances by
category when every page of them came, else the command's own counts), so a script's log and
the screen never disagree.
"""

from __future__ import annotations

from ssmtui.model.command_pane import command_breakdown, pace_text
from ssmtui.model.outcomes import Breakdown, counts_text
from ssmtui.model.pace import Pace
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command, InvocationSet
from ssmtui.model.views import status_label

BAR_WIDTH = 20


def bar(breakdown: Breakdown, width: int = BAR_WIDTH) -> str:
    """Done targets as full blocks, the rest as light shade."""
    total = breakdown.total
    filled = round(width * breakdown.done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def state_line(
    command: Command, invocations: InvocationSet | None, pace: Pace | None, *, with_bar: bool
) -> str:
    """One line of where the command stands; every text from AWS neutralised."""
    breakdown = command_breakdown(command, invocations)
    parts = [
        short_id(command.command_id),
        neutralise(status_label(command.status), single_line=True),
    ]
    if with_bar:
        parts.append(bar(breakdown))
    parts.append(f"{breakdown.done}/{breakdown.total}")
    counted = counts_text(breakdown.counts)
    if counted:
        parts.append(counted)
    paced = pace_text(command, pace)
    if paced:
        parts.append(paced)
    return "  ".join(parts)
