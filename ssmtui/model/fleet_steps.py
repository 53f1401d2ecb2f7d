"""Every instance's steps known for one command, merged once a poll, each step's spread once.

The poll's own records (the instance in focus, the failures, every instance of a small
command) and the sweep's are merged here, the poll's winning where both have steps. The
screen asks for the merge several times a poll (the instances, the steps pane, each cursor
move), and for a step's spread once a pane: on 20,000 instances each is a walk of them all, so
the merge is kept for the two records it was made from and each spread for the merge.
"""

from __future__ import annotations

from collections.abc import Mapping

from ssmtui.model.durations import Spread, spread
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import InvocationSet, PluginResult


class FleetSteps:
    """Each instance's steps, where known; a step's durations worked out when first asked."""

    def __init__(self, steps: Mapping[str, tuple[PluginResult, ...]]) -> None:
        self.steps = steps
        self._spreads: dict[str, Spread | None] = {}

    def __len__(self) -> int:
        return len(self.steps)

    def spread(self, step: str) -> Spread | None:
        if step not in self._spreads:
            self._spreads[step] = spread(self.steps, step)
        return self._spreads[step]


NO_STEPS = FleetSteps({})


def _merged(invocations: InvocationSet | None, swept: SweptSteps | None) -> FleetSteps:
    known: dict[str, tuple[PluginResult, ...]] = {}
    if swept is not None:
        for instance_id, record in swept.records.items():
            if record.plugins is not None:
                known[instance_id] = record.plugins
    if invocations is not None:
        for instance_id, record in invocations.by_instance.items():
            if record.plugins is not None:
                known[instance_id] = record.plugins
    return FleetSteps(known) if known else NO_STEPS


class _LastMerge:
    """The merge last made, kept while both records it was made from are the same objects
    (a poll replaces them; a cursor move does not)."""

    def __init__(self) -> None:
        self._of: tuple[InvocationSet | None, SweptSteps | None] = (None, None)
        self._merge = NO_STEPS

    def __call__(self, invocations: InvocationSet | None, swept: SweptSteps | None) -> FleetSteps:
        if self._of[0] is not invocations or self._of[1] is not swept:
            self._of = (invocations, swept)
            self._merge = _merged(invocations, swept)
        return self._merge


fleet_steps = _LastMerge()
"""Each instance's steps known: the poll's records over the sweep's (see the module)."""
