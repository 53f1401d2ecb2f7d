"""What the user asked to see: the stage and the filters, as they typed them.

How each becomes an AWS CommandFilter is the fetch plan's business (``poller/queries.py``);
here they are only the user's words, so the screen can show them and tests can build them
without touching the poller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from ssmtui.model.clock import parse_iso
from ssmtui.model.status import facts

_RELATIVE = re.compile(r"^(\d+)\s*(s|m|h|d|w)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
INSTANCE_ID = re.compile(r"^(i-[0-9a-f]{8}|i-[0-9a-f]{17}|mi-[0-9a-f]{17})$")
"""An instance id as ``--instance`` and the ``:`` line take it (EC2's, or a hybrid node's)."""
DOCUMENT_NAME = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")
"""A document name as the SSM API's DocumentName shape allows it."""

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
"""No command was requested before the epoch: an earlier --since or --until matches nothing."""


class Stage(Enum):
    EXECUTING = "executing"
    COMPLETE = "complete"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked to see; sent to the server wherever the API can filter."""

    document: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    stage: Stage = Stage.EXECUTING
    instance: str | None = None
    command: str | None = None


def parse_moment(text: str, now: Callable[[], datetime]) -> datetime:
    """``2h``, ``30m``, ``7d`` before now, or an ISO-8601 time; in UTC, from 1970 on.

    ValueError with the sentence to show when the text is neither.
    """
    text = text.strip()
    try:
        if match := _RELATIVE.fullmatch(text.lower()):
            value = now() - timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
        else:
            value = parse_iso(text)
    except ValueError:
        raise ValueError(
            f"expected a time such as 2h, 30m, 7d or 2026-11-27T08:00:00Z, got {text!r}"
        ) from None
    except OverflowError:
        value = EARLIEST - timedelta(days=1)
    if value < EARLIEST:
        raise ValueError(
            f"expected a time from 1970-01-01 on (AWS keeps 30 days of commands), got {text!r}"
        )
    return value


def contradiction(filters: Filters, names: Callable[[str], str] = lambda name: name) -> str | None:
    """A sentence when the filters can match nothing, so the user is told, not shown nothing.

    ``names`` spells a filter as the user set it (``--status`` on the command line).
    """
    since, until, status, stage = (names(n) for n in ("since", "until", "status", "stage"))
    if filters.since and filters.until and filters.since >= filters.until:
        return f"{since} must be earlier than {until}"
    if filters.status is None:
        return None
    if filters.instance and filters.status == "Pending":
        # The ListCommands reference: "you can't specify Pending when you specify InstanceId"
        return (
            f"{status} Pending cannot be combined with {names('instance')} (ListCommands "
            "refuses it); drop one of them"
        )
    if filters.stage is Stage.EXECUTING and not facts(filters.status).executing:
        return (
            f"{status} {filters.status} only matches finished commands; "
            f"add {stage} complete or {stage} all"
        )
    if filters.stage is Stage.COMPLETE and facts(filters.status).executing:
        return f"{status} {filters.status} only matches executing commands; drop {stage} complete"
    return None
