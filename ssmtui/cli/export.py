"""``ssmtui export COMMAND_ID --out DIR``: every instance's steps' output, written to files.

What the API gives of each finished step (the first 24,000 bytes of stdout and 8,000 of
stderr), or the whole S3 objects with ``--s3`` where the command sent its output there; with
``summary.json`` (the command, every invocation and step record) and ``failures.txt`` (the
failure groups, numbered as ``--only group N`` takes them). Nothing is sent: it only reads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssmtui.cli import checks
from ssmtui.cli.common import EXIT_FAILURE, EXIT_USAGE, complain
from ssmtui.cli.settings import add_command_argument

if TYPE_CHECKING:
    from ssmtui.cli.exporter import Tally

WHO = "ssmtui export"
DEFAULT_RATE = 20.0


_rate = checks.between(0.1, 100, "calls a second")


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "export",
        help="write every instance's step output of a command to files",
        description=(
            "Write the output of every instance's steps of one command into a folder, as "
            "INSTANCE/STEP.stdout and INSTANCE/STEP.stderr, with summary.json (the command, "
            "every invocation and step record) and failures.txt (the failure groups). Steps "
            "already written are skipped, so running it again resumes it or picks up what "
            "finished since. Exit status 0 when every finished step was written, 1 when AWS "
            "could not be read (or some steps could not), 2 for bad arguments."
        ),
    )
    add_command_argument(parser, several=False)
    exporting = parser.add_argument_group("export")
    exporting.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the folder to write into"
    )
    exporting.add_argument(
        "--only",
        nargs="+",
        metavar="WHICH",
        help="only some instances: 'failed' (every one that did not succeed), 'group N' (a "
        "failure group, as failures.txt numbers them) or 'status S' (an invocation Status "
        "or StatusDetails, such as TimedOut or Undeliverable)",
    )
    exporting.add_argument(
        "--s3",
        action="store_true",
        help="read each step's whole output from S3 where the command sent it there "
        "(s3:GetObject), instead of the API's first 24,000/8,000 bytes",
    )
    exporting.add_argument(
        "--rate",
        type=_rate,
        default=DEFAULT_RATE,
        metavar="N",
        help=f"calls a second at most (default {DEFAULT_RATE:g}); throttled calls are retried",
    )
    exporting.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.set_defaults(subparser=parser)
    return parser


def run(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415 (the AWS stack is imported when it runs: --help stays quick)

    from ssmtui.aws.errors import AwsError  # noqa: PLC0415
    from ssmtui.cli.exporter import OtherExport, ProgressBar, Request, export  # noqa: PLC0415
    from ssmtui.model.export_plan import OnlyError, parse_only  # noqa: PLC0415
    from ssmtui.poller.command_prefix import UnknownCommand  # noqa: PLC0415

    try:
        request = Request(args.command_id, args.out, parse_only(args.only), args.s3, args.rate)
        tally = asyncio.run(export(args, request, ProgressBar(sys.stderr, quiet=args.quiet)))
    except (OnlyError, UnknownCommand, OtherExport) as error:
        complain(WHO, error)
        return EXIT_USAGE
    except AwsError as error:
        complain(WHO, error)
        return EXIT_FAILURE
    except OSError as error:
        complain(WHO, f"cannot write to {args.out}: {error.strerror or error}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        complain(WHO, "interrupted; run it again to go on where it stopped")
        return 130
    if not args.quiet:
        complain(WHO, _summary(tally, args.out))
    for sentence in tally.unread[:5]:
        complain(WHO, f"not read: {sentence}")
    if tally.s3_missed and not args.quiet:
        complain(WHO, f"not from S3, e.g. {tally.s3_missed[0]} (summary.json lists each)")
    return EXIT_FAILURE if tally.unread else 0


def _summary(tally: Tally, out: Path) -> str:
    parts = [f"{tally.written} step(s) written to {out}"]
    if tally.from_s3:
        parts.append(f"{tally.from_s3} whole from S3")
    if tally.s3_missed:
        parts.append(f"{len(tally.s3_missed)} from the API as S3 could not be read")
    if tally.already_there:
        parts.append(f"{tally.already_there} already there")
    if tally.unread:
        parts.append(f"{len(tally.unread)} could not be read")
    if tally.never_ran:
        parts.append(f"{tally.never_ran} never ran")
    if tally.still_running:
        parts.append(f"{tally.still_running} still running: run it again once they end")
    return "; ".join(parts)
