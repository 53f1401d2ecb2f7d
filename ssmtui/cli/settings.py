"""Every dashboard setting, declared once: its flag, its field in the config file, its line in
``ssmtui config``.

A ``Setting`` says what the value is called, how its text is checked (the same check for the
flag and the file), where it lives in the file (top level, ``[filters]``, or nowhere: a flag
only) and how to explain it. The parser adds the flags from this table, the config file
reader knows its fields from it, and ``ssmtui config`` lists it in this order: adding a
setting is one entry here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssmtui.cli import checks
from ssmtui.model.filters import Stage
from ssmtui.model.status import COMMAND_STATUS_FILTER_VALUES

TOP, FILTERS, FLAG_ONLY = "", "filters", None
"""Where a setting lives in the config file: at the top, under ``[filters]``, or not at all."""


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    """The flag's destination and the config file's field."""
    help: str
    group: str
    """The flags' group in ``--help``: dashboard, AWS or filters."""
    check: Callable[[str], Any] | None = None
    """Turns text (from the flag or the file) into the value, or says in one sentence why
    not; None for a switch (a flag without a value, true or false in the file)."""
    metavar: str | None = None
    default: object = None
    table: str | None = TOP
    """Where it lives in the config file (``TOP``, ``FILTERS``) or ``FLAG_ONLY``."""
    several: bool = False
    """The file may give a list (each profile and region is polled)."""
    choices: tuple[str, ...] | None = None
    """The flag's values, when a closed list (argparse names them when one is wrong)."""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def _stage(text: str) -> str:
    stages = [stage.value for stage in Stage]
    if text not in stages:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(stages)}, got {text!r}")
    return text


DASHBOARD, AWS, FILTER = "dashboard", "AWS", "filters"

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "demo",
        "run on a built-in simulated fleet on 127.0.0.1 (no AWS account or credentials)",
        DASHBOARD,
        table=FLAG_ONLY,
    ),
    Setting(
        "interval",
        f"seconds between polls, {checks.MIN_INTERVAL:g} to {checks.MAX_INTERVAL:g} "
        f"(default {checks.DEFAULT_INTERVAL:g}; + and - change it live)",
        DASHBOARD,
        checks.interval,
        metavar="SECONDS",
        default=checks.DEFAULT_INTERVAL,
    ),
    Setting(
        "seed", "with --demo: seed of the simulated fleet", DASHBOARD, checks.seed, table=FLAG_ONLY
    ),
    Setting(
        "bell",
        "ring the terminal bell when a marked or the selected command ends, and when a "
        "running command has its first failure (a toast says so either way)",
        DASHBOARD,
    ),
    Setting(
        "no_colour",
        "show the colours scripts print in their output as plain text (SGR colours and bold "
        "are drawn from an allowlist by default; C toggles them in the output)",
        DASHBOARD,
    ),
    Setting(
        "kiosk",
        "the wall view: large counts, running commands with progress and ETA, failures, the "
        "data's age; needs no keyboard and never stops on an error (q quits)",
        DASHBOARD,
        table=FLAG_ONLY,
    ),
    Setting(
        "theme",
        f"colours: {', '.join(checks.THEMES)} (default: the one last picked in the palette, "
        f"else {checks.DEFAULT_THEME})",
        DASHBOARD,
        checks.theme,
        metavar="NAME",
    ),
    Setting(
        "profile",
        "AWS profile, or several with commas (default: AWS_PROFILE or the default chain)",
        AWS,
        checks.profile,
        several=True,
    ),
    Setting(
        "region",
        "AWS region, or several with commas (default: from the profile)",
        AWS,
        checks.region,
        several=True,
    ),
    Setting(
        "endpoint_url",
        "SSM endpoint, e.g. one printed by 'ssmtui sim'",
        AWS,
        checks.endpoint_url,
        metavar="URL",
    ),
    Setting("document", "only this document", FILTER, checks.document_name, "NAME", table=FILTERS),
    Setting(
        "status",
        "only commands with this status: " + ", ".join(COMMAND_STATUS_FILTER_VALUES),
        FILTER,
        checks.status,
        "STATUS",
        table=FILTERS,
    ),
    Setting(
        "since",
        "requested after: 2h, 30m, 7d or ISO-8601",
        FILTER,
        checks.moment(),
        "TIME",
        table=FILTERS,
    ),
    Setting("until", "requested before", FILTER, checks.moment(), "TIME", table=FILTERS),
    Setting(
        "stage",
        "executing (default), complete, or all",
        FILTER,
        _stage,
        default=Stage.EXECUTING.value,
        table=FILTERS,
        choices=tuple(stage.value for stage in Stage),
    ),
    Setting("instance", "only commands on it", FILTER, checks.instance_id, "ID", table=FILTERS),
    Setting(
        "command",
        "only this command: its id, or the start of it as the tables show it",
        FILTER,
        checks.command_id,
        "ID",
        table=FLAG_ONLY,
    ),
)


def in_file(table: str) -> dict[str, Setting]:
    """The config file's fields at the top (``TOP``) or under ``[filters]``, by name."""
    return {s.name: s for s in SETTINGS if s.table == table}


def add_settings(parser: argparse.ArgumentParser, groups: Iterable[str]) -> None:
    """The flags of the settings in ``groups``, each group under its own heading."""
    for group in groups:
        heading = parser.add_argument_group(group)
        for setting in (s for s in SETTINGS if s.group == group):
            if setting.check is None:  # a switch
                heading.add_argument(setting.flag, action="store_true", help=setting.help)
            elif setting.choices:
                heading.add_argument(
                    setting.flag,
                    choices=setting.choices,
                    default=setting.default,
                    help=setting.help,
                )
            else:
                heading.add_argument(
                    setting.flag,
                    type=setting.check,
                    default=setting.default,
                    metavar=setting.metavar,
                    help=setting.help,
                )


def add_config_argument(parser: argparse.ArgumentParser, default_path: Path) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help=f"config file (default: {default_path}, if it exists)",
    )


def add_command_argument(parser: argparse.ArgumentParser, *, several: bool) -> None:
    """The command id (or several) a subcommand acts on, and the AWS flags to find it with."""
    parser.add_argument(
        "command_ids" if several else "command_id",
        nargs="+" if several else None,
        type=checks.command_id,
        metavar="COMMAND_ID",
        help="a command id, or its first characters as the tables show them",
    )
    add_settings(parser, [AWS])
