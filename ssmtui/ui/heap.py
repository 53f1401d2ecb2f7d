"""What Python's garbage collector may leave alone: objects the dashboard keeps for good.

A full collection walks every container object the process holds and stops the event loop
while it does: on the large fleet, with modules, botocore's service models and 20,000
invocation records alive, that was 130 ms every few polls, long enough for a key press to
wait visibly. ``gc.freeze`` moves every object alive at that moment to a generation the
collector never walks. Objects frozen are still freed when nothing refers to them (reference
counting does not need the collector); only a reference cycle that was already garbage when
frozen would stay, so the young generations are collected first.
"""

from __future__ import annotations

import gc

SETTLE_EVERY = 2_000
"""Records added by polls between two freezes: a large command's fill is frozen in a few
steps, and a fleet of a few hundred commands is never frozen after the start."""


def set_aside_what_is_loaded() -> None:
    """Once, when everything the process needs is loaded (modules, service models, the screen):
    one full collection, then all of it frozen."""
    gc.collect()
    gc.freeze()


class Settler:
    """Freezes what the polls brought, a few thousand records at a time."""

    def __init__(self, every: int = SETTLE_EVERY) -> None:
        self.every = every
        self._added = 0

    def note(self, added: int) -> bool:
        """``added`` records were just shown; True when that made it time to freeze."""
        self._added += added
        if self._added < self.every:
            return False
        self._added = 0
        gc.collect(1)
        gc.freeze()
        return True
