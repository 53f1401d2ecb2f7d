"""The poller with no screen: its share of the dashboard's idle CPU (run by ``fleet_screen.py``).

Runs today's ``Poller`` as the dashboard does (its own loop, on the same interval, the same
command in focus) against the external simulator named on the command line, with nothing
listening but a counter. Once the focused command's every instance is a record, it counts
the CPU this process spends for ``--seconds`` and writes it, as JSON, to ``--out``. The
difference from the dashboard's idle CPU is what the screen costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.poller import Poller, PollResult


async def measure(endpoint: str, command_id: str, targets: int, seconds: float) -> dict[str, float]:
    target = AwsTarget(region="eu-west-1", endpoint_url=endpoint, access_key="b", secret_key="b")
    rows = [0]
    polls = [0]

    def count(result: PollResult) -> None:
        polls[0] += 1
        invocations = result.snapshot.invocations.get(command_id)
        rows[0] = len(invocations.by_instance) if invocations else 0

    async with SsmReader(target) as reader:
        poller = Poller(reader, interval=5.0)
        poller.subscribe(count)
        poller.set_focus(command_id)
        stop = asyncio.Event()
        loop = asyncio.create_task(poller.run(stop))
        while rows[0] < targets:
            await asyncio.sleep(0.1)
        cpu, wall, before = time.process_time(), time.perf_counter(), polls[0]
        await asyncio.sleep(seconds)
        spent = (time.process_time() - cpu) / (time.perf_counter() - wall)
        stop.set()
        await loop
        return {"idle_cpu": spent, "idle_polls": polls[0] - before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--targets", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    report = asyncio.run(measure(args.endpoint, args.command, args.targets, args.seconds))
    args.out.write_text(json.dumps(report))


if __name__ == "__main__":
    main()
