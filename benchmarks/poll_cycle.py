"""What one poll cycle costs, against what a naive poller would spend.

For the ``default`` and ``large`` scenarios, against the simulator over HTTP through
aiobotocore, this prints:
  steady    calls per cycle by operation, and cycle time, with nothing in focus;
  focused   the same with a command (the largest) and one of its instances in focus;
  reconcile the time reconcile() takes on a cycle's fetch, alone;
  naive     a poller that lists every executing command's invocations with Details each
            cycle: its calls and time, the baseline the design is measured against.

Run: python -m benchmarks.poll_cycle [--cycles N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from datetime import UTC, datetime

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.model.filters import Filters
from ssmtui.model.reconcile import reconcile
from ssmtui.poller import Poller
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
STEP = 5.0


def line(label: str, calls: Counter[str], seconds: list[float]) -> None:
    per_op = ", ".join(f"{op} {n}" for op, n in sorted(calls.items())) or "none"
    print(
        f"  {label:<9} {sum(calls.values()):>5} calls/cycle ({per_op}); "
        f"cycle median {statistics.median(seconds) * 1000:7.1f} ms"
    )


async def measure(
    poller: Poller, clock: ManualClock, cycles: int
) -> tuple[Counter[str], list[float]]:
    calls: Counter[str] = Counter()
    seconds = []
    for _ in range(cycles):
        clock.advance(STEP)
        began = time.perf_counter()
        result = await poller.poll_once()
        seconds.append(time.perf_counter() - began)
        assert result.health.ok, result.health.error
        calls += result.health.stats.calls
    return Counter({op: n // cycles for op, n in calls.items()}), seconds


async def naive(
    reader: SsmReader, clock: ManualClock, cycles: int
) -> tuple[Counter[str], list[float]]:
    before = reader.stats.copy()
    seconds = []
    for _ in range(cycles):
        clock.advance(STEP)
        began = time.perf_counter()
        commands, _ = await reader.pages(
            "ListCommands", "Commands", Filters=[{"key": "ExecutionStage", "value": "Executing"}]
        )
        for command in commands:
            await reader.pages(
                "ListCommandInvocations",
                "CommandInvocations",
                CommandId=command["CommandId"],
                Details=True,
                MaxResults=50,
            )
        seconds.append(time.perf_counter() - began)
    calls = reader.stats.since(before).calls
    return Counter({op: n // cycles for op, n in calls.items()}), seconds


async def scenario(name: str, cycles: int) -> None:
    clock = ManualClock(START)
    async with SimServer(load_scenario(name), clock, seed=1) as server:
        target = AwsTarget(
            region="eu-west-1", endpoint_url=server.endpoint, access_key="b", secret_key="b"
        )
        async with SsmReader(target) as reader:
            print(
                f"{name}: {len(server.engine.instances)} instances, "
                f"{sum(1 for c in server.engine.commands.values() if c.status == 'InProgress')}"
                " executing commands"
            )
            poller = Poller(reader, Filters(), clock=clock.now)
            await poller.poll_once()
            line("steady", *await measure(poller, clock, cycles))
            largest = max(poller.plan.snapshot.commands.values(), key=lambda c: c.target_count)
            poller.set_focus(largest.command_id)
            await poller.poll_once()
            instance = next(iter(poller.plan.snapshot.invocations[largest.command_id].by_instance))
            poller.set_focus(largest.command_id, instance)
            await poller.poll_once()
            line("focused", *await measure(poller, clock, cycles))
            previous = poller.plan.snapshot
            clock.advance(STEP)
            await poller.poll_once()
            fetched = poller.plan.snapshot
            timings = []
            for _ in range(20):
                began = time.perf_counter()
                reconcile(previous, fetched)
                timings.append(time.perf_counter() - began)
            size = len(fetched.commands) + sum(
                len(s.by_instance) for s in fetched.invocations.values()
            )
            print(f"  reconcile {statistics.median(timings) * 1000:7.2f} ms for {size} records")
            line("naive", *await naive(reader, clock, max(1, cycles // 3)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=6, help="cycles to average (default 6)")
    args = parser.parse_args()
    for name in ("default", "large"):
        asyncio.run(scenario(name, args.cycles))


if __name__ == "__main__":
    main()
