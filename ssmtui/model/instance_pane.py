"""The instances pane's renderer: its columns, and the row of one invocation.

The pane keeps its rows in ``SortedRows``, which builds a row when it is drawn, so this
module gives one row at a time. The "took" cell of a running instance moves with the clock;
the pane finds it by name (``COLUMNS.position("took")``) to bring it up to date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ssmtui.model.cells import Cell, Row, line, status_cell
from ssmtui.model.columns import Column, Columns
from ssmtui.model.deciding import deciding_step, response_code
from ssmtui.model.durations import Straggler
from ssmtui.model.fleet_steps import NO_STEPS, FleetSteps
from ssmtui.model.swept import SweptSteps
from ssmtui.model.time_text import day_time, short_duration
from ssmtui.model.types import Invocation, InvocationSet
from ssmtui.model.views import (
    InvocationSort,
    filtered,
    invocation_duration,
    invocation_matches,
    sort_invocations,
)

COLUMNS = Columns(  # most telling first: a narrow terminal scrolls sideways for the rest
    Column("instance", "Instance", 19),
    Column("status", "Status", 13),
    Column("name", "Name", 16, grow=True),
    Column("rc", "RC", 4),
    Column("took", "Took", 7),
    Column("details", "Details", 18, grow=True),
    Column("requested", "Requested UTC", 14),
)


@dataclass(frozen=True, slots=True)
class InstancesView:
    """Everything the instances pane shows, as of one poll and one selection."""

    command_id: str | None
    """The selected command; None: nothing selected yet."""
    invocations: InvocationSet | None
    """Its instances as of the poll; None: none fetched yet."""
    now: datetime
    selected: str | None = None
    """The selected instance: its row stays whatever the filter says."""
    changed: frozenset[str] = frozenset()
    """Instances whose status this poll changed (their status cell lights up)."""
    touched: frozenset[str] | None = None
    """Instances this poll added, changed or removed; None: unknown, rebuild every row."""
    name_tag: str = ""
    """The Name tag every instance shares, shown instead of host names; '' when unknown."""
    empty_reason: str = ""
    """Why the command has no instances, said where they would be."""
    pace: str = ""
    """How far and how fast the command has gone, said under its instances."""
    steps: FleetSteps = NO_STEPS
    """Every instance's steps known (the poll's and its sweep's): what ``?text`` searches."""
    stragglers: Mapping[str, Straggler] = field(default_factory=dict)
    """Running instances slower than the 95th percentile of those that finished their step."""
    swept: SweptSteps | None = None
    """How far the sweep of every instance's steps has read, when one runs."""


_DNS_LABEL = re.compile(r"[A-Za-z0-9-]{1,63}")


def short_host_name(host: str) -> str:
    """A host name's first label, as ``hostname -s`` gives it: ``ip-10-0-1-23`` of
    ``ip-10-0-1-23.eu-west-1.compute.internal``, the part that tells hosts apart in a narrow
    column; an IP address stays whole."""
    labels = host.split(".")
    if (
        len(labels) < 2
        or host.replace(".", "").isdigit()
        or not all(map(_DNS_LABEL.fullmatch, labels))
    ):
        return host  # not a host name, or an address: shown whole
    return labels[0]


def invocation_row(
    invocation: Invocation, now: datetime, today: date, name_tag: str = "", note: str = ""
) -> Row:
    """``name_tag``: the Name tag of every instance of the command, when known; otherwise the
    name shown is InstanceName, the host name AWS sends (it may be empty). ``note``: said in
    place of the status details (a straggler's lag, the line a search found)."""
    cells: dict[str, Cell] = {
        "instance": line(invocation.instance_id),
        "status": status_cell(invocation.status),
        "name": line(name_tag or short_host_name(invocation.instance_name) or "—"),
        "rc": response_code(deciding_step(invocation)),
        "took": short_duration(invocation_duration(invocation, now)),
        "details": line(note or invocation.status_details),
        "requested": day_time(invocation.requested, today),
    }
    return invocation.instance_id, COLUMNS.ordered(cells)


def invocation_rows(
    invocations: Iterable[Invocation],
    order: InvocationSort,
    needle: str,
    now: datetime,
    *,
    keep: str | None = None,
    name_tag: str = "",
) -> list[Row]:
    """Every row at once, sorted and filtered (the pane itself builds them as they are drawn,
    in ``SortedRows``; this is the whole list, for a benchmark or a report)."""
    shown = filtered(invocations, needle, keep, lambda i: i.instance_id, invocation_matches)
    today = now.astimezone(UTC).date()
    return [invocation_row(i, now, today, name_tag) for i in sort_invocations(shown, order)]
