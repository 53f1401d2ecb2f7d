"""How soon fresh data returns once a throttling or latency window on the endpoint ends.

The poller runs on its own loop against the simulator (``default`` scenario, a command and one
of its instances in focus), and the simulator throttles every request, or answers each one
late, for a window. For each kind of window this prints, per configuration, the seconds from
the window's end to the end of the first good cycle that started after it, over several
trials that shift the window against the poll cycle:

  today     before this change: botocore's "adaptive" retries, whose client-side token bucket
            keeps holding calls back after AWS stopped throttling, and the next cycle due one
            interval after the last one *ended* (so a cycle stuck in backoff pushes it back);
  now       "standard" retries (backoff, no token bucket), the next cycle one interval after
            the last one *started*.

The goal is at most one interval. Run: python -m benchmarks.recovery [--interval S] [--trials N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ssmtui.aws.client import AwsTarget, RetryMode, SsmReader
from ssmtui.model.clock import utc_now
from ssmtui.poller import Poller, PollResult
from ssmtui.poller import loop as poller_module
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ScaledClock
from ssmtui.sim.faults import Fault, FaultInjector
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer

Schedule = Callable[[float, float, float], float]


def after_the_end(started: float, ended: float, interval: float) -> float:  # noqa: ARG001
    """Today's schedule: the next cycle one interval after the last one ended."""
    return ended + interval


@contextmanager
def schedule(rule: Schedule) -> Iterator[None]:
    """Run the poller with another scheduling rule (the baseline's), then put it back."""
    original = poller_module.next_start
    poller_module.next_start = rule  # type: ignore[assignment]  # a function, swapped back below
    try:
        yield
    finally:
        poller_module.next_start = original


async def first_fresh(
    endpoint: str, retry_mode: RetryMode, interval: float, clears_at: float, until: float
) -> float | None:
    """Seconds from ``clears_at`` (monotonic) to the end of the first good cycle that started
    after it; None if none came before ``until``."""
    target = AwsTarget(region="us-east-1", endpoint_url=endpoint, access_key="b", secret_key="b")
    fresh: list[float] = []
    async with SsmReader(target, retry_mode=retry_mode) as reader:
        poller = Poller(reader, interval=interval)
        first = await poller.poll_once()
        command_id = max(first.snapshot.commands.values(), key=lambda c: c.target_count).command_id
        poller.set_focus(command_id)
        invocations = (await poller.poll_once()).snapshot.invocations[command_id]
        poller.set_focus(command_id, next(iter(invocations.by_instance)))

        def note(result: PollResult) -> None:
            health = result.health
            began = time.monotonic() - health.seconds
            if health.ok and began >= clears_at and not fresh:
                fresh.append(time.monotonic() - clears_at)
                stop.set()

        stop = asyncio.Event()
        poller.subscribe(note)
        asyncio.get_running_loop().call_later(until - time.monotonic(), stop.set)
        await poller.run(stop)
    return fresh[0] if fresh else None


def trial(kind: str, retry_mode: RetryMode, interval: float, shift: float) -> float | None:
    server = SimServer(load_scenario("default"), ScaledClock(utc_now(), 1.0), seed=7)
    window_from, window_for = 2 * interval + shift, 2.5 * interval
    fault = (
        Fault("throttle", start=window_from, duration=window_for)
        if kind == "throttle"
        else Fault("latency", latency=interval * 0.8, start=window_from, duration=window_for)
    )
    with BackgroundSim(server) as sim:
        server.faults = FaultInjector(7)
        clears_at = server.faults.origin + window_from + window_for
        server.inject(fault)
        until = clears_at + 4 * interval
        return asyncio.run(first_fresh(sim.endpoint, retry_mode, interval, clears_at, until))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=5.0, help="poll interval (default 5)")
    parser.add_argument("--trials", type=int, default=3, help="windows per kind (default 3)")
    args = parser.parse_args()
    interval = args.interval
    configurations: list[tuple[str, RetryMode, Schedule]] = [
        ("today", "adaptive", after_the_end),
        ("now", "standard", poller_module.next_start),
    ]
    print(f"seconds from the fault clearing to fresh data, interval {interval:g} s")
    for kind in ("throttle", "latency"):
        for label, retry_mode, rule in configurations:
            delays = []
            with schedule(rule):
                for index in range(args.trials):
                    shift = interval * index / args.trials
                    delays.append(trial(kind, retry_mode, interval, shift))
            seen = [d for d in delays if d is not None]
            shown = " ".join("never" if d is None else f"{d:5.1f}" for d in delays)
            worst = f"{max(seen):5.1f}" if seen else "  -  "
            mean = f"{statistics.mean(seen):5.1f}" if seen else "  -  "
            print(f"  {kind:<9} {label:<6} mean {mean}  worst {worst}   trials: {shown}")


if __name__ == "__main__":
    main()
