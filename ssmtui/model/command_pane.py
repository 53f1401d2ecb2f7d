"""The commands pane's renderer: its columns, and the rows a ``CommandsView`` gives.

A command whose instances were all fetched has its bar drawn from them, every part by its
category; the others from their counts. A marked one (the user asked to be told when it
ends) has a diamond by its id. With several sources (accounts or regions), each command's
account and region follow its status.

The pane keeps a ``RowMemo``: a row is rebuilt only when its record or a clock-driven text in
it changed (reconcile keeps an unchanged record as the very same object).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from ssmtui.model.cells import BAR_WIDTH, Cell, Row, line, progress_cell, status_cell
from ssmtui.model.columns import Column, Columns
from ssmtui.model.outcomes import Breakdown, breakdown_of_counts, breakdown_of_invocations
from ssmtui.model.pace import Pace
from ssmtui.model.row_memo import RowMemo
from ssmtui.model.text import short_id
from ssmtui.model.time_text import Ages
from ssmtui.model.types import Command, InvocationSet
from ssmtui.model.views import CommandSort, command_matches, filtered, sort_commands

COLUMNS = Columns(  # most telling first: a narrow terminal scrolls sideways for the rest
    Column("id", "ID", 10),
    Column("status", "Status", 13),
    Column("progress", "Progress", BAR_WIDTH + 16),
    Column("pace", "Pace", 18),
    Column("document", "Document", 20, grow=True),
    Column("comment", "Comment", 20, grow=True),
    Column("requested", "Requested", 14),
    Column("limits", "Conc/Err", 9),
)
WITH_SOURCES = COLUMNS.after(
    "status", Column("account", "Account", 12), Column("region", "Region", 14)
)
"""When several accounts or regions are polled."""


@dataclass(frozen=True, slots=True)
class CommandsView:
    """Everything the commands pane shows, as of one poll and one selection."""

    commands: Mapping[str, Command]
    now: datetime
    selected: str | None = None
    """The selected command: its row stays whatever the filter says."""
    changed: frozenset[str] = frozenset()
    """Commands whose status this poll changed (their status cell lights up)."""
    invocations: Mapping[str, InvocationSet] = field(default_factory=dict)
    paces: Mapping[str, Pace] = field(default_factory=dict)
    marked: frozenset[str] = frozenset()
    sources: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Each command's (account, region) when several are polled; empty when one is."""
    more: bool = False
    """Older commands are there to be read as the cursor goes down."""

    @property
    def columns(self) -> Columns:
        return WITH_SOURCES if self.sources else COLUMNS


def command_rows(
    view: CommandsView, order: CommandSort, needle: str, memo: RowMemo, *, keep: str | None
) -> list[Row]:
    """The rows of ``view`` in ``order``, those ``needle`` lets through (and ``keep``)."""
    shown = filtered(view.commands.values(), needle, keep, lambda c: c.command_id, command_matches)
    ages = Ages(view.now)
    columns = view.columns
    rows = []
    for command in sort_commands(shown, order):
        command_id = command.command_id
        extras = (
            ages(command.requested),
            pace_text(command, view.paces.get(command_id)),
            command_id in view.marked,
            view.sources.get(command_id),
            id(view.invocations.get(command_id)),
        )
        rows.append(
            memo.row(
                command_id,
                command,
                (extras, columns),
                partial(_row, command, extras, view, columns),
            )
        )
    memo.forget_unseen()
    return rows


def _row(
    command: Command,
    extras: tuple[str, str, bool, object, int],
    view: CommandsView,
    columns: Columns,
) -> Row:
    requested, pace, marked, _, _ = extras
    cells: dict[str, Cell] = {
        "id": short_id(command.command_id) + (" ◆" if marked else ""),
        "status": status_cell(command.status),
        "progress": progress_cell(
            command_breakdown(command, view.invocations.get(command.command_id))
        ),
        "pace": pace,
        "document": line(command.document_name),
        "comment": line(command.comment),
        "requested": requested,
        "limits": line(f"{command.max_concurrency or '—'}/{command.max_errors or '—'}"),
    }
    account, region = view.sources.get(command.command_id, ("", ""))
    cells |= {"account": line(account), "region": line(region)}
    return command.command_id, columns.ordered(cells)


def command_breakdown(command: Command, invocations: InvocationSet | None) -> Breakdown:
    """The command's targets by category: from its instances when every page of them came."""
    if invocations is not None and invocations.complete:
        return breakdown_of_invocations(invocations.by_instance.values(), command.target_count)
    return breakdown_of_counts(command)


def pace_text(command: Command, pace: Pace | None) -> str:
    """The Pace cell: '12/min ETA 3m10s' while it runs, '…' until measured, '' once over."""
    if command.terminal:
        return ""
    return str(pace) if pace is not None else "…"
