"""The failures screen's renderer: its groups' columns and rows (its instances are rows of
the instances pane)."""

from __future__ import annotations

from ssmtui.model.cells import Cell, Row, line
from ssmtui.model.columns import Column, Columns
from ssmtui.model.failures import FailureCluster

COLUMNS = Columns(
    Column("count", "Count", 6),
    Column("step", "Step", 22),
    Column("rc", "RC", 5),
    Column("error", "Error", 40, grow=True),
    Column("status", "Status", 18),
    Column("example", "Example", 19),
)


def cluster_key(cluster: FailureCluster) -> str:
    """A group's row key: the same group keeps its row (and the cursor) from poll to poll."""
    return "\x1f".join((cluster.step, str(cluster.response_code), cluster.signature))


def cluster_rows(clusters: list[FailureCluster]) -> list[Row]:
    rows = []
    for cluster in clusters:
        code = cluster.response_code
        cells: dict[str, Cell] = {
            "count": str(cluster.count),
            "step": line(cluster.step or "—"),
            "rc": "—" if code is None else str(code),
            "error": line(cluster.signature),
            "status": line(cluster.status),
            "example": cluster.example,
        }
        rows.append((cluster_key(cluster), COLUMNS.ordered(cells)))
    return rows
