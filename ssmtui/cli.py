"""The ``ssmtui`` command line: parses arguments, builds the pieces, runs one job."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from ssmtui import __version__, settings
from ssmtui.aws.client import SsmReader
from ssmtui.aws.errors import AwsError
from ssmtui.effective import report_settings
from ssmtui.launch import (
    DEMO_REGION,
    aws_poller,
    demo_poller,
    describe_sources,
    source_of,
)
from ssmtui.model.clock import parse_iso, utc_now
from ssmtui.model.filters import Filters
from ssmtui.model.status import is_terminal
from ssmtui.model.text import neutralise
from ssmtui.options import (
    DEFAULT_INTERVAL,
    MAX_INTERVAL,
    MIN_INTERVAL,
    add_aws_arguments,
    add_filter_arguments,
    aws_targets,
    contradiction,
    filters,
    interval,
    non_negative_float,
    region,
    several,
)
from ssmtui.poller.command_prefix import UnknownCommand, with_whole_command
from ssmtui.serve import (
    DEFAULT_IDLE_MINUTES,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_PORT,
    run_serve,
    saving_allowed,
)
from ssmtui.sim.clock import ScaledClock
from ssmtui.sim.faults import FAULT_SPEC_HELP, Fault, parse_fault
from ssmtui.sim.scenario import BUILTIN_SCENARIOS, Scenario, ScenarioError, load_scenario
from ssmtui.sim.server import SimServer, is_loopback
from ssmtui.snapshot import SourceFailed
from ssmtui.snapshot import take as take_snapshot
from ssmtui.ui.app import Dashboard, OpenPoller
from ssmtui.ui.status_line import Where

EXIT_USAGE = 2
DEMO_SEED = 7
EXIT_FAILURE = 1


MAX_SPEED = 10_000.0
"""Faster than this, simulated time would outrun what a datetime holds within days."""


def _speed(text: str) -> float:
    value = non_negative_float(text)
    if not value <= MAX_SPEED:  # also rejects inf
        raise argparse.ArgumentTypeError(f"must be {MAX_SPEED:g} or less, got {text!r}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


SIM_YEARS = (1971, 2999)
"""The simulated clock starts within these years: a scenario reaches days to years either side
of its start, and a datetime holds no time after 9999."""


def _start(text: str) -> datetime:
    try:
        moment = parse_iso(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 time such as 2026-11-27T08:00:00Z, got {text!r}"
        ) from None
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
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


class Parser(argparse.ArgumentParser):
    """Bad flags get their one sentence first; the usage follows it, as a reminder."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n{self.format_usage()}")


