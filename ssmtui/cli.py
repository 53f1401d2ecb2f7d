"""The ``ssmtui`` command line: parses arguments, builds the pieces, runs one job."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from ssmtui import __version__, report
from ssmtui.aws.client import SsmReader
from ssmtui.aws.errors import AwsError
from ssmtui.model.clock import utc_now
from ssmtui.model.status import is_terminal
from ssmtui.options import (
    add_aws_arguments,
    add_filter_arguments,
    aws_target,
    contradiction,
    filters,
)
from ssmtui.poller import Poller
from ssmtui.sim.clock import ScaledClock
from ssmtui.sim.faults import FAULT_SPEC_HELP, Fault, parse_fault
from ssmtui.sim.scenario import BUILTIN_SCENARIOS, Scenario, ScenarioError, load_scenario
from ssmtui.sim.server import SimServer, is_loopback

EXIT_USAGE = 2
EXIT_FAILURE = 1


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be zero or more, got {text!r}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 time such as 2026-11-27T08:00:00Z, got {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _fault(text: str) -> Fault:
    try:
        return parse_fault(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssmtui",
        description="A live terminal dashboard for AWS Systems Manager Run Command.",
        epilog="Run 'ssmtui COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"ssmtui {__version__}")
    commands = parser.add_subparsers(dest="job", metavar="COMMAND")

    sim = commands.add_parser(
        "sim",
        help="serve a simulated SSM Run Command fleet over the AWS protocol",
        description=(
            "Serve a simulated SSM Run Command service on loopback. boto3, aiobotocore and the "
            "AWS CLI reach it with --endpoint-url; any credentials and region are accepted. "
            "The first line printed is 'endpoint: http://HOST:PORT'. Stop it with Ctrl-C."
        ),
    )
    sim.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sim.add_argument("--port", type=_port, default=0, help="port; 0 picks a free one (default 0)")
    sim.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow --host to be an address other than loopback (the simulator has no auth)",
    )
    sim.add_argument(
        "--scenario",
        default="default",
        metavar="NAME|FILE",
        help=f"built-in scenario ({', '.join(BUILTIN_SCENARIOS)}) or a scenario file "
        "(default: default)",
    )
    sim.add_argument("--seed", type=_seed, default=None, help="seed for a reproducible run")
    sim.add_argument(
        "--speed",
        type=_non_negative_float,
        default=1.0,
        metavar="X",
        help="how fast simulated time runs: 2 is twice as fast, 0 freezes it (default 1)",
    )
    sim.add_argument(
        "--start",
        type=_timestamp,
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
    sim.add_argument("-v", "--verbose", action="store_true", help="log each failing request")
    sim.set_defaults(subparser=sim)

    snapshot = commands.add_parser(
        "snapshot",
        help="poll once, print what is running, exit",
        description=(
            "Poll SSM Run Command once and print the commands (executing ones by default) as a "
            "table, or as JSON with the API's own field names. Exit status 0 when the poll "
            "succeeded, 1 when AWS could not be read, 2 for bad arguments."
        ),
    )
    add_aws_arguments(snapshot)
    add_filter_arguments(snapshot)
    output = snapshot.add_argument_group("output")
    output.add_argument("--json", action="store_true", help="print JSON instead of a table")
    output.add_argument(
        "--invocations",
        action="store_true",
        help="add each command's invocations, with their plugins and output",
    )
    snapshot.set_defaults(subparser=snapshot)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.job == "sim":
        return run_sim(args.subparser, args)
    if args.job == "snapshot":
        if problem := contradiction(args):
            args.subparser.error(problem)
        return run_snapshot(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def run_snapshot(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_snapshot(args))
    except AwsError as error:
        print(f"ssmtui snapshot: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


async def _snapshot(args: argparse.Namespace) -> int:
    async with SsmReader(aws_target(args)) as reader:
        poller = Poller(reader, filters(args))
        result = await poller.poll_once()
        if result.health.error is not None:
            raise result.health.error
        invocations = None
        if args.invocations:
            invocations = {
                command_id: await poller.all_invocations(command_id, details=True)
                for command_id in result.snapshot.commands
            }
    if args.json:
        print(report.as_json(result.snapshot, region=reader.region, invocations=invocations))
    else:
        print(report.table(result.snapshot, utc_now(), invocations))
    return 0


def run_sim(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not is_loopback(args.host) and not args.allow_remote:
        parser.error(
            f"--host {args.host} is not a loopback address; the simulator has no "
            "authentication, so add --allow-remote if you mean it"
        )
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        print(f"ssmtui sim: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not is_loopback(args.host):
        print(
            f"ssmtui sim: warning: serving on {args.host}, reachable from other machines, "
            "with no authentication",
            file=sys.stderr,
        )
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="ssmtui sim: %(message)s",
    )
    seed = args.seed if args.seed is not None else int(utc_now().timestamp()) % 100_000
    start = args.start or utc_now().replace(microsecond=0)
    try:
        asyncio.run(_serve(scenario, args, seed, start))
    except OSError as error:
        print(
            f"ssmtui sim: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return 0


async def _serve(scenario: Scenario, args: argparse.Namespace, seed: int, start: datetime) -> None:
    clock = ScaledClock(start, args.speed)
    server = SimServer(scenario, clock, seed=seed, host=args.host, port=args.port, start=start)
    for fault in args.fault:
        server.inject(fault)
    endpoint = await server.start()
    print(f"endpoint: {endpoint}", flush=True)
    executing = sum(1 for c in server.engine.commands.values() if not is_terminal(c.status))
    print(
        f"scenario: {scenario.name} ({len(server.engine.instances)} instances, "
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
