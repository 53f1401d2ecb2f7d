"""The top of the screen: where ssmtui looks, how fresh the data is, and what went wrong.

The status line is re-rendered every second from the last poll result and the clock, so the
"polled 3 s ago" and "next in 2 s" stay true between polls; the banner appears only when a
poll failed, was throttled, or the data on screen is older than it should be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import humanize
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from ssmtui.model.console import is_aws_endpoint
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.text import neutralise
from ssmtui.model.time_text import short_duration
from ssmtui.model.views import (
    counts_by_status,
    failures_while_running,
    status_glyph,
    status_rank,
)
from ssmtui.poller import CycleHealth, PollResult, next_start
from ssmtui.poller.results import Refusal

STALE_AFTER_POLLS = 3
"""Data older than this many intervals is flagged stale even when no poll failed."""


@dataclass(frozen=True, slots=True)
class Where:
    """What the operator is looking at: the account side of the status line."""

    credentials: str
    """'profile prod-admin', 'default credentials', or 'demo: simulated fleet'."""
    region: str = ""
    demo: bool = False
    """The built-in simulator: its endpoint (a free port) says nothing the credentials do not."""
    profile: str | None = None
    """The AWS profile of a single source (None: the default chain), for lines that run
    elsewhere, such as a re-run's."""


def describe_filters(filters: Filters) -> str:
    """The filters in force, in the words of the command-line flags."""
    parts = [filters.stage.value if filters.stage is not Stage.ALL else "all stages"]
    named = {
        "doc": filters.document,
        "status": filters.status,
        "instance": filters.instance,
        "command": filters.command,
    }
    parts += [f"{name}={value}" for name, value in named.items() if value]
    if filters.since:
        parts.append(f"since {filters.since:%Y-%m-%d %H:%M}Z")
    if filters.until:
        parts.append(f"until {filters.until:%Y-%m-%d %H:%M}Z")
    return " · ".join(parts)


def _endpoint(result: PollResult | None) -> str:
    """The endpoint, when it is not AWS's (the simulator, a proxy, a VPC endpoint's name)."""
    if result is None or not result.endpoint or is_aws_endpoint(result.endpoint):
        return ""
    return f" · {neutralise(result.endpoint, single_line=True)}"


def _seconds(span: timedelta) -> str:
    return str(humanize.naturaldelta(span, minimum_unit="seconds"))


@dataclass(frozen=True, slots=True)
class Freshness:
    """The timing half of the status line, worked out from one result and the clock."""

    result: PollResult | None
    now: datetime
    interval: float
    paused: bool

    @property
    def age(self) -> timedelta | None:
        return self.result.data_age(self.now) if self.result else None

    @property
    def stale(self) -> bool:
        age = self.age
        limit = timedelta(seconds=max(self.interval * STALE_AFTER_POLLS, 15))
        return age is not None and age > limit

    def polled(self) -> str:
        if self.result is None:
            return "first poll…"
        if self.age is None:
            return "no data yet"
        return f"polled {short_duration(self.age)} ago"

    def next_poll(self) -> str:
        if self.paused:
            return "PAUSED"
        if self.result is None:
            return ""
        health = self.result.health
        due = next_start(0.0, health.seconds, self.interval)
        left = health.started + timedelta(seconds=due) - self.now
        return f"next {short_duration(max(timedelta(0), left))}"


@dataclass(frozen=True, slots=True)
class Effort:
    """What polling has cost since the dashboard opened: calls, and the HTTP requests beyond
    them (retries after throttling or a dropped connection), which AWS counts too."""

    calls: int = 0
    retries: int = 0

    def add(self, health: CycleHealth) -> Effort:
        return Effort(self.calls + health.total_calls, self.retries + health.stats.retries)

    def __str__(self) -> str:
        retried = f" · {self.retries} retries" if self.retries else ""
        return f"{self.calls} calls{retried}"


class StatusLine(Static):
    """Two lines: where and what (left), calls (right, second line), then counts by status.
    The first line's right end is left blank, as wide as the age beside it needs: ``Age``
    draws there, so the once-a-second change rewrites a few cells, not two whole lines."""

    def __init__(self, *, id: str | None = None, markup: bool = False) -> None:
        super().__init__(id=id, markup=markup)
        self._made: tuple[object, ...] = ()
        self._result: object = None
        self._parts: tuple[Text, Text, Text] = (Text(), Text(), Text())

    def show(
        self, where: Where, filters: Filters, freshness: Freshness, effort: Effort, age_width: int
    ) -> None:
        """Redrawn only when what a poll says (the counts, the calls), the filters or the age's
        width changed; its two lines never change height, so no layout pass."""
        made = (where, filters, freshness.interval, effort, age_width)  # compared by value
        if made == self._made and freshness.result is self._result:  # a poll, by identity
            return
        self._made, self._result = made, freshness.result
        self._parts = self._poll_parts(where, filters, freshness, effort)
        self.update(self._grid(age_width), layout=False)

    def _grid(self, age_width: int) -> RenderableType:
        left, counts, spent = self._parts
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(left, " " * age_width)
        grid.add_row(counts, spent)
        return grid

    @staticmethod
    def _poll_parts(
        where: Where, filters: Filters, freshness: Freshness, effort: Effort
    ) -> tuple[Text, Text, Text]:
        left = Text.assemble(  # most telling first: a narrow terminal cuts from the end
            ("ssmtui ", "bold"),
            f"{where.region} · " if where.region else "",
            describe_filters(filters),
            "   ",
            neutralise(where.credentials, single_line=True),
            "" if where.demo else _endpoint(freshness.result),
        )
        result = freshness.result
        spent = Text(f"every {freshness.interval:g}s · {effort}")
        if result is not None:
            health = result.health
            spent.append(f" · last poll {health.total_calls} in {health.seconds * 1000:.0f} ms")
        counts = Text()
        if result is not None:
            by_status = counts_by_status(result.snapshot.commands.values())
            for status, count in sorted(by_status.items(), key=lambda item: status_rank(item[0])):
                word = neutralise(status, single_line=True)
                counts.append(f"{status_glyph(status)} {count} {word}   ")
            if not by_status:
                counts.append("no commands match")
            snapshot = result.snapshot
            failing = failures_while_running(snapshot.commands.values(), snapshot.invocations)
            if failing:
                counts.append(failing, style="bold")
        return left, counts, spent


