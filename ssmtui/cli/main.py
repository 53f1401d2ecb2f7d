"""``ssmtui``: read the config file, parse the flags, hand them to one subcommand's module.

Each subcommand's module is imported when it runs, not before: ``ssmtui sim`` never loads
Textual, ``ssmtui snapshot`` never loads the dashboard.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ssmtui.cli import config_file
from ssmtui.cli.common import EXIT_USAGE, complain, emit, quiet_library_logs
from ssmtui.cli.parser import build_parser
from ssmtui.cli.wanted import contradiction, demo_conflict


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        configured = config_file.load(_config_path(argv))
    except config_file.ConfigError as error:
        complain("ssmtui", error)
        return EXIT_USAGE
    parser = build_parser(configured.values)
    args = parser.parse_args(argv)
    if args.job == "sim":
        from ssmtui.cli import sim  # noqa: PLC0415 (each job imports what it uses)

        return sim.run(args)
    if args.job == "config":
        from ssmtui.cli.config import report_settings  # noqa: PLC0415

        emit(report_settings(args, configured, build_parser().parse_args(["config"])))
        return 0
    checked = args.subparser if args.job else parser
    if problem := contradiction(args):
        checked.error(problem)
    if args.job == "snapshot":
        from ssmtui.cli import snapshot  # noqa: PLC0415

        quiet_library_logs()
        return snapshot.run(args)
    if args.job == "wait":
        from ssmtui.cli import wait  # noqa: PLC0415

        quiet_library_logs()
        return wait.run(args)
    if args.job == "export":
        from ssmtui.cli import export  # noqa: PLC0415

        quiet_library_logs()
        return export.run(args)
    if problem := demo_conflict(args, configured.values):
        checked.error(problem)
    if args.job == "serve":
        from ssmtui.cli import serve  # noqa: PLC0415

        served = list(argv)
        served.remove("serve")
        return serve.run(args, served)
    from ssmtui.cli import dashboard  # noqa: PLC0415

    quiet_library_logs()
    if args.demo and args.region == configured.values.get("region"):
        args.region = None  # the demo ignores the file's AWS settings
    return dashboard.run(args)


def _config_path(argv: Sequence[str]) -> Path | None:
    """``--config`` is read before the other flags: the file gives them their defaults."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--config", type=Path)
    known, _ = early.parse_known_args(argv)
    return known.config if isinstance(known.config, Path) else None
