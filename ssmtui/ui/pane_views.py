"""Each pane's view record, built by a pure function of the latest poll and the selection.

The screen builds one record per pane whenever the poll or the selection changes and hands
it down whole (memray's habit: one snapshot handed down, each pane derives its own rows); a
pane keeps the last record it was given, so a sort or a filter it owns redraws from it
without asking the screen. Nothing here touches a widget.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from ssmtui.model.command_pane import CommandsView
from ssmtui.model.durations import stragglers
from ssmtui.model.fleet_steps import NO_STEPS, FleetSteps, fleet_steps
from ssmtui.model.instance_pane import InstancesView
from ssmtui.model.rerun import Origin
from ssmtui.model.sparkline import sparkline
from ssmtui.model.steering import OnScreen
from ssmtui.model.step_text import StepText
from ssmtui.model.swept import SweptSteps
from ssmtui.model.time_text import short_duration
from ssmtui.model.types import Command, Invocation, InvocationSet
from ssmtui.model.views import no_instances_reason, shared_name_tag
from ssmtui.poller import PollResult
from ssmtui.poller.results import Refusal
from ssmtui.ui.selection import Depth, Selection
from ssmtui.ui.status_line import Where
from ssmtui.ui.take_away import Chosen


@dataclass(frozen=True, slots=True)
class StepsView:
    """Everything the steps pane shows, as of one poll and one selection."""

    command: Command | None
    invocation: Invocation | None
    """The selected instance's invocation; None: nothing chosen, or not fetched yet."""
    step: str | None
    """The selected step; None: the one under the cursor."""
    now: datetime
    steps_refused: Refusal | None = None
    """Why the last poll could not fetch the steps."""
    output_refused: Refusal | None = None
    """Why the last poll could not fetch the whole output."""
    outside: StepText | None = None
    """Output from CloudWatch Logs or S3, for the step it was fetched for."""
    fleet: FleetSteps = NO_STEPS
    """Every instance's steps known: the selected step's spread of durations is drawn from
    them."""


@dataclass(frozen=True, slots=True)
class Selected:
    """The selection's records as of one poll; None where there is none (yet)."""

    command: Command | None
    invocations: InvocationSet | None
    invocation: Invocation | None


def selected(result: PollResult | None, selection: Selection) -> Selected:
    snapshot = result.snapshot if result else None
    command_id = selection.command or ""
    command = snapshot.commands.get(command_id) if snapshot else None
    invocations = snapshot.invocations.get(command_id) if snapshot else None
    instance = selection.instance
    invocation = invocations.by_instance.get(instance) if invocations and instance else None
    return Selected(command, invocations, invocation)


def where_read(result: PollResult) -> dict[str, tuple[str, str]]:
    """Each command's (account, region), when several sources are polled; else empty."""
    return {
        command_id: (source.account or source.profile or "", source.region)
        for command_id, source in result.sources.items()
    }


def commands_view(
    result: PollResult,
    selection: Selection,
    now: datetime,
    marked: Collection[str] = (),
    changed: Collection[str] = (),
) -> CommandsView:
    snapshot = result.snapshot
    return CommandsView(
        snapshot.commands,
        now,
        selected=selection.command,
        changed=frozenset(changed),
        invocations=snapshot.invocations,
        paces=result.paces,
        marked=frozenset(marked),
        sources=where_read(result),
        more=result.more_history,
    )


def instances_view(
    result: PollResult | None,
    selection: Selection,
    now: datetime,
    *,
    changed: Collection[str] = (),
    touched: Collection[str] | None = None,
) -> InstancesView:
    command_id = selection.command
    if result is None or command_id is None:
        return InstancesView(command_id, None, now)
    records = selected(result, selection)
    command = records.command
    swept = swept_for(result, command_id)
    steps = known_steps(records.invocations, swept)
    late = stragglers(records.invocations, steps.steps, now, steps.spread) if swept else {}
    return InstancesView(
        command_id,
        records.invocations,
        now,
        selected=selection.instance,
        changed=frozenset(changed),
        touched=None if touched is None else frozenset(touched),
        name_tag=shared_name_tag(command),
        empty_reason=no_instances_reason(command),
        pace=pace_line(result, command, now),
        steps=steps,
        stragglers=late,
        swept=swept,
    )