class Age(Static):
    """When the last poll came and the next is due ("polled 3s ago · next 2s", or PAUSED):
    the one text that changes every second, in a widget of its own."""

    def show(self, freshness: Freshness) -> None:
        text = Text(" · ".join(filter(None, [freshness.polled(), freshness.next_poll()])))
        if freshness.paused:
            text.stylize("reverse bold", len(text) - len(freshness.next_poll()))
        if text != self.content:
            self.update(text, layout=len(text) != len(str(self.content)))


class StatusBar(Widget):
    """The status line with its age drawn over its top right corner."""

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status-line", markup=False)
        yield Age(id="status-age", markup=False)

    def show(self, where: Where, filters: Filters, freshness: Freshness, effort: Effort) -> None:
        age = self.query_one(Age)
        age.show(freshness)
        width = len(str(age.content))
        self.query_one(StatusLine).show(where, filters, freshness, effort, width)


PARTS = {
    "ListCommandInvocations": "the instances and their steps",
    "GetCommandInvocation": "the full output of steps",
}
"""What on screen each operation feeds, besides the commands list."""


def _refusal_message(refusal: Refusal) -> tuple[str, str]:
    part = PARTS.get(refusal.operation, "part of the screen")
    if refusal.denied:
        return (
            f"✖ Access denied to ssm:{refusal.operation}: {part} cannot be updated; "
            "the rest keeps updating. Grant that permission to see them.",
            "error",
        )
    if refusal.throttled:
        return (
            f"⚠ AWS is throttling ssm:{refusal.operation}: {part} show the last good poll; "
            "retrying on the next poll.",
            "warning",
        )
    return f"✖ {refusal.reason}: {part} show the last good poll; retrying.", "error"


def _source_message(result: PollResult) -> str:
    """Which of several sources failed, and that the others go on."""
    named = "; ".join(
        f"{neutralise(str(source), single_line=True)}: {neutralise(str(error), single_line=True)}"
        for source, error in result.source_errors.items()
    )
    return (
        f"✖ {named} — its commands show its last good poll; the other sources keep "
        "updating; retrying on its next poll."
    )


class Banner(Static):
    """One sentence, shown only when something is wrong with the data on screen."""

    def __init__(self, *, id: str | None = None, markup: bool = False) -> None:
        super().__init__(id=id, markup=markup)
        self._shown = ("", "")

    def show(self, freshness: Freshness) -> None:
        """Asked every second; changes the screen only when the sentence changed."""
        message, level = self._message(freshness)
        if (message, level) == self._shown:
            return
        self._shown = (message, level)
        self.set_class(level == "error", "-error")
        self.set_class(level == "warning", "-warning")
        self.display = bool(message)
        self.update(Text(message))

    @staticmethod
    def _message(freshness: Freshness) -> tuple[str, str]:
        result = freshness.result
        if result is None:
            return "", ""
        health = result.health
        age = freshness.age
        kept = f"showing data from {_seconds(age)} ago" if age is not None else "no data yet"
        if health.error is not None:
            prefix = "⚠ AWS is throttling ssmtui" if health.throttled else "✖ Poll failed"
            error = neutralise(str(health.error), single_line=True)
            return f"{prefix}: {error} — {kept}; retrying on the next poll.", "error"
        if result.source_errors:
            return _source_message(result), "error"
        if health.refusals:
            return _refusal_message(health.refusals[0])
        if health.throttled:
            return (
                f"⚠ Throttled by AWS: {health.stats.throttled} call(s) retried this poll.",
                "warning",
            )
        if health.stats.skipped:
            skipped = health.stats
            return (
                f"⚠ {skipped.skipped} record(s) AWS sent could not be read and are not shown: "
                f"{neutralise(skipped.last_skipped, single_line=True)}",
                "warning",
            )
        if freshness.stale:
            return f"⚠ Stale: {kept}.", "warning"
        return "", ""
