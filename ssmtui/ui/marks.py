"""Telling the operator what happened while they looked elsewhere: marks and notices.

``m`` marks a command: its end is told. The selected command's end is told too, and any
running command's first failure. What counts as news is the model's (``model/notices.py``);
this keeps the marks and words the toasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ssmtui.model.notices import Notice, notices
from ssmtui.model.text import short_id
from ssmtui.model.types import Command, FleetSnapshot


@dataclass(slots=True)
class Marks:
    bell: bool = False
    """Ring the terminal bell with each notice (``--bell``)."""
    marked: frozenset[str] = field(default_factory=frozenset)
    """Commands the user asked to be told about when they end."""

    def toggle(self, command: Command | None) -> str:
        """``m`` on ``command``: marked, or unmarked; the sentence that says which."""
        if command is None:
            return "Select a command to mark."
        name = short_id(command.command_id)
        if command.command_id in self.marked:
            self.marked -= {command.command_id}
            return f"Unmarked {name}."
        if command.terminal:
            return f"{name} has already ended: {command.status.value}."
        self.marked |= {command.command_id}
        bell = " (with the bell)" if self.bell else ""
        return f"Marked {name}: you will be told when it ends{bell}."

    def news(
        self, before: FleetSnapshot, after: FleetSnapshot, selected: str | None
    ) -> list[Notice]:
        """What to tell between two polls; marks of commands no longer listed are dropped."""
        watched = self.marked | {selected} if selected else self.marked
        told = notices(before, after, watched)
        self.marked = self.marked & set(after.commands)
        return told
