"""What the pictures of a whole command cost the screen once every instance's steps are in.

20,000 instances of a three-step document, each step with 2,400 bytes of listed output (the
most ``ListCommandInvocations`` gives), 18,000 finished and 2,000 running: the model-layer work
a poll sets off when the user has asked for every instance's steps (``/?`` or ``l``), each timed
as the median of several runs.

  merge            the poll's records over the sweep's (``fleet_steps``), once a poll
  spread           one step's durations sorted, once a poll and step
  stragglers       every running instance against its step's 95th percentile, once a poll
  search, first    ``/?text`` through 60,000 outputs
  search, again    the same text after a poll that changed 500 instances' records
  compare          ``D``: two outputs aligned on their masked lines

Run: python -m benchmarks.fleet_pictures
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from ssmtui.model.durations import Straggler, stragglers
from ssmtui.model.fleet_search import FleetSearch
from ssmtui.model.fleet_steps import fleet_steps
from ssmtui.model.output_diff import compared
from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import Invocation, InvocationSet, PluginResult

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
INSTANCES = 20_000
RUNNING = 2_000
STEPS = ("update", "patch", "reboot")


def _output(n: int, step: str) -> str:
    line = f"{step} on i-{n:017x}: package {n % 977} installed in {n % 61} ms\n"
    text = line * (2_400 // len(line))
    return text + ("E: No space left on device\n" if n % 1_000 == 7 else "")


def _steps(n: int, running: bool) -> tuple[PluginResult, ...]:
    start = NOW - timedelta(seconds=3_600 - n % 600)
    plugins = []
    for index, name in enumerate(STEPS):
        begun = start + timedelta(seconds=60 * index)
        unfinished = running and index == len(STEPS) - 1
        status = PluginStatus.IN_PROGRESS if unfinished else PluginStatus.SUCCESS
        ended = None if unfinished else begun + timedelta(seconds=30 + n % 40)
        plugins.append(
            PluginResult(name, status, started=begun, finished=ended, output=_output(n, name))
        )
    return tuple(plugins)


def _fleet() -> tuple[InvocationSet, SweptSteps]:
    listed: dict[str, Invocation] = {}
    swept: dict[str, Invocation] = {}
    for n in range(INSTANCES):
        instance_id = f"i-{n:017x}"
        running = n < RUNNING
        status = InvocationStatus.IN_PROGRESS if running else InvocationStatus.SUCCESS
        listed[instance_id] = Invocation("c", instance_id, status)
        swept[instance_id] = Invocation("c", instance_id, status, plugins=_steps(n, running))
    return (
        InvocationSet(MappingProxyType(listed), NOW),
        SweptSteps("c", MappingProxyType(swept), NOW, passes=1),
    )


def _median_ms(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    invocations, swept = _fleet()
    merged = fleet_steps(invocations, swept)

    def merge() -> object:
        fleet_steps(invocations, None)  # another poll's records: the merge is made afresh
        return fleet_steps(invocations, swept)

    def spread() -> object:
        return type(merged)(merged.steps).spread("patch")

    def late() -> dict[str, Straggler]:
        fresh = type(merged)(merged.steps)
        return stragglers(invocations, fresh.steps, NOW, fresh.spread)

    search = FleetSearch("no space")
    first = _median_ms(lambda: FleetSearch("no space").hits(merged.steps), runs=3)
    search.hits(merged.steps)
    changed = dict(merged.steps)
    for n in range(500):
        changed[f"i-{n:017x}"] = _steps(n, running=False)
    again = _median_ms(lambda: search.hits(changed))
    left, right = _output(7, "patch"), _output(8, "patch")
    rows = {
        "merge": _median_ms(merge),
        "spread": _median_ms(spread),
        "stragglers": _median_ms(late),
        "search, first": first,
        "search, again": again,
        "compare": _median_ms(lambda: compared(left, right)),
    }
    print(f"{INSTANCES:,} instances, {len(STEPS)} steps each, 2,400 bytes of output a step")
    for name, ms in rows.items():
        print(f"  {name:<16} {ms:8.1f} ms")
    found = search.hits(changed)
    print(f"  ({len(found)} instances matched; {len(late()):,} stragglers)")


if __name__ == "__main__":
    main()
