"""``ssmtui wait COMMAND_ID...``: block until each command is final, exit by what became of it.

The AWS CLI's ``aws ssm wait command-executed`` follows one instance; this follows a whole
command, with the fetch plan the dashboard polls with (its instances tracked by status, in
calls in proportion to what moves), in whichever of the given profiles and regions holds it.
The exit status is the verdict's (``model/verdict.py``), the worst of several; 1 when AWS
could not be read, 2 for bad input. Nothing is sent: it only reads.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ssmtui.cli import checks
from ssmtui.cli.common import EXIT_FAILURE, EXIT_USAGE, complain
from ssmtui.cli.settings import add_command_argument
from ssmtui.model.verdict import Verdict, worst


def add_parser(commands: Any) -> argparse.ArgumentParser:
    codes = "; ".join(f"{v.exit_status} {v.words}" for v in sorted(Verdict, key=_by_status))
    parser: argparse.ArgumentParser = commands.add_parser(
        "wait",
        help="wait until commands are final; exit status by how they ended",
        description=(
            "Wait until each command is final, following it as the dashboard does, and exit "
            f"with its outcome (the worst of several): {codes}; 1 when AWS could not be read, "
            "2 for bad arguments. Progress goes to stderr: a bar on a terminal, a line per "
            "change otherwise."
        ),
    )
    add_command_argument(parser, several=True)
    waiting = parser.add_argument_group("waiting")
    waiting.add_argument(
        "--timeout",
        type=checks.duration,
        metavar="TIME",
        help="give up after this long (90s, 30m, 2h); exit 7 if a command is still running",
    )
    waiting.add_argument(
        "--interval",
        type=checks.interval,
        default=checks.DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between polls (default {checks.DEFAULT_INTERVAL:g})",
    )
    waiting.add_argument("--quiet", action="store_true", help="print nothing on stderr")
    waiting.add_argument(
        "--json",
        action="store_true",
        help="print each command as it ended, with its failure groups, as JSON on stdout",
    )
    parser.set_defaults(subparser=parser)
    return parser


def _by_status(verdict: Verdict) -> int:
    return verdict.exit_status


def run(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415 (what waits is imported when it runs: --help stays quick)

    from ssmtui.aws.errors import AwsError  # noqa: PLC0415
    from ssmtui.cli.follow import WHO, Board, wait_for  # noqa: PLC0415
    from ssmtui.poller.command_prefix import UnknownCommand  # noqa: PLC0415

    try:
        verdicts = asyncio.run(wait_for(args, Board(sys.stderr, quiet=args.quiet)))
    except UnknownCommand as error:
        complain(WHO, error)
        return EXIT_USAGE
    except AwsError as error:
        complain(WHO, error)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    return worst(verdicts).exit_status
