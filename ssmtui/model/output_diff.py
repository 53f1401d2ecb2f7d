"""A failed step's output beside the same step's on an instance where it succeeded.

Both sides are the step's ``Output`` as ListCommandInvocations gives it (the first 2,400
bytes), so neither is longer for having been fetched otherwise. Lines are aligned on their
masked form (the failure groups' masks: numbers, ids, addresses and times become
placeholders), so a line that differs only by a host name or a timestamp is the same line,
and what is left marked is what went differently. Each line says its side in its first
column (``-`` only in the failure, ``+`` only in the success), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from ssmtui.model.failures import mask
from ssmtui.model.sgr import Paint, Painted, Run
from ssmtui.model.text import neutralise
from ssmtui.model.types import PluginResult

ONLY_FAILED = Paint(fg="red")
ONLY_SUCCEEDED = Paint(fg="green")


@dataclass(frozen=True, slots=True)
class Compared:
    """The aligned lines as text, their colour runs, and how many differ on each side."""

    text: str
    paint: Painted
    only_failed: int
    only_succeeded: int


def successes_of(
    steps: Mapping[str, tuple[PluginResult, ...]], step: str
) -> list[tuple[str, PluginResult]]:
    """The instances where ``step`` ran and succeeded (its precondition held), by id, each
    with that step."""
    found = []
    for instance_id in sorted(steps):
        for plugin in steps[instance_id]:
            if plugin.name == step and plugin.status == "Success" and not plugin.skipped:
                found.append((instance_id, plugin))
    return found


def compared(failed: str, succeeded: str) -> Compared:
    """``failed`` and ``succeeded`` (raw output) aligned line by line on their masked form."""
    left = neutralise(failed).splitlines()
    right = neutralise(succeeded).splitlines()
    matcher = SequenceMatcher(None, [mask(x) for x in left], [mask(x) for x in right], False)
    lines: list[str] = []
    paint: list[tuple[Run, ...]] = []
    only = {"-": 0, "+": 0}

    def put(mark: str, line: str) -> None:
        lines.append(f"{mark} {line}")
        colour = {"-": ONLY_FAILED, "+": ONLY_SUCCEEDED}.get(mark)
        paint.append(((0, len(line) + 2, colour),) if colour else ())
        if mark in only:
            only[mark] += 1

    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            for line in left[a0:a1]:
                put(" ", line)
            continue
        for line in left[a0:a1]:
            put("-", line)
        for line in right[b0:b1]:
            put("+", line)
    return Compared("\n".join(lines), tuple(paint), only["-"], only["+"])
