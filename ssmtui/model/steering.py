"""The ``:`` command line: the server-side filters, changed from inside the dashboard.

A line such as ``status failed`` or ``since 2h`` becomes new ``Filters``, checked as the flags
are (the same sentences when a value is wrong or the filters can match nothing); a verb with
no value drops that filter. Values are case-insensitive, as the ``/`` filter is: a document or
id typed in any case becomes the one on screen with that name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from ssmtui.model.command_id import is_prefix, is_whole, matching
from ssmtui.model.filters import (
    DOCUMENT_NAME,
    INSTANCE_ID,
    Filters,
    Stage,
    contradiction,
    parse_moment,
)
from ssmtui.model.status import COMMAND_STATUS_FILTER_VALUES

TIME_EXAMPLES = ("15m", "1h", "2h", "6h", "1d", "7d")

VERBS = {
    "stage": "executing, complete or all",
    "status": "a command status, e.g. Failed",
    "doc": "a document name, e.g. AWS-RunPatchBaseline",
    "since": "requested after: 2h, 30m, 7d or ISO-8601",
    "until": "requested before: 2h, 30m, 7d or ISO-8601",
    "instance": "an instance id",
    "command": "a command id, or its start as the table shows it",
    "clear": "every filter off (the stage stays)",
}
"""Each verb and what it takes: the help line and the completion list read it."""


class SteeringError(ValueError):
    """One sentence: what was wrong with the line, and what would have been right."""


@dataclass(frozen=True, slots=True)
class OnScreen:
    """What the screen lists now: values the command line completes and matches against."""

    documents: tuple[str, ...] = ()
    instances: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()


def steer(line: str, filters: Filters, known: OnScreen, now: Callable[[], datetime]) -> Filters:
    """The filters ``line`` asks for, starting from ``filters``; SteeringError if it cannot."""
    verb, _, value = line.strip().partition(" ")
    verb, value = verb.lower(), value.strip()
    if verb == "document":
        verb = "doc"
    if verb not in VERBS:
        raise SteeringError(f"unknown command {verb!r}: try {', '.join(VERBS)}")
    if verb == "clear":
        wanted = Filters(stage=filters.stage)
    elif verb == "stage":
        wanted = replace(filters, stage=_stage(value))
    elif verb == "status":
        wanted = replace(filters, status=_status(value) if value else None)
    elif verb == "doc":
        wanted = replace(filters, document=_document(value, known) if value else None)
    elif verb == "since":
        wanted = replace(filters, since=_moment(value, now) if value else None)
    elif verb == "until":
        wanted = replace(filters, until=_moment(value, now) if value else None)
    elif verb == "instance":
        wanted = replace(filters, instance=_instance(value) if value else None)
    else:
        wanted = replace(filters, command=_command(value, known) if value else None)
    if problem := contradiction(wanted):
        raise SteeringError(problem)
    return wanted


def _stage(value: str) -> Stage:
    for stage in Stage:
        if stage.value == value.lower():
            return stage
    raise SteeringError(f"expected executing, complete or all after 'stage', got {value!r}")


def _status(value: str) -> str:
    for status in COMMAND_STATUS_FILTER_VALUES:
        if status.lower() == value.lower():
            return status
    raise SteeringError(
        f"expected one of {', '.join(COMMAND_STATUS_FILTER_VALUES)} after 'status', got {value!r}"
    )


def _document(value: str, known: OnScreen) -> str:
    """AWS matches document names exactly; the one on screen with this name in any case."""
    for name in known.documents:
        if name.lower() == value.lower():
            return name
    if not DOCUMENT_NAME.fullmatch(value):
        raise SteeringError(f"expected a document name such as AWS-RunShellScript, got {value!r}")
    return value


def _moment(value: str, now: Callable[[], datetime]) -> datetime:
    try:
        return parse_moment(value, now)
    except ValueError as error:
        raise SteeringError(str(error)) from None


def _instance(value: str) -> str:
    lowered = value.lower()
    if not INSTANCE_ID.fullmatch(lowered):
        raise SteeringError(f"expected an instance id such as i-0123456789abcdef0, got {value!r}")
    return lowered


def _command(value: str, known: OnScreen) -> str:
    """A whole id, or the start of one listed on screen (the list is where it was read)."""
    lowered = value.lower()
    if is_whole(lowered):
        return lowered
    if not is_prefix(lowered):
        raise SteeringError(
            "expected a command id, or its first 4 or more characters as the table shows them, "
            f"got {value!r}"
        )
    found = matching(lowered, list(known.commands))
    if len(found) != 1:
        some = "no command on screen has" if not found else f"{len(found)} commands on screen have"
        raise SteeringError(f"{some} an id starting with {lowered!r}")
    return found[0]


def candidates(known: OnScreen) -> Iterable[str]:
    """Every whole line the command line can complete to, verbs first."""
    yield from VERBS
    yield from (f"stage {stage.value}" for stage in Stage)
    yield from (f"status {status}" for status in COMMAND_STATUS_FILTER_VALUES)
    yield from (f"doc {name}" for name in known.documents)
    yield from (f"since {example}" for example in TIME_EXAMPLES)
    yield from (f"until {example}" for example in TIME_EXAMPLES)
    yield from (f"instance {instance}" for instance in known.instances)
    yield from (f"command {command}" for command in known.commands)


def completion(typed: str, known: OnScreen) -> str | None:
    """The first candidate that goes on from what was typed (in any case), or None."""
    lowered = typed.lower()
    if not lowered:
        return None
    for candidate in candidates(known):
        if candidate.lower().startswith(lowered) and len(candidate) > len(typed):
            return typed + candidate[len(typed) :]
    return None
