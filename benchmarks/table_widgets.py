"""Which table widget for a 20,000-instance command: ssmtui's RowTable against the others.

The same 20,000 invocation rows go into three widgets, each in its own process (so resident
memory is its own), headless at 160x48:
  row_table       ssmtui's instances pane (a RowTable over rows patched by key), as the app
                  runs it: each poll hands it the whole set and the keys the poll touched;
  datatable       Textual's DataTable as the app used it before: a rich Text per cell, and
                  update_cell for each cell that changed;
  fastdatatable   textual-fastdatatable (Arrow-backed), update_cell_at per changed cell;
                  measured only when installed (pip install '.[bench]').
Each then takes polls in which 1% of the instances change status and 5% (the running ones)
have a new "took" time. It prints, per widget:
  load ms         rows in and on screen (the first fill of the pane);
  poll ms         median and p99 CPU time to apply one poll (rows built from records
                  included for row_table; only the changed cells for the others) and draw it;
  key ms          median and p99 CPU time of a cursor move (j) until it is drawn (CPU, not
                  wall time: Textual's Pilot waits about 40 ms after each key whatever the
                  widget, which would hide the difference);
  gc objects      objects the garbage collector tracks, added by the loaded widget;
  gc pass ms      one full collection with the widget loaded (the loop stalls this long);
  rss MB          resident memory added by the loaded widget.

Run: python -m benchmarks.table_widgets [--rows N] [--polls N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Protocol

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable

from ssmtui.model.cells import plain
from ssmtui.model.instance_pane import COLUMNS, InstancesView, invocation_rows
from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.types import Invocation, InvocationSet, PluginResult
from ssmtui.model.views import InvocationSort
from ssmtui.ui.invocations_table import InvocationsTable

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
KINDS = ("row_table", "datatable", "fastdatatable")
SIZE = (160, 48)


def fleet(count: int) -> list[Invocation]:
    """Most instances done, 5% running, a few failed: a big patch run half way."""
    rng = random.Random(7)
    records = []
    for n in range(count):
        status = "InProgress" if n % 20 == 0 else rng.choice(["Success"] * 30 + ["Failed"])
        started = NOW - timedelta(seconds=rng.randint(30, 900))
        finished = None if status == "InProgress" else started + timedelta(seconds=40)
        step = PluginResult(
            "aws:runShellScript",
            PluginStatus(status),
            response_code=-1 if status == "InProgress" else (0 if status == "Success" else 1),
            started=started,
            finished=finished,
        )
        records.append(
            Invocation(
                "cmd",
                f"i-{n:017x}",
                InvocationStatus(status),
                status_details=status,
                instance_name=f"web-{n:05d}",
                requested=NOW - timedelta(minutes=20),
                plugins=(step,),
            )
        )
    return records


def next_poll(records: list[Invocation], round_: int) -> tuple[list[Invocation], set[int]]:
    """1% of the instances change status; the running ones' time moves (new records)."""
    rng = random.Random(round_)
    changed = set(rng.sample(range(len(records)), len(records) // 100))
    out = []
    for n, record in enumerate(records):
        if n not in changed:
            out.append(record)
            continue
        status = "Failed" if record.status == "Success" else "Success"
        out.append(replace(record, status=InvocationStatus(status), status_details=status))
    return out, changed


class Driver(Protocol):
    widget: Widget

    def load(self, rows: list[tuple[str, tuple[Any, ...]]]) -> None: ...
    def apply(self, records: list[Invocation], changed: set[int], now: datetime) -> None: ...


def _texts(cells: tuple[Any, ...]) -> list[Text]:
    return [Text(plain(cell)) for cell in cells]


class RowTableDriver:
    """The app's own instances pane: rows patched by key from what the poll touched."""

    def __init__(self) -> None:
        self.widget = InvocationsTable()

    def _show(self, records: list[Invocation], now: datetime, touched: set[str] | None) -> None:
        by_instance = MappingProxyType({r.instance_id: r for r in records})
        invocations = InvocationSet(by_instance, now)
        known = None if touched is None else frozenset(touched)
        self.widget.show(InstancesView("cmd", invocations, now, touched=known))

    def load(self, records: list[Invocation]) -> None:
        self._show(records, NOW, None)

    def apply(self, records: list[Invocation], changed: set[int], now: datetime) -> None:
        self._show(records, now, {records[n].instance_id for n in changed})


class DataTableDriver:
    """As the app's KeyedTable used it: keyed rows of Text, update_cell for what differs."""

    def __init__(self) -> None:
        self.widget: DataTable[Text] = DataTable(cursor_type="row")

    def load(self, records: list[Invocation]) -> None:
        for column in COLUMNS:
            self.widget.add_column(column.label, width=column.width)
        rows = invocation_rows(records, InvocationSort.INSTANCE, "", NOW)
        for key, cells in rows:
            self.widget.add_row(*_texts(cells), key=key)

    def apply(self, records: list[Invocation], changed: set[int], now: datetime) -> None:
        rows = invocation_rows(records, InvocationSort.INSTANCE, "", now)
        columns = list(self.widget.columns)
        for n in sorted(changed) + list(range(0, len(rows), 20)):
            key, cells = rows[n]
            for column, old, new in zip(
                columns, self.widget.get_row(key), _texts(cells), strict=True
            ):
                if old != new:
                    self.widget.update_cell(key, column, new)


class FastDataTableDriver:
    def __init__(self) -> None:
        from textual_fastdatatable import DataTable as FastDataTable  # noqa: PLC0415

        self.widget = FastDataTable(
            data={column.label: [""] for column in COLUMNS}, cursor_type="row"
        )

    def load(self, records: list[Invocation]) -> None:
        from textual_fastdatatable import ArrowBackend  # noqa: PLC0415

        rows = invocation_rows(records, InvocationSort.INSTANCE, "", NOW)
        columns = {
            column.label: [plain(cells[i]) for _, cells in rows] for i, column in enumerate(COLUMNS)
        }
        self.widget.backend = ArrowBackend.from_pydict(columns)
        self.widget.refresh()

    def apply(self, records: list[Invocation], changed: set[int], now: datetime) -> None:
        rows = invocation_rows(records, InvocationSort.INSTANCE, "", now)
        for n in sorted(changed) + list(range(0, len(rows), 20)):
            _, cells = rows[n]
            for i, cell in enumerate(cells):
                self.widget.update_cell(n, i, plain(cell))


DRIVERS = {
    "row_table": RowTableDriver,
    "datatable": DataTableDriver,
    "fastdatatable": FastDataTableDriver,
}


class Bench(App[None]):
    def __init__(self, driver: Any) -> None:
        super().__init__()
        self.driver = driver

    def compose(self) -> ComposeResult:
        yield self.driver.widget


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def _tracked() -> int:
    gc.collect()
    gc.collect()
    return len(gc.get_objects())


async def measure(kind: str, count: int, polls: int) -> dict[str, float]:
    driver: Any = DRIVERS[kind]()
    records = fleet(count)
    app = Bench(driver)
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        driver.widget.focus()
        await pilot.pause()
        objects, rss = _tracked(), _rss_mb()
        started = time.perf_counter()
        driver.load(records)
        await pilot.pause()
        out["load"] = (time.perf_counter() - started) * 1000
        out["objects"] = _tracked() - objects
        out["rss"] = _rss_mb() - rss
        started = time.perf_counter()
        gc.collect()
        out["gc"] = (time.perf_counter() - started) * 1000
        applies = []
        for round_ in range(polls):
            records, changed = next_poll(records, round_)
            now = NOW + timedelta(seconds=5 * (round_ + 1))
            started = time.process_time()
            driver.apply(records, changed, now)
            await pilot.pause()
            applies.append((time.process_time() - started) * 1000)
        keys = []
        for _ in range(40):
            started = time.process_time()
            await pilot.press("j")
            keys.append((time.process_time() - started) * 1000)
    out["poll"], out["poll99"] = statistics.median(applies), _p99(applies)
    out["key"], out["key99"] = statistics.median(keys), _p99(keys)
    return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--polls", type=int, default=10)
    parser.add_argument("--only", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(asyncio.run(measure(args.only, args.rows, args.polls))))
        return
    print(f"{args.rows:,} rows, {args.polls} polls (1% change status, 5% running)")
    print(
        f"{'widget':<14} {'load ms':>8} {'poll ms':>8} {'p99':>6} {'key ms':>7} {'p99':>6}"
        f" {'gc objects':>11} {'gc pass ms':>10} {'rss MB':>7}"
    )
    for kind in KINDS:
        if kind == "fastdatatable" and importlib.util.find_spec("textual_fastdatatable") is None:
            print(f"{kind:<14} not installed: pip install '.[bench]'")
            continue
        command = [sys.executable, "-m", "benchmarks.table_widgets", "--only", kind]
        command += ["--rows", str(args.rows), "--polls", str(args.polls)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{kind:<14} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{kind:<14} {r['load']:8.0f} {r['poll']:8.1f} {r['poll99']:6.1f} {r['key']:7.1f}"
            f" {r['key99']:6.1f} {r['objects']:11,.0f} {r['gc']:10.1f} {r['rss']:7.1f}"
        )


if __name__ == "__main__":
    main()
