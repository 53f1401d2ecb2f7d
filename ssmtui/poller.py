"""The poll loop: decides what to fetch, fetches it, reconciles, and tells whoever listens.

One cycle (DESIGN.md, "Data flow of one poll cycle"):
1. ListCommands for executing commands, every page, with the user's filters sent to the server.
2. Commands executing last cycle and missing now have finished: each is fetched once by id for
   its final state, kept for ``linger`` seconds, and never fetched again.
3. Invocations only where someone looks: the command in focus gets ListCommandInvocations
   (no Details, every page up to a budget); the instance in focus gets its plugins (Details);
   GetCommandInvocation fetches a finished plugin's longer output once. What is final and was
   fetched after it became final is not fetched again.
4. ``reconcile`` merges the result into the previous snapshot; a failed cycle keeps the last
   good snapshot and reports why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar

from ssmtui.aws.client import CallStats, SsmReader
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.aws.parse import MalformedRecord, full_output, parse_command, parse_invocation
from ssmtui.model.clock import utc_now
from ssmtui.model.reconcile import Delta, reconcile
from ssmtui.model.types import Command, FleetSnapshot, Invocation, InvocationSet, PluginResult

log = logging.getLogger("ssmtui.poller")


CONCURRENT_CALLS = 4
"""At most this many calls at once: bursts of finished commands are fetched a few at a time."""
RECENT_OVERLAP = timedelta(minutes=2)
"""How far back each cycle looks for commands that started and ended between two cycles."""
MIN_GAP = 0.5
"""Seconds from the end of one cycle to the start of the next, at the least, so that cycles
slower than the interval (a slow endpoint) are not run back to back."""


def next_start(started: float, ended: float, interval: float) -> float:
    """When the next cycle is due: ``interval`` seconds after the last one *started*, not after
    it ended. A cycle that spent seconds in retries and backoff (throttling, a slow endpoint)
    then does not push the next one back, so fresh data returns within one interval of the
    fault clearing; but never sooner than ``MIN_GAP`` after it ended."""
    return max(started + interval, ended + MIN_GAP)


class Stage(Enum):
    EXECUTING = "executing"
    COMPLETE = "complete"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked to see; sent to the server wherever the API can filter."""

    document: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    stage: Stage = Stage.EXECUTING
    instance: str | None = None
    command: str | None = None

    def server_filters(
        self, stage: str | None, since: datetime | None = None
    ) -> list[dict[str, str]]:
        filters = []
        if stage:
            filters.append({"key": "ExecutionStage", "value": stage})
        if self.document:
            filters.append({"key": "DocumentName", "value": self.document})
        if self.status:
            filters.append({"key": "Status", "value": self.status})
        after = max((t for t in (self.since, since) if t is not None), default=None)
        if after is not None:
            filters.append({"key": "InvokedAfter", "value": _filter_time(after)})
        if self.until is not None:
            filters.append({"key": "InvokedBefore", "value": _filter_time(self.until)})
        return filters


def _filter_time(moment: datetime) -> str:
    """``2026-11-27T08:00:00Z``: in UTC, and with four digits of year (strftime's ``%Y`` gives
    fewer before the year 1000)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


@dataclass(frozen=True, slots=True)
class Focus:
    """Where the user is looking: the poller fetches invocations and plugins only here."""

    command_id: str | None = None
    instance_id: str | None = None


@dataclass(frozen=True, slots=True)
class CycleHealth:
    started: datetime
    finished: datetime
    stats: CallStats
    error: AwsError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def throttled(self) -> bool:
        """AWS slowed this cycle down: it failed throttled, or retried after throttling."""
        failed_throttled = self.error is not None and self.error.kind is ErrorKind.THROTTLED
        return failed_throttled or self.stats.throttled > 0

    @property
    def seconds(self) -> float:
        return (self.finished - self.started).total_seconds()

    @property
    def total_calls(self) -> int:
        return sum(self.stats.calls.values())

    @property
    def mean_latency_ms(self) -> float:
        calls = self.total_calls
        return 1000 * self.stats.seconds / calls if calls else 0.0


@dataclass(frozen=True, slots=True)
class PollResult:
    snapshot: FleetSnapshot
    """The last good snapshot: this cycle's, or the one before when this cycle failed."""
    delta: Delta
    health: CycleHealth
    last_good: datetime | None

    def data_age(self, now: datetime) -> timedelta | None:
        return now - self.last_good if self.last_good else None


Listener = Callable[[PollResult], Awaitable[None] | None]
_T = TypeVar("_T")


@dataclass(slots=True)
class _Memory:
    """What the poller remembers between cycles so that nothing final is fetched twice."""

    finished_at: dict[str, datetime] = field(default_factory=dict)
    final_invocation_sets: set[str] = field(default_factory=set)
    final_details: set[tuple[str, str]] = field(default_factory=set)
    outputs: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    sweeps: dict[str, bool] = field(default_factory=dict)
    """Per command: whether the sweep under way has seen only final invocations so far."""
    watched: set[str] = field(default_factory=set)
    """Executing commands followed, unseen, in the "complete" stage, to see them finish."""
    history_loaded: bool = False
    last_cycle: datetime | None = None


