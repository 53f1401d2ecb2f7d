"""Run Command status values, and the one place that says which of them are final.

AWS adds status values over time; a dashboard that crashes on a new one is useless at 3 a.m.,
so each enum keeps any value it has never seen as a pseudo-member instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Self


class _OpenStrEnum(StrEnum):
    """A StrEnum that turns an unknown string into a pseudo-member instead of raising."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether AWS documented this value when this version of ssmtui was written."""
        return self._name_ in type(self).__members__


class CommandStatus(_OpenStrEnum):
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    SUCCESS = "Success"
    CANCELLED = "Cancelled"
    FAILED = "Failed"
    TIMED_OUT = "TimedOut"
    CANCELLING = "Cancelling"


class InvocationStatus(_OpenStrEnum):
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    DELAYED = "Delayed"
    SUCCESS = "Success"
    CANCELLED = "Cancelled"
    TIMED_OUT = "TimedOut"
    FAILED = "Failed"
    CANCELLING = "Cancelling"


class PluginStatus(_OpenStrEnum):
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    SUCCESS = "Success"
    TIMED_OUT = "TimedOut"
    CANCELLED = "Cancelled"
    FAILED = "Failed"


class Outcome(Enum):
    """What became of a target, with the glyph that names it (never colour alone) and its
    bar block; in the order a tally lists them, what needs attention first."""

    FAILED = ("✖", "█")
    TIMED_OUT = ("⌛", "▓")
    UNDELIVERABLE = ("✉", "▒")
    RUNNING = ("▶", "")
    PENDING = ("◷", "")
    DELAYED = ("⏸", "")
    CANCELLED = ("⊘", "▒")
    ENDED = ("", "█")
    """Completed without an error count, of a command whose instances were not fetched."""
    SUCCEEDED = ("✔", "█")

    def __init__(self, glyph: str, block: str) -> None:
        self.glyph = glyph
        self.block = block
        """How its part of the bar is drawn; '' for targets not yet done (drawn as to do)."""

    @property
    def style(self) -> str:
        return f"outcome--{self.name.lower().replace('_', '-')}"


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """Everything ssmtui says of one status value (its word is the value itself)."""

    glyph: str
    """Shown with the word, never instead of it."""
    colour: str
    """The colour class of its cells (``status--<colour>``): colour only adds to the word."""
    rank: int
    """Where a sort by status puts it: what needs attention first."""
    terminal: bool
    """It never changes again."""
    outcome: Outcome
    """The category of an invocation with it, when StatusDetails says no more."""
    executing: bool
    """A ``Status`` filter with it matches commands still executing."""


STATUSES: dict[str, StatusFacts] = {
    "Failed": StatusFacts("✖", "failed", 0, True, Outcome.FAILED, False),
    "TimedOut": StatusFacts("⌛", "failed", 1, True, Outcome.TIMED_OUT, False),
    "Cancelling": StatusFacts("⊘", "cancelled", 2, False, Outcome.CANCELLED, True),
    "InProgress": StatusFacts("▶", "running", 3, False, Outcome.RUNNING, True),
    "Pending": StatusFacts("◷", "waiting", 4, False, Outcome.PENDING, True),
    "Delayed": StatusFacts("⏸", "waiting", 4, False, Outcome.DELAYED, True),
    "Cancelled": StatusFacts("⊘", "cancelled", 5, True, Outcome.CANCELLED, False),
    "Success": StatusFacts("✔", "success", 6, True, Outcome.SUCCEEDED, False),
}
"""The one table of per-status facts, for command, invocation and plugin statuses alike:
adding a status AWS documents is one line here."""

UNKNOWN = StatusFacts("?", "unknown", -1, False, Outcome.RUNNING, False)
"""A value AWS added since: worth a look (first in a sort), and counted as executing,
since showing a finished item as running for a while is recoverable, while treating a
running one as final would stop it from ever being refreshed."""


def facts(status: str) -> StatusFacts:
    return STATUSES.get(status, UNKNOWN)


def is_terminal(status: str) -> bool:
    """Whether a command, invocation or plugin status can never change again."""
    return facts(status).terminal


COMMAND_STATUS_FILTER_VALUES = (
    "Pending",
    "InProgress",
    "Success",
    "Cancelled",
    "Failed",
    "TimedOut",
    "AccessDenied",
    "DeliveryTimedOut",
    "ExecutionTimedOut",
    "Incomplete",
    "NoInstancesInTag",
    "LimitExceeded",
)
"""What a ``Status`` CommandFilter accepts on ListCommands (botocore's CommandFilter docs)."""

INVOCATION_STATUS_FILTER_VALUES = (
    "Pending",
    "InProgress",
    "Delayed",
    "Success",
    "Cancelled",
    "Failed",
    "TimedOut",
    "AccessDenied",
    "DeliveryTimedOut",
    "ExecutionTimedOut",
    "Undeliverable",
    "InvalidPlatform",
    "Terminated",
)
"""What a ``Status`` CommandFilter accepts on ListCommandInvocations."""
