"""How soon the demo shows data, and what each of its poll cycles costs.

Runs the dashboard headless on the demo (simulator in-process, real aiobotocore stack) and
prints, over several runs:
  first rows      from the app starting to the first commands on screen;
  instances       to the highlighted command's instances on screen (one more cycle: focus);
  baseline        one bare poll cycle (ListCommands) on an already-open reader: the floor;
and, after the selection settles, the calls each steady cycle makes by operation.

Run: python -m benchmarks.first_data [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from functools import partial

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.cli.launch import demo_poller
from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.poller import Poller, PollResult
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.status_line import Where

SEED = 7


async def one_start() -> tuple[float, float, Counter[str]]:
    filters = Filters()
    app = Dashboard(partial(demo_poller, filters, 1.0, seed=SEED), Where("bench"), filters)
    started = time.perf_counter()
    first = instances = 0.0
    async with app.run_test(size=(160, 48)) as pilot:
        while not instances:
            await asyncio.sleep(0.002)
            now = time.perf_counter() - started
            if not first and app.query_one(CommandsTable).row_count:
                first = now
            if app.query_one(InvocationsTable).row_count:
                instances = now
        assert app.poller is not None
        seen: list[PollResult] = []
        app.poller.subscribe(seen.append)
        while len(seen) < 3:  # the focus settles, then steady cycles at the interval
            await pilot.pause(0.05)
        await pilot.press("q")
    return first, instances, seen[-1].health.stats.calls


async def bare_cycle() -> float:
    clock = ManualClock(utc_now())
    async with SimServer(load_scenario("default"), clock, seed=SEED) as server:
        target = AwsTarget(
            region="us-east-1", endpoint_url=server.endpoint, access_key="b", secret_key="b"
        )
        async with SsmReader(target) as reader:
            poller = Poller(reader, Filters(), clock=clock.now)
            started = time.perf_counter()
            await poller.poll_once()
            return time.perf_counter() - started


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:6.0f} ms, max {max(values) * 1000:6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    firsts: list[float] = []
    instances: list[float] = []
    calls: Counter[str] = Counter()
    for _ in range(runs):
        first, inst, steady = asyncio.run(one_start())
        firsts.append(first)
        instances.append(inst)
        calls = steady
    baseline = [asyncio.run(bare_cycle()) for _ in range(runs)]
    print(f"demo, {runs} runs (app start, no Python start-up)")
    print(f"  first rows   {ms(firsts)}")
    print(f"  instances    {ms(instances)}")
    print(f"  baseline     {ms(baseline)} (one bare cycle, reader already open)")
    per_op = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
    print(f"  steady cycle {sum(calls.values())} calls ({per_op})")


if __name__ == "__main__":
    main()
