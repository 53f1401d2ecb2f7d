"""Search every instance's output for a text: which instances printed it, and the line.

What is searched is each step's ``Output`` as ListCommandInvocations gives it with Details:
the first 2,400 bytes of stdout and stderr. Longer output is cut there (``F`` reads the whole
from S3, and ``ssmtui export`` every instance's), and the screen says so with the count of
instances searched. Matching ignores case and runs over the text as the screen shows it
(terminal sequences neutralised), so a hit is always a line the user can read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ssmtui.model.output_limits import (
    LISTED_BUDGET,
    LISTED_STDERR_CUT,
    LISTED_STDERR_RULE,
    LISTED_STDOUT_CUT,
)
from ssmtui.model.text import neutralise
from ssmtui.model.types import PluginResult

SEARCH_PREFIX = "?"
"""``/`` then ``?text`` in the instances pane searches their output, not their names."""
LINE_CHARACTERS = 200
"""A matching line is shown cut to this many characters."""
SEARCHED = f"{LISTED_BUDGET:,} bytes a step; F or export for the whole"
_AGENTS_OWN = frozenset(
    mark.strip() for mark in (LISTED_STDERR_RULE, LISTED_STDOUT_CUT, LISTED_STDERR_CUT)
)
"""Lines the SSM Agent puts in Output itself (between the streams, where it cut): not what
the instance printed, and "error" would find every output with a stderr."""


@dataclass(frozen=True, slots=True)
class Hit:
    """The first line of an instance's output that holds the text."""

    step: str
    line: str
    """Neutralised, on one line, cut to ``LINE_CHARACTERS``."""
    lines: int
    """Lines of its output, over every step, that hold the text."""

    @property
    def words(self) -> str:
        more = f" (+{self.lines - 1} more)" if self.lines > 1 else ""
        return f"{neutralise(self.step, single_line=True)}: {self.line}{more}"


def output_needle(needle: str) -> str | None:
    """The text to search the output for when the filter asks for it (``?text``), else None."""
    if not needle.startswith(SEARCH_PREFIX):
        return None
    return needle[len(SEARCH_PREFIX) :].strip()


def _hit_in(plugins: tuple[PluginResult, ...], folded: str) -> Hit | None:
    first: tuple[str, str] | None = None
    lines = 0
    for plugin in plugins:
        raw = plugin.output
        if not raw or (folded not in raw.casefold() and "\x1b" not in raw):
            continue  # most outputs: not there, and nothing that could hide it
        for line in neutralise(raw).splitlines():
            if folded in line.casefold() and line.strip() not in _AGENTS_OWN:
                lines += 1
                if first is None:
                    first = (plugin.name, line.strip()[:LINE_CHARACTERS])
    if first is None:
        return None
    return Hit(first[0], first[1], lines)


class FleetSearch:
    """The hits of one text, kept per instance while its steps stay the same records: a poll
    that brings a few new instances searches those, not the fleet again."""

    def __init__(self, needle: str) -> None:
        self.needle = needle
        self._folded = needle.casefold()
        self._seen: dict[str, tuple[tuple[PluginResult, ...], Hit | None]] = {}

    def hits(self, steps: Mapping[str, tuple[PluginResult, ...]]) -> dict[str, Hit]:
        """The instances of ``steps`` whose output holds the text, with the first such line."""
        found: dict[str, Hit] = {}
        seen = self._seen
        for instance_id, plugins in steps.items():
            known = seen.get(instance_id)
            if known is not None and known[0] is plugins:
                hit = known[1]
            else:
                hit = _hit_in(plugins, self._folded) if self._folded else None
                seen[instance_id] = (plugins, hit)
            if hit is not None:
                found[instance_id] = hit
        return found
