"""AWS errors as the simulator answers them: a code, a message and an HTTP status."""

from __future__ import annotations


class SimError(Exception):
    """An error answer in the JSON protocol's form: ``{"__type": code, "message": ...}``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def validation_error(problems: list[str]) -> SimError:
    """AWS's own wording for model constraint failures, so clients meet the real text."""
    noun = "error" if len(problems) == 1 else "errors"
    return SimError(
        "ValidationException",
        f"{len(problems)} validation {noun} detected: " + "; ".join(problems),
    )
