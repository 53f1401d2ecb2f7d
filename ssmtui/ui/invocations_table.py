"""The invocations pane: the selected command on each of its instances."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType

from ssmtui.model.cells import Row
from ssmtui.model.failures import did_not_succeed
from ssmtui.model.fleet_search import SEARCHED, FleetSearch, Hit, output_needle
from ssmtui.model.instance_pane import COLUMNS, InstancesView, invocation_row
from ssmtui.model.outcomes import counts_text, outcome_of
from ssmtui.model.sorted_rows import SortedRows
from ssmtui.model.status import Outcome
from ssmtui.model.text import short_id
from ssmtui.model.time_text import short_duration
from ssmtui.model.types import Invocation, InvocationSet, PluginResult
from ssmtui.model.views import (
    InvocationSort,
    invocation_duration,
    invocation_matches,
    invocation_sort_key,
)
from ssmtui.ui.cells import literal, retitle
from ssmtui.ui.list_table import ListTable
from ssmtui.ui.messages import StepsWanted

Steps = tuple[PluginResult, ...]
TOOK = COLUMNS.position("took")
"""The column that moves with the clock."""


class InvocationsTable(ListTable[InvocationSort, InstancesView]):
    """One command's instances; holds what the user chose (order, filter) and the rows in
    order, patched by key each poll: a 20,000-row list costs what changed, not its size. The
    running rows' "took" moves with the clock; it is brought up to date for the rows on screen
    only, and for the others when they are drawn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_failure", "Next failed", show=False),  # in help; the footer is full
        Binding("l", "next_straggler", "Next straggler (slower than p95 of its step)", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        self._now = datetime.min.replace(tzinfo=UTC)
        super().__init__(
            COLUMNS, InvocationSort.INSTANCE, InstancesView(None, None, self._now), id=id
        )
        self._list = self._new_list()
        self._name_tag = ""
        """The Name tag all the command's instances share, shown instead of their host names."""
        self._built: tuple[InvocationSort, str, str] | None = None
        """The order, filter and Name tag the rows were last built for: another means a
        rebuild."""
        self._live: set[str] = set()
        """Rows whose "took" moves with the clock, brought up to date when drawn."""
        self._records: dict[str, Invocation] = {}
        """Every instance of the command as of the last poll (shown or filtered out)."""
        self._counts: Counter[Outcome] = Counter()
        """How many instances are in each status, kept up to date as records change."""
        self._search: FleetSearch | None = None
        """The search through every instance's output, while the filter is ``?text``."""
        self._hits: dict[str, Hit] = {}
        self._searching = False
        """The first search of the text is still reading in its thread."""
        self._notes: dict[str, str] = {}
        """What a row says in place of its status details: the line a search found, else a
        straggler's lag."""

    def _new_list(self) -> SortedRows[Invocation]:
        def build(invocation: Invocation) -> Row:
            note = self._notes.get(invocation.instance_id, "")
            return invocation_row(invocation, self._now, self._now.date(), self._name_tag, note)

        return SortedRows(lambda i: i.instance_id, invocation_sort_key(self.order), build)

    def start_over(self) -> None:
        """Another command: its instances are a different list (no filter, cursor on top)."""
        self.needle = ""
        self._built = None
        self.reset()

    def show(self, view: InstancesView) -> bool:
        """Show ``view``; False when its selected instance is no longer among the rows."""
        self.view = view
        return self._draw(view.selected, view.changed, view.touched)

    def _draw(
        self,
        keep: str | None,
        changed: frozenset[str] = frozenset(),
        touched: frozenset[str] | None = None,
    ) -> bool:
        """``touched``: the instances this poll added, changed or removed; None when unknown
        (then every row is rebuilt, as after a sort or a filter)."""
        view = self.view
        if view.command_id is None:
            retitle(self, Text("Instances"), Text("select a command"))
            return self.show_rows([])
        self._now = view.now.astimezone(UTC)
        invocations = view.invocations
        by_instance = invocations.by_instance if invocations else {}
        self._name_tag = view.name_tag
        renoted = self._renote(view)
        if touched is None or self._built != (self.order, self.needle, view.name_tag):
            self._rebuild(by_instance, keep)
        else:
            self._patch(by_instance, keep, set(touched) | renoted, renoted)
        self._retime_visible()
        self._built = (self.order, self.needle, view.name_tag)
        kept = self.show_rows(self._list.rows, changed, self._list.position)
        self._title(view.command_id, invocations, len(self._list), view.empty_reason, view.pace)
        return kept

    def _renote(self, view: InstancesView) -> set[str]:
        """Search the output again (only what a poll brought is read), and say which rows
        now say something else in place of their status details."""
        needle = output_needle(self.needle)
        if needle is None:
            self._search, self._hits = None, {}
        elif self._search is None or self._search.needle != needle:
            self._search, self._hits, self._searching = FleetSearch(needle), {}, True
            self.post_message(StepsWanted())
            self._search_fleet(self._search, view.steps.steps)
        elif not self._searching:  # a poll's new records alone are read: milliseconds
            self._hits = self._search.hits(view.steps.steps)
        notes = {key: hit.words for key, hit in self._hits.items()}
        if needle is None:
            notes = {key: straggler.words for key, straggler in view.stragglers.items()}
        changed = {
            key
            for key in notes.keys() | self._notes.keys()
            if notes.get(key) != self._notes.get(key)
        }
        self._notes = notes
        return changed

    @work(thread=True, exclusive=True, group="fleet-search")
    def _search_fleet(self, search: FleetSearch, steps: Mapping[str, Steps]) -> None:
        """The first search of a text reads every instance's output (a quarter of a second
        at 20,000 instances): in a thread, so that keys are answered meanwhile."""
        hits = search.hits(steps)
        self.app.call_from_thread(self._searched, search, steps, hits)

    def _searched(
        self, search: FleetSearch, steps: Mapping[str, Steps], hits: dict[str, Hit]
    ) -> None:
        if search is not self._search:
            return  # another text was typed since
        latest = self.view.steps.steps
        if latest is not steps:  # a poll brought steps meanwhile: those too, in the thread
            self._search_fleet(search, latest)
            return
        self._searching, self._hits = False, hits
        if not self._draw(keep=None):  # as when a filter is typed: the matches, cursor on one
            self.move_cursor(0)

    def _shown(self, invocation: Invocation, keep: str | None) -> bool:
        if not self.needle or invocation.instance_id == keep:
            return True
        if self._search is not None:
            return invocation.instance_id in self._hits
        return invocation_matches(invocation, self.needle)

    def _rebuild(self, by_instance: Mapping[str, Invocation], keep: str | None) -> None:
        self._list = self._new_list()
        records = by_instance.values()
        self._list.fill(
            records if not self.needle else (i for i in records if self._shown(i, keep))
        )
        self._records = dict(by_instance)
        self._live = {key for key, i in by_instance.items() if not i.terminal}
        self._counts = Counter(outcome_of(i) for i in by_instance.values())

    def _patch(
        self,
        by_instance: Mapping[str, Invocation],
        keep: str | None,
        keys: set[str],
        renoted: set[str],
    ) -> None:
        """``renoted``: rows whose note changed while their record did not."""
        if len(keys) > max(100, len(self._list) // 2):  # most moved: a fresh sort is cheaper
            self._rebuild(by_instance, keep)
            return
        for key in keys:
            old, new = self._records.get(key), by_instance.get(key)
            if old is new and key not in renoted:
                continue
            self._count(old, new)
            if new is None:
                self._records.pop(key, None)
                self._list.drop(key)
            elif self._shown(new, keep):
                self._records[key] = new
                self._list.put(new)
            else:
                self._records[key] = new
                self._list.drop(key)
            if new is not None and not new.terminal:
                self._live.add(key)
            else:
                self._live.discard(key)

    def action_next_failure(self) -> None:
        """The cursor to the next instance below it that did not succeed, round to the top."""
        if not self.move_to_next(self._failed):
            self.notify("No instance of this command has failed.", timeout=3)

    def action_next_straggler(self) -> None:
        """The cursor to the next instance still running its step for longer than that step
        took on 95 % of the instances that finished it, round to the top."""
        swept = self.view.swept
        if swept is None:
            self.post_message(StepsWanted())
            self.notify(
                "Reading every instance's steps (10 pages of 50 a poll) to find the"
                " stragglers: l again once they are in.",
                timeout=5,
            )
        elif not self.move_to_next(self.view.stragglers.__contains__):
            self.notify(
                "No running instance is slower than 95 % of those that finished its step"
                f" (steps of {swept.read:,} instances read so far).",
                timeout=4,
            )

    def _failed(self, instance_id: str) -> bool:
        record = self._records.get(instance_id)
        return record is not None and did_not_succeed(record)

    def row_at(self, index: int) -> Row:
        self._retime(index)
        return super().row_at(index)

    def _retime_visible(self) -> None:
        """Bring the running rows on screen up to date; the others catch up when drawn."""
        top = int(self.scroll_y)
        for index in range(top, min(top + self.size.height, len(self._list))):
            self._retime(index)

    def _retime(self, index: int) -> None:
        """A running row, later: only its "took" cell moves with the clock."""
        key, cells = self._list.rows[index]
        invocation = self._records.get(key) if key in self._live else None
        if invocation is None:
            return
        took = short_duration(invocation_duration(invocation, self._now))
        if cells[TOOK] != took:
            self._list.rows[index] = (key, (*cells[:TOOK], took, *cells[TOOK + 1 :]))

    def _count(self, old: Invocation | None, new: Invocation | None) -> None:
        if old is not None:
            self._counts[outcome_of(old)] -= 1
        if new is not None:
            self._counts[outcome_of(new)] += 1

    def _title(
        self,
        command_id: str,
        invocations: InvocationSet | None,
        shown: int,
        empty_reason: str,
        pace: str,
    ) -> None:
        """``empty_reason``: why the command has no instances, said where they would be;
        ``pace``: how far and how fast it has gone, below them."""
        total = len(invocations.by_instance) if invocations else 0
        parts = [
            f"{short_id(command_id)} › Instances · {total}",
            counts_text(self._counts),
            f"sort: {self.order.value}",
            self._filter_words(shown, total),
        ]
        loading = invocations is None or not invocations.complete
        title = literal(" · ".join(part for part in parts if part))
        if total == 0 and empty_reason:
            retitle(self, title, literal(empty_reason))
        elif self._search is not None:
            retitle(self, title, Text(SEARCHED))
        else:
            retitle(self, title, Text("loading…" if loading else pace))

    def _filter_words(self, shown: int, total: int) -> str:
        if not self.needle:
            return ""
        if self._search is None:
            return f"filter: {self.needle} ({shown} shown)"
        read = len(self.view.steps)
        if self._searching:
            return f"output search {self._search.needle!r}: searching {read:,} instances…"
        return (
            f"output search {self._search.needle!r}: {len(self._hits):,}"
            f" {'match' if len(self._hits) == 1 else 'matches'} in {read:,} of {total:,}"
            " instances read"
        )
