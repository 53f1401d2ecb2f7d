"""Where the user is: the one record of what is selected and how deep they have drilled.

The dashboard keeps a single ``Selection`` and replaces it whole; panes read it, nobody keeps
a copy. Choosing a command forgets the instance and step chosen under the last one, so a
selection never names an instance of another command.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command

PANES = ("commands", "invocations", "steps", "output")
"""The drill-down, in order: Enter moves right, Escape left; a pane's depth is its index."""


@dataclass(frozen=True, slots=True)
class Selection:
    command: str | None = None
    instance: str | None = None
    step: str | None = None
    depth: int = 0
    """Which pane the user is in (an index into ``PANES``)."""

    def with_command(self, command: str | None) -> Selection:
        if command == self.command:
            return self
        return replace(self, command=command, instance=None, step=None)

    def with_instance(self, instance: str | None) -> Selection:
        if instance == self.instance:
            return self
        return replace(self, instance=instance, step=None)

    def with_step(self, step: str | None) -> Selection:
        return self if step == self.step else replace(self, step=step)

    def at_depth(self, depth: int) -> Selection:
        depth = max(0, min(len(PANES) - 1, depth))
        return self if depth == self.depth else replace(self, depth=depth)

    @property
    def pane(self) -> str:
        return PANES[self.depth]


def breadcrumb(selection: Selection, command: Command | None) -> str:
    """The path to where the user is (command, instance, step, output, joined by arrows), as
    deep as they are, plus the one level the Enter key would open."""
    crumbs = ["Commands"]
    if selection.command:
        document = f" {command.document_name}" if command else ""
        crumbs.append(f"{short_id(selection.command)}{document}")
    depth = selection.depth
    if selection.instance and depth >= 1:
        crumbs.append(selection.instance)
    if selection.step and depth >= 2:
        crumbs.append(selection.step)
    if depth >= 3:
        crumbs.append("output")
    return " › ".join(neutralise(crumb, single_line=True) for crumb in crumbs[: depth + 2])
