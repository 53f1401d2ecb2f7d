"""Progress bars and tallies in one set of categories: nothing that ended badly drawn green."""

from __future__ import annotations

from dataclasses import replace

from ssmtui.model.cells import plain, progress_cell
from ssmtui.model.command_pane import command_breakdown
from ssmtui.model.outcomes import breakdown_of_counts, breakdown_of_invocations, outcome_of
from ssmtui.model.status import Outcome
from ssmtui.model.types import InvocationSet
from tests.fleet_records import NOW, command, invocation

RUNNING = command(1, "InProgress", targets=10, completed=6, errors=1)


def test_each_invocation_falls_in_the_category_its_status_and_details_name() -> None:
    undeliverable = replace(invocation(RUNNING, "i-1", "Failed"), status_details="Undeliverable")
    terminated = replace(invocation(RUNNING, "i-2", "Cancelled"), status_details="Terminated")
    assert outcome_of(undeliverable) is Outcome.UNDELIVERABLE
    assert outcome_of(terminated) is Outcome.CANCELLED
    assert outcome_of(invocation(RUNNING, "i-3", "Failed")) is Outcome.FAILED
    assert outcome_of(invocation(RUNNING, "i-4", "TimedOut")) is Outcome.TIMED_OUT
    assert outcome_of(invocation(RUNNING, "i-5", "Delayed")) is Outcome.DELAYED
    assert outcome_of(invocation(RUNNING, "i-6", "Rebooting")) is Outcome.RUNNING  # unknown
    assert outcome_of(invocation(RUNNING, "i-7", "Success")) is Outcome.SUCCEEDED


def test_counts_alone_call_the_rest_success_only_when_the_command_succeeded() -> None:
    running = breakdown_of_counts(RUNNING)
    assert (running[Outcome.FAILED], running[Outcome.ENDED], running[Outcome.SUCCEEDED]) == (
        1,
        5,
        0,
    )
    done = breakdown_of_counts(command(2, "Success", targets=4, completed=4))
    assert (done[Outcome.SUCCEEDED], done[Outcome.ENDED], done.total) == (4, 0, 4)


def test_fetched_instances_draw_cancelled_and_undeliverable_parts_as_such() -> None:
    statuses = ["Success"] * 5 + ["Cancelled", "Failed", "InProgress", "Pending", "Pending"]
    records = [invocation(RUNNING, f"i-{n}", status) for n, status in enumerate(statuses)]
    records[6] = replace(records[6], status_details="Undeliverable")
    fetched = InvocationSet({r.instance_id: r for r in records}, NOW)
    cell = progress_cell(command_breakdown(RUNNING, fetched))
    assert plain(cell) == "█████▒▒░░░ 7/10 ⊘1 ✉1"
    assert ("█████", "outcome--succeeded") in cell
    assert ("▒", "outcome--cancelled") in cell
    assert ("▒", "outcome--undeliverable") in cell
    partial = replace(fetched, complete=False)  # a sweep under way: the counts say more
    counted = progress_cell(command_breakdown(RUNNING, partial))
    assert plain(counted) == "██████░░░░ 6/10 ✖1"
    assert ("█████", "outcome--ended") in counted
    assert ("█", "outcome--failed") in counted


def test_a_single_failure_among_thousands_still_gets_a_block() -> None:
    many = command(3, "InProgress", targets=20_000, completed=10_000, errors=1)
    cell = progress_cell(breakdown_of_counts(many))
    assert ("█", "outcome--failed") in cell
    assert plain(cell) == "█████░░░░░ 10000/20000 ✖1"


def test_a_command_with_no_targets_draws_an_empty_bar() -> None:
    empty = breakdown_of_invocations([], 0)
    assert plain(progress_cell(empty)) == "░░░░░░░░░░ 0/0"
