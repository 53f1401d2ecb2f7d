"""A row of counts drawn in one line of text: a block as high as each one's share of the
largest, so a trend reads at a glance in any terminal font and costs no widget."""

from __future__ import annotations

BLOCKS = " ▁▂▃▄▅▆▇█"
"""A sparkline's cells, from none to the most; nothing at all is a blank."""


def sparkline(values: tuple[int, ...], width: int) -> str:
    """``values`` in at most ``width`` cells (neighbours summed when there are more), each a
    block as high as its share of the largest; a minute with none is a blank."""
    if not values:
        return ""
    per_cell = -(-len(values) // width)
    cells = [sum(values[at : at + per_cell]) for at in range(0, len(values), per_cell)]
    top = max(cells)
    if top == 0:
        return " " * len(cells)
    return "".join(BLOCKS[0 if n == 0 else max(1, round(n / top * 8))] for n in cells)
