"""The commands pane: one row per command, in the order and with the filter the user chose."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ssmtui.model.pace import Pace
from ssmtui.model.rows import BAR_WIDTH, RowMemo, command_rows
from ssmtui.model.types import Command, InvocationSet
from ssmtui.model.views import CommandSort, has_failures
from ssmtui.poller import PollResult
from ssmtui.ui.cells import literal, retitle
from ssmtui.ui.row_table import Column, RowTable

COLUMNS = (  # most telling first: a narrow terminal scrolls sideways for the rest
    Column("ID", 10),
    Column("Status", 13),
    Column("Progress", BAR_WIDTH + 16),
    Column("Pace", 18),
    Column("Document", 20, grow=True),
    Column("Comment", 20, grow=True),
    Column("Requested", 14),
    Column("Conc/Err", 9),
)


WHERE = (Column("Account", 12), Column("Region", 14))
"""After the status, when several accounts or regions are polled."""
WITH_SOURCES = (*COLUMNS[:2], *WHERE, *COLUMNS[2:])


def where_read(result: PollResult) -> dict[str, tuple[str, str]]:
    """Each command's (account, region), when several sources are polled; else empty."""
    return {
        command_id: (source.account or source.profile or "", source.region)
        for command_id, source in result.sources.items()
    }


class CommandsTable(RowTable):
    """Holds what the user chose (order, filter), never the commands: they are handed in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_failure", "Next failed", show=False),  # in help; the footer is full
    ]

    def __init__(self, *, id: str | None = None, heading: str = "Commands") -> None:
        super().__init__(COLUMNS, id=id)
        self.heading = heading
        self.order = CommandSort.NEWEST
        self.needle = ""
        """What the user typed after ``/``: only commands that contain it are shown."""
        self._memo = RowMemo()
        self._failing: frozenset[str] = frozenset()
        """Commands with an instance that did not succeed, as of the last poll."""

    def show(
        self,
        commands: Mapping[str, Command],
        now: datetime,
        *,
        keep: str | None,
        changed: Collection[str] = (),
        invocations: Mapping[str, InvocationSet] | None = None,
        more: bool = False,
        paces: Mapping[str, Pace] | None = None,
        marked: Collection[str] = (),
        sources: Mapping[str, tuple[str, str]] | None = None,
    ) -> bool:
        """Show ``commands``; False when the selected one (``keep``) is no longer among them.
        A command with its instances in ``invocations`` has its bar drawn from them; ``more``:
        older commands are there to be read as the cursor goes down."""
        rows = command_rows(
            commands.values(),
            self.order,
            self.needle,
            now,
            memo=self._memo,
            keep=keep,
            invocations=invocations,
            paces=paces,
            marked=marked,
            sources=sources or None,
        )
        wanted = WITH_SOURCES if sources else COLUMNS
        if self.columns != wanted:
            self.set_columns(wanted)
        kept = self.show_rows(rows, changed)
        known = invocations or {}
        self._failing = frozenset(
            c.command_id for c in commands.values() if has_failures(c, known.get(c.command_id))
        )
        self._title(len(rows), len(commands), more=more)
        return kept

    def action_next_failure(self) -> None:
        """The cursor to the next command below it with failed instances, round to the top."""
        if not self.move_to_next(self._failing.__contains__):
            self.notify("No command shown has a failed instance.", timeout=3)

    def _title(self, shown: int, total: int, *, more: bool) -> None:
        count = f"{shown} of {total}" if self.needle else f"{total}"
        if more:
            count += "+ (older ones load as you scroll down)"
        parts: Sequence[str] = [f"{self.heading} · {count}", f"sort: {self.order.value}"]
        if self.needle:
            parts = [*parts, f"filter: {self.needle}"]
        retitle(self, literal(" · ".join(parts)), Text("" if total else "no commands to show yet"))
