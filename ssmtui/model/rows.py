"""The rows of the three lists, as plain data: what a table shows, worked out without a UI.

A row is a tuple ``(key, cells)``; a cell is a ``str``, or a tuple of ``(text, style)`` runs
when parts of it are coloured (a status, a progress bar). Styles are names (``status--failed``)
that the UI maps to colours. Rows are tuples of strings on purpose: a 20,000-instance command
then costs 20,000 small objects the garbage collector stops tracking, not a million.

Text from AWS is neutralised here, once; the UI draws cells as they are.

The commands list keeps a ``RowMemo``: a row is rebuilt only when its record or a clock-driven
text in it changed (reconcile keeps an unchanged record as the very same object). The
instances pane keeps its rows in ``SortedRows`` instead, which builds a row when it is drawn.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import humanize

from ssmtui.model.outcomes import (
    Breakdown,
    Outcome,
    breakdown_of_counts,
    breakdown_of_invocations,
)
from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.types import Command, Invocation, InvocationSet, PluginResult

if TYPE_CHECKING:  # pace.py formats with this module's durations: a type only, no cycle
    from ssmtui.model.pace import Pace
from ssmtui.model.views import (
    CommandSort,
    InvocationSort,
    command_matches,
    duration,
    invocation_duration,
    invocation_matches,
    sort_commands,
    sort_invocations,
    status_glyph,
)

Run = tuple[str, str]
"""Some text and the name of its style ('' for the table's own)."""
Cell = str | tuple[Run, ...]
Row = tuple[str, tuple[Cell, ...]]
"""A row's key (CommandId, InstanceId, plugin name) and its cells, one per column."""

_T = TypeVar("_T")

BAR_WIDTH = 10

_STATUS_STYLES = {
    "Success": "success",
    "Failed": "failed",
    "TimedOut": "failed",
    "InProgress": "running",
    "Pending": "waiting",
    "Delayed": "waiting",
    "Cancelled": "cancelled",
    "Cancelling": "cancelled",
}
STATUS_STYLES = frozenset(f"status--{name}" for name in {*_STATUS_STYLES.values(), "unknown"})
"""Every style name a status cell can carry."""
PROGRESS_STYLES = frozenset({"progress--todo", *(outcome.style for outcome in Outcome)})


def status_style(status: str) -> str:
    """The style name that colours ``status``; colour only ever adds to word and glyph."""
    return f"status--{_STATUS_STYLES.get(status, 'unknown')}"


def plain(cell: Cell) -> str:
    """A cell's text without its styles."""
    return cell if isinstance(cell, str) else "".join(text for text, _ in cell)


def line(text: str) -> str:
    """Untrusted text for one cell: controls made visible, on one line."""
    return neutralise(text, single_line=True)


@functools.lru_cache(maxsize=64)
def status_cell(status: str) -> tuple[Run, ...]:
    """Glyph and word, e.g. '✖ Failed'; an unknown status keeps its own word with '?'.

    One shared cell per status: 20,000 rows then hold a handful of status cells between them.
    """
    return ((f"{status_glyph(status)} {line(str(status))}", status_style(status)),)


_BAR_ORDER = (
    Outcome.SUCCEEDED,
    Outcome.ENDED,
    Outcome.CANCELLED,
    Outcome.UNDELIVERABLE,
    Outcome.TIMED_OUT,
    Outcome.FAILED,
)
_TROUBLE = _BAR_ORDER[2:]
"""Parts that get a block of their own however small they are, so a few failures in
thousands still show on the bar."""


def progress_cell(done: Breakdown, width: int = BAR_WIDTH) -> tuple[Run, ...]:
    """'██████▒▓█░ 812/1000 ⊘2 ⌛1 ✖3': each ended part in its own block and style, then the
    counts, and each part that is not success in words (colour only ever adds to them)."""
    blocks = _bar_blocks(done, width)
    runs: list[Run] = [
        *((outcome.block * blocks[outcome], outcome.style) for outcome in _BAR_ORDER),
        ("░" * (width - sum(blocks.values())), "progress--todo"),
        (f" {done.done}/{done.total}", ""),
    ]
    runs += [(f" {o.glyph}{done[o]}", o.style) for o in _TROUBLE if done[o]]
    return tuple(run for run in runs if run[0])


def _bar_blocks(done: Breakdown, width: int) -> Counter[Outcome]:
    """How many of the bar's ``width`` blocks each ended part takes: its share, rounded, at
    least one for a part that is not success, and success and "ended" take what is left."""
    if done.total <= 0:
        return Counter()
    filled = round(min(1.0, done.done / done.total) * width)
    blocks: Counter[Outcome] = Counter()
    for outcome in _TROUBLE:
        share = max(1, round(done[outcome] / done.total * width)) if done[outcome] else 0
        blocks[outcome] = min(share, filled - sum(blocks.values()))
    left = filled - sum(blocks.values())
    ended = min(left, round(done[Outcome.ENDED] / done.total * width))
    blocks[Outcome.ENDED] = ended if done[Outcome.SUCCEEDED] else left
    blocks[Outcome.SUCCEEDED] = left - blocks[Outcome.ENDED]
    return blocks


def ago(moment: datetime | None, now: datetime) -> str:
    """'4 minutes ago'; '—' when AWS did not say."""
    if moment is None:
        return "—"
    return str(humanize.naturaltime(max(timedelta(0), now - moment), when=None))


def short_duration(span: timedelta | None) -> str:
    """'41s', '2m10s', '1h02m': a table cell, where 'a minute' would hide the seconds."""
    if span is None:
        return "—"
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def day_time(moment: datetime | None, today: date) -> str:
    """UTC time of day, with the date when it was not today: a column that does not change
    as the clock moves, so 20,000 rows are not rewritten every minute."""
    if moment is None:
        return "—"
    moment = moment.astimezone(UTC)
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%b %d %H:%M")


def clock_time(moment: datetime | None) -> str:
    """Absolute UTC time of day, for detail rows where 'ago' would drift."""
    return moment.strftime("%H:%M:%S") if moment is not None else "—"


def response_code(plugin: PluginResult | None) -> str:
    """A step's code, once it has run: "—" for none, "-1" for a step killed on Windows."""
    return str(plugin.response_code) if plugin is not None and plugin.has_run else "—"


def deciding_step(invocation: Invocation) -> PluginResult | None:
    """The step that decided the invocation's status, once it is over: the first step with
    the invocation's own final status (the failed one of a failed invocation: the SSM Agent
    takes Failed over TimedOut over Cancelled over Success), else the last step that ran.
    Steps skipped after a failure would otherwise show a failed patch as 0. While it runs
    there is none yet (an early step's 0 would read as success)."""
    if not invocation.terminal:
        return None
    ran = [plugin for plugin in invocation.plugins or () if plugin.has_run]
    decided = str(invocation.status)
    return next((p for p in ran if str(p.status) == decided), ran[-1] if ran else None)


def landing_step(invocation: Invocation) -> str | None:
    """The step to show first when an instance is opened: the one that failed (the step that
    decided an unsuccessful invocation), else the running one, else the last that ran."""
    plugins = invocation.plugins or ()
    if not plugins:
        return None
    decided = deciding_step(invocation)
    if decided is not None and invocation.status != InvocationStatus.SUCCESS:
        return decided.name
    running = next((p for p in plugins if p.status == PluginStatus.IN_PROGRESS), None)
    ran = [p for p in plugins if p.has_run]
    return (running or (ran[-1] if ran else plugins[-1])).name


class RowMemo:
    """The last row built for each key, with what it was built from.

    A row is reused while its record is the very same object and its clock-driven texts
    (``extras``) are equal. Rows of keys not asked for in a pass are forgotten at its end, so
    the memo holds at most one list's rows. Three flat dicts rather than a tuple per key: a
    tuple holding a record stays tracked by the garbage collector, 20,000 of them for it to
    walk on every full pass.
    """

    def __init__(self) -> None:
        self._records: dict[str, object] = {}
        self._extras: dict[str, tuple[Hashable, ...]] = {}
        self._rows: dict[str, Row] = {}
        self._seen: set[str] = set()

    def row(
        self, key: str, record: object, extras: tuple[Hashable, ...], build: Callable[[], Row]
    ) -> Row:
        self._seen.add(key)
        if self._records.get(key) is record and self._extras.get(key) == extras:
            return self._rows[key]
        made = self._rows[key] = build()
        self._records[key], self._extras[key] = record, extras
        return made

    def forget(self, key: str) -> None:
        self._seen.discard(key)
        self._rows.pop(key, None)
        self._records.pop(key, None)
        self._extras.pop(key, None)

    def forget_unseen(self) -> None:
        """End a pass: keep only the rows this pass asked for."""
        for key in self._rows.keys() - self._seen:
            del self._rows[key], self._records[key], self._extras[key]
        self._seen = set()


class Ages:
    """``ago`` for many rows at one moment, each distinct time worded once: humanize is slow
    at 20,000 rows a poll, and most rows share a handful of times."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._said: dict[datetime | None, str] = {}

    def __call__(self, moment: datetime | None) -> str:
        said = self._said.get(moment)
        if said is None:
            said = self._said[moment] = ago(moment, self.now)
        return said


def _filtered(
    records: Iterable[_T],
    needle: str,
    keep: str | None,
    key: Callable[[_T], str],
    matches: Callable[[_T, str], bool],
) -> list[_T]:
    """The records the filter lets through, and ``keep`` (the selected one) whatever it says:
    a poll never pulls the row from under the cursor."""
    if not needle:
        return list(records)
    return [r for r in records if key(r) == keep or matches(r, needle)]


def command_rows(
    commands: Iterable[Command],
    order: CommandSort,
    needle: str,
    now: datetime,
    *,
    memo: RowMemo,
    keep: str | None = None,
    invocations: Mapping[str, InvocationSet] | None = None,
    paces: Mapping[str, Pace] | None = None,
    marked: Collection[str] = (),
    sources: Mapping[str, tuple[str, str]] | None = None,
) -> list[Row]:
    """The commands pane: ID, status, progress, pace, document, comment, requested, limits.

    A command whose instances were all fetched (``invocations``) has its bar drawn from them,
    every part by its category; the others from their counts. A ``marked`` one (the user
    asked to be told when it ends) has a diamond by its id. With ``sources`` (several accounts
    or regions polled), each command's (account, region) follows its status."""
    shown = _filtered(commands, needle, keep, lambda c: c.command_id, command_matches)
    ages = Ages(now)
    fetched, paced = invocations or {}, paces or {}
    rows = [
        _command_row(
            c,
            (ages(c.requested), _pace_text(c, paced.get(c.command_id)), c.command_id in marked),
            fetched.get(c.command_id),
            memo,
            None if sources is None else sources.get(c.command_id, ("", "")),
        )
        for c in sort_commands(shown, order)
    ]
    memo.forget_unseen()
    return rows


def command_breakdown(command: Command, invocations: InvocationSet | None) -> Breakdown:
    """The command's targets by category: from its instances when every page of them came."""
    if invocations is not None and invocations.complete:
        return breakdown_of_invocations(invocations.by_instance.values(), command.target_count)
    return breakdown_of_counts(command)


def _pace_text(command: Command, pace: Pace | None) -> str:
    if command.terminal:
        return ""
    return str(pace) if pace is not None else "…"


def _command_row(
    command: Command,
    shown: tuple[str, str, bool],
    invocations: InvocationSet | None,
    memo: RowMemo,
    source: tuple[str, str] | None,
) -> Row:
    """``shown``: what the row shows beyond the record (age, pace, marked); ``source``: its
    account and region, when several are polled."""

    def build() -> Row:
        requested, pace, marked = shown
        limits = f"{command.max_concurrency or '—'}/{command.max_errors or '—'}"
        where = tuple(line(part) for part in source) if source is not None else ()
        return command.command_id, (
            short_id(command.command_id) + (" ◆" if marked else ""),
            status_cell(command.status),
            *where,
            progress_cell(command_breakdown(command, invocations)),
            pace,
            line(command.document_name),
            line(command.comment),
            requested,
            line(limits),
        )

    return memo.row(command.command_id, command, (shown, source, id(invocations)), build)


def invocation_rows(
    invocations: Iterable[Invocation],
    order: InvocationSort,
    needle: str,
    now: datetime,
    *,
    keep: str | None = None,
    name_tag: str = "",
) -> list[Row]:
    """The instances pane: instance, status, name, RC, took, details, requested. The pane
    itself keeps its rows in order and builds them as they are drawn (``SortedRows``)."""
    shown = _filtered(invocations, needle, keep, lambda i: i.instance_id, invocation_matches)
    today = now.astimezone(UTC).date()
    return [invocation_row(i, now, today, name_tag) for i in sort_invocations(shown, order)]


_DNS_LABEL = re.compile(r"^[A-Za-z0-9-]{1,63}$")


def short_host_name(host: str) -> str:
    """A host name's first label, as ``hostname -s`` gives it: ``ip-10-0-1-23`` of
    ``ip-10-0-1-23.eu-west-1.compute.internal``, the part that tells hosts apart in a narrow
    column; an IP address stays whole."""
    labels = host.split(".")
    if len(labels) < 2 or host.replace(".", "").isdigit() or not all(map(_DNS_LABEL.match, labels)):
        return host  # not a host name, or an address: shown whole
    return labels[0]


def invocation_row(invocation: Invocation, now: datetime, today: date, name_tag: str = "") -> Row:
    """``name_tag``: the Name tag of every instance of the command, when known; otherwise the
    name shown is InstanceName, the host name AWS sends (it may be empty)."""
    return invocation.instance_id, (
        line(invocation.instance_id),
        status_cell(invocation.status),
        line(name_tag or short_host_name(invocation.instance_name) or "—"),
        response_code(deciding_step(invocation)),
        short_duration(invocation_duration(invocation, now)),
        line(invocation.status_details),
        day_time(invocation.requested, today),
    )


def step_rows(plugins: Sequence[PluginResult], now: datetime) -> list[Row]:
    """The steps pane: a handful of rows, in document order, built afresh each time."""
    return [
        (
            plugin.name,
            (
                str(index),
                line(plugin.name),
                status_cell(plugin.status),
                response_code(plugin),
                short_duration(duration(plugin.started, plugin.finished, now)),
                clock_time(plugin.started),
                clock_time(plugin.finished),
            ),
        )
        for index, plugin in enumerate(plugins, 1)
    ]
