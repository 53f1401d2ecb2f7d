"""How long the simulator takes to serve a page of 50 invocations with Details.

Prints, for the ``large`` scenario (20,000 instances), the median and 95th percentile of:
  handler   the simulator's own work for one page (no HTTP), and
  http      one page through HTTP and botocore's parser, as a client sees it,
  baseline  the same bytes served by a bare aiohttp handler to the same botocore client,
so ``http - baseline`` is what the simulator adds over any HTTP server.

Run: python -m benchmarks.sim_page [--pages N]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
from aiohttp import web
from botocore.config import Config

from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def client(endpoint: str) -> Any:
    return boto3.client(
        "ssm",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(retries={"total_max_attempts": 1}),
    )


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"{label:<10} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   "
        f"n={len(ordered)}"
    )


class StaticServer:
    """The baseline: the same bodies, in the same order, from a bare aiohttp handler."""

    def __init__(self, bodies: list[bytes]) -> None:
        self.bodies = itertools.cycle(bodies)
        self.loop = asyncio.new_event_loop()
        self.endpoint = ""

    async def _start(self) -> None:
        async def answer(_request: web.Request) -> web.Response:
            return web.Response(body=next(self.bodies), content_type="application/x-amz-json-1.1")

        app = web.Application()
        app.router.add_post("/", answer)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.endpoint = f"http://127.0.0.1:{port}"

    def __enter__(self) -> StaticServer:
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()
        return self

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages to time (default 200)")
    args = parser.parse_args()

    began = time.perf_counter()
    scenario = load_scenario("large")
    server = SimServer(scenario, ManualClock(START), seed=1)
    print(
        f"large scenario: {len(server.engine.instances)} instances, "
        f"{len(server.engine.commands)} commands, started in "
        f"{time.perf_counter() - began:.2f} s"
    )
    everyone = next(c for c in server.engine.ordered if c.target_count == 20_000)
    params = {"CommandId": everyone.command_id, "Details": True, "MaxResults": 50}

    tokens: list[str | None] = [None]
    page = server.api.handle("ListCommandInvocations", params)
    while "NextToken" in page and len(tokens) < args.pages:
        tokens.append(page["NextToken"])
        page = server.api.handle("ListCommandInvocations", {**params, "NextToken": tokens[-1]})
    pages = [{**params, **({"NextToken": t} if t else {})} for t in tokens]
    bodies = [json.dumps(server.api.handle("ListCommandInvocations", p)).encode() for p in pages]
    sizes = sorted(len(body) for body in bodies)
    print(
        f"{len(pages)} pages of 50 invocations with Details, median {sizes[len(sizes) // 2]:,} "
        f"bytes, largest {sizes[-1]:,}"
    )

    cycle = iter(pages * 10)
    report(
        "handler",
        timed(lambda: server.api.handle("ListCommandInvocations", next(cycle)), len(pages)),
    )
    with BackgroundSim(server) as background:
        ssm = client(background.endpoint)
        ssm.list_command_invocations(**pages[0])  # connection and model warm-up
        cycle = iter(pages * 10)
        report("http", timed(lambda: ssm.list_command_invocations(**next(cycle)), len(pages)))
    with StaticServer(bodies) as static:
        baseline = client(static.endpoint)
        baseline.list_command_invocations(**pages[-1])  # warm-up, the body of the last page
        cycle = iter(pages * 10)
        report(
            "baseline", timed(lambda: baseline.list_command_invocations(**next(cycle)), len(pages))
        )


if __name__ == "__main__":
    main()
