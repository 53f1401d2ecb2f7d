"""What a table cell holds, and the styles that colour it: plain data, no UI.

A row is a tuple ``(key, cells)``; a cell is a ``str``, or a tuple of ``(text, style)`` runs
when parts of it are coloured (a status, a progress bar). Styles are names (``status--failed``)
that the UI maps to colours. Rows are tuples of strings on purpose: a 20,000-instance command
then costs 20,000 small objects the garbage collector stops tracking, not a million.

Text from AWS is neutralised here, once; the UI draws cells as they are.
"""

from __future__ import annotations

import functools
from collections import Counter

from ssmtui.model.outcomes import Breakdown
from ssmtui.model.status import STATUSES, UNKNOWN, Outcome, facts
from ssmtui.model.text import neutralise
from ssmtui.model.views import status_glyph

Run = tuple[str, str]
"""Some text and the name of its style ('' for the table's own)."""
Cell = str | tuple[Run, ...]
Row = tuple[str, tuple[Cell, ...]]
"""A row's key (CommandId, InstanceId, step name) and its cells, one per column."""

BAR_WIDTH = 10

STATUS_STYLES = frozenset(f"status--{f.colour}" for f in (*STATUSES.values(), UNKNOWN))
"""Every style name a status cell can carry."""
PROGRESS_STYLES = frozenset({"progress--todo", *(outcome.style for outcome in Outcome)})


def status_style(status: str) -> str:
    """The style name that colours ``status``; colour only ever adds to word and glyph."""
    return f"status--{facts(status).colour}"


def plain(cell: Cell) -> str:
    """A cell's text without its styles."""
    return cell if isinstance(cell, str) else "".join(text for text, _ in cell)


def line(text: str) -> str:
    """Untrusted text for one cell: controls made visible, on one line."""
    return neutralise(text, single_line=True)


@functools.lru_cache(maxsize=64)
def status_cell(status: str) -> tuple[Run, ...]:
    """Glyph and word, e.g. '✖ Failed'; an unknown status keeps its own word with '?'.

    One shared cell per status: 20,000 rows then hold a handful of status cells between them.
    """
    return ((f"{status_glyph(status)} {line(str(status))}", status_style(status)),)


_BAR_ORDER = (
    Outcome.SUCCEEDED,
    Outcome.ENDED,
    Outcome.CANCELLED,
    Outcome.UNDELIVERABLE,
    Outcome.TIMED_OUT,
    Outcome.FAILED,
)
_TROUBLE = _BAR_ORDER[2:]
"""Parts that get a block of their own however small they are, so a few failures in
thousands still show on the bar."""


def progress_cell(done: Breakdown, width: int = BAR_WIDTH) -> tuple[Run, ...]:
    """'██████▒▓█░ 812/1000 ⊘2 ⌛1 ✖3': each ended part in its own block and style, then the
    counts, and each part that is not success in words (colour only ever adds to them)."""
    blocks = _bar_blocks(done, width)
    runs: list[Run] = [
        *((outcome.block * blocks[outcome], outcome.style) for outcome in _BAR_ORDER),
        ("░" * (width - sum(blocks.values())), "progress--todo"),
        (f" {done.done}/{done.total}", ""),
    ]
    runs += [(f" {o.glyph}{done[o]}", o.style) for o in _TROUBLE if done[o]]
    return tuple(run for run in runs if run[0])


def _bar_blocks(done: Breakdown, width: int) -> Counter[Outcome]:
    """How many of the bar's ``width`` blocks each ended part takes: its share, rounded, at
    least one for a part that is not success, and success and "ended" take what is left."""
    if done.total <= 0:
        return Counter()
    filled = round(min(1.0, done.done / done.total) * width)
    blocks: Counter[Outcome] = Counter()
    for outcome in _TROUBLE:
        share = max(1, round(done[outcome] / done.total * width)) if done[outcome] else 0
        blocks[outcome] = min(share, filled - sum(blocks.values()))
    left = filled - sum(blocks.values())
    ended = min(left, round(done[Outcome.ENDED] / done.total * width))
    blocks[Outcome.ENDED] = ended if done[Outcome.SUCCEEDED] else left
    blocks[Outcome.SUCCEEDED] = left - blocks[Outcome.ENDED]
    return blocks
