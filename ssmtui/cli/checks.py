"""Command-line and config-file values: parsed, checked, explained.

Each parser raises ArgumentTypeError with one sentence naming what was expected, which argparse
prints after the flag's name; so a bad value never reaches AWS and never shows a traceback.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ssmtui.model.command_id import SHORTEST_PREFIX, is_prefix
from ssmtui.model.filters import DOCUMENT_NAME, INSTANCE_ID, parse_moment
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


def between(low: float, high: float, unit: str) -> Callable[[str], float]:
    """A number from ``low`` to ``high``, said in ``unit`` when it is not."""

    def parse(text: str) -> float:
        value = non_negative_float(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected {unit} from {low:g} to {high:g}, got {text!r}"
            )
        return value

    return parse


interval = between(MIN_INTERVAL, MAX_INTERVAL, "seconds")


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


def several(names: str | None) -> tuple[str, ...]:
    """The names of a ``--profile`` or ``--region`` value (checked: commas between them)."""
    return tuple(names.split(",")) if names else ()


def port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


DEFAULT_THEME = "textual-dark"
THEMES = (
    *("ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe"),
    *("catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki"),
    *("gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon"),
    *("solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night"),
)
"""Textual's built-in themes, named here so that the flags can be parsed and ``--help``
printed without importing Textual (a third of a second); a test holds this list to
``textual.theme.BUILTIN_THEMES``."""


def theme(text: str) -> str:
    if text not in THEMES:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(THEMES)}, got {text!r}")
    return text


_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
MAX_WAIT = 30 * 24 * 3600
"""Run Command keeps a command for 30 days: no wait needs longer."""


def duration(text: str) -> float:
    """``90`` (seconds), ``90s``, ``30m``, ``2h`` or ``1h30m``: seconds, more than 0."""
    cleaned = text.strip().lower()
    seconds: float | None = None
    if cleaned.isdigit():
        seconds = float(cleaned)
    elif cleaned and (match := _DURATION.fullmatch(cleaned)):
        hours, minutes, secs = (int(part or 0) for part in match.groups())
        seconds = float(hours * 3600 + minutes * 60 + secs)
    if seconds is None or not 0 < seconds <= MAX_WAIT:
        raise argparse.ArgumentTypeError(
            f"expected a time such as 90s, 30m, 2h or 1h30m (up to 30 days), got {text!r}"
        )
    return seconds
