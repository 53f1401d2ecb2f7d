"""What the dashboard polls: real AWS, or the built-in simulated fleet of ``--demo``.

Each is an async context manager the app enters on its own event loop and leaves when it stops
polling, so quitting leaves no socket, task or thread behind. The demo opens and closes its
simulator and client there; the AWS client is opened by the command line on the same loop,
before the screen is taken over, so credential problems and prompts happen on a plain terminal.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.poller import Poller
from ssmtui.poller.command_prefix import with_whole_command
from ssmtui.sim.clock import Clock, ScaledClock
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer

DEMO_REGION = "us-east-1"
DEMO_SCENARIO = "default"


@asynccontextmanager
async def aws_poller(reader: SsmReader, filters: Filters, interval: float) -> AsyncIterator[Poller]:
    """A poller on a reader the command line opened before the screen was taken over (so the
    credentials resolved there, once) and closes after the app has stopped."""
    yield Poller(reader, filters, interval=interval)


@asynccontextmanager
async def demo_poller(
    filters: Filters,
    interval: float,
    *,
    seed: int,
    clock: Clock | None = None,
    scenario: str = DEMO_SCENARIO,
) -> AsyncIterator[Poller]:
    """The simulator on 127.0.0.1 (a free port), read through the real AWS client stack."""
    clock = clock or ScaledClock(utc_now().replace(microsecond=0), 1.0)
    start: datetime = clock.now()
    server = SimServer(load_scenario(scenario), clock, seed=seed, start=start)
    async with server:
        target = AwsTarget(
            region=DEMO_REGION,
            endpoint_url=server.endpoint,
            access_key="demo",
            secret_key="demo",
        )
        async with SsmReader(target) as reader:
            filters = await with_whole_command(reader, filters)
            yield Poller(reader, filters, interval=interval, clock=clock.now)


def describe_credentials(profile: str | None) -> str:
    """Which credentials the status line names: the profile, or the default chain."""
    chosen = profile or os.environ.get("AWS_PROFILE")
    return f"profile {chosen}" if chosen else "default credentials"
