"""Run Command status values, and the one place that says which of them are final.

AWS adds status values over time; a dashboard that crashes on a new one is useless at 3 a.m.,
so each enum keeps any value it has never seen as a pseudo-member instead of raising.
"""

from __future__ import annotations

from enum import StrEnum
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


_TERMINAL_VALUES = frozenset({"Success", "Failed", "TimedOut", "Cancelled"})


def is_terminal(status: str) -> bool:
    """Whether a command, invocation or plugin status can never change again.

    An unknown value counts as executing: showing a finished item as running for a while is
    recoverable, while treating a running one as final would stop it from ever being refreshed.
    """
    return status in _TERMINAL_VALUES


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