class Poller:
    """Polls SSM Run Command for one reader and hands each cycle's result to listeners."""

    def __init__(
        self,
        reader: SsmReader,
        filters: Filters | None = None,
        *,
        interval: float = 5.0,
        linger: float = 300.0,
        page_budget: int = 20,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.reader = reader
        self.filters = filters or Filters()
        self.interval = interval
        self.linger = timedelta(seconds=linger)
        self.page_budget = page_budget
        self.clock = clock
        self.snapshot = FleetSnapshot.empty(clock())
        self.last_good: datetime | None = None
        self.focus = Focus()
        self.paused = False
        self._memory = _Memory()
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._rearm = asyncio.Event()
        self._listeners: list[Listener] = []
        self._slots = asyncio.Semaphore(CONCURRENT_CALLS)

    @property
    def region(self) -> str:
        return self.reader.region

    # -- control ----------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def set_focus(self, command_id: str | None, instance_id: str | None = None) -> None:
        """Look here from now on; the next cycle starts at once when the focus moved."""
        focus = Focus(command_id, instance_id if command_id else None)
        if focus != self.focus:
            self.focus = focus
            self.refresh_now()

    def refresh_now(self) -> None:
        """Poll at once, even while paused: the user asked for it."""
        self._wake.set()

    def set_interval(self, seconds: float) -> None:
        """Poll every ``seconds`` from now on; the wait under way is re-armed, not finished."""
        self.interval = seconds
        self._rearm.set()

    @property
    def busy(self) -> bool:
        """A cycle is running, or one is due at once (a refresh or a new focus)."""
        return self._lock.locked() or self._wake.is_set()

    def set_paused(self, paused: bool) -> None:
        """Stop or resume polling on the interval; refreshes and focus moves still poll."""
        self.paused = paused
        self._rearm.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; a cycle starts only after the previous one ended.

        Paused, the loop polls only when woken (a refresh or a new focus), never on its own.
        """
        loop = asyncio.get_running_loop()
        woken = True
        started = loop.time()
        while not stop.is_set():
            if woken or not self.paused:
                self._wake.clear()
                started = loop.time()
                result = await self.poll_once()
                await self._notify(result)
            ended = loop.time()
            woken = False
            while not stop.is_set() and not woken:
                self._rearm.clear()
                remaining = next_start(started, ended, self.interval) - loop.time()
                if remaining <= 0 and not self.paused:
                    break
                signal = await _first_of(
                    (stop, self._wake, self._rearm), None if self.paused else remaining
                )
                woken = signal is self._wake
                if signal is None:
                    break

    async def _notify(self, result: PollResult) -> None:
        for listener in self._listeners:
            outcome = listener(result)
            if outcome is not None:
                await outcome

    async def all_invocations(self, command_id: str, *, details: bool) -> list[Invocation]:
        """Every invocation of one command, for a one-off report (not part of a cycle)."""
        items, _ = await self.reader.pages(
            "ListCommandInvocations",
            "CommandInvocations",
            CommandId=command_id,
            Details=details,
            MaxResults=50,
        )
        return [parse_invocation(item, with_plugins=details) for item in items]

    # -- one cycle --------------------------------------------------------------------------

    async def poll_once(self) -> PollResult:
        async with self._lock:
            started = self.clock()
            before = self.reader.stats.copy()
            previous = self.snapshot
            error: AwsError | None = None
            delta = Delta()
            try:
                commands = await self._commands(previous, started)
                invocations = await self._invocations(previous, commands, started)
                fetched = FleetSnapshot(
                    MappingProxyType(commands), MappingProxyType(invocations), started
                )
                self.snapshot, delta = reconcile(previous, fetched)
                self.last_good = started
                self._memory.last_cycle = started
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
            health = CycleHealth(started, self.clock(), self.reader.stats.since(before), error)
            return PollResult(self.snapshot, delta, health, self.last_good)

    # -- commands ---------------------------------------------------------------------------

    async def _list_commands(self, **params: Any) -> list[Command]:
        if self.filters.instance:
            params["InstanceId"] = self.filters.instance
        items, _ = await self.reader.pages("ListCommands", "Commands", **params)
        return [parse_command(item) for item in items]

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
                Filters=self.filters.server_filters("Executing")
            )
        }
        if stage is not Stage.COMPLETE:
            result.update(executing)
        if stage is not Stage.EXECUTING:
            await self._complete_commands(known, result)
        watched = {cid for cid, old in known.items() if not old.terminal} | self._memory.watched
        self._memory.watched = set(executing) if stage is Stage.COMPLETE else set()
        gone = [cid for cid in watched if cid not in executing and cid not in result]
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
        since = None
        if memory.history_loaded and memory.last_cycle is not None:
            since = memory.last_cycle - RECENT_OVERLAP
        for command in await self._list_commands(
            Filters=self.filters.server_filters("Complete", since)
        ):
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
        self, previous: FleetSnapshot, commands: dict[str, Command], now: datetime
    ) -> dict[str, InvocationSet]:
        result = {cid: s for cid, s in previous.invocations.items() if cid in commands}
        command_id = self.focus.command_id
        if command_id is None or command_id not in commands:
            return result
        command = commands[command_id]
        memory = self._memory
        current = result.get(command_id)
        if command_id not in memory.final_invocation_sets:
            current = await self._invocation_set(command, current, now)
            result[command_id] = current
        instance_id = self.focus.instance_id
        if instance_id is not None and current is not None:
            detailed = await self._detailed(command_id, instance_id, current)
            if detailed is not None:
                by_instance = dict(current.by_instance)
                by_instance[instance_id] = detailed
                result[command_id] = replace(current, by_instance=MappingProxyType(by_instance))
        return result

    async def _invocation_set(
        self, command: Command, current: InvocationSet | None, now: datetime
    ) -> InvocationSet:
        """A sweep of the command's invocations, ``page_budget`` pages at most per cycle.

        A command with more invocations than one cycle's budget is swept over several cycles;
        the set then holds the newest answer for every instance seen so far. Once a sweep that
        began after the command finished has seen every page, and every invocation was final,
        the command's invocations are never listed again.
        """
        command_id = command.command_id
        memory = self._memory
        cursor = memory.cursors.pop(command_id, None)
        if cursor is None:
            memory.sweeps[command_id] = command.terminal  # "this sweep saw only final rows"
        params: dict[str, Any] = {"CommandId": command_id, "MaxResults": 50}
        try:
            items, token = await self.reader.pages(
                "ListCommandInvocations",
                "CommandInvocations",
                max_pages=self.page_budget,
                **params,
                **({"NextToken": cursor} if cursor else {}),
            )
        except AwsError as error:
            if cursor is None or error.code != "InvalidNextToken":
                raise
            cursor = None  # the saved place expired: sweep again from the top
            memory.sweeps[command_id] = command.terminal
            items, token = await self.reader.pages(
                "ListCommandInvocations", "CommandInvocations", max_pages=self.page_budget, **params
            )
        fetched = [parse_invocation(item, with_plugins=False) for item in items]
        final_so_far = memory.sweeps.get(command_id, False) and all(i.terminal for i in fetched)
        memory.sweeps[command_id] = final_so_far
        if token is not None:
            memory.cursors[command_id] = token
        elif final_so_far:
            memory.final_invocation_sets.add(command_id)
        complete = cursor is None and token is None
        previous = current.by_instance if current else {}
        by_instance = {} if complete else dict(previous)
        for invocation in fetched:
            by_instance[invocation.instance_id] = _keep_details(
                previous.get(invocation.instance_id), invocation
            )
        return InvocationSet(MappingProxyType(by_instance), now, complete)

    async def _detailed(
        self, command_id: str, instance_id: str, current: InvocationSet
    ) -> Invocation | None:
        """The focused instance with its plugins, and each finished plugin's longer output."""
        memory = self._memory
        known = current.by_instance.get(instance_id)
        key = (command_id, instance_id)
        if key in memory.final_details and known is not None and known.plugins is not None:
            return known
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
            # Pending on it: then there are no steps to show yet, which is not a failed poll.
            if error.code == "InvalidInstanceId":
                return None
            raise
        if not rows:
            return None
        invocation = parse_invocation(rows[0], with_plugins=True)
        plugins = await self._with_outputs(invocation, known)
        invocation = replace(invocation, plugins=plugins)
        if invocation.terminal:
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
                if key not in self._memory.outputs:
                    response = await self.reader.call(
                        "GetCommandInvocation",
                        CommandId=invocation.command_id,
                        InstanceId=invocation.instance_id,
                        PluginName=listed.name,
                    )
                    self._memory.outputs[key] = full_output(response)
                stdout, stderr = self._memory.outputs[key]
                plugins.append(replace(listed, stdout=stdout, stderr=stderr))
            else:
                plugins.append(listed)
        return tuple(plugins)


async def _first_of(events: Sequence[asyncio.Event], timeout: float | None) -> asyncio.Event | None:
    """The first of ``events`` to be set within ``timeout`` seconds, or None.

    The waiters are cleaned up with ``gather``, never by awaiting each under a suppressed
    CancelledError: that would also swallow a cancellation of the caller arriving meanwhile,
    and the poller, a worker the app cancels on quit, would poll on and hold the exit up.
    """
    waiters = {asyncio.ensure_future(event.wait()): event for event in events}
    try:
        done, _ = await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
    return next((waiters[w] for w in waiters if w in done), None)


def _keep_details(previous: Invocation | None, listed: Invocation) -> Invocation:
    """A listing has no plugins; keep the ones fetched before while they are still true."""
    if previous is None or previous.plugins is None:
        return listed
    if previous.terminal and replace(previous, plugins=None) == listed:
        return previous
    return listed
