"""One way of following the focused command, cycle by cycle (run by ``focused_command.py``).

Runs in the source tree on ``PYTHONPATH`` (today's, or an older one): the ``large`` scenario in
this process on a clock stepped by hand (5 s a cycle, standing still during a cycle, so what
the simulator holds is the truth each cycle is compared with), the real aiobotocore stack over
HTTP, and one strategy:

  poller   the tree's own Poller focused on the 20,000-instance command (with today's tree,
           the fill cycles its loop runs back to back after a cycle, too)
  naive    every page of that command's invocations, every cycle

It writes one JSON record per cycle: calls, response bytes, client CPU (the simulator's own
work subtracted), rows shown, rows whose
status is not the simulator's, and the oldest of those (seconds since the row last showed the
truth).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.poller import Poller
from ssmtui.sim import server as sim_server
from ssmtui.sim.api import SsmApi
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
STEP = 5.0


async def naive_cycle(reader: SsmReader, command_id: str) -> dict[str, tuple[str, str]]:
    await reader.pages(
        "ListCommands", "Commands", Filters=[{"key": "ExecutionStage", "value": "Executing"}]
    )
    rows, _ = await reader.pages(
        "ListCommandInvocations", "CommandInvocations", CommandId=command_id, MaxResults=50
    )
    return {r["InstanceId"]: (r["Status"], r["StatusDetails"]) for r in rows}


def count_simulator_cpu() -> list[float]:
    """CPU the simulator spends answering and encoding, summed, to tell the client's apart."""
    spent = [0.0]

    def timed(work: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            began = time.process_time()
            try:
                return work(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - began

        return run

    SsmApi.handle = timed(SsmApi.handle)  # type: ignore[method-assign]
    sim_server._json = timed(sim_server._json)
    return spent


async def run(strategy: str, cycles: int) -> list[dict[str, Any]]:
    clock = ManualClock(START)
    simulator_cpu = count_simulator_cpu()
    received = [0]

    def count_bytes(response_dict: dict[str, Any], **_: Any) -> None:
        received[0] += len(response_dict.get("body") or b"")

    async with SimServer(load_scenario("large"), clock, seed=7) as server:
        target = AwsTarget(
            region="eu-west-1", endpoint_url=server.endpoint, access_key="b", secret_key="b"
        )
        async with SsmReader(target) as reader:
            reader.client.meta.events.register_first("before-parse.ssm", count_bytes)
            books = max(server.engine.commands.values(), key=lambda c: c.target_count)
            command_id = books.command_id
            poller: Any = None
            if strategy == "poller":
                poller = Poller(reader, clock=clock.now)
                await poller.poll_once()
                poller.set_focus(command_id)
            last_true: dict[str, float] = {}
            records = []
            for cycle in range(cycles):
                if cycle:
                    clock.advance(STEP)
                now = cycle * STEP
                calls_before = sum(reader.stats.calls.values())
                bytes_before = received[0]
                cpu = time.process_time() - simulator_cpu[0]
                if poller is None:
                    shown = await naive_cycle(reader, command_id)
                else:
                    result = await poller.poll_once()
                    plan = getattr(poller, "plan", None)
                    while plan is not None and plan.unfinished:
                        result = await poller.poll_once(fill=True)
                    assert result.health.ok, result.health.error
                    invocations = result.snapshot.invocations.get(command_id)
                    shown = {
                        i: (v.status, v.status_details)
                        for i, v in (invocations.by_instance.items() if invocations else ())
                    }
                cpu = time.process_time() - simulator_cpu[0] - cpu
                wrong = 0
                oldest = 0.0
                for instance_id, invocation in books.invocations.items():
                    if shown.get(instance_id) == (invocation.status, invocation.details):
                        last_true[instance_id] = now
                    else:
                        wrong += 1
                        oldest = max(oldest, now - last_true.get(instance_id, 0.0))
                records.append(
                    {
                        "calls": sum(reader.stats.calls.values()) - calls_before,
                        "bytes": received[0] - bytes_before,
                        "cpu": cpu,
                        "rows": len(shown),
                        "wrong": wrong,
                        "oldest": oldest,
                    }
                )
    return records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strategy", choices=("poller", "naive"), required=True)
    parser.add_argument("--cycles", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "w") as out:
        json.dump(asyncio.run(run(args.strategy, args.cycles)), out)


if __name__ == "__main__":
    main()
