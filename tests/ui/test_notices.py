"""Pace and ETA from successive polls; toasts (and the bell) for what happened unwatched."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ssmtui.model.command_pane import COLUMNS
from ssmtui.model.notices import notices
from ssmtui.model.pace import PaceBook
from ssmtui.model.sparkline import sparkline
from ssmtui.model.status import CommandStatus
from ssmtui.model.views import failures_while_running, has_failures
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.invocations_table import InvocationsTable
from tests.dashboard_fixtures import toasts
from tests.fleet_records import NOW, command, fleet, invocation, later
from tests.scripted_poller import publish, scripted_app, shown


def test_pace_is_the_rate_over_the_last_minutes_and_the_eta_what_remains_at_it() -> None:
    book = PaceBook()
    patching = command(1, targets=100, completed=10)
    assert book.note({patching.command_id: patching}, NOW) == {}  # one sample: no pace
    for seconds, completed in [(5, 11), (30, 20), (60, 30)]:
        paces = book.note(
            {patching.command_id: replace(patching, completed_count=completed)},
            NOW + timedelta(seconds=seconds),
        )
    pace = paces[patching.command_id]
    assert pace.per_minute == pytest.approx(20.0)  # 20 finished in the minute
    assert pace.eta == timedelta(minutes=70 / 20)
    assert str(pace) == "20/min ETA 3m30s"


def test_the_trend_counts_each_minutes_completions_and_failures_over_the_whole_run() -> None:
    book = PaceBook()
    patching = command(1, targets=100, completed=0)
    start = NOW.replace(second=0, microsecond=0)
    # minute by minute (two polls in the first, none in the fourth): completed, failed
    for seconds, completed, failed in [
        (0, 0, 0),
        (30, 2, 0),
        (60, 10, 1),
        (120, 25, 1),
        (240, 40, 4),
        (300, 40, 4),
    ]:
        paces = book.note(
            {patching.command_id: replace(patching, completed_count=completed, error_count=failed)},
            start + timedelta(seconds=seconds),
        )
    pace = paces[patching.command_id]
    assert pace.completions == (8, 15, 0, 15, 0)  # the fourth minute carried the third's count
    assert pace.failures == (1, 0, 0, 3, 0)
    assert sparkline(pace.completions, 16) == "▄█ █ "
    assert sparkline(pace.completions, 3) == "█▅ "  # neighbours summed: 23, 15, 0
    assert sparkline((0, 0), 8) == "  "


def test_the_window_forgets_old_polls_and_a_stalled_command_has_no_eta() -> None:
    book = PaceBook()
    slow = command(1, targets=10, completed=0)
    for minute, completed in [(0, 0), (1, 5), (7, 5), (10, 5)]:
        paces = book.note(
            {slow.command_id: replace(slow, completed_count=completed)},
            NOW + timedelta(minutes=minute),
        )
    pace = paces[slow.command_id]
    assert pace.per_minute == 0  # nothing finished in the last 5 minutes
    assert (pace.eta, str(pace)) == (None, "0/min ETA —")
    finished = replace(slow, status=CommandStatus.SUCCESS, completed_count=10)
    assert book.note({slow.command_id: finished}, NOW + timedelta(minutes=11)) == {}


def test_a_notice_for_a_first_failure_and_for_the_end_of_a_watched_command() -> None:
    running, quiet = command(1, targets=10), command(2, targets=10)
    before = fleet([running, quiet], [])
    failing = replace(running, error_count=1, completed_count=1)
    ended = replace(quiet, status=CommandStatus.SUCCESS, completed_count=10)
    after = fleet([failing, ended], [])
    told = notices(before, after, watched={quiet.command_id})
    assert [(n.command_id, n.text, n.alarming) for n in told] == [
        (
            running.command_id,
            "00000001 AWS-RunShellScript has its first failure (1 of 10 instances).",
            True,
        ),
        (quiet.command_id, "00000002 AWS-RunShellScript finished: Success.", False),
    ]
    assert notices(after, after, watched={quiet.command_id}) == []  # told once
    assert notices(before, after, watched=set())[1:] == []  # an unwatched end: no news


def test_an_undeliverable_instance_is_a_first_failure_though_no_count_says_so() -> None:
    running = command(1, targets=10)
    lost = replace(invocation(running, "i-1", "Failed"), status_details="Undeliverable")
    delivered = replace(running, completed_count=1)  # ErrorCount leaves Undeliverable out
    before = fleet([running], [invocation(running, "i-1", "Pending")])
    after = fleet([delivered], [lost])
    told = notices(before, after, watched=set())
    assert [n.text for n in told] == [
        "00000001 AWS-RunShellScript has its first failure (1 of 10 instances)."
    ]
    assert has_failures(delivered, after.invocations[running.command_id])
    assert not has_failures(delivered)  # by its counts alone, nothing failed
    assert failures_while_running(after.commands.values(), after.invocations) == (
        "✖ 1 failed in 1 running"
    )


async def test_m_marks_a_command_its_end_and_a_first_failure_toast_and_ring_the_bell() -> None:
    first, second = command(1, targets=4), command(2, targets=4, minutes_ago=9)
    start = fleet([first, second], [invocation(first, f"i-{n}") for n in range(4)])
    app, poller = scripted_app(start)
    app.board.marks.bell = True
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        await pilot.press("j", "m")
        assert commands.get_row(second.command_id)[0].plain.endswith("◆")
        await pilot.press("k")  # the first is selected, the second only marked

        progress = later(start, 30, replace(first, completed_count=2))
        await publish(pilot, poller, progress)
        pace = commands.get_row(first.command_id)[COLUMNS.position("pace")]
        assert pace.plain == "4/min ETA 30s"
        subtitle = str(app.query_one(InvocationsTable).border_subtitle)
        assert subtitle == "running 5m30s · 4/min ETA 30s"

        done = replace(second, status=CommandStatus.FAILED, completed_count=4, error_count=4)
        await publish(pilot, poller, later(progress, 5, done))
        assert any("00000002 AWS-RunShellScript finished: Failed." in t for t in toasts(app))
        assert rings == [1]
        failing = replace(first, error_count=1, completed_count=3)
        await publish(pilot, poller, later(progress, 10, done, failing))
        assert any("has its first failure (1 of 4 instances)" in t for t in toasts(app))
        assert rings == [1, 1]


async def test_the_instances_pane_draws_the_runs_completions_and_failures_a_minute() -> None:
    running = command(1, targets=40, minutes_ago=3)
    start = fleet([running], [invocation(running, f"i-{n}") for n in range(4)])
    app, poller = scripted_app(start)
    async with app.run_test(size=(150, 40)) as pilot:
        await shown(pilot, poller)
        snapshot = start
        for seconds, completed, failed in [(60, 8, 0), (60, 24, 2), (60, 28, 2)]:
            moved = replace(running, completed_count=completed, error_count=failed)
            snapshot = later(snapshot, seconds, moved)
            await publish(pilot, poller, snapshot)
        subtitle = str(app.query_one(InvocationsTable).border_subtitle)
        assert subtitle.endswith(" · ✔/min ▄█▂ · ✖/min  █ ")
