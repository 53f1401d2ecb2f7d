"""The config file: what an operator sets once instead of typing at every start.

TOML at ``$XDG_CONFIG_HOME/ssmtui/config.toml`` (``~/.config/ssmtui/config.toml``), or the file
``--config`` names. Every field is checked as its flag is, and a wrong one is named with the
file, its line and the field. Flags given on the command line win over the file; the file wins
over the built-in defaults. The theme picked in the palette is remembered apart, in
``$XDG_STATE_HOME/ssmtui/theme``, and used when neither a flag nor the file names one.

    profile = "prod-readonly"            # or a list: ["prod", "staging"]
    region = ["eu-west-1", "us-east-1"]  # or one: "eu-west-1"
    interval = 5
    theme = "nord"
    bell = true

    [filters]
    stage = "all"
    status = "Failed"
    document = "AWS-RunPatchBaseline"
    since = "2h"
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssmtui.cli.checks import THEMES
from ssmtui.cli.settings import FILTERS, TOP, in_file
from ssmtui.model.text import neutralise


class ConfigError(Exception):
    """One sentence: the file, the line, the field, and what was wrong with it."""


def default_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ssmtui" / "config.toml"


def theme_memory() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "ssmtui" / "theme"


def remembered_theme() -> str | None:
    """The theme last picked in the palette, if it is still one Textual has."""
    try:
        name = theme_memory().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name in THEMES else None


def remember_theme(name: str) -> None:
    """Best effort: a read-only home must not stop the dashboard."""
    path = theme_memory()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name + "\n", encoding="utf-8")
    except OSError:
        pass


@dataclass(frozen=True, slots=True)
class Settings:
    """The file's values, already checked and converted as the flags would convert them;
    ``values`` holds only the fields the file set, by the flag's destination name."""

    path: Path
    found: bool
    values: Mapping[str, Any] = field(default_factory=dict)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")
    return value


def load(path: Path | None) -> Settings:
    """The file at ``path`` (``--config``: it must exist), else the default one if there."""
    explicit = path is not None
    path = path or default_path()
    try:
        text = _read_small(path)
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"{path}: no such config file") from None
        return Settings(path, found=False)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({type(error).__name__})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a config file") from None
    return Settings(path, found=True, values=_Source(path, text).checked(document))


LARGEST = 1024 * 1024
"""Bytes a config file may have: a few lines are enough, and a device or a pipe named by
mistake (``--config /dev/zero``) must not be read until memory runs out."""


def _read_small(path: Path) -> str:
    """The text of a regular file under ``LARGEST`` bytes; ConfigError for anything else,
    before it is opened (opening a FIFO waits for a writer that may never come)."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise ConfigError(f"{path}: not a regular file, so not a config file")
    with path.open("rb") as file:
        data = file.read(LARGEST + 1)
    if len(data) > LARGEST:
        raise ConfigError(f"{path}: larger than {LARGEST:,} bytes, so not a config file")
    return data.decode("utf-8")


@dataclass(frozen=True, slots=True)
class _Source:
    """The file being checked: what a problem is reported against."""

    path: Path
    text: str

    def checked(self, document: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in document.items():
            if key == FILTERS:
                if not isinstance(value, dict):
                    raise self.problem(None, key, "expected a table: [filters]")
                for name, inner in value.items():
                    values.update(self.one(FILTERS, name, inner))
            else:
                values.update(self.one(TOP, key, value))
        return values

    def one(self, table: str, key: str, value: object) -> dict[str, Any]:
        known = in_file(table)
        if key not in known:
            names = [*known, *([FILTERS] if table == TOP else [])]
            where = f"[{table}] " if table else ""
            raise self.problem(
                table, key, f"unknown {where}field (known: {', '.join(sorted(names))})"
            )
        setting = known[key]
        if setting.check is None:
            return {key: self.convert(_boolean, value, table, key)}
        if setting.several and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)  # profiles = ["a", "b"]: as --profile a,b
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.problem(table, key, f"expected a string or a number, got {value!r}")
        return {key: self.convert(setting.check, str(value), table, key)}

    def convert(
        self, check: Callable[[Any], Any], value: object, table: str | None, key: str
    ) -> Any:
        try:
            return check(value)
        except (argparse.ArgumentTypeError, ValueError) as error:
            raise self.problem(table, key, str(error)) from None

    def problem(self, table: str | None, key: str, problem: str) -> ConfigError:
        table = table or None
        line = line_of(self.text, table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"{table}.{key}" if table else key
        return ConfigError(f"{where}: {_shown(name)}: {problem}")


def _shown(name: str) -> str:
    """A key as the user can read it: quoted with escapes when it holds what a terminal would
    act on or not show (a key made of an escape sequence would otherwise show as nothing)."""
    return name if name.isprintable() and neutralise(name) == name else ascii(name)


def line_of(text: str, table: str | None, key: str) -> int | None:
    """The line that sets ``key`` (in ``[table]``): tomllib keeps no positions."""
    current: str | None = None
    setting = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        if header:
            current = header.group(1).strip()
            if current == key and table is None:
                return number
            continue
        if current == table and setting.match(line):
            return number
    return None
