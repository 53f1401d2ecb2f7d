"""``ssmtui sim``: the simulated SSM Run Command service, served on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ssmtui.cli.checks import non_negative_float, region, seed, several
from ssmtui.cli.common import (
    EXIT_FAILURE,
    EXIT_USAGE,
    add_listen_arguments,
    complain,
    remote_refused,
)
from ssmtui.model.clock import parse_iso, utc_now
from ssmtui.model.hosts import is_loopback
from ssmtui.model.status import is_terminal
from ssmtui.model.text import neutralise
from ssmtui.sim import BUILTIN_SCENARIOS
from ssmtui.sim.faults import FAULT_SPEC_HELP, Fault, parse_fault

if TYPE_CHECKING:
    from ssmtui.sim.scenario import Scenario

MAX_SPEED = 10_000.0
"""Faster than this, simulated time would outrun what a datetime holds within days."""
SIM_YEARS = (1971, 2999)
"""The simulated clock starts within these years: a scenario reaches days to years either side
of its start, and a datetime holds no time after 9999."""


def _speed(text: str) -> float:
    value = non_negative_float(text)
    if not value <= MAX_SPEED:  # also rejects inf
        raise argparse.ArgumentTypeError(f"must be {MAX_SPEED:g} or less, got {text!r}")
    return value


def _start(text: str) -> datetime:
    try:
        moment = parse_iso(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 time such as 2026-11-27T08:00:00Z, got {text!r}"
        ) from None
    first, last = SIM_YEARS
    if not first <= moment.year <= last:
        raise argparse.ArgumentTypeError(
            f"expected a time in the years {first} to {last}, got {text!r}"
        )
    return moment


def _fault(text: str) -> Fault:
    try:
        return parse_fault(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_parser(commands: Any) -> argparse.ArgumentParser:
    sim: argparse.ArgumentParser = commands.add_parser(
        "sim",
        help="serve a simulated SSM Run Command fleet over the AWS protocol",
        description=(
            "Serve a simulated SSM Run Command service on loopback. boto3, aiobotocore and the "
            "AWS CLI reach it with --endpoint-url; any credentials and region are accepted. "
            "The first line printed is 'endpoint: http://HOST:PORT'. Stop it with Ctrl-C."
        ),
    )
    add_listen_arguments(
        sim,
        port=0,
        port_help="port; 0 picks a free one (default 0)",
        why="the simulator has no auth",
    )
    sim.add_argument(
        "--scenario",
        default="default",
        metavar="NAME|FILE",
        help=f"built-in scenario ({', '.join(BUILTIN_SCENARIOS)}) or a scenario file "
        "(default: default)",
    )
    sim.add_argument("--seed", type=seed, default=None, help="seed for a reproducible run")
    sim.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="X",
        help=f"how fast simulated time runs: 2 is twice as fast, 0 freezes it, at most "
        f"{MAX_SPEED:g} (default 1)",
    )
    sim.add_argument(
        "--start",
        type=_start,
        default=None,
        metavar="TIME",
        help="simulated time at start, ISO-8601 (default: now)",
    )
    sim.add_argument(
        "--fault",
        type=_fault,
        action="append",
        default=[],
        metavar="SPEC",
        help=f"inject failures; repeatable. SPEC is {FAULT_SPEC_HELP}",
    )
    sim.add_argument(
        "--region",
        type=region,
        default=None,
        metavar="REGION[,REGION...]",
        help="serve a fleet of its own in each of these regions (by the region a request is "
        "signed for); default: one fleet answers every region",
    )
    sim.add_argument("-v", "--verbose", action="store_true", help="log each failing request")
    sim.set_defaults(subparser=sim)
    return sim


def run(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415 (the parser, which builds this subcommand's flags, does not need it)

    from ssmtui.sim.scenario import ScenarioError, load_scenario  # noqa: PLC0415

    if refusal := remote_refused(args, "the simulator has no authentication"):
        args.subparser.error(refusal)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        complain("ssmtui sim", error)
        return EXIT_USAGE
    if not is_loopback(args.host):
        complain(
            "ssmtui sim",
            f"warning: serving on {args.host}, reachable from other machines, "
            "with no authentication",
        )
    _log_to_stderr(logging.DEBUG if args.verbose else logging.WARNING)
    seed_used = args.seed if args.seed is not None else int(utc_now().timestamp()) % 100_000
    start = args.start or utc_now().replace(microsecond=0)
    try:
        asyncio.run(_serve(scenario, args, seed_used, start))
    except OSError as error:
        complain(
            "ssmtui sim", f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
        )
        return EXIT_FAILURE
    return 0


class _NeutralisedLog(logging.Formatter):
    """Log lines quote what clients sent (an operation name, a parameter): neutralised, each
    line of a record, tracebacks included, like every other text on the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return neutralise(super().format(record))


def _log_to_stderr(level: int) -> None:
    """The simulator's own log at ``level``; every library's warnings only."""
    handler = logging.StreamHandler()
    handler.setFormatter(_NeutralisedLog("ssmtui sim: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("ssmtui.sim").setLevel(level)


async def _serve(scenario: Scenario, args: argparse.Namespace, seed: int, start: datetime) -> None:
    import asyncio  # noqa: PLC0415
    import contextlib  # noqa: PLC0415
    import signal  # noqa: PLC0415

    from ssmtui.sim.clock import ScaledClock  # noqa: PLC0415 (only serving pays for aiohttp)
    from ssmtui.sim.server import SimServer  # noqa: PLC0415

    clock = ScaledClock(start, args.speed)
    regions = several(args.region)
    server = SimServer(
        scenario, clock, seed=seed, host=args.host, port=args.port, start=start, regions=regions
    )
    for fault in args.fault:
        server.inject(fault)
    endpoint = await server.start()
    print(f"endpoint: {endpoint}", flush=True)
    executing = sum(1 for c in server.engine.commands.values() if not is_terminal(c.status))
    print(
        f"scenario: {neutralise(scenario.name, single_line=True)} "
        f"({len(server.engine.instances)} instances, "
        f"{len(server.engine.commands)} commands, {executing} executing); seed {seed}; "
        f"speed {args.speed:g}x",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)
        await server.stop()
