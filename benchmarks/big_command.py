"""What a poll costs the screen when the selected command runs on 20,000 instances.

Runs the dashboard headless on the `large` scenario (simulator in-process, real aiobotocore
stack, clock stepped by hand), selects the command with the most targets, lets its instances
list fill, then refreshes a few times, each after 30 simulated seconds. It prints:
  fill            how long until all its instances are rows, and over how many polls;
  apply           time to apply one poll's result to the screen (DashboardScreen.watch_result);
  stall           the longest the event loop was held (keys wait at most this long);
and the same apply/stall with a command of a few instances selected, as the baseline.

Run: python -m benchmarks.big_command [--polls N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from functools import partial

from textual.pilot import Pilot

from ssmtui.cli.launch import demo_poller
from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.model.types import Command
from ssmtui.poller import PollResult
from ssmtui.sim.clock import ManualClock
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.dashboard_screen import DashboardScreen
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.status_line import Where

SEED = 7
FILL_LIMIT = 300.0


class Meter:
    """Times each poll applied, and how late a 10 ms ticker wakes (the loop's stalls)."""

    def __init__(self) -> None:
        self.applies: list[float] = []
        self.stalls: list[float] = [0.0]
        apply = DashboardScreen.watch_result

        def timed(screen: DashboardScreen, result: PollResult | None) -> None:
            started = time.perf_counter()
            apply(screen, result)
            self.applies.append(time.perf_counter() - started)

        # Textual finds watchers on the class, so the meter wraps the class's own
        DashboardScreen.watch_result = timed  # type: ignore[method-assign,assignment]

    async def tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.stalls.append(time.perf_counter() - started - 0.01)

    def reset(self) -> None:
        self.applies.clear()
        self.stalls[:] = [0.0]


async def poll(pilot: Pilot[None], app: Dashboard, clock: ManualClock) -> None:
    clock.advance(30)
    before = app.result
    await pilot.press("r")
    while app.result is before:
        await pilot.pause(0.01)
    await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    while not condition():
        await pilot.pause(0.05)


async def select(pilot: Pilot[None], app: Dashboard, command: Command) -> None:
    commands = app.query_one(CommandsTable)
    commands.move_cursor(row=commands.get_row_index(command.command_id))
    await until(pilot, lambda: app.board.selection.command == command.command_id)


async def measure(polls: int) -> dict[str, str]:
    clock = ManualClock(utc_now().replace(microsecond=0))
    source = partial(demo_poller, Filters(), 3600.0, seed=SEED, clock=clock, scenario="large")
    app = Dashboard(source, Where("bench"), Filters())
    results: dict[str, str] = {}
    meter = Meter()
    async with app.run_test(size=(160, 48)) as pilot:
        ticker = asyncio.create_task(meter.tick())
        await until(pilot, lambda: app.result is not None and bool(app.result.snapshot.commands))
        assert app.result is not None
        commands = app.result.snapshot.commands.values()
        biggest = max(commands, key=lambda c: c.target_count)
        smallest = min((c for c in commands if c.target_count), key=lambda c: c.target_count)

        await select(pilot, app, smallest)
        meter.reset()
        for _ in range(polls):
            await poll(pilot, app, clock)
        results[f"baseline ({smallest.target_count} instances)"] = summary(meter)

        await select(pilot, app, biggest)
        table = app.query_one(InvocationsTable)
        started, cycles = time.perf_counter(), 0
        while table.row_count < biggest.target_count:
            if time.perf_counter() - started > FILL_LIMIT:
                break
            await poll(pilot, app, clock)
            cycles += 1
        fill = time.perf_counter() - started
        results["fill"] = f"{table.row_count} rows in {fill:.1f} s over {cycles} polls"
        meter.reset()
        for _ in range(polls):
            await poll(pilot, app, clock)
        results[f"selected ({biggest.target_count} instances)"] = summary(meter)
        ticker.cancel()
        await pilot.press("q")
    return results


def summary(meter: Meter) -> str:
    applies = meter.applies or [0.0]
    return (
        f"apply median {statistics.median(applies) * 1000:6.0f} ms, "
        f"max {max(applies) * 1000:6.0f} ms; stall max {max(meter.stalls) * 1000:6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--polls", type=int, default=5)
    results = asyncio.run(measure(parser.parse_args().polls))
    for name, line in results.items():
        print(f"{name:<30} {line}")


if __name__ == "__main__":
    main()
