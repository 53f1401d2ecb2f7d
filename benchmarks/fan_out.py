"""Three regions of the ``large`` scenario: one process polling all three, against three.

Starts ``ssmtui sim --scenario large --region R1,R2,R3`` (a 20,000-instance fleet in each
region), then polls it for ``--seconds`` as the dashboard does (5 s interval, the largest
running command of the first region in focus, nothing drawn): once from one process through
the fan-out, once from three processes with one poller each. Prints the calls a cycle and the
CPU each setup spent (all its processes together).

    .venv/bin/python -m benchmarks.fan_out [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.cli.launch import polling, source_of
from ssmtui.model.filters import Filters
from ssmtui.poller import PollResult

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")


async def work(endpoint: str, regions: list[str], focus: bool, seconds: float) -> dict[str, float]:
    """One process: poll ``regions`` (a fan-out when several) and count what it costs."""
    calls, cycles, ready = [0], [0], asyncio.Event()

    def count(result: PollResult) -> None:
        calls[0] += result.health.total_calls
        cycles[0] += 1
        ready.set()

    async with _readers(endpoint, regions) as readers:
        sources = [await source_of(reader) for reader in readers]
        poller = polling(list(zip(sources, readers, strict=True)), Filters(), 5.0)
        poller.subscribe(count)
        stop = asyncio.Event()
        running = asyncio.create_task(poller.run(stop))
        await ready.wait()
        if focus:
            first = await readers[0].pages("ListCommands", "Commands")
            biggest = max(first[0], key=lambda c: c.get("TargetCount", 0))
            poller.set_focus(biggest["CommandId"])
        await asyncio.sleep(15)  # the focused command's first sweep
        calls[0] = cycles[0] = 0
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        spent = time.process_time() - cpu
        elapsed = time.perf_counter() - wall
        stop.set()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "cpu_seconds": spent,
        "wall": elapsed,
        "calls": calls[0],
        "cycles": cycles[0],
        "peak_mb": peak,
    }


class _readers:
    """One open reader per region, closed together."""

    def __init__(self, endpoint: str, regions: list[str]) -> None:
        self.readers = [
            SsmReader(AwsTarget(region=r, endpoint_url=endpoint, access_key="b", secret_key="b"))
            for r in regions
        ]

    async def __aenter__(self) -> list[SsmReader]:
        for reader in self.readers:
            await reader.open()
        return self.readers

    async def __aexit__(self, *_: object) -> None:
        for reader in self.readers:
            await reader.close()


def run_workers(endpoint: str, groups: list[list[str]], seconds: float) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        outs = [Path(folder) / f"{n}.json" for n in range(len(groups))]
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.fan_out",
                    "--worker",
                    ",".join(group),
                    "--endpoint",
                    endpoint,
                    "--seconds",
                    str(seconds),
                    "--out",
                    str(out),
                    *(["--focus"] if n == 0 else []),
                ]
            )
            for n, (group, out) in enumerate(zip(groups, outs, strict=True))
        ]
        for worker in workers:
            worker.wait()
        return [json.loads(out.read_text()) for out in outs]


def report(name: str, parts: list[dict[str, float]]) -> None:
    """Calls a cycle of all three regions (each region's result is a third of one)."""
    cpu = sum(p["cpu_seconds"] for p in parts)
    wall = max(p["wall"] for p in parts)
    calls = sum(p["calls"] for p in parts)
    cycles = sum(p["cycles"] for p in parts) / len(REGIONS)
    memory = sum(p["peak_mb"] for p in parts)
    print(
        f"{name:<22} processes {len(parts)}  calls {calls:4.0f}  calls/cycle of the 3 regions "
        f"{calls / max(cycles, 1):5.1f}  CPU {100 * cpu / wall:4.1f} % of a core  "
        f"peak memory {memory:4.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--focus", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = asyncio.run(work(args.endpoint, args.worker.split(","), args.focus, args.seconds))
        args.out.write_text(json.dumps(result))
        return
    sim = subprocess.Popen(
        [
            *(sys.executable, "-m", "ssmtui", "sim", "--scenario", "large", "--seed", "7"),
            *("--region", ",".join(REGIONS)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdout is not None
        endpoint = sim.stdout.readline().split()[-1]
        regions = ", ".join(REGIONS)
        print(f"simulator: {endpoint}, large scenario in {regions}; {args.seconds:g} s each")
        report("one process, fan-out", run_workers(endpoint, [list(REGIONS)], args.seconds))
        report("three processes", run_workers(endpoint, [[r] for r in REGIONS], args.seconds))
    finally:
        sim.terminate()
        sim.wait(timeout=10)


if __name__ == "__main__":
    main()
