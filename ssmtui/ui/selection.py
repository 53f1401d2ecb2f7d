"""Where the user is: the one record of what is selected and how deep they have drilled.

The dashboard keeps a single ``Selection`` and replaces it whole; panes read it, nobody keeps
a copy. Choosing a command forgets the instance and step chosen under the last one, so a
selection never names an instance of another command.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command

PANES = ("commands", "invocations", "steps", "output")
"""The drill-down's panes by id, in order: Enter moves right, Escape left."""


class Depth(IntEnum):
    """How deep the user has drilled: which pane they are in."""

    COMMANDS = 0
    INSTANCES = 1
    STEPS = 2
    OUTPUT = 3

    @property
    def pane(self) -> str:
        """The id of its pane."""
        return PANES[self]

    @staticmethod
    def of(pane: str) -> Depth:
        return Depth(PANES.index(pane))

    def moved(self, step: int) -> Depth:
        """``step`` panes deeper (or back, when negative), within the drill-down."""
        return Depth(max(0, min(len(Depth) - 1, self + step)))


@dataclass(frozen=True, slots=True)
class Selection:
    command: str | None = None
    instance: str | None = None
    step: str | None = None
    depth: Depth = Depth.COMMANDS
    """Which pane the user is in."""

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
        """In the pane ``depth`` deep (held within the drill-down)."""
        held = Depth.COMMANDS.moved(depth)
        return self if held == self.depth else replace(self, depth=held)

    @property
    def pane(self) -> str:
        return self.depth.pane


def breadcrumb(selection: Selection, command: Command | None) -> str:
    """The path to where the user is (command, instance, step, output, joined by arrows), as
    deep as they are, plus the one level the Enter key would open."""
    crumbs = ["Commands"]
    if selection.command:
        document = f" {command.document_name}" if command else ""
        crumbs.append(f"{short_id(selection.command)}{document}")
    depth = selection.depth
    if selection.instance and depth >= Depth.INSTANCES:
        crumbs.append(selection.instance)
    if selection.step and depth >= Depth.STEPS:
        crumbs.append(selection.step)
    if depth >= Depth.OUTPUT:
        crumbs.append("output")
    return " › ".join(neutralise(crumb, single_line=True) for crumb in crumbs[: depth + 2])
