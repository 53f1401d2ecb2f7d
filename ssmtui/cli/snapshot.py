"""``ssmtui snapshot``: one poll of every (profile, region) the flags name, printed once.

Each source is read by a fetch plan of its own, all at once, as the dashboard's fan-out polls
them; their commands are printed in one table (with Account and Region columns when there
are several) or one JSON document (each command with its source). Command ids are UUIDs, so
the sources' commands never collide. A source that cannot be read fails the whole report, in
one sentence that names it: a cron job or a pipeline must not take a partial answer for all.
"""

from __future__ import annotations

import argparse
import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from ssmtui.aws.client import SsmReader
from ssmtui.aws.errors import AwsError
from ssmtui.cli import report
from ssmtui.cli.common import EXIT_FAILURE, complain, emit
from ssmtui.cli.launch import open_readers, source_of
from ssmtui.cli.wanted import filters
from ssmtui.model.clock import utc_now
from ssmtui.model.failures import FailureCluster, cluster_failures
from ssmtui.model.filters import Filters
from ssmtui.model.rerun import Origin, RerunRefused, rerun_lines
from ssmtui.model.text import neutralise
from ssmtui.model.types import FleetSnapshot, Invocation
from ssmtui.model.verdict import FailOn, command_verdict, invocation_verdict, worst
from ssmtui.model.views import has_failures
from ssmtui.poller.command_prefix import UnknownCommand, with_whole_command
from ssmtui.poller.plan import FetchPlan
from ssmtui.poller.results import Source


class SourceFailed(Exception):
    """One source could not be read: its name, and the sentence of what went wrong."""

    def __init__(self, source: Source, error: AwsError) -> None:
        super().__init__(f"{source}: {error}" if source.region else str(error))


@dataclass(frozen=True, slots=True)
class Read:
    """What one source gave."""

    source: Source
    snapshot: FleetSnapshot
    invocations: dict[str, list[Invocation]] | None
    failures: dict[str, list[FailureCluster]] | None
    skipped: int
    last_skipped: str


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(take(args))
    except (AwsError, UnknownCommand, SourceFailed) as error:
        complain("ssmtui snapshot", error)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


async def take(args: argparse.Namespace) -> int:
    """Read every source, print the report; AwsError or SourceFailed for the caller's sentence."""
    async with AsyncExitStack() as stack:
        readers = await open_readers(stack, args)
        wanted = await with_whole_command(readers[0], filters(args))
        several = len(readers) > 1
        reads = await asyncio.gather(*(_read(reader, wanted, args, several) for reader in readers))
    merged = _merged([read.snapshot for read in reads])
    invocations = _union([read.invocations for read in reads])
    failures = _union([read.failures for read in reads])
    sources = {cid: read.source for read in reads for cid in read.snapshot.commands}
    reruns = _reruns(merged, failures, sources) if failures is not None else None
    if args.json:
        emit(
            report.as_json(
                merged,
                sources=[read.source for read in reads],
                by_command=sources if several else None,
                invocations=invocations,
                failures=failures,
                reruns=reruns,
            )
        )
    else:
        shown = report.table(
            merged,
            utc_now(),
            invocations,
            failures,
            sources=sources if several else None,
            reruns=reruns,
        )
        emit(neutralise(shown))
    status = _alarm(args.fail_on or [], merged, invocations)
    skipped = sum(read.skipped for read in reads)
    if skipped:
        last = next(read.last_skipped for read in reversed(reads) if read.skipped)
        complain(
            "ssmtui snapshot",
            f"warning: {skipped} record(s) AWS sent could not be read and are not in this "
            f"report: {last}",
        )
    return status


def _reruns(
    snapshot: FleetSnapshot,
    failures: dict[str, list[FailureCluster]],
    sources: dict[str, Source],
) -> dict[str, report.Rerun]:
    """Each failed command's send-command lines for its failed instances, or why not."""
    reruns: dict[str, report.Rerun] = {}
    for command_id, groups in failures.items():
        failed = [instance for group in groups for instance in group.instances]
        if not failed:
            continue
        source = sources[command_id]
        where = Origin(source.region, source.profile)
        try:
            reruns[command_id] = rerun_lines(snapshot.commands[command_id], failed, where)
        except RerunRefused as refusal:
            reruns[command_id] = str(refusal)
    return reruns


def _alarm(
    fail_on: list[str], snapshot: FleetSnapshot, invocations: dict[str, list[Invocation]] | None
) -> int:
    """The exit status ``--fail-on`` asks for: the worst outcome among the listed commands (and
    their instances, when listed) that it names; 0 when none."""
    wanted = [FailOn(each) for each in fail_on]
    verdicts = [command_verdict(command) for command in snapshot.commands.values()]
    for listed in (invocations or {}).values():
        verdicts += [invocation_verdict(invocation) for invocation in listed]
    matched = [v for v in verdicts if v is not None and any(f.matches(v) for f in wanted)]
    return worst(matched).exit_status if matched else 0


async def _read(reader: SsmReader, wanted: Filters, args: argparse.Namespace, named: bool) -> Read:
    source = await source_of(reader) if named else Source(reader.region)
    try:
        plan = FetchPlan(reader, wanted)
        result = await plan.cycle()
        if result.health.error is not None:
            raise result.health.error
        invocations = None
        if args.invocations:
            invocations = {
                command_id: await plan.all_invocations(command_id, details=True)
                for command_id in result.snapshot.commands
            }
        failures = None
        if args.failures:
            failures = {
                command.command_id: cluster_failures(
                    invocations[command.command_id]  # every one, with its steps: listed already
                    if invocations is not None
                    else await plan.unsuccessful_invocations(command.command_id)
                )
                for command in result.snapshot.commands.values()
                # an Undeliverable instance is in no count of a running command: any finished
                # instance may be a failure
                if has_failures(command) or command.completed_count
            }
    except AwsError as error:
        if not named:
            raise
        raise SourceFailed(source, error) from None
    stats = reader.stats
    return Read(
        source, result.snapshot, invocations, failures, stats.skipped, stats.last_skipped or ""
    )


def _merged(snapshots: list[FleetSnapshot]) -> FleetSnapshot:
    if len(snapshots) == 1:
        return snapshots[0]
    return FleetSnapshot(
        MappingProxyType({cid: c for s in snapshots for cid, c in s.commands.items()}),
        MappingProxyType({cid: i for s in snapshots for cid, i in s.invocations.items()}),
        min(s.taken_at for s in snapshots),
    )


_T = TypeVar("_T")


def _union(parts: list[dict[str, _T] | None]) -> dict[str, _T] | None:
    if all(part is None for part in parts):
        return None
    return {key: value for part in parts for key, value in (part or {}).items()}
