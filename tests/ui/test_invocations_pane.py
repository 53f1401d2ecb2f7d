"""The instances pane over in-memory invocation sets: patched by key, timed when drawn."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from textual.app import App, ComposeResult

from ssmtui.model.instance_pane import InstancesView
from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.types import Invocation, InvocationSet, PluginResult
from ssmtui.model.views import InvocationSort
from ssmtui.ui.invocations_table import TOOK, InvocationsTable

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def invocation(n: int, status: str = "InProgress") -> Invocation:
    step = PluginResult(
        "run",
        PluginStatus(status),
        started=NOW - timedelta(seconds=10),
        finished=None if status == "InProgress" else NOW,
    )
    return Invocation("cmd", f"i-{n:05d}", InvocationStatus(status), plugins=(step,))


def as_set(records: list[Invocation]) -> InvocationSet:
    return InvocationSet(MappingProxyType({r.instance_id: r for r in records}), NOW)


class Pane(App[None]):
    def compose(self) -> ComposeResult:
        yield InvocationsTable(id="invocations")


async def test_a_poll_applies_what_it_touched_and_drops_what_left() -> None:
    records = [invocation(n) for n in range(200)]
    app = Pane()
    async with app.run_test(size=(120, 20)) as pilot:
        pane = app.query_one(InvocationsTable)
        pane.show(InstancesView("cmd", as_set(records), NOW))
        records[3] = replace(records[3], status=InvocationStatus("Failed"))
        gone = records.pop(5)
        later = NOW + timedelta(seconds=5)
        pane.show(
            InstancesView(
                "cmd", as_set(records), later, touched=frozenset({"i-00003", gone.instance_id})
            )
        )
        await pilot.pause()
        assert pane.row_keys() == [r.instance_id for r in records]
        assert pane.get_row("i-00003")[1].plain == "✖ Failed"
        assert "Instances · 199 · ✖ 1  ▶ 198" in str(pane.border_title)  # failed first


async def test_a_sort_by_status_keeps_order_as_statuses_change() -> None:
    records = [invocation(n) for n in range(50)]
    app = Pane()
    async with app.run_test(size=(120, 20)):
        pane = app.query_one(InvocationsTable)
        pane.order = InvocationSort.STATUS
        pane.show(InstancesView("cmd", as_set(records), NOW))
        records[40] = replace(records[40], status=InvocationStatus("Failed"))
        pane.show(InstancesView("cmd", as_set(records), NOW, touched=frozenset({"i-00040"})))
        assert pane.row_keys()[0] == "i-00040"  # what failed comes first


async def test_running_rows_show_their_time_as_the_clock_moves_without_a_new_record() -> None:
    records = [invocation(n) for n in range(500)]
    app = Pane()
    async with app.run_test(size=(120, 20)) as pilot:
        pane = app.query_one(InvocationsTable)
        pane.focus()
        pane.show(InstancesView("cmd", as_set(records), NOW))
        assert pane.get_row("i-00000")[TOOK].plain == "10s"
        pane.show(
            InstancesView(
                "cmd", as_set(records), NOW + timedelta(seconds=65), touched=frozenset(set())
            )
        )
        await pilot.pause()
        assert pane.get_row("i-00000")[TOOK].plain == "1m15s"  # on screen: up to date
        await pilot.press("end")
        await pilot.pause()
        assert pane.get_row("i-00499")[TOOK].plain == "1m15s"  # brought up to date when drawn