def add_listen_arguments(
    parser: argparse.ArgumentParser, *, port: int, port_help: str, why: str
) -> None:
    """Where a server of ssmtui's listens: loopback, unless the user says otherwise."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=_port, default=port, help=port_help)
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=f"allow --host to be an address other than loopback ({why})",
    )


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help=f"config file (default: {settings.default_path()}, if it exists)",
    )


def add_dashboard_arguments(parser: argparse.ArgumentParser) -> None:
    dashboard = parser.add_argument_group("dashboard")
    dashboard.add_argument(
        "--demo",
        action="store_true",
        help="run on a built-in simulated fleet on 127.0.0.1 (no AWS account or credentials)",
    )
    dashboard.add_argument(
        "--interval",
        type=interval,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between polls, {MIN_INTERVAL:g} to {MAX_INTERVAL:g} "
        f"(default {DEFAULT_INTERVAL:g}; + and - change it live)",
    )
    dashboard.add_argument(
        "--seed", type=_seed, default=None, help="with --demo: seed of the simulated fleet"
    )
    dashboard.add_argument(
        "--bell",
        action="store_true",
        help="ring the terminal bell when a marked or the selected command ends, and when a "
        "running command has its first failure (a toast says so either way)",
    )
    dashboard.add_argument(
        "--kiosk",
        action="store_true",
        help="the wall view: large counts, running commands with progress and ETA, failures, "
        "the data's age; needs no keyboard and never stops on an error (q quits)",
    )
    dashboard.add_argument(
        "--theme",
        type=settings.theme,
        metavar="NAME",
        help=f"colours: {', '.join(settings.THEMES)} (default: the one last picked in the "
        f"palette, else {settings.DEFAULT_THEME})",
    )
    add_config_argument(parser)
    add_aws_arguments(parser)
    add_filter_arguments(parser)


def build_parser(configured: Mapping[str, Any] | None = None) -> argparse.ArgumentParser:
    """The command line; ``configured``: the config file's values, the defaults under the
    flags."""
    parser = Parser(
        prog="ssmtui",
        description=(
            "A live terminal dashboard for AWS Systems Manager Run Command. Without a COMMAND it "
            "opens the dashboard on AWS (standard credentials, or --profile); --demo opens it "
            "on a simulated fleet. It only ever reads: nothing is sent, cancelled or changed."
        ),
        epilog="Run 'ssmtui COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"ssmtui {__version__}")
    add_dashboard_arguments(parser)
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
    sim.add_argument("--seed", type=_seed, default=None, help="seed for a reproducible run")
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
    output.add_argument(
        "--failures",
        action="store_true",
        help="add each command's failed instances, grouped by failing step, response code and "
        "error line (numbers, ids and addresses masked), largest group first",
    )
    snapshot.set_defaults(subparser=snapshot)
    add_config_argument(snapshot)

    config = commands.add_parser(
        "config",
        help="print the effective settings: flags, then the config file, then the defaults",
        description=(
            "Print the settings the dashboard would start with, as a config file, each with "
            "where it came from. Flags given here override the file, as they do for the "
            "dashboard."
        ),
    )
    add_dashboard_arguments(config)
    config.set_defaults(subparser=config)

    serve = commands.add_parser(
        "serve",
        help="the dashboard in a web browser (textual-serve)",
        description=(
            "Serve the dashboard as a web page: each browser tab runs its own dashboard with "
            "the dashboard flags given here (e.g. 'ssmtui serve --demo --kiosk'). It listens "
            "on loopback, behind a token printed once in the URL; the socket answers only "
            "its own page, and takes whole flag names only."
        ),
        allow_abbrev=False,
    )
    add_listen_arguments(
        serve,
        port=DEFAULT_PORT,
        port_help=f"port (default {DEFAULT_PORT})",
        why="whoever has the link sees what your AWS credentials can read",
    )
    serve.add_argument(
        "--max-sessions",
        type=_at_least_one,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"browser tabs served at once, each its own process (default {DEFAULT_MAX_SESSIONS})",
    )
    serve.add_argument(
        "--idle-minutes",
        type=_at_least_one,
        default=DEFAULT_IDLE_MINUTES,
        metavar="M",
        help=(
            "close a tab that has had no key, click or resize for M minutes "
            f"(default {DEFAULT_IDLE_MINUTES}; a wall display may want more)"
        ),
    )
    serve.add_argument(
        "--allow-save",
        action="store_true",
        help=(
            "let a tab save files (Ctrl+S, into this directory) and remember its theme: both "
            "write on this machine, so they are off by default"
        ),
    )
    add_dashboard_arguments(serve)
    serve.set_defaults(subparser=serve)
    for each in (parser, snapshot, config, serve):
        each.set_defaults(**(configured or {}))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        configured = settings.load(_config_path(argv))
    except settings.ConfigError as error:
        complain("ssmtui", error)
        return EXIT_USAGE
    parser = build_parser(configured.values)
    args = parser.parse_args(argv)
    if args.job == "sim":
        return run_sim(args.subparser, args)
    if args.job == "serve":
        if refusal := _remote_refused(args, "whoever has the link reads with your AWS credentials"):
            args.subparser.error(refusal)
        if problem := contradiction(args) or _demo_conflict(args, configured.values):
            args.subparser.error(problem)
        served = list(argv)
        served.remove("serve")
        return run_serve(args, served, complain, is_loopback)
    if args.job == "config":
        emit(report_settings(args, configured, build_parser().parse_args(["config"])))
        return 0
    _quiet_library_logs()
    if args.job == "snapshot":
        if problem := contradiction(args):
            args.subparser.error(problem)
        return run_snapshot(args)
    if problem := contradiction(args) or _demo_conflict(args, configured.values):
        parser.error(problem)
    if args.demo and args.region == configured.values.get("region"):
        args.region = None  # the demo ignores the file's AWS settings
    return run_dashboard(args)


def _remote_refused(args: argparse.Namespace, why: str) -> str | None:
    """A server of ssmtui's listens beyond loopback only when ``--allow-remote`` says so."""
    if is_loopback(args.host) or args.allow_remote:
        return None
    return (
        f"--host {args.host} is not a loopback address; {why}, so add --allow-remote if you mean it"
    )


