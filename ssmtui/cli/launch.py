"""What the dashboard polls: real AWS, or the built-in simulated fleet of ``--demo``.

Each is an async context manager the app enters on its own event loop and leaves when it stops
polling, so quitting leaves no socket, task or thread behind. The demo opens and closes its
simulator and client there; the AWS client is opened by the command line on the same loop,
before the screen is taken over, so credential problems and prompts happen on a plain terminal.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.aws.errors import AwsError
from ssmtui.cli.wanted import aws_targets
from ssmtui.model.clock import utc_now
from ssmtui.model.filters import Filters
from ssmtui.poller import Poller
from ssmtui.poller.command_prefix import with_whole_command
from ssmtui.poller.fan_out import FanOut
from ssmtui.poller.results import Source
from ssmtui.ui.poll_control import PollControl

if TYPE_CHECKING:
    from ssmtui.sim.clock import Clock

DEMO_REGION = "us-east-1"
DEMO_SCENARIO = "default"


@asynccontextmanager
async def aws_poller(
    readers: Sequence[tuple[Source, SsmReader]], filters: Filters, interval: float
) -> AsyncIterator[PollControl]:
    """A poller on each reader the command line opened before the screen was taken over (so
    the credentials resolved there, once) and closes after the app has stopped; several
    behind one fan-out."""
    yield polling(readers, filters, interval)


def polling(
    readers: Sequence[tuple[Source, SsmReader]],
    filters: Filters,
    interval: float,
    clock: Callable[[], datetime] = utc_now,
) -> PollControl:
    pollers = [
        (source, Poller(reader, filters, interval=interval, clock=clock))
        for source, reader in readers
    ]
    return pollers[0][1] if len(pollers) == 1 else FanOut(pollers)


async def open_readers(stack: AsyncExitStack, args: argparse.Namespace) -> list[SsmReader]:
    """A reader for every (profile, region) pair the flags name, closed with ``stack``."""
    return [await stack.enter_async_context(SsmReader(target)) for target in aws_targets(args)]


async def source_of(reader: SsmReader) -> Source:
    """What a reader polls: its profile and region, and its account when STS says (an
    endpoint without STS, or no network to it, leaves the account unsaid)."""
    try:
        account = await reader.account()
    except AwsError:
        account = ""
    return Source(reader.region, account, reader.target.profile)


def describe_sources(profile: str | None, sources: Sequence[Source]) -> str:
    """The credentials side of the status line: profile (or default chain) and account; with
    several sources, how many and which."""
    if len(sources) == 1:
        account = f" · account {sources[0].account}" if sources[0].account else ""
        return describe_credentials(profile) + account
    return f"{len(sources)} sources: " + ", ".join(map(str, sources))


@asynccontextmanager
async def demo_poller(
    filters: Filters,
    interval: float,
    *,
    seed: int,
    clock: Clock | None = None,
    scenario: str = DEMO_SCENARIO,
    regions: Sequence[str] = (DEMO_REGION,),
) -> AsyncIterator[PollControl]:
    """The simulator on 127.0.0.1 (a free port), read through the real AWS client stack;
    with several ``regions``, a fleet in each, polled at once. The simulator is imported
    here: ``snapshot`` and the dashboard on AWS do not pay for it."""
    from ssmtui.sim.clock import ScaledClock  # noqa: PLC0415
    from ssmtui.sim.scenario import load_scenario  # noqa: PLC0415
    from ssmtui.sim.server import SimServer  # noqa: PLC0415

    clock = clock or ScaledClock(utc_now().replace(microsecond=0), 1.0)
    start: datetime = clock.now()
    several = tuple(regions) if len(regions) > 1 else ()
    server = SimServer(load_scenario(scenario), clock, seed=seed, start=start, regions=several)
    async with server, AsyncExitStack() as stack:
        readers = []
        for region in regions:
            target = AwsTarget(
                region=region,
                endpoint_url=server.endpoint,
                access_key="demo",
                secret_key="demo",
            )
            reader = await stack.enter_async_context(SsmReader(target))
            readers.append((await source_of(reader) if several else Source(region), reader))
        filters = await with_whole_command(readers[0][1], filters)
        yield polling(readers, filters, interval, clock.now)


def describe_credentials(profile: str | None) -> str:
    """Which credentials the status line names: the profile, or the default chain."""
    chosen = profile or os.environ.get("AWS_PROFILE")
    return f"profile {chosen}" if chosen else "default credentials"
