"""The fetch plan: what to fetch this cycle, and the memory of what is already final.

One cycle:
1. ListCommands for executing commands, every page, with the user's filters sent to the server.
   History (stage complete or all) once, then only what started since the last cycle.
2. Commands executing last cycle and missing now have finished: each is fetched once by id for
   its final state, kept for ``linger`` seconds, and never fetched again.
3. Invocations only where someone looks: the command in focus is tracked by status
   (``tracking.py``), its unsuccessful instances with their plugins (Details, once each, so
   failures can be grouped); the instance in focus gets its plugins; GetCommandInvocation
   fetches a finished plugin's longer output once.
4. ``reconcile`` merges the result into the previous snapshot; a failed cycle keeps the last
   good snapshot and reports why.

What the plan remembers of a command (its invocations, outputs, when it finished) is dropped
when the command leaves the view, so an ops screen open for weeks holds what it shows and no
more.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, TypeVar

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.aws.parse import MalformedRecord, full_output, parse_command, parse_invocation
from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.pace import PaceBook
from ssmtui.model.reconcile import Delta, reconcile
from ssmtui.model.step_text import StepText
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import Command, FleetSnapshot, Invocation, InvocationSet, PluginResult
from ssmtui.poller.queries import PAGE_SIZE, command_filters, status_filter
from ssmtui.poller.reader import Reader
from ssmtui.poller.results import CycleHealth, PollResult
from ssmtui.poller.step_sweep import StepSweep
from ssmtui.poller.step_text import StepTexts
from ssmtui.poller.tracking import UNSUCCESSFUL_STATUSES, InvocationTracker

log = logging.getLogger("ssmtui.poller")

CONCURRENT_CALLS = 4
"""At most this many calls at once: bursts of finished commands are fetched a few at a time."""
RECENT_OVERLAP = timedelta(minutes=2)
"""How far back each cycle looks for commands that started and ended between two cycles."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Focus:
    """Where the user is looking: the plan fetches invocations and plugins only here."""

    command_id: str | None = None
    instance_id: str | None = None
    step: str | None = None
    """The step whose output is on screen: its live log or whole S3 output is fetched."""


@dataclass(slots=True)
class _Memory:
    """What the plan remembers between cycles so that nothing final is fetched twice."""

    finished_at: dict[str, datetime] = field(default_factory=dict)
    trackers: dict[str, InvocationTracker] = field(default_factory=dict)
    final_details: set[tuple[str, str]] = field(default_factory=set)
    outputs: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    executing_unseen: set[str] = field(default_factory=set)
    """Executing commands followed, unseen, in the "complete" stage, to see them finish."""
    history_loaded: bool = False
    history_token: str | None = None
    """Where the older history goes on from: None once it was all read."""
    history_wanted: bool = False
    """The user scrolled to the end of the history: read its next page this cycle."""
    last_cycle: datetime | None = None
    sweep: StepSweep | None = None
    """Every instance's steps of the command last swept (``FetchPlan.sweep_wanted``): one
    command's at a time, as 20,000 of them are megabytes."""

    def forget_all_but(self, commands: Mapping[str, Command]) -> None:
        """Drop what is remembered of commands no longer in view."""
        for command_id in [c for c in self.trackers if c not in commands]:
            del self.trackers[command_id]
        for command_id in [c for c in self.finished_at if c not in commands]:
            del self.finished_at[command_id]
        self.final_details = {k for k in self.final_details if k[0] in commands}
        self.outputs = {k: v for k, v in self.outputs.items() if k[0] in commands}
        if self.sweep is not None and self.sweep.command_id not in commands:
            self.sweep = None


