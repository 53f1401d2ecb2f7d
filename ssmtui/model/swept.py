"""Every instance's steps of one command, as a paced sweep of the invocations read them.

The poll fetches steps only where the user looks (the focused instance, the failures). The
pictures of a whole command (how long a step took across the fleet, which instances lag) and
the search through every instance's output need them all: ListCommandInvocations with
Details, 50 instances a call, each step with the first 2,400 bytes of its output. The poller
reads those pages a few a poll while the user asks for them (``Poller.set_sweep``) and hands
what it has read here; a pass that began after the command ended is final and never read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from ssmtui.model.types import Invocation


@dataclass(frozen=True, slots=True)
class SweptSteps:
    """What the sweep of one command has read so far."""

    command_id: str
    records: Mapping[str, Invocation] = field(default_factory=lambda: MappingProxyType({}))
    """Each instance as its latest page listed it, with its steps."""
    read_at: datetime | None = None
    """When the last page was read: the steps of a running instance are as of then."""
    passes: int = 0
    """Whole passes over the command's pages ended; 0 while the first is under way."""
    final: bool = False
    """A pass that began after the command had ended: nothing will change any more."""
    calls: int = 0
    """ListCommandInvocations calls the sweeps of this command have made."""

    @property
    def read(self) -> int:
        return len(self.records)
