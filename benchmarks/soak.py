"""A long run of the client against the `large` scenario: does anything grow?

Starts `ssmtui sim --scenario large --speed 10` as its own process, then runs the client here:
the dashboard, headless (or only the poller, ``--client poller``), with the 20,000-instance
command selected and its first instance open, polling every 5 s. Every ``--every`` seconds it
samples this process's resident memory, its asyncio tasks, its open file descriptors and the
objects the garbage collector tracks, and prints them as they come. At the end it prints the
slope of each after the warm-up (the first ``--warmup`` minutes, while the instances load and
the commands settle), per minute: a steady state is flat.

``--trace`` also compares tracemalloc snapshots from the end of the warm-up and the end of the
run, and prints where memory grew (slower; for finding a leak, not for the figures).

Run: python -m benchmarks.soak [--minutes 30] [--warmup 5] [--every 60] [--client dashboard]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.external_sim import external_sim
from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.model.filters import Filters
from ssmtui.poller import Poller
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.status_line import Where

INTERVAL = 5.0


@dataclass(frozen=True, slots=True)
class Sample:
    minute: float
    rss_mb: float
    tasks: int
    fds: int
    objects: int


def sample(began: float) -> Sample:
    status = Path("/proc/self/status").read_text()
    rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:")
    return Sample(
        (time.monotonic() - began) / 60,
        rss_kb / 1024,
        len(asyncio.all_tasks()),
        len(os.listdir("/proc/self/fd")),
        len(gc.get_objects()),
    )


def slope(samples: list[Sample], value: Callable[[Sample], float]) -> float:
    """Least-squares slope per minute."""
    xs, ys = [s.minute for s in samples], [value(s) for s in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def target(endpoint: str) -> AwsTarget:
    return AwsTarget(region="us-east-1", endpoint_url=endpoint, access_key="s", secret_key="s")


async def biggest_command(endpoint: str) -> str:
    async with SsmReader(target(endpoint)) as reader:
        result = await Poller(reader).poll_once()
    commands = result.snapshot.commands.values()
    return max(commands, key=lambda c: c.target_count).command_id


class Sampler:
    def __init__(self, minutes: float, warmup: float, every: float, trace: bool) -> None:
        self.minutes, self.warmup, self.every, self.trace = minutes, warmup, every, trace
        self.samples: list[Sample] = []
        self.warm: tracemalloc.Snapshot | None = None

    async def run(self) -> None:
        began = time.monotonic()
        print(f"{'minute':>7} {'rss MB':>8} {'tasks':>6} {'fds':>5} {'objects':>9}", flush=True)
        while True:
            now = sample(began)
            self.samples.append(now)
            print(
                f"{now.minute:7.1f} {now.rss_mb:8.1f} {now.tasks:6d} {now.fds:5d} {now.objects:9d}",
                flush=True,
            )
            if self.trace and self.warm is None and now.minute >= self.warmup:
                self.warm = tracemalloc.take_snapshot()
            if now.minute >= self.minutes:
                return
            await asyncio.sleep(self.every)

    def report(self) -> None:
        steady = [s for s in self.samples if s.minute >= self.warmup]
        if len(steady) < 2:
            print("too short a run after the warm-up for a slope")
            return
        print(
            f"after the warm-up ({self.warmup:g} min, {len(steady)} samples), per minute: "
            f"rss {slope(steady, lambda s: s.rss_mb):+.2f} MB, "
            f"tasks {slope(steady, lambda s: s.tasks):+.2f}, "
            f"fds {slope(steady, lambda s: s.fds):+.2f}, "
            f"objects {slope(steady, lambda s: s.objects):+.0f}"
        )
        if self.warm is not None:
            grown = tracemalloc.take_snapshot().compare_to(self.warm, "lineno")
            print("where memory grew since the warm-up (tracemalloc):")
            for stat in grown[:15]:
                print(f"  {stat}")


async def soak_dashboard(endpoint: str, command_id: str, sampler: Sampler) -> None:
    filters = Filters()

    @asynccontextmanager
    async def source() -> AsyncIterator[Poller]:
        async with SsmReader(target(endpoint)) as reader:
            yield Poller(reader, filters, interval=INTERVAL)

    app = Dashboard(source, Where("soak"), filters)
    async with app.run_test(size=(160, 48)) as pilot:
        commands = app.query_one(CommandsTable)
        while command_id not in commands.row_keys():
            await pilot.pause(0.5)
        commands.move_cursor(commands.get_row_index(command_id))
        await pilot.press("enter")
        invocations = app.query_one(InvocationsTable)
        while not invocations.row_count:
            await pilot.pause(0.5)
        await pilot.press("enter")
        await sampler.run()


async def soak_poller(endpoint: str, command_id: str, sampler: Sampler) -> None:
    async with SsmReader(target(endpoint)) as reader:
        poller = Poller(reader, interval=INTERVAL)
        first = await poller.poll_once()
        poller.set_focus(command_id)
        while command_id not in first.snapshot.invocations:
            first = await poller.poll_once()
        instance = min(first.snapshot.invocations[command_id].by_instance)
        poller.set_focus(command_id, instance)
        stop = asyncio.Event()
        polling = asyncio.create_task(poller.run(stop))
        await sampler.run()
        stop.set()
        await polling


async def main_async(args: argparse.Namespace) -> None:
    sampler = Sampler(args.minutes, args.warmup, args.every, args.trace)
    with external_sim("--scenario", "large", "--speed", "10") as endpoint:
        command_id = await biggest_command(endpoint)
        print(f"client: {args.client}; the 20,000-instance command {command_id[:8]} in focus")
        if args.client == "dashboard":
            await soak_dashboard(endpoint, command_id, sampler)
        else:
            await soak_poller(endpoint, command_id, sampler)
    sampler.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="how long (default 30)")
    parser.add_argument("--warmup", type=float, default=5.0, help="minutes left out of the slope")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    parser.add_argument("--client", choices=("dashboard", "poller"), default="dashboard")
    parser.add_argument("--trace", action="store_true", help="tracemalloc: where it grew")
    args = parser.parse_args()
    if args.trace:
        tracemalloc.start(8)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