class FetchPlan:
    """Decides and makes one cycle's calls for one reader, and keeps the last good snapshot."""

    def __init__(
        self,
        reader: Reader,
        filters: Filters | None = None,
        *,
        linger: float = 300.0,
        page_budget: int = 20,
        history_pages: int | None = None,
        paces: PaceBook | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.reader = reader
        self.filters = filters or Filters()
        self.history_pages = history_pages
        """Pages of history (stage complete or all) read at first; None: all of it."""
        self.paces = paces or PaceBook()
        """Shared by the plans of one poller: new filters do not start the paces over."""
        self.linger = timedelta(seconds=linger)
        self.page_budget = page_budget
        self.clock = clock
        self.snapshot = FleetSnapshot.empty(clock())
        self.last_good: datetime | None = None
        self.focus = Focus()
        self.sweep_wanted = False
        """Read every instance's steps of the command in focus, a few pages a poll: the
        durations, the stragglers and the search through the fleet's output need them."""
        self.step_texts = StepTexts()
        self._step_text: StepText | None = None
        """The focused step's output from CloudWatch Logs or S3, as of the last cycle that
        reached it: a cycle that fails before it leaves it on screen. The screen shows it only
        for the step it names."""
        self._memory = _Memory()
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(CONCURRENT_CALLS)
        self._failed: dict[str, AwsError] = {}
        """This cycle's failed operations that did not fail the cycle."""

    @property
    def running(self) -> bool:
        return self._lock.locked()

    @property
    def unfinished(self) -> bool:
        """The focused command is being swept: a fill cycle should follow at once."""
        tracker = self._memory.trackers.get(self.focus.command_id or "")
        return (
            tracker is not None
            and tracker.unfinished
            and self.focus.command_id in self.snapshot.commands
        )

    @property
    def history_left(self) -> bool:
        """Older commands than those shown are there to be read."""
        return self._memory.history_token is not None

    def want_more_history(self) -> bool:
        """Read the next page of history with the next cycle; False when there is none."""
        self._memory.history_wanted = self.history_left
        return self._memory.history_wanted

    def remembered(self) -> set[str]:
        """The commands the plan keeps anything of (invocations, outputs, final times)."""
        memory = self._memory
        return (
            set(memory.trackers)
            | set(memory.finished_at)
            | {key[0] for key in memory.final_details}
            | {key[0] for key in memory.outputs}
        )

    async def cycle(self, *, fill: bool = False) -> PollResult:
        """One cycle: commands and the focus (``fill``: only go on with the focus's sweep)."""
        async with self._lock:
            started = self.clock()
            before = self.reader.stats.copy()
            previous = self.snapshot
            error: AwsError | None = None
            delta = Delta()
            self._failed = {}
            try:
                if fill:
                    commands = dict(previous.commands)
                else:
                    commands = await self._commands(previous, started)
                invocations = await self._invocations(previous, commands, started, fill=fill)
                fetched = FleetSnapshot(
                    MappingProxyType(commands), MappingProxyType(invocations), started
                )
                self.snapshot, delta = reconcile(previous, fetched)
                for command_id, tracker in self._memory.trackers.items():
                    tracker.taken(self.snapshot.invocations.get(command_id))
                self.last_good = started
                if not fill:
                    self._memory.last_cycle = started
                    self.paces.note(commands, started)
                self._memory.forget_all_but(commands)
            except AwsError as failure:
                error = failure
            except MalformedRecord as failure:
                error = AwsError(
                    ErrorKind.MALFORMED, f"AWS sent a record ssmtui cannot track: {failure}"
                )
            except Exception as failure:  # a bug must not end the loop an ops screen runs on
                log.exception("poll cycle crashed")
                error = AwsError(
                    ErrorKind.REQUEST, f"the poll failed unexpectedly: {type(failure).__name__}"
                )
            if error is not None:
                log.info("poll cycle failed: %s", error)
            if self._failed:
                log.info(
                    "poll cycle went on without: %s", ", ".join(map(str, self._failed.values()))
                )
            health = CycleHealth(
                started,
                self.clock(),
                self.reader.stats.since(before),
                error,
                MappingProxyType(self._failed),
            )
            return PollResult(
                self.snapshot,
                delta,
                health,
                self.last_good,
                self.reader.region,
                self.reader.endpoint,
                self._step_text,
                more_history=self.history_left and self.filters.stage is not Stage.EXECUTING,
                paces=self.paces.latest,
                swept=self.swept(),
            )

    async def all_invocations(
        self, command_id: str, *, details: bool, status: str | None = None
    ) -> list[Invocation]:
        """Every invocation of one command (with ``status``, if given), for a one-off report
        (not part of a cycle)."""
        params: dict[str, Any] = {"CommandId": command_id, "Details": details}
        if status is not None:
            params["Filters"] = status_filter(status)
        items, _ = await self.reader.pages(
            "ListCommandInvocations", "CommandInvocations", MaxResults=PAGE_SIZE, **params
        )
        return [parse_invocation(item, with_plugins=details) for item in items]

    async def unsuccessful_invocations(self, command_id: str) -> list[Invocation]:
        """A command's invocations that did not succeed, with their steps, for a one-off
        report of its failures."""
        found: list[Invocation] = []
        for status in UNSUCCESSFUL_STATUSES:
            found += await self.all_invocations(command_id, details=True, status=status)
        return found

    # -- commands ---------------------------------------------------------------------------

    async def _list_commands(self, **params: Any) -> list[Command]:
        commands, _ = await self._command_pages(None, **params)
        return commands

    async def _command_pages(
        self, max_pages: int | None, **params: Any
    ) -> tuple[list[Command], str | None]:
        if self.filters.instance:
            params["InstanceId"] = self.filters.instance
        items, token = await self.reader.pages(
            "ListCommands", "Commands", max_pages=max_pages, **params
        )
        return [parse_command(item) for item in items], token

    async def _command_by_id(self, command_id: str) -> Command | None:
        try:
            rows, _ = await self.reader.page("ListCommands", "Commands", CommandId=command_id)
        except AwsError as error:
            if error.code == "InvalidCommandId":
                return None  # gone (history is kept 30 days) or never visible to us
            raise
        return parse_command(rows[0]) if rows else None

    async def _commands(self, previous: FleetSnapshot, now: datetime) -> dict[str, Command]:
        known = previous.commands
        if self.filters.command:
            return await self._single_command(known)
        stage = self.filters.stage
        result: dict[str, Command] = {}
        # Executing commands are listed in every stage: a command can only be seen to finish
        # by watching it run, so "complete" watches them without showing them.
        executing = {
            command.command_id: command
            for command in await self._list_commands(
                Filters=command_filters(self.filters, "Executing")
            )
        }
        if stage is not Stage.COMPLETE:
            result.update(executing)
        if stage is not Stage.EXECUTING:
            await self._complete_commands(known, result)
        followed = {cid for cid, old in known.items() if not old.terminal}
        followed |= self._memory.executing_unseen
        self._memory.executing_unseen = set(executing) if stage is Stage.COMPLETE else set()
        gone = [cid for cid in followed if cid not in executing and cid not in result]
        await self._finished_commands(gone, result, now)
        self._keep_terminal(known, result, now)
        for command in result.values():
            if command.terminal:
                self._memory.finished_at.setdefault(command.command_id, now)
        return result

    async def _single_command(self, known: Mapping[str, Command]) -> dict[str, Command]:
        command_id = self.filters.command
        assert command_id is not None
        old = known.get(command_id)
        if old is not None and old.terminal:
            return {command_id: old}
        command = await self._command_by_id(command_id)
        return {command_id: command} if command else {}

    async def _complete_commands(
        self, known: Mapping[str, Command], result: dict[str, Command]
    ) -> None:
        """History: all of it once, then only what started since the last cycle (the final
        commands already known are kept by ``_keep_terminal``)."""
        memory = self._memory
        complete = command_filters(self.filters, "Complete")
        if not memory.history_loaded or memory.last_cycle is None:
            found, memory.history_token = await self._command_pages(
                self.history_pages, Filters=complete
            )
        else:
            since = memory.last_cycle - RECENT_OVERLAP
            found = await self._list_commands(
                Filters=command_filters(self.filters, "Complete", since)
            )
            if memory.history_wanted and memory.history_token is not None:
                older, memory.history_token = await self._command_pages(
                    1, Filters=complete, NextToken=memory.history_token
                )
                found += older
        memory.history_wanted = False
        for command in found:
            old = known.get(command.command_id)
            result[command.command_id] = old if old is not None and old.terminal else command
        memory.history_loaded = True

    async def _finished_commands(
        self, gone: list[str], result: dict[str, Command], now: datetime
    ) -> None:
        """Commands that left the executing list: each one's final state, fetched once."""
        finals = await asyncio.gather(*(self._limited(self._command_by_id(cid)) for cid in gone))
        for command_id, final in zip(gone, finals, strict=True):
            if final is not None and final.terminal:
                result[command_id] = final
                self._memory.finished_at[command_id] = now
            # still executing but no longer matching the filters: it leaves the view

    def _keep_terminal(
        self, known: Mapping[str, Command], result: dict[str, Command], now: datetime
    ) -> None:
        """Final commands stay: for ``linger`` seconds when watching executing, else for good."""
        keep_history = self.filters.stage is not Stage.EXECUTING
        for command_id, old in known.items():
            if command_id in result or not old.terminal:
                continue
            if command_id == self.focus.command_id:  # never pulled from under the user
                result[command_id] = old
                continue
            finished = self._memory.finished_at.get(command_id, now)
            if keep_history or now - finished < self.linger:
                result[command_id] = old

    async def _limited(self, call: Awaitable[_T]) -> _T:
        """Run ``call`` when one of a few slots is free, so a burst does not invite throttling."""
        async with self._slots:
            return await call

    # -- invocations, where the user looks ---------------------------------------------------

    async def _invocations(
        self, previous: FleetSnapshot, commands: dict[str, Command], now: datetime, *, fill: bool
    ) -> dict[str, InvocationSet]:
        result = {cid: s for cid, s in previous.invocations.items() if cid in commands}
        command_id = self.focus.command_id
        if command_id is None or command_id not in commands:
            return result
        trackers = self._memory.trackers
        tracker = trackers.get(command_id)
        if tracker is None:
            tracker = trackers[command_id] = InvocationTracker(command_id, self.page_budget)
        try:
            await tracker.advance(self.reader, commands[command_id], now, fill=fill)
            if not fill:
                await tracker.fetch_failure_details(self.reader)
        except AwsError as error:  # the instances keep their last good state; the rest goes on
            self._failed["ListCommandInvocations"] = error
            return result
        instance_id = self.focus.instance_id
        if instance_id is not None and not fill:
            known = tracker.book.get(instance_id)
            detailed = await self._detailed(command_id, instance_id, known)
            if detailed is not None:
                tracker.put(detailed)
            focused = detailed or known
            if focused is None:
                self._step_text = None
            else:
                await self._outside_output(commands[command_id], focused)
        result[command_id] = tracker.invocation_set()
        if self.sweep_wanted and not fill:
            await self._sweep(commands[command_id], now)
        return result

    async def _sweep(self, command: Command, now: datetime) -> None:
        sweep = self._memory.sweep
        if sweep is None or sweep.command_id != command.command_id:
            sweep = self._memory.sweep = StepSweep(command.command_id)
        try:
            await sweep.advance(self.reader, command, now)
        except AwsError as error:  # what it read stays; the next poll goes on from there
            self._failed["ListCommandInvocations"] = error

    def swept(self) -> SweptSteps | None:
        """What the sweep of the command in focus has read, if one was asked for."""
        sweep = self._memory.sweep
        if sweep is None or sweep.command_id != self.focus.command_id:
            return None
        return sweep.view()

    async def _outside_output(self, command: Command, invocation: Invocation) -> None:
        texts = self.step_texts
        self._step_text = await texts.fetch(self.reader, command, invocation, self.focus.step)
        self._failed.update(texts.failed)

    async def _detailed(
        self, command_id: str, instance_id: str, known: Invocation | None
    ) -> Invocation | None:
        """The focused instance with its plugins, and each finished plugin's longer output."""
        memory = self._memory
        key = (command_id, instance_id)
        if key in memory.final_details and known is not None and known.plugins is not None:
            return known
        if known is not None and known.terminal and known.plugins is not None:
            invocation = known  # final, its steps known (a failure's, say): only outputs to get
        else:
            try:
                rows, _ = await self.reader.page(
                    "ListCommandInvocations",
                    "CommandInvocations",
                    CommandId=command_id,
                    InstanceId=instance_id,
                    Details=True,
                )
            except AwsError as error:
                # The AWS CLI reference says an instance cannot be named while the command is
                # Pending on it: then there are no steps to show yet, not a failed poll.
                if error.code != "InvalidInstanceId":
                    self._failed["ListCommandInvocations"] = error  # its steps stay as they were
                return None
            if not rows:
                return None
            invocation = parse_invocation(rows[0], with_plugins=True)
        plugins = await self._with_outputs(invocation, known)
        invocation = replace(invocation, plugins=plugins)
        if invocation.terminal and all(p.stdout is not None or not p.has_run for p in plugins):
            memory.final_details.add(key)
        return invocation

    async def _with_outputs(
        self, invocation: Invocation, known: Invocation | None
    ) -> tuple[PluginResult, ...]:
        earlier = {p.name: p for p in (known.plugins or ())} if known else {}
        plugins = []
        for listed in invocation.plugins or ():
            key = (invocation.command_id, invocation.instance_id, listed.name)
            before = earlier.get(listed.name)
            if before is not None and before.stdout is not None and before.terminal:
                plugins.append(before)  # final, and its output already fetched
            elif listed.terminal and listed.has_run:
                output = self._memory.outputs.get(key) or await self._full_output(key)
                if output is None:
                    plugins.append(listed)  # the 2,400 bytes of Details, for now
                    continue
                plugins.append(replace(listed, stdout=output[0], stderr=output[1]))
            else:
                plugins.append(listed)
        return tuple(plugins)

    async def _full_output(self, key: tuple[str, str, str]) -> tuple[str, str] | None:
        """A finished step's longer output, fetched once; None when GetCommandInvocation
        failed (the step is shown without it, and the cycle goes on)."""
        command_id, instance_id, plugin_name = key
        try:
            response = await self.reader.call(
                "GetCommandInvocation",
                CommandId=command_id,
                InstanceId=instance_id,
                PluginName=plugin_name,
            )
        except AwsError as error:
            self._failed["GetCommandInvocation"] = error
            return None
        self._memory.outputs[key] = full_output(response)
        return self._memory.outputs[key]