def known_steps(invocations: InvocationSet | None, swept: SweptSteps | None) -> FleetSteps:
    """Every instance's steps known: the poll's and the sweep's. Without a sweep, those of a
    command bigger than the automatic sweep's limit are the failures' and the focused
    instance's alone, a sample too biased to draw a spread from: none, and no walk of the
    records each poll to find them."""
    if (
        swept is None
        and invocations is not None
        and len(invocations.by_instance) > AUTO_SWEEP_TARGETS
    ):
        return NO_STEPS
    return fleet_steps(invocations, swept)


def swept_for(result: PollResult, command_id: str | None) -> SweptSteps | None:
    """The sweep of every instance's steps, when it is of this command."""
    swept = result.swept
    return swept if swept is not None and swept.command_id == command_id else None


TREND_CELLS = 16
"""Cells of each sparkline under the instances: a minute each until the run is longer."""


def pace_line(result: PollResult, command: Command | None, now: datetime) -> str:
    """The selected command's time so far, pace and ETA, while it runs; and, once it has run
    two minutes, its completions (and failures, if any) a minute as sparklines."""
    if command is None or command.terminal or command.requested is None:
        return ""
    pace = result.paces.get(command.command_id)
    parts = [
        f"running {short_duration(now - command.requested)}",
        str(pace) if pace is not None else "pace: measuring…",
    ]
    if pace is not None and len(pace.completions) >= 2:
        parts.append(f"✔/min {sparkline(pace.completions, TREND_CELLS)}")
        if any(pace.failures):
            parts.append(f"✖/min {sparkline(pace.failures, TREND_CELLS)}")
    return " · ".join(parts)


def steps_view(result: PollResult | None, selection: Selection, now: datetime) -> StepsView:
    if result is None or selection.command is None:
        return StepsView(None, None, selection.step, now)
    records = selected(result, selection)
    health = result.health
    swept = swept_for(result, selection.command)
    return StepsView(
        records.command,
        records.invocation,
        selection.step,
        now,
        steps_refused=health.refusal("ListCommandInvocations"),
        output_refused=health.refusal("GetCommandInvocation"),
        outside=result.step_text,
        fleet=known_steps(records.invocations, swept),
    )


def on_screen(result: PollResult | None, selection: Selection) -> OnScreen:
    """What the ``:`` line completes from: the documents and commands listed, and the
    selected command's instances."""
    if result is None:
        return OnScreen()
    snapshot = result.snapshot
    invocations = selected(result, selection).invocations
    return OnScreen(
        documents=tuple(sorted({c.document_name for c in snapshot.commands.values()})),
        instances=tuple(sorted(invocations.by_instance)) if invocations else (),
        commands=tuple(snapshot.commands),
    )


def touched(result: PollResult, selection: Selection) -> set[str]:
    """The selected command's instances this poll added, changed or removed."""
    command, delta = selection.command, result.delta
    keys = [*delta.added, *delta.changed, *delta.removed]
    return {key[1] for key in keys if len(key) == 2 and key[0] == command}


def chosen(result: PollResult | None, selection: Selection, output: str, region: str) -> Chosen:
    """What the take-away keys act on: the selection's records, the ``output`` on screen, and
    the region the command was read in (its source's when several are polled, else
    ``region``)."""
    records = selected(result, selection)
    invocation = records.invocation
    source = result.sources.get(selection.command or "") if result else None
    return Chosen(
        selection,
        records.command,
        invocation,
        invocation.plugin(selection.step) if invocation else None,
        output,
        source.region if source is not None else region,
    )


AUTO_SWEEP_TARGETS = 500
"""Up to this many instances (10 pages, one poll's sweep), every instance's steps are read as
soon as the instances are in view; a bigger command's only once the user asks (``/?``, ``l``):
20,000 of them are 400 calls, and megabytes of output kept."""


def sweep_wanted(selection: Selection, command: Command | None, *, asked: bool) -> bool:
    """Every instance's steps are read while the instances are in view: the stragglers are
    flagged there, ``?text`` searches their output, and the steps pane draws how long the
    selected step took across them."""
    if command is None or selection.depth < Depth.INSTANCES:
        return False
    return asked or command.target_count <= AUTO_SWEEP_TARGETS


def origin(result: PollResult | None, selection: Selection, where: Where) -> Origin:
    """Where the selected command was read, for its re-run lines: its source's profile and
    region when several are polled, else the one source's."""
    source = result.sources.get(selection.command or "") if result else None
    if source is not None:
        return Origin(source.region, source.profile)
    return Origin(where.region, where.profile)
