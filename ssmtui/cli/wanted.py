"""What the flags ask for: the AWS sources to read and the filters to send."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ssmtui.cli.checks import several
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.filters import contradiction as model_contradiction

if TYPE_CHECKING:  # the AWS stack is imported by the jobs that read AWS, when they run
    from ssmtui.aws.client import AwsTarget


def aws_targets(args: argparse.Namespace) -> list[AwsTarget]:
    """Every (profile, region) pair the flags name: each is polled, at once."""
    from ssmtui.aws.client import AwsTarget  # noqa: PLC0415

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


def demo_conflict(args: argparse.Namespace, configured: Mapping[str, Any]) -> str | None:
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
