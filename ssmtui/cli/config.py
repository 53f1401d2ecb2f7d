"""``ssmtui config``: the settings the dashboard would start with, and where each came from,
in the order of the one settings table."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from ssmtui.cli import config_file
from ssmtui.cli.checks import DEFAULT_THEME
from ssmtui.cli.settings import FILTERS, SETTINGS, TOP
from ssmtui.model.text import neutralise


def report_settings(
    args: argparse.Namespace, configured: config_file.Settings, defaults: argparse.Namespace
) -> str:
    """A config file that would give the same start: flags, then the file, then defaults."""
    found = "found" if configured.found else "not found: built-in defaults"
    lines = [
        "# ssmtui: effective settings (flags, then the config file, then the defaults)",
        f"# config file: {neutralise(str(configured.path), single_line=True)} ({found})",
    ]
    for table in (TOP, FILTERS):
        lines += ["", f"[{table}]"] if table else []
        lines += [_line(args, configured, defaults, s.name) for s in SETTINGS if s.table == table]
    return "\n".join(lines)


def _line(
    args: argparse.Namespace,
    configured: config_file.Settings,
    defaults: argparse.Namespace,
    name: str,
) -> str:
    value, default = getattr(args, name), getattr(defaults, name)
    if name in configured.values and value == configured.values[name]:
        source = "config file"
    elif value != default:
        source = "flag"
    else:
        source = "default"
    if name == "theme" and value is None:
        remembered = config_file.remembered_theme()
        value = remembered or DEFAULT_THEME
        source = "picked in the palette last time" if remembered else "default"
    if value is None:
        return f"# {name} is not set ({source})"
    return f"{name} = {_toml(value)}  # {source}"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, datetime):
        return _toml(value.isoformat().replace("+00:00", "Z"))
    quoted = json.dumps(str(value), ensure_ascii=False)  # escapes the C0 controls
    return "".join(ch if neutralise(ch) == ch else f"\\u{ord(ch):04x}" for ch in quoted)
