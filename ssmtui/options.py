"""Command-line values shared by ``snapshot`` and the dashboard: parsed, checked, explained.

Each parser raises ArgumentTypeError with one sentence naming what was expected, which argparse
prints after the flag's name; so a bad value never reaches AWS and never shows a traceback.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from ssmtui.aws.client import AwsTarget
from ssmtui.model.command_id import SHORTEST_PREFIX, is_prefix
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.status import COMMAND_STATUS_FILTER_VALUES

_RELATIVE = re.compile(r"^(\d+)\s*(s|m|h|d|w)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_INSTANCE = re.compile(r"^(i-[0-9a-f]{8}|i-[0-9a-f]{17}|mi-[0-9a-f]{17})$")
_DOCUMENT = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
"""No command was requested before the epoch: an earlier --since or --until matches nothing."""


def moment(now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Callable[[str], datetime]:
    """``2h``, ``30m``, ``7d`` before now, or an ISO-8601 time; in UTC, from 1970 on."""

    def parse(text: str) -> datetime:
        try:
            value = _moment(text.strip(), now)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a time such as 2h, 30m, 7d or 2026-11-27T08:00:00Z, got {text!r}"
            ) from None
        except OverflowError:
            value = None
        if value is None or value < EARLIEST:
            raise argparse.ArgumentTypeError(
                f"expected a time from 1970-01-01 on (AWS keeps 30 days of commands), got {text!r}"
            )
        return value

    return parse


def _moment(text: str, now: Callable[[], datetime]) -> datetime:
    if match := _RELATIVE.match(text):
        return now() - timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not pattern.match(text):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return text

    return parse


region = _matching(_REGION, "an AWS region name such as eu-west-1")
instance_id = _matching(_INSTANCE, "an instance id such as i-0123456789abcdef0")
document_name = _matching(_DOCUMENT, "a document name such as AWS-RunShellScript")


def command_id(text: str) -> str:
    """A whole command id, or its first characters as the tables show them (made whole later,
    by one search of the account's commands)."""
    lowered = text.strip().lower()
    if not is_prefix(lowered):
        raise argparse.ArgumentTypeError(
            "expected a command id such as 7c2c7927-5b6f-4a3e-9d1c-0123456789ab, or its first "
            f"{SHORTEST_PREFIX} or more characters as the tables show them, got {text!r}"
        )
    return lowered


def status(text: str) -> str:
    if text not in COMMAND_STATUS_FILTER_VALUES:
        raise argparse.ArgumentTypeError(
            f"expected one of {', '.join(COMMAND_STATUS_FILTER_VALUES)}, got {text!r}"
        )
    return text


def endpoint_url(text: str) -> str:
    if not re.match(r"^https?://[^\s/]+", text):
        raise argparse.ArgumentTypeError(
            f"expected a URL such as http://127.0.0.1:8513, got {text!r}"
        )
    try:
        urlsplit(text).port  # noqa: B018 (reading it is the check: out of range raises)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a port from 0 to 65535 in the URL, got {text!r}"
        ) from None
    return text


def add_aws_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("AWS")
    group.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default chain)")
    group.add_argument("--region", type=region, help="AWS region (default: from the profile)")
    group.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        metavar="URL",
        help="SSM endpoint, e.g. one printed by 'ssmtui sim'",
    )


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--document", type=document_name, metavar="NAME", help="only this document")
    group.add_argument(
        "--status",
        type=status,
        metavar="STATUS",
        help="only commands with this status: " + ", ".join(COMMAND_STATUS_FILTER_VALUES),
    )
    group.add_argument(
        "--since", type=moment(), metavar="TIME", help="requested after: 2h, 30m, 7d or ISO-8601"
    )
    group.add_argument("--until", type=moment(), metavar="TIME", help="requested before")
    group.add_argument(
        "--stage",
        choices=[stage.value for stage in Stage],
        default=Stage.EXECUTING.value,
        help="executing (default), complete, or all",
    )
    group.add_argument("--instance", type=instance_id, metavar="ID", help="only commands on it")
    group.add_argument(
        "--command",
        type=command_id,
        metavar="ID",
        help="only this command: its id, or the start of it as the tables show it",
    )


def aws_target(args: argparse.Namespace) -> AwsTarget:
    return AwsTarget(profile=args.profile, region=args.region, endpoint_url=args.endpoint_url)


_EXECUTING_STATUSES = frozenset({"Pending", "InProgress"})


def contradiction(args: argparse.Namespace) -> str | None:
    """A sentence when the filters can match nothing, so the user is told, not shown nothing."""
    if args.since and args.until and args.since >= args.until:
        return "--since must be earlier than --until"
    if args.status is None:
        return None
    if args.instance and args.status == "Pending":
        # The ListCommands reference: "you can't specify Pending when you specify InstanceId"
        return (
            "--status Pending cannot be combined with --instance (ListCommands refuses it); "
            "drop one of them"
        )
    if args.stage == Stage.EXECUTING.value and args.status not in _EXECUTING_STATUSES:
        return (
            f"--status {args.status} only matches finished commands; "
            "add --stage complete or --stage all"
        )
    if args.stage == Stage.COMPLETE.value and args.status in _EXECUTING_STATUSES:
        return f"--status {args.status} only matches executing commands; drop --stage complete"
    return None


def filters(args: argparse.Namespace) -> Filters:
    return Filters(
        document=args.document,
        status=args.status,
        since=args.since,
        until=args.until,
        stage=Stage(args.stage),
        instance=args.instance,
        command=args.command,
    )
