"""The waiting of ``ssmtui wait``: find each command, follow it to its end, say how it ended.

Each command is followed by a fetch plan of its own, the dashboard's (its instances tracked by
status, calls in proportion to what moves), all at once; ``--timeout`` stops them all.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.aws.parse import parse_command
from ssmtui.cli.common import complain, emit
from ssmtui.cli.launch import open_readers
from ssmtui.cli.report import as_ascii_json, failure_records
from ssmtui.model.aws_shape import render_command
from ssmtui.model.failures import FailureCluster, cluster_failures
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.pace import Pace
from ssmtui.model.text import short_id
from ssmtui.model.types import Command, InvocationSet
from ssmtui.model.verdict import Verdict, command_verdict, worst
from ssmtui.model.wait_text import state_line
from ssmtui.poller.command_prefix import UnknownCommand, whole_command_id
from ssmtui.poller.loop import next_start
from ssmtui.poller.plan import FetchPlan, Focus
from ssmtui.poller.reader import Reader

WHO = "ssmtui wait"
"""Who says each sentence on stderr."""
FAILED_POLLS_IN_A_ROW = 5
"""A wait may last hours: a throttled or unreachable poll is tried again, this many times in a
row before the wait gives up (exit 1). Credentials and permissions are not tried again."""
FATAL = (ErrorKind.CONFIG, ErrorKind.CREDENTIALS, ErrorKind.ACCESS_DENIED)


@dataclass(slots=True)
class Followed:
    """One command as the last poll saw it."""

    command: Command | None = None
    invocations: InvocationSet | None = None
    pace: Pace | None = None
    failures: list[FailureCluster] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        """How it ended; still running while it has not (or was never read)."""
        verdict = command_verdict(self.command) if self.command is not None else None
        return verdict or Verdict.STILL_RUNNING


class Board:
    """What the wait says on stderr: on a terminal, one line per command redrawn in place;
    otherwise a line (with the time) each time a command's state changes."""

    def __init__(self, stream: TextIO, *, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.live = stream.isatty()
        self._drawn = 0
        self._said: dict[str, str] = {}
        self.followed: list[Followed] = []

    def show(self) -> None:
        if self.quiet:
            return
        if self.live:
            self._redraw()
            return
        for each in self.followed:
            if each.command is None:
                continue
            line = state_line(each.command, each.invocations, None, with_bar=False)
            if self._said.get(each.command.command_id) != line:
                self._said[each.command.command_id] = line
                paced = state_line(each.command, each.invocations, each.pace, with_bar=False)
                stamp = datetime.now(UTC).strftime("%H:%M:%S")
                self.stream.write(f"{stamp}  {paced}\n")
        self.stream.flush()

    def say(self, text: str) -> None:
        """A sentence of its own (a failed poll, the end), below the bars."""
        if self.quiet:
            return
        self._drawn = 0
        complain(WHO, text)

    def _redraw(self) -> None:
        width = max(20, shutil.get_terminal_size().columns - 1)  # no wrap: the count stays
        lines = [
            state_line(each.command, each.invocations, each.pace, with_bar=True)[:width]
            for each in self.followed
            if each.command is not None
        ]
        up = f"\x1b[{self._drawn}F" if self._drawn else ""
        self.stream.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self.stream.flush()
        self._drawn = len(lines)


async def wait_for(args: argparse.Namespace, board: Board) -> list[Verdict]:
    """Every command's verdict; STILL_RUNNING for those --timeout left running."""
    async with AsyncExitStack() as stack:
        readers = await open_readers(stack, args)
        located = [await locate(readers, text) for text in dict.fromkeys(args.command_ids)]
        followed = board.followed = [Followed() for _ in located]
        tasks = [
            asyncio.ensure_future(
                follow(reader, command.command_id, each, board, interval=args.interval)
            )
            for (reader, command), each in zip(located, followed, strict=True)
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
        except TimeoutError:
            pass
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            failure = task.exception() if task.done() and not task.cancelled() else None
            if failure is not None:
                raise failure
        if args.json:
            emit(_as_json(followed))
    for each in followed:
        if each.command is not None:
            verdict, which = each.verdict, short_id(each.command.command_id)
            board.say(f"{which} {verdict.words} (exit status {verdict.exit_status})")
    return [each.verdict for each in followed]


async def locate(readers: Sequence[Reader], text: str) -> tuple[Reader, Command]:
    """The reader whose account and region hold the command, and the command as listed."""
    problems: list[str] = []
    for reader in readers:
        try:
            whole = await whole_command_id(reader, text)
            rows, _ = await reader.page("ListCommands", "Commands", CommandId=whole)
        except UnknownCommand as error:
            problems.append(str(error))
            continue
        except AwsError as error:
            if error.code != "InvalidCommandId":
                raise
            rows = []
        if rows:
            return reader, parse_command(rows[0])
        problems.append(f"no command {text} in {reader.region}")
    if len(readers) == 1:
        raise UnknownCommand(problems[0])
    raise UnknownCommand(f"no command {text} in any of the {len(readers)} profiles and regions")


async def follow(
    reader: Reader,
    command_id: str,
    followed: Followed,
    board: Board,
    *,
    interval: float,
) -> None:
    """Poll one command until it is final, keeping ``followed`` up to date."""
    plan = FetchPlan(reader, Filters(command=command_id, stage=Stage.ALL), history_pages=None)
    plan.focus = Focus(command_id)
    loop = asyncio.get_running_loop()
    failed_in_a_row = 0
    while True:
        started = loop.time()
        result = await plan.cycle()
        while result.health.ok and plan.unfinished:
            result = await plan.cycle(fill=True)  # the sweep of a big command, back to back
        error = result.health.error
        if error is not None:
            failed_in_a_row += 1
            if error.kind in FATAL or failed_in_a_row >= FAILED_POLLS_IN_A_ROW:
                raise error
            board.say(f"{short_id(command_id)}: {error}; trying again")
        else:
            failed_in_a_row = 0
            command = result.snapshot.commands.get(command_id)
            if command is not None:
                followed.command = command
                followed.invocations = result.snapshot.invocations.get(command_id)
                followed.pace = result.paces.get(command_id)
                board.show()
                if command.terminal:
                    followed.failures = await _failures(plan, command)
                    return
        await asyncio.sleep(max(0.0, next_start(started, loop.time(), interval) - loop.time()))


async def _failures(plan: FetchPlan, command: Command) -> list[FailureCluster]:
    """The failure groups of a finished command: its unsuccessful instances with their steps."""
    if command_verdict(command) is Verdict.SUCCESS:
        return []
    return cluster_failures(await plan.unsuccessful_invocations(command.command_id))


def _as_json(followed: list[Followed]) -> str:

    rendered = []
    for each in followed:
        if each.command is None:
            continue
        verdict = each.verdict
        row: dict[str, Any] = render_command(each.command)
        row["Outcome"] = {"ExitStatus": verdict.exit_status, "Words": verdict.words}
        row["Failures"] = failure_records(each.failures)
        rendered.append(row)
    verdicts = [each.verdict for each in followed]
    return as_ascii_json({"ExitStatus": worst(verdicts).exit_status, "Commands": rendered})
