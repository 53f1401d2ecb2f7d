"""Command-line values shared by ``snapshot`` and the dashboard: parsed, checked, explained.

Each parser raises ArgumentTypeError with one sentence naming what was expected, which argparse
prints after the flag's name; so a bad value never reaches AWS and never shows a traceback.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ssmtui.aws.client import AwsTarget
from ssmtui.model.command_id import SHORTEST_PREFIX, is_prefix
from ssmtui.model.filters import DOCUMENT_NAME, INSTANCE_ID, Filters, Stage, parse_moment
from ssmtui.model.filters import contradiction as model_contradiction
from ssmtui.model.status import COMMAND_STATUS_FILTER_VALUES

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def moment(now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Callable[[str], datetime]:
    """``2h``, ``30m``, ``7d`` before now, or an ISO-8601 time; in UTC, from 1970 on."""

    def parse(text: str) -> datetime:
        try:
            return parse_moment(text, now)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not pattern.fullmatch(text):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return text

    return parse


def region(text: str) -> str:
    """One region, or several with commas (``eu-west-1,us-east-1``): each polled at once."""
    names = [name.strip() for name in text.split(",")]
    for name in names:
        if not _REGION.fullmatch(name):
            raise argparse.ArgumentTypeError(
                f"expected AWS region names such as eu-west-1 (several with commas), got {text!r}"
            )
    return ",".join(dict.fromkeys(names))


def profile(text: str) -> str:
    """One profile, or several with commas."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected profile names, with commas, got {text!r}")
    return ",".join(dict.fromkeys(names))


instance_id = _matching(INSTANCE_ID, "an instance id such as i-0123456789abcdef0")
document_name = _matching(DOCUMENT_NAME, "a document name such as AWS-RunShellScript")


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


DEFAULT_INTERVAL = 5.0
MIN_INTERVAL = 1.0
MAX_INTERVAL = 300.0


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be zero or more, got {text!r}")
    return value


def interval(text: str) -> float:
    value = non_negative_float(text)
    if not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise argparse.ArgumentTypeError(
            f"expected seconds from {MIN_INTERVAL:g} to {MAX_INTERVAL:g}, got {text!r}"
        )
    return value


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
    group.add_argument(
        "--profile",
        type=profile,
        help="AWS profile, or several with commas (default: AWS_PROFILE or the default chain)",
    )
    group.add_argument(
        "--region",
        type=region,
        help="AWS region, or several with commas (default: from the profile)",
    )
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


def several(names: str | None) -> tuple[str, ...]:
    """The names of a ``--profile`` or ``--region`` value (checked: commas between them)."""
    return tuple(names.split(",")) if names else ()


def aws_target(args: argparse.Namespace) -> AwsTarget:
    """The one target of ``snapshot`` (the command line refused several)."""
    return aws_targets(args)[0]


def aws_targets(args: argparse.Namespace) -> list[AwsTarget]:
    """Every (profile, region) pair the flags name: each is polled, at once."""
    profiles: list[str | None] = list(several(args.profile)) or [None]
    regions: list[str | None] = list(several(args.region)) or [None]
    return [
        AwsTarget(profile=each, region=where, endpoint_url=args.endpoint_url)
        for each in profiles
        for where in regions
    ]


def contradiction(args: argparse.Namespace) -> str | None:
    """A sentence when the filters can match nothing, in the words of the flags."""
    return model_contradiction(filters(args), lambda name: "--" + name)


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
