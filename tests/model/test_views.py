"""Derived views: progress, durations, filtering and sorting of rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus
from ssmtui.model.types import Command, Invocation, PluginResult
from ssmtui.model.views import (
    CommandSort,
    InvocationSort,
    command_matches,
    counts_by_status,
    invocation_duration,
    invocation_matches,
    progress,
    sort_commands,
    sort_invocations,
)

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def command(cid: str, status: str, minutes_ago: int, **extra: object) -> Command:
    return Command(
        cid,
        CommandStatus(status),
        requested=T0 - timedelta(minutes=minutes_ago),
        **extra,  # type: ignore[arg-type]
    )


def test_progress_handles_zero_targets_and_splits_outcomes() -> None:
    empty = progress(command("a", "Failed", 1))
    assert (empty.fraction, empty.total) == (0.0, 0)
    half = progress(
        command(
            "b",
            "InProgress",
            1,
            target_count=10,
            completed_count=5,
            error_count=2,
            delivery_timed_out_count=1,
        )
    )
    assert half.fraction == 0.5
    assert half.succeeded == 2


def test_counts_by_status() -> None:
    rows = [command("a", "Failed", 1), command("b", "Failed", 2), command("c", "Paused", 3)]
    assert counts_by_status(rows) == {"Failed": 2, "Paused": 1}


def test_sorting_is_stable_and_puts_trouble_first() -> None:
    rows = [
        command("a", "Success", 1),
        command("b", "Failed", 5),
        command("c", "InProgress", 3),
        command("d", "Quarantined", 9),
    ]
    assert [c.command_id for c in sort_commands(rows, CommandSort.NEWEST)] == ["a", "c", "b", "d"]
    assert [c.command_id for c in sort_commands(rows, CommandSort.STATUS)] == ["d", "b", "c", "a"]


def test_filter_text_matches_the_fields_an_operator_searches() -> None:
    row = command("7c2c", "InProgress", 1, document_name="AWS-RunPatchBaseline", comment="Monthly")
    assert command_matches(row, "patchbase")
    assert command_matches(row, "monthly")
    assert not command_matches(row, "deploy")
    invocation = Invocation("7c2c", "i-0abc", InvocationStatus.FAILED, instance_name="web-01")
    assert invocation_matches(invocation, "WEB")
    assert not invocation_matches(invocation, "db")


def test_an_invocation_runs_from_its_first_step_to_its_last() -> None:
    steps = (
        PluginResult("a", PluginStatus.SUCCESS, started=T0, finished=T0 + timedelta(seconds=5)),
        PluginResult("b", PluginStatus.IN_PROGRESS, started=T0 + timedelta(seconds=5)),
    )
    running = Invocation("c", "i", InvocationStatus.IN_PROGRESS, plugins=steps)
    assert invocation_duration(running, T0 + timedelta(seconds=30)) == timedelta(seconds=30)
    assert invocation_duration(Invocation("c", "i", InvocationStatus.PENDING), T0) is None


def test_invocations_sort_by_instance_status_or_name() -> None:
    rows = [
        Invocation("c", "i-3", InvocationStatus.SUCCESS, instance_name="alpha"),
        Invocation("c", "i-1", InvocationStatus.IN_PROGRESS, instance_name="Charlie"),
        Invocation("c", "i-2", InvocationStatus.FAILED, instance_name="bravo"),
    ]
    by = {order: [i.instance_id for i in sort_invocations(rows, order)] for order in InvocationSort}
    assert by[InvocationSort.INSTANCE] == ["i-1", "i-2", "i-3"]
    assert by[InvocationSort.STATUS] == ["i-2", "i-1", "i-3"]
    assert by[InvocationSort.NAME] == ["i-3", "i-2", "i-1"]
