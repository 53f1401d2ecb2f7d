"""The invocations of the command in focus: listed whole once, then followed by status.

A small command (a few pages) is listed whole every cycle: that is exact and costs a call or
three. A big one (20,000 instances is 400 pages) cannot be, so it is tracked:

1. **A sweep** lists every page once. Its first page is on screen at once; the rest come in
   fill cycles that the loop runs back to back (``unfinished``).
2. **Each cycle after** asks only for what can have moved. It lists the active statuses
   (InProgress, Delayed: about ``ceil(active / 50)`` calls). An instance that was active and is
   not any more has finished; those are classified with the fewest calls the data allows:
   one call per instance when few left, else the lists of the unsuccessful statuses
   (Failed, TimedOut, Cancelled, usually short), the ones found in none of them having
   succeeded. That last step is an inference, made only while the command runs normally: a
   Cancelling invocation is in none of the lists either.
3. **The command's own counts check it.** CompletedCount, ErrorCount and DeliveryTimedOutCount
   come with the command, fetched at the start of the cycle, before any invocation: what this
   tracker counts must be at least that, or some instance finished unseen (a Pending one that
   timed out, or started and ended between two cycles), and the unsuccessful and then the
   Success lists find it. At the next cycle, what it counted must be at most the new counts,
   or an inference was wrong: then it sweeps again. An instance it has never seen (more
   targets than records) also calls for a sweep.

Lists are asked in the order invocations move (active, then final), and a record only ever
replaces one that is less far along (Pending, Delayed, InProgress, Cancelling, final), so an
invocation that moves between two calls is seen twice at worst, never lost.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ssmtui.aws.errors import AwsError
from ssmtui.aws.parse import parse_invocation
from ssmtui.model.status import STATUSES, CommandStatus, InvocationStatus, is_terminal
from ssmtui.model.types import Command, Invocation, InvocationSet
from ssmtui.poller.invocation_book import InvocationBook, Tally, progress
from ssmtui.poller.queries import PAGE_SIZE, status_filter
from ssmtui.poller.reader import Reader

ACTIVE_STATUSES = ("InProgress", "Delayed")
"""The Status filter values of invocations that are running or waiting for their node."""
UNSUCCESSFUL_STATUSES = tuple(
    status for status, fact in STATUSES.items() if fact.terminal and status != "Success"
)
"""Every final invocation that did not succeed has one of these Status values (Undeliverable,
Terminated, delivery and execution time-outs are StatusDetails under them)."""
WHOLE_LISTING_PAGES = 3
"""A command of at most this many pages is listed whole every cycle: cheaper than tracking."""
CONCURRENT_LOOKUPS = 4
"""Per-instance lookups in flight at once."""

_INFERENCE_SAFE = frozenset({CommandStatus.PENDING, CommandStatus.IN_PROGRESS})


class InvocationTracker:
    """Everything known of one command's invocations, and how to bring it up to date."""

    def __init__(self, command_id: str, page_budget: int) -> None:
        self.command_id = command_id
        self.page_budget = page_budget
        self.book = InvocationBook()
        self.final = False
        """Every invocation is final and known as such: nothing to list ever again."""
        self._inferred: set[str] = set()
        """Instances taken to have succeeded because no unsuccessful list named them."""
        self._cursor: str | None = None
        self._sweeping = True
        self._swept = False
        self._claimed: Tally | None = None
        self._fetched_at: datetime | None = None
        self._taken: InvocationSet | None = None
        """The set as the last good poll kept it: what ``touched`` is counted from."""

    @property
    def unfinished(self) -> bool:
        """A sweep is under way: the loop should run a fill cycle without waiting."""
        return self._sweeping and not self.final

    def invocation_set(self) -> InvocationSet:
        """What is known, and which instances changed since the last good poll took it."""
        assert self._fetched_at is not None
        touched = self.book.touched
        return InvocationSet(
            MappingProxyType(dict(self.book.records)),
            self._fetched_at,
            self._swept,
            changed=frozenset(touched) if touched is not None else None,
            since=self._taken,
            failed=self.book.by_status["Failed"] + self.book.by_status["TimedOut"],
        )

    def taken(self, kept: InvocationSet | None) -> None:
        """A poll succeeded and kept this command's set as ``kept``. When it is the set kept
        before, this tracker was not advanced (or nothing was published): what it stored
        since still has to reach the screen."""
        if kept is self._taken:
            return
        self._taken = kept
        self.book.touched = set()

    def put(self, invocation: Invocation) -> None:
        """Keep ``invocation`` unless what is known of its instance is further along."""
        instance_id = invocation.instance_id
        old = self.book.get(instance_id)
        if old is None or instance_id in self._inferred or progress(invocation) >= progress(old):
            self.book.store(_keep_details(old, invocation))
            self._inferred.discard(instance_id)

    # -- one cycle ---------------------------------------------------------------------------

    async def advance(
        self, reader: Reader, command: Command, now: datetime, *, fill: bool = False
    ) -> None:
        """Bring what is known up to date with ``command``, fetched this cycle.

        ``fill``: a cycle the loop ran only to go on with a sweep.
        """
        if self.final:
            return
        if _pages(command.target_count) <= WHOLE_LISTING_PAGES:
            await self._list_whole(reader, details=self._steps_unknown(command))
        elif self._sweeping:
            await self._sweep(reader, first=not self.book and not fill)
        elif not fill:
            await self._track(reader, command)
        self._fetched_at = now
        self.final = command.terminal and self._swept and self._agrees_with(command)

    def _agrees_with(self, command: Command) -> bool:
        """Every invocation known and final, adding up to exactly the command's counts."""
        tally = self.book.tally()
        return self.book.all_final() and not tally.short_of(command) and not tally.beyond(command)

    def _steps_unknown(self, command: Command) -> bool:
        """Has an instance finished whose steps (and so its response code) are not known? The
        listing gives a code only with Details, which makes a page several times heavier."""
        known = sum(1 for record in self.book if record.terminal and record.plugins is not None)
        return command.completed_count > known

    async def _list_whole(self, reader: Reader, *, details: bool) -> None:
        """All pages, replacing what was known: exact, and final when the command was.
        ``details``: with the steps, when an instance finished since they were last listed:
        the same calls, and every finished instance's response code known by the next poll."""
        rows, _ = await reader.pages(
            "ListCommandInvocations",
            "CommandInvocations",
            **self._query(),
            **({"Details": True} if details else {}),
        )
        previous = dict(self.book.records)
        self.book.clear()
        for row in rows:
            # the steps of a running instance are yet to decide its code: not kept
            finished = is_terminal(str(row.get("Status", "")))
            listed = parse_invocation(row, with_plugins=details and finished)
            self.book.store(_keep_details(previous.get(listed.instance_id), listed))
        self._inferred.clear()
        self._swept = True
        self._sweeping = False

    async def _sweep(self, reader: Reader, *, first: bool) -> None:
        """The next pages of a listing of every invocation: one page when nothing is known
        yet (so it is on screen at once), else up to the page budget."""
        params = self._query()
        if self._cursor is not None:
            params["NextToken"] = self._cursor
        budget = 1 if first else self.page_budget
        try:
            rows, token = await reader.pages(
                "ListCommandInvocations", "CommandInvocations", max_pages=budget, **params
            )
        except AwsError as error:
            if self._cursor is None or error.code != "InvalidNextToken":
                raise
            self._cursor = None  # the saved place expired: the sweep starts again
            return
        self._absorb(rows)
        self._cursor = token
        if token is None:
            self._sweeping = False
            self._swept = True

    def _start_sweep(self) -> None:
        self._sweeping = True
        self._cursor = None

    async def _track(self, reader: Reader, command: Command) -> None:
        if self._claimed is not None and self._claimed.beyond(command):
            self._start_sweep()  # an inference last cycle was wrong
            return
        moving = set(self.book.moving)
        active = await self._lists(reader, ACTIVE_STATUSES)
        left = moving - active
        unsuccessful_listed = await self._classify(reader, command, left)
        if len(self.book) < command.target_count:
            self._start_sweep()  # instances never seen
        elif self.book.tally().short_of(command):
            if not unsuccessful_listed:
                await self._lists(reader, UNSUCCESSFUL_STATUSES)
            if self.book.tally().short_of(command):
                await self._find_unseen_successes(reader, command)
        self._claimed = self.book.tally()

    async def _find_unseen_successes(self, reader: Reader, command: Command) -> None:
        """Instances that went from Pending to Success between two cycles, unseen by the
        active lists: the API cannot list what changed, so list the shorter of the Success
        set, or the Pending set and look up one by one those that left it."""
        pending = set(self.book.pending)
        successes = self.book.by_status[InvocationStatus.SUCCESS]
        unseen = command.completed_count - self.book.tally().completed
        if _pages(successes + unseen) <= _pages(len(pending)) + unseen:
            await self._lists(reader, ("Success",))
            return
        still_pending = await self._lists(reader, ("Pending",))
        await self._look_up(reader, sorted(pending - still_pending), details=True)

    async def _classify(self, reader: Reader, command: Command, left: set[str]) -> bool:
        """Learn how the instances that left the active statuses ended; True when it listed
        the unsuccessful statuses to do so."""
        if not left:
            return False
        listing_cost = sum(
            _pages(self.book.by_status[status] + len(left)) for status in UNSUCCESSFUL_STATUSES
        )
        if len(left) <= listing_cost or command.status not in _INFERENCE_SAFE:
            if len(left) > _pages(command.target_count):
                self._start_sweep()  # a mass cancel: listing everything is cheaper
                return False
            await self._look_up(reader, sorted(left), details=True)
            return False
        named = await self._lists(reader, UNSUCCESSFUL_STATUSES)
        for instance_id in sorted(left - named):
            old = self.book.records[instance_id]
            if not old.terminal:
                self.book.store(
                    replace(
                        old, status=InvocationStatus.SUCCESS, status_details="Success", plugins=None
                    )
                )
                self._inferred.add(instance_id)
        return True

    async def _lists(
        self, reader: Reader, statuses: Iterable[str], *, details: bool = False
    ) -> set[str]:
        """Every invocation with each of ``statuses``, in that order; the instances named.
        ``details``: with their steps (the unsuccessful ones are grouped by their failing
        step, and the lists are short)."""
        named: set[str] = set()
        for status in statuses:
            rows, _ = await reader.pages(
                "ListCommandInvocations",
                "CommandInvocations",
                **self._query(),
                Filters=status_filter(status),
                **({"Details": True} if details else {}),
            )
            named |= self._absorb(rows, details=details)
        return named

    async def _look_up(
        self, reader: Reader, instance_ids: list[str], *, details: bool = False
    ) -> None:
        slots = asyncio.Semaphore(CONCURRENT_LOOKUPS)

        async def one(instance_id: str) -> list[dict[str, Any]]:
            async with slots:
                try:
                    rows, _ = await reader.page(
                        "ListCommandInvocations",
                        "CommandInvocations",
                        CommandId=self.command_id,
                        InstanceId=instance_id,
                        **({"Details": True} if details else {}),
                    )
                except AwsError as error:
                    if error.code == "InvalidInstanceId":
                        return []  # AWS will not name it yet: nothing new to learn
                    raise
                return rows

        for rows in await asyncio.gather(*(one(i) for i in instance_ids)):
            self._absorb(rows, details=details)

    async def fetch_failure_details(self, reader: Reader) -> None:
        """The steps of every instance that did not succeed, each fetched once: its failure is
        grouped by the step that failed, and its row shows that step's code. The one-by-one
        lookups already bring them; the others are looked up one by one, or, when that is more
        calls, their statuses listed with Details. The classifying lists themselves go without:
        they list every failure each time, and steps make a page some seven times larger.
        Nothing once every one is known."""
        book = self.book
        missing = [book.records[instance_id] for instance_id in book.unexplained]
        if not missing:
            return
        statuses = sorted({str(i.status) for i in missing} & set(UNSUCCESSFUL_STATUSES))
        listing_cost = sum(_pages(self.book.by_status[status]) for status in statuses)
        if len(missing) <= listing_cost:
            await self._look_up(reader, sorted(i.instance_id for i in missing), details=True)
        else:
            await self._lists(reader, statuses, details=True)

    def _absorb(self, rows: list[dict[str, Any]], *, details: bool = False) -> set[str]:
        """Keep what the rows say; the instances they name. A row of a running instance whose
        status has not moved says nothing new (a listing's other fields do not change while it
        runs), so it is not parsed again: most of a cycle's rows on a big command."""
        named = set()
        for row in rows:
            instance_id = row.get("InstanceId")
            known = self.book.get(instance_id) if isinstance(instance_id, str) else None
            if known is not None and _unmoved(known, row):
                named.add(known.instance_id)
                continue
            listed = parse_invocation(row, with_plugins=details)
            self.put(listed)
            named.add(listed.instance_id)
        return named

    def _query(self) -> dict[str, Any]:
        return {"CommandId": self.command_id, "MaxResults": PAGE_SIZE}


def _unmoved(known: Invocation, row: dict[str, Any]) -> bool:
    return (
        not known.terminal
        and row.get("Status") == known.status
        and row.get("StatusDetails") == known.status_details
    )


def _pages(records: int) -> int:
    return max(1, math.ceil(records / PAGE_SIZE))


def _keep_details(previous: Invocation | None, listed: Invocation) -> Invocation:
    """A listing may bring no steps, or steps without the output fetched before: a final
    record keeps the richer of the two (its steps cannot change any more)."""
    if previous is None or previous.plugins is None:
        return listed
    same = replace(previous, plugins=None) == replace(listed, plugins=None)
    if previous.terminal and same and _richness(previous) >= _richness(listed):
        return previous
    return listed


def _richness(invocation: Invocation) -> int:
    """0: no steps; 1: steps with their listed output; 2: with output fetched as well."""
    if invocation.plugins is None:
        return 0
    return 2 if any(p.stdout is not None for p in invocation.plugins) else 1
