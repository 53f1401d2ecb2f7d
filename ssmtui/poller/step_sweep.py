"""The sweep of every instance's steps of the focused command, a few pages a poll.

It lists the command's invocations with Details (50 instances a call, each step with its
first 2,400 bytes of output) from where it stopped, at most ``pages`` calls a poll, so a
20,000-instance command costs 400 calls spread over some 40 polls rather than a burst that
invites throttling. A pass that ends while the command still runs is followed by another
only once more instances have finished (the command's CompletedCount moved); meanwhile each
poll reads again only the instances still running (their status InProgress: as many pages
as they fill, within the same budget), whose steps move on. A pass that began after the
command ended is final: never read again, and nothing is read at all.
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

from ssmtui.aws.errors import AwsError
from ssmtui.aws.parse import parse_invocation
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import Command, Invocation
from ssmtui.poller.queries import PAGE_SIZE, status_filter
from ssmtui.poller.reader import Reader

SWEEP_PAGES = 10
"""Calls a poll at most: 500 instances' steps every interval."""


class StepSweep:
    """What the sweeps of one command have read, and where the one under way stands."""

    def __init__(self, command_id: str, pages: int = SWEEP_PAGES) -> None:
        self.command_id = command_id
        self.pages = pages
        self._records: dict[str, Invocation] = {}
        self._cursor: str | None = None
        self._passing = False
        self._passes = 0
        self._final = False
        self._ending_is_final = False
        """The pass under way began after the command ended."""
        self._completed_at_start = -1
        self._read_at: datetime | None = None
        self._calls = 0
        self._view: SweptSteps | None = None
        """The last view handed out: the same object while nothing was read since."""

    def due(self, command: Command) -> bool:
        """Something to read this poll: a pass under way, or instances finished since the
        last one began."""
        if self._final:
            return False
        return self._passing or command.completed_count != self._completed_at_start

    async def advance(self, reader: Reader, command: Command, now: datetime) -> None:
        """The running instances' steps again (between two passes an instance moves on from
        step to step, and a straggler must be one still in the step it is said to lag in),
        then the next pages of a pass, up to the budget; a new pass when one is due."""
        budget = self.pages
        if not self._final and not command.terminal and self._passes:
            made, _ = await self._read(reader, now, budget, Filters=status_filter("InProgress"))
            budget -= made
        if budget <= 0 or not self.due(command):
            return
        if not self._passing:
            self._passing = True
            self._cursor = None
            self._ending_is_final = command.terminal
            self._completed_at_start = command.completed_count
        params = {} if self._cursor is None else {"NextToken": self._cursor}
        try:
            _, self._cursor = await self._read(reader, now, budget, **params)
        except AwsError as error:
            if self._cursor is not None and error.code == "InvalidNextToken":
                self._passing = False  # the saved place expired: the next poll starts again
                self._completed_at_start = -1
                return
            raise
        if self._cursor is None:
            self._passing = False
            self._passes += 1
            self._final = self._ending_is_final

    async def _read(
        self, reader: Reader, now: datetime, pages: int, **params: Any
    ) -> tuple[int, str | None]:
        """Up to ``pages`` pages with Details into the records; the calls it made, and where
        the listing goes on (None: its end)."""
        before = reader.stats.calls["ListCommandInvocations"]
        try:
            rows, token = await reader.pages(
                "ListCommandInvocations",
                "CommandInvocations",
                max_pages=pages,
                CommandId=self.command_id,
                MaxResults=PAGE_SIZE,
                Details=True,
                **params,
            )
        finally:
            made = reader.stats.calls["ListCommandInvocations"] - before
            self._calls += made
            self._view = None
        for row in rows:
            known = self._records.get(row.get("InstanceId", ""))
            if known is not None and known.terminal and row.get("Status") == known.status:
                continue  # final, and read before: the same record (a search need not re-read it)
            invocation = parse_invocation(row, with_plugins=True)
            self._records[invocation.instance_id] = invocation
        self._read_at = now
        return made, token

    def view(self) -> SweptSteps:
        if self._view is None:
            self._view = SweptSteps(
                self.command_id,
                MappingProxyType(dict(self._records)),
                self._read_at,
                self._passes,
                self._final,
                self._calls,
            )
        return self._view
