"""The commands pane: one row per command, kept in step with each snapshot by key."""

from __future__ import annotations

from rich.text import Text

from ssmtui.model.text import short_id
from ssmtui.model.types import Command
from ssmtui.model.views import CommandSort, command_matches, progress, sort_commands
from ssmtui.ui.cells import Ages, literal, progress_bar, status_text
from ssmtui.ui.keyed_table import Column, KeyedTable, Row

BAR_WIDTH = 10

COLUMNS = (  # most telling first: a narrow terminal scrolls sideways for the rest
    Column("id", "ID", 8),
    Column("status", "Status", 13),
    Column("progress", "Progress", BAR_WIDTH + 16),
    Column("document", "Document", 22),
    Column("comment", "Comment", 24),
    Column("requested", "Requested", 14),
    Column("limits", "Conc/Err", 9),
)


class CommandsTable(KeyedTable):
    """Filtered and sorted by the user; a poll never takes the selected command away."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.order = CommandSort.NEWEST

    def redraw(self, *, keep_selected: bool = True) -> bool:
        if self.snapshot is None or self.now is None:
            return True
        commands = self.matching(
            self.snapshot.commands.values(),
            lambda c: c.command_id,
            command_matches,
            keep_selected=keep_selected,
        )
        ages = Ages(self.now)
        rows = [self._row(command, ages) for command in sort_commands(commands, self.order)]
        kept = self.sync(rows)
        self._title(len(rows))
        return kept

    def _title(self, shown: int) -> None:
        total = len(self.snapshot.commands) if self.snapshot else 0
        count = f"{shown} of {total}" if self.needle else f"{total}"
        parts = [f"Commands · {count}", f"sort: {self.order.value}"]
        if self.needle:
            parts.append(f"filter: {self.needle}")
        self.border_title = literal(" · ".join(parts))
        self.border_subtitle = "no commands to show yet" if not total else ""

    def _row(self, command: Command, ages: Ages) -> Row:
        key = command.command_id
        flashing = self.flashes.active(key)
        requested = ages(command.requested)

        def cells() -> tuple[Text, ...]:
            status = status_text(command.status, self.style_for)
            if flashing:
                status.stylize(self.style_for("row--changed"))
            limits = f"{command.max_concurrency or '—'}/{command.max_errors or '—'}"
            return (
                Text(short_id(command.command_id)),
                status,
                progress_bar(progress(command), BAR_WIDTH, self.style_for),
                literal(command.document_name),
                literal(command.comment),
                Text(requested),
                literal(limits),
            )

        return self.cells_for(key, (command, flashing, requested), cells)
