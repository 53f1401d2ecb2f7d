"""The dashboard, on AWS or on the demo fleet: credentials resolved before the screen is
taken, then the app."""

from __future__ import annotations

import argparse
import asyncio
import sys
from contextlib import AsyncExitStack
from functools import partial

from ssmtui.aws.client import SsmReader
from ssmtui.aws.errors import AwsError
from ssmtui.cli import config_file
from ssmtui.cli.browser_session import saving_allowed, served
from ssmtui.cli.checks import DEFAULT_THEME, several
from ssmtui.cli.common import EXIT_FAILURE, EXIT_USAGE, complain
from ssmtui.cli.launch import DEMO_REGION, aws_poller, demo_poller, describe_sources, source_of
from ssmtui.cli.wanted import aws_targets, filters
from ssmtui.model.filters import Filters
from ssmtui.poller.command_prefix import UnknownCommand, with_whole_command
from ssmtui.ui.app import Dashboard, OpenPoller
from ssmtui.ui.status_line import Where

DEMO_SEED = 7


def run(args: argparse.Namespace) -> int:
    wanted = filters(args)
    if not args.demo:
        try:
            return asyncio.run(_on_aws(args, wanted))
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


async def _on_aws(args: argparse.Namespace, wanted: Filters) -> int:
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
        opened = partial(
            aws_poller, list(zip(sources, readers, strict=True)), wanted, args.interval
        )
        profile = sources[0].profile if len(sources) == 1 else None
        shown = Where(describe_sources(args.profile, sources), profile=profile)
        app = _dashboard(args, opened, shown, wanted)
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
        colour=not args.no_colour,
        theme=args.theme or config_file.remembered_theme() or DEFAULT_THEME,
        remember_theme=config_file.remember_theme if saving_allowed() else None,
        kiosk=args.kiosk,
        saving_allowed=saving_allowed(),
    )


def _no_terminal() -> bool:
    """The dashboard draws on a terminal (or a browser's, under ``ssmtui serve``); piped,
    say what to use instead."""
    if served() or (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    complain(
        "ssmtui",
        "the dashboard needs a terminal; for a one-off report to a pipe or file, "
        "use 'ssmtui snapshot'",
    )
    return True
