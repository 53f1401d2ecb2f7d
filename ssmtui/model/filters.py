"""What the user asked to see: the stage and the filters, as they typed them.

How each becomes an AWS CommandFilter is the fetch plan's business (``poller/queries.py``);
here they are only the user's words, so the screen can show them and tests can build them
without touching the poller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


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