def _config_path(argv: Sequence[str]) -> Path | None:
    """``--config`` is read before the other flags: the file gives them their defaults."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--config", type=Path)
    known, _ = early.parse_known_args(argv)
    return known.config if isinstance(known.config, Path) else None


def _quiet_library_logs() -> None:
    """Failures reach the user as one sentence each. Without a handler, Python would print
    library warnings (aiobotocore's failed credential refresh, with its traceback) on stderr,
    before that sentence or under the dashboard."""
    logging.getLogger().addHandler(logging.NullHandler())


def _demo_conflict(args: argparse.Namespace, configured: Mapping[str, Any]) -> str | None:
    """The demo ignores the AWS settings of the config file; given as flags, they conflict."""
    if args.demo:
        chosen = [
            flag
            for flag in ("profile", "endpoint_url")
            if getattr(args, flag) and getattr(args, flag) != configured.get(flag)
        ]
        if chosen:
            flags = ", ".join("--" + flag.replace("_", "-") for flag in chosen)
            return f"--demo runs on the simulated fleet; drop {flags}"
    elif args.seed is not None:
        return "--seed only applies to --demo"
    return None


def run_dashboard(args: argparse.Namespace) -> int:
    wanted = filters(args)
    if not args.demo:
        try:
            return asyncio.run(_dashboard_on_aws(args, wanted))
        except KeyboardInterrupt:  # while credentials resolve, before the screen is taken
            return 130
    if _no_terminal():
        return EXIT_USAGE
    seed = args.seed if args.seed is not None else DEMO_SEED
    where = Where(f"demo (simulated fleet, seed {seed})", demo=True)
    regions = several(args.region) or (DEMO_REGION,)
    app = _dashboard(
        args, partial(demo_poller, wanted, args.interval, seed=seed, regions=regions), where, wanted
    )
    app.run()
    return app.return_code or 0


async def _dashboard_on_aws(args: argparse.Namespace, wanted: Filters) -> int:
    """Profiles, regions and credentials resolve once, before the screen is taken over: a
    problem is one sentence on a normal terminal, and an MFA or SSO prompt is answered once,
    outside the dashboard. The app then polls through those same open clients, one per
    (profile, region)."""
    async with AsyncExitStack() as stack:
        readers = []
        targets = aws_targets(args)
        for target in targets:
            reader = SsmReader(target)
            try:
                await reader.open()
            except AwsError as error:
                where = f" ({target.profile or 'default'} {target.region or ''})".rstrip()
                complain("ssmtui", f"{error}{where if len(targets) > 1 else ''}")
                return EXIT_FAILURE
            stack.push_async_callback(reader.close)
            readers.append(reader)
        try:
            wanted = await with_whole_command(readers[0], wanted)
        except (AwsError, UnknownCommand) as error:
            complain("ssmtui", error)
            return EXIT_FAILURE
        sources = [await source_of(reader) for reader in readers]
        if _no_terminal():
            return EXIT_USAGE
        source = partial(
            aws_poller, list(zip(sources, readers, strict=True)), wanted, args.interval
        )
        app = _dashboard(args, source, Where(describe_sources(args.profile, sources)), wanted)
        await app.run_async()
    return app.return_code or 0


def _dashboard(
    args: argparse.Namespace, open_poller: OpenPoller, where: Where, wanted: Filters
) -> Dashboard:
    """The app, with what the flags and the config file chose of it."""
    return Dashboard(
        open_poller,
        where,
        wanted,
        bell=args.bell,
        theme=_theme(args),
        remember_theme=settings.remember_theme if saving_allowed() else None,
        kiosk=args.kiosk,
        saving_allowed=saving_allowed(),
    )


def _theme(args: argparse.Namespace) -> str:
    """A flag or the file, else the palette's last pick, else the default."""
    return args.theme or settings.remembered_theme() or settings.DEFAULT_THEME


def _no_terminal() -> bool:
    """The dashboard draws on a terminal (or a browser's, under ``ssmtui serve``); piped,
    say what to use instead."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return False
    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):  # textual-serve's session
        return False
    complain(
        "ssmtui",
        "the dashboard needs a terminal; for a one-off report to a pipe or file, "
        "use 'ssmtui snapshot'",
    )
    return True


def complain(who: str, problem: object) -> None:
    """One sentence on stderr, the only way one gets there: whatever it quotes (an error code,
    a value from a scenario file) is neutralised, so it cannot drive the terminal."""
    print(f"{who}: {neutralise(str(problem), single_line=True)}", file=sys.stderr)


def emit(text: str) -> None:
    """A report on stdout as UTF-8, whatever the locale says, so a pipe always gets valid
    UTF-8 and a name in another script never stops the report half-way."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def run_snapshot(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(take_snapshot(args, emit, complain))
    except (AwsError, UnknownCommand, SourceFailed) as error:
        complain("ssmtui snapshot", error)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


def run_sim(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if refusal := _remote_refused(args, "the simulator has no authentication"):
        parser.error(refusal)
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
    seed = args.seed if args.seed is not None else int(utc_now().timestamp()) % 100_000
    start = args.start or utc_now().replace(microsecond=0)
    try:
        asyncio.run(_serve(scenario, args, seed, start))
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
