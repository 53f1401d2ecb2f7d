"""The command line's shape: the dashboard's flags (from the settings table) and each
subcommand's own."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ssmtui import __version__
from ssmtui.cli import export, serve, sim, wait
from ssmtui.cli.common import Parser
from ssmtui.cli.config_file import default_path
from ssmtui.cli.settings import AWS, DASHBOARD, FILTER, add_config_argument, add_settings
from ssmtui.model.verdict import FailOn


def add_dashboard_arguments(parser: argparse.ArgumentParser) -> None:
    add_settings(parser, [DASHBOARD])
    add_config_argument(parser, default_path())
    add_settings(parser, [AWS, FILTER])


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
    sim.add_parser(commands)
    snapshot = commands.add_parser(
        "snapshot",
        help="poll once, print what is running, exit",
        description=(
            "Poll SSM Run Command once and print the commands (executing ones by default) as a "
            "table, or as JSON with the API's own field names. Exit status 0 when the poll "
            "succeeded, 1 when AWS could not be read, 2 for bad arguments, and with --fail-on "
            "3 to 6 by what the listed commands came to."
        ),
    )
    add_settings(snapshot, [AWS, FILTER])
    output = snapshot.add_argument_group("output")
    output.add_argument("--json", action="store_true", help="print JSON instead of a table")
    output.add_argument(
        "--invocations",
        action="store_true",
        help="add each command's invocations, with their steps and output",
    )
    output.add_argument(
        "--failures",
        action="store_true",
        help="add each command's failed instances, grouped by failing step, response code and "
        "error line (numbers, ids and addresses masked), largest group first",
    )
    alerting = snapshot.add_argument_group("exit status")
    alerting.add_argument(
        "--fail-on",
        action="append",
        choices=[each.value for each in FailOn],
        metavar="OUTCOME",
        help="exit non-zero when a listed command (or instance, with --invocations) ended so: "
        "failed (Status Failed, partial successes included), timedout, or any-unsuccessful; "
        "the status is the worst outcome's, as for 'ssmtui wait' (3 failed, 4 timed out, "
        "5 cancelled, 6 partly succeeded); may be given more than once",
    )
    snapshot.set_defaults(subparser=snapshot)
    add_config_argument(snapshot, default_path())
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
    served = serve.add_parser(commands)
    add_dashboard_arguments(served)
    waiting = wait.add_parser(commands)
    add_config_argument(waiting, default_path())
    exporting = export.add_parser(commands)
    add_config_argument(exporting, default_path())
    for each in (parser, snapshot, config, served, waiting, exporting):
        each.set_defaults(**(configured or {}))
    return parser
