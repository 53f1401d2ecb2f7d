"""The work of ``ssmtui export``: list the command's instances with their steps, fetch each
finished step's output, write it, and say how far it got.

Calls are paced (``--rate`` a second, a few at a time) and retried by the reader as every call
is; a step whose files are both there is skipped, so an interrupted or early export is resumed
by running it again. Every file is written whole under a temporary name, then renamed: a file
that exists is complete.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ssmtui.aws.errors import AwsError
from ssmtui.aws.parse import full_output
from ssmtui.cli.follow import locate
from ssmtui.cli.launch import open_readers
from ssmtui.cli.report import as_ascii_json, failure_records
from ssmtui.model.aws_shape import render_command, render_invocation
from ssmtui.model.export_plan import STREAMS, Only, chosen, step_file
from ssmtui.model.failures import FailureCluster, cluster_failures
from ssmtui.model.step_text import s3_refusal, s3_stream
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command, Invocation, PluginResult
from ssmtui.poller.plan import FetchPlan
from ssmtui.poller.reader import Reader
from ssmtui.poller.step_text import whole_output

AT_ONCE = 4
"""Calls in flight at most, whatever the rate: a burst does not invite throttling."""
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)


@dataclass(slots=True)
class Tally:
    """How far an export got, step by step."""

    steps: int = 0
    written: int = 0
    already_there: int = 0
    still_running: int = 0
    never_ran: int = 0
    unread: list[str] = field(default_factory=list)
    """One sentence per step that could not be read, for the summary."""
    from_s3: int = 0
    s3_missed: list[str] = field(default_factory=list)
    """Steps read from the API because S3 could not be: why, one sentence each."""

    @property
    def done(self) -> int:
        return self.written + self.already_there + len(self.unread)

    def as_json(self) -> dict[str, Any]:
        return {
            "Steps": self.steps,
            "Written": self.written,
            "AlreadyThere": self.already_there,
            "StillRunning": self.still_running,
            "NeverRan": self.never_ran,
            "FromS3": self.from_s3,
            "S3Missed": self.s3_missed,
            "Unread": self.unread,
        }


class Pacer:
    """At most ``per_second`` calls a second, spread evenly."""

    def __init__(self, per_second: float) -> None:
        self.gap = 1.0 / per_second
        self._next = 0.0

    async def turn(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        at = max(now, self._next)
        self._next = at + self.gap
        await asyncio.sleep(at - now)


class ProgressBar:
    """``exporting 412/1000 steps ██████░░░░ 2 retries`` redrawn on a terminal; nothing
    elsewhere (the summary line says how it went)."""

    def __init__(self, stream: TextIO, *, quiet: bool) -> None:
        self.stream = stream
        self.shown = not quiet and stream.isatty()

    def show(self, tally: Tally, retries: int) -> None:
        if not self.shown or not tally.steps:
            return
        width = 20
        filled = round(width * tally.done / tally.steps)
        line = (
            f"exporting {tally.done}/{tally.steps} steps {'█' * filled}{'░' * (width - filled)}"
            + (f" · {retries} retries" if retries else "")
        )
        columns = max(20, shutil.get_terminal_size().columns - 1)
        self.stream.write("\r\x1b[2K" + line[:columns])
        self.stream.flush()

    def end(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


@dataclass(frozen=True, slots=True)
class Request:
    """What to export and how."""

    command_text: str
    out: Path
    only: Only
    s3: bool
    rate: float


async def export(args: argparse.Namespace, request: Request, bar: ProgressBar) -> Tally:
    """Export the command; AwsError when it cannot even be listed."""
    async with AsyncExitStack() as stack:
        readers = await open_readers(stack, args)
        reader, command = await locate(readers, request.command_text)
        command_id = command.command_id
        invocations = await FetchPlan(reader).all_invocations(command_id, details=True)
        groups = cluster_failures(invocations)
        selected = chosen(invocations, groups, request.only)
        prepare_folder(request.out, command_id)
        write_file(request.out / "failures.txt", failures_text(command, groups))
        tally = await _export_steps(reader, command, selected, request, bar)
        summary = {
            "Command": render_command(command),
            "Invocations": [render_invocation(invocation) for invocation in invocations],
            "Failures": failure_records(groups),
            "Export": {
                "Only": str(request.only),
                "InstanceIds": [invocation.instance_id for invocation in selected],
                **tally.as_json(),
            },
        }
        write_file(request.out / "summary.json", as_ascii_json(summary) + "\n")
        return tally


async def _export_steps(
    reader: Reader,
    command: Command,
    invocations: Sequence[Invocation],
    request: Request,
    bar: ProgressBar,
) -> Tally:
    tally = Tally()
    work: list[tuple[Invocation, PluginResult]] = []
    for invocation in invocations:
        for plugin in invocation.plugins or ():
            if not plugin.terminal:
                tally.still_running += 1
            elif not plugin.has_run:
                tally.never_ran += 1
            elif _complete(request.out, invocation.instance_id, plugin.name):
                tally.already_there += 1
            else:
                work.append((invocation, plugin))
    tally.steps = tally.already_there + len(work)
    steps = StepExport(reader, request, tally, s3=request.s3 and bool(command.output.s3_bucket))
    started = reader.stats.copy()
    slots = asyncio.Semaphore(AT_ONCE)

    def shown() -> None:
        bar.show(tally, reader.stats.since(started).retries)

    async def one(invocation: Invocation, plugin: PluginResult) -> None:
        async with slots:
            await steps.export(invocation, plugin)
        shown()

    shown()
    await asyncio.gather(*(one(invocation, plugin) for invocation, plugin in work))
    bar.end()
    return tally


class StepExport:
    """Writes one step's two files at a time, paced; a step that cannot be read is counted,
    and the rest goes on."""

    def __init__(self, reader: Reader, request: Request, tally: Tally, *, s3: bool) -> None:
        self.reader = reader
        self.out = request.out
        self.tally = tally
        self.s3 = s3
        self.pacer = Pacer(request.rate)

    async def export(self, invocation: Invocation, plugin: PluginResult) -> None:
        texts = await self._from_s3(invocation, plugin) if self.s3 else None
        if texts is None:
            texts = await self._from_the_api(invocation, plugin)
        if texts is None:
            return
        for stream, text in zip(reversed(STREAMS), reversed(texts), strict=True):  # stdout last
            write_file(self.out / step_file(invocation.instance_id, plugin.name, stream), text)
        self.tally.written += 1

    async def _from_s3(
        self, invocation: Invocation, plugin: PluginResult
    ) -> tuple[str, str] | None:
        """The whole objects; None when either could not be read (the API's text then)."""
        key = (invocation.command_id, invocation.instance_id, plugin.name)
        if not _agent_wrote_there(key, plugin):
            self.tally.s3_missed.append(
                f"{invocation.instance_id} {plugin.name}: its output is not where the agent "
                "writes it in S3"
            )
            return None
        await self.pacer.turn()
        whole, failed = await whole_output(self.reader, key, plugin)
        if failed:  # denied, throttled past retries...: a missing stream is no failure
            error = next(iter(failed.values()))
            self.tally.s3_missed.append(f"{invocation.instance_id} {plugin.name}: {error}")
            return None
        self.tally.from_s3 += 1
        return whole.stdout, whole.stderr

    async def _from_the_api(
        self, invocation: Invocation, plugin: PluginResult
    ) -> tuple[str, str] | None:
        await self.pacer.turn()
        try:
            response = await self.reader.call(
                "GetCommandInvocation",
                CommandId=invocation.command_id,
                InstanceId=invocation.instance_id,
                PluginName=plugin.name,
            )
        except AwsError as error:
            self.tally.unread.append(f"{invocation.instance_id} {plugin.name}: {error}")
            return None
        return full_output(response)


def _agent_wrote_there(key: tuple[str, str, str], plugin: PluginResult) -> bool:
    """Both objects are where the agent writes this step's output (a record naming any other
    bucket or key is read from the API instead, as ``F`` refuses it on screen)."""
    for kind in STREAMS:
        where = s3_stream(plugin, kind)
        if where is None or s3_refusal(*where, kind, key[0], key[1]) is not None:
            return False
    return True


def _complete(out: Path, instance_id: str, step: str) -> bool:
    return all((out / step_file(instance_id, step, stream)).is_file() for stream in STREAMS)


class OtherExport(ValueError):
    """The folder holds another command's export: resuming it would mix the two."""


def prepare_folder(out: Path, command_id: str) -> None:
    """The export's folder, made private (0700) if new; OSError when it cannot be, and
    OtherExport when it holds another command's export."""
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not out.is_dir():
        raise NotADirectoryError(f"{out} is not a folder")
    summary = out / "summary.json"
    if summary.is_file():
        try:
            earlier = json.loads(summary.read_text(encoding="utf-8"))["Command"]["CommandId"]
        except (ValueError, KeyError, TypeError):
            earlier = None
        if earlier != command_id:
            raise OtherExport(
                f"{out} holds an export of another command ({neutralise(str(earlier))[:36]}); "
                "choose another folder with --out"
            )


def write_file(path: Path, text: str) -> None:
    """``text`` neutralised, in a new 0600 file put in place whole (a rename), in a folder of
    the export's own: a link planted where a folder or file goes is never followed."""
    folder = path.parent
    if folder.is_symlink():
        raise OSError(f"{folder} is a symbolic link; an export never writes through one")
    folder.mkdir(mode=0o700, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    descriptor = os.open(partial, _NEW_FILE, 0o600)
    with open(descriptor, "w", encoding="utf-8", errors="replace") as file:
        file.write(neutralise(text))
    os.replace(partial, path)


def failures_text(command: Command, groups: Sequence[FailureCluster]) -> str:
    """The failure groups, numbered as ``--only group N`` takes them, each with its instances."""
    title = f"{neutralise(command.command_id, single_line=True)} · " + neutralise(
        command.document_name, single_line=True
    )
    if not groups:
        return f"{title}\nNo instance ended other than in success.\n"
    lines = [
        title,
        f"{len(groups)} failure group(s), largest first; "
        f"'ssmtui export {short_id(command.command_id)} --only group N' exports one.",
    ]
    for number, group in enumerate(groups, start=1):
        code = "-" if group.response_code is None else str(group.response_code)
        step = neutralise(group.step or "-", single_line=True)
        lines += [
            "",
            f"#{number}  {group.count} instance(s) · step {step} · rc {code} · "
            + neutralise(group.status, single_line=True),
            f"    {neutralise(group.signature, single_line=True)}",
            *(f"    {neutralise(instance, single_line=True)}" for instance in group.instances),
        ]
    return "\n".join(lines) + "\n"
