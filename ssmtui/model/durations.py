"""How long one step took across a command's instances, and which running ones lag behind.

A step's spread is drawn from the instances that finished it (a final status, start and end
times): its histogram, its median and 95th percentile, and where one instance falls. A
straggler is an instance still running a step for longer than the 95th percentile of those
that finished the same step; with fewer than ``MIN_FINISHED`` finished, no percentile is
trusted and nothing is called a straggler.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from ssmtui.model.sparkline import sparkline
from ssmtui.model.status import is_terminal
from ssmtui.model.text import neutralise
from ssmtui.model.time_text import short_duration
from ssmtui.model.types import InvocationSet, PluginResult

MIN_FINISHED = 10
"""Finished instances a step needs before its 95th percentile calls anyone a straggler."""
HISTOGRAM_CELLS = 24
STRAGGLER_GLYPH = "⚠"


def took(plugin: PluginResult) -> float | None:
    """Seconds the step ran, when it ended and both times are known (a step its precondition
    skipped never ran: it has none)."""
    if not plugin.terminal or plugin.skipped or plugin.started is None or plugin.finished is None:
        return None
    return max(0.0, (plugin.finished - plugin.started).total_seconds())


@dataclass(frozen=True, slots=True)
class Spread:
    """The durations of one step over the instances that finished it, shortest first."""

    step: str
    seconds: tuple[float, ...]

    def percentile(self, share: float) -> float:
        """The nearest-rank percentile (``share`` 0.95: the 95th)."""
        rank = max(1, math.ceil(share * len(self.seconds)))
        return self.seconds[rank - 1]

    def slower_than(self, seconds: float) -> int:
        """The share, in percent, of finished instances that took less than ``seconds``."""
        return round(100 * bisect_left(self.seconds, seconds) / len(self.seconds))

    def _edges(self, width: int) -> list[float]:
        """The bounds between ``width`` equal spans from fastest to slowest."""
        low, high = self.seconds[0], self.seconds[-1]
        return [low + (high - low) / width * at for at in range(1, width)]

    def cells(self, width: int = HISTOGRAM_CELLS) -> tuple[int, ...]:
        """How many instances fall in each of ``width`` equal spans from fastest to slowest
        (a time on a bound goes to the span below it, as ``cell_of`` says)."""
        if self.seconds[0] == self.seconds[-1]:
            return (len(self.seconds),)
        bounds = [0, *(bisect_right(self.seconds, e) for e in self._edges(width))]
        bounds.append(len(self.seconds))
        return tuple(bounds[at + 1] - bounds[at] for at in range(width))

    def cell_of(self, seconds: float, width: int = HISTOGRAM_CELLS) -> int:
        """The cell ``seconds`` falls in: counted by the same bounds as ``cells``, so the
        marker stands under the bar that counts it."""
        if self.seconds[0] == self.seconds[-1]:
            return 0
        return bisect_left(self._edges(width), seconds)


def spread(steps: Mapping[str, tuple[PluginResult, ...]], step: str) -> Spread | None:
    """``step``'s durations over every instance of ``steps`` that finished it; None if none."""
    seconds = []
    for plugins in steps.values():
        for plugin in plugins:
            if plugin.name == step and (taken := took(plugin)) is not None:
                seconds.append(taken)
    return Spread(step, tuple(sorted(seconds))) if seconds else None


def _span(seconds: float) -> str:
    return short_duration(timedelta(seconds=seconds))


def histogram_lines(
    found: Spread, mine: float | None, of: int, width: int = HISTOGRAM_CELLS
) -> tuple[str, ...]:
    """The step's spread in words (``of``: the instances whose steps were read), its
    histogram from fastest to slowest, and under it ``▲`` where ``mine`` (the selected
    instance's time) falls, with its rank in words: the place is never told by colour alone."""
    name = neutralise(found.step, single_line=True)
    fastest, slowest = _span(found.seconds[0]), _span(found.seconds[-1])
    words = (
        f"{name} on the {len(found.seconds):,} instances that finished it ({of:,} read):"
        f" median {_span(found.percentile(0.5))} · p95 {_span(found.percentile(0.95))}"
    )
    cells = found.cells(width)
    bars = f"{fastest} {sparkline(cells, len(cells))} {slowest}"
    if mine is None:
        return words, bars
    at = len(fastest) + 1 + found.cell_of(mine, len(cells))
    place = f"{' ' * at}▲ this one {_span(mine)}, slower than {found.slower_than(mine)}%"
    return words, bars, place


@dataclass(frozen=True, slots=True)
class Straggler:
    """An instance running a step for longer than most that finished it took."""

    instance_id: str
    step: str
    running: float
    """Seconds it has been running the step."""
    p95: float
    """The 95th percentile of the step's durations where it finished."""

    @property
    def words(self) -> str:
        name = neutralise(self.step, single_line=True)
        return f"{STRAGGLER_GLYPH} slow: {name} {_span(self.running)} > p95 {_span(self.p95)}"


def running_step(plugins: tuple[PluginResult, ...]) -> PluginResult | None:
    """The step an instance is running: started, not ended."""
    return next(
        (p for p in plugins if p.started is not None and not is_terminal(p.status)),
        None,
    )


def stragglers(
    invocations: InvocationSet | None,
    steps: Mapping[str, tuple[PluginResult, ...]],
    now: datetime,
    spread_of: Callable[[str], Spread | None] | None = None,
) -> dict[str, Straggler]:
    """The instances still running whose step has run longer than that step's 95th
    percentile among the instances that finished it (with ``MIN_FINISHED`` of them at least).
    ``spread_of``: a step's spread, when it is already known (``FleetSteps.spread``)."""
    if invocations is None:
        return {}
    spreads: dict[str, Spread | None] = {}
    found: dict[str, Straggler] = {}
    for instance_id, record in invocations.by_instance.items():
        if record.terminal or instance_id not in steps:
            continue
        current = running_step(steps[instance_id])
        if current is None or current.started is None:
            continue
        if current.name not in spreads:
            spreads[current.name] = (spread_of or partial(spread, steps))(current.name)
        known = spreads[current.name]
        if known is None or len(known.seconds) < MIN_FINISHED:
            continue
        limit = known.percentile(0.95)
        running = (now - current.started).total_seconds()
        if running > limit:
            found[instance_id] = Straggler(instance_id, current.name, running, limit)
    return found
