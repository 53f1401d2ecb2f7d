"""The steps pane's renderer: its columns, and a row per step, in document order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ssmtui.model.cells import Cell, Row, line, status_cell
from ssmtui.model.columns import Column, Columns
from ssmtui.model.deciding import response_code
from ssmtui.model.time_text import clock_time, short_duration
from ssmtui.model.types import PluginResult
from ssmtui.model.views import duration

COLUMNS = Columns(
    Column("number", "#", 2),
    Column("step", "Step", 22, grow=True),
    Column("status", "Status", 13),
    Column("rc", "RC", 4),
    Column("took", "Took", 7),
    Column("started", "Started", 8),
    Column("ended", "Ended", 8),
)


def step_rows(plugins: Sequence[PluginResult], now: datetime) -> list[Row]:
    """A handful of rows, built afresh each time."""
    rows = []
    for number, plugin in enumerate(plugins, 1):
        cells: dict[str, Cell] = {
            "number": str(number),
            "step": line(plugin.name),
            "status": status_cell(plugin.status),
            "rc": response_code(plugin),
            "took": short_duration(duration(plugin.started, plugin.finished, now)),
            "started": clock_time(plugin.started),
            "ended": clock_time(plugin.finished),
        }
        rows.append((plugin.name, COLUMNS.ordered(cells)))
    return rows
