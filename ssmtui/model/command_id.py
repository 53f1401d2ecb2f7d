"""Command ids as a user types them: whole, or the first characters a table shows.

A command id is a lowercase UUID. Tables show its first 8 characters, so an operator who copies
one from the screen has a prefix; ``--command`` accepts it when exactly one command matches.
"""

from __future__ import annotations

import re

WHOLE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHAPE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
_HEX = frozenset("0123456789abcdef")
SHORTEST_PREFIX = 4
"""Fewer characters would match most of a busy account's history."""


def is_whole(text: str) -> bool:
    return bool(WHOLE.fullmatch(text))


def is_prefix(text: str) -> bool:
    """The start of a command id, long enough to be worth a search."""
    if not SHORTEST_PREFIX <= len(text) <= len(_SHAPE):
        return False
    return all(
        char in _HEX if slot == "x" else char == slot
        for char, slot in zip(text, _SHAPE, strict=False)
    )


def matching(prefix: str, command_ids: list[str]) -> list[str]:
    """The distinct ids that start with ``prefix``, sorted."""
    return sorted({command_id for command_id in command_ids if command_id.startswith(prefix)})
