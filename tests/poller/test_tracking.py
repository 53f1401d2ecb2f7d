"""The fetch plan's tracking of a big focused command, against an in-memory reader.

A 1,000-instance command (20 pages) stands for the 20,000 of a fleet: big enough to be tracked
rather than listed whole, small enough for milliseconds. Each test changes the truth the reader
serves and checks both what the plan then knows and which calls it spent learning it.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import replace
from datetime import timedelta

import pytest

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.failures import cluster_failures
from ssmtui.model.output_limits import LISTED_STDERR_RULE
from ssmtui.model.status import CommandStatus, InvocationStatus
from ssmtui.model.types import Command, Invocation
from ssmtui.poller import Poller
from ssmtui.poller.invocation_book import progress
from ssmtui.poller.plan import FetchPlan
from ssmtui.poller.results import PollResult
from ssmtui.poller.tracking import InvocationTracker
from tests.fleet_records import NOW, command, invocation, step
from tests.memory_reader import MemoryReader

SIZE = 1000
RUNNING = 100
ACTIVE_THEN_UNSUCCESSFUL = [
    "InProgress",
    "InProgress",
    "Delayed",
    "Failed",
    "TimedOut",
    "Cancelled",
]
"""The lists of a cycle that classifies by status: RUNNING active (two pages), then the rest."""


def instance(n: int) -> str:
    return f"i-{n:017x}"


def big_command(running: int = RUNNING) -> tuple[Command, MemoryReader]:
    """A command on SIZE instances: the first ``running`` InProgress, the rest Pending."""
    big = command(1, targets=SIZE)
    reader = MemoryReader(
        [big],
        [
            invocation(big, instance(n), "InProgress" if n < running else "Pending")
            for n in range(SIZE)
        ],
    )
    return big, reader


def ended(reader: MemoryReader, n: int, status: str, details: str | None = None) -> Invocation:
    """Instance ``n`` of command 1 as it is after ending with ``status``."""
    record = reader.invocations[command(1).command_id][instance(n)]
    return replace(record, status=InvocationStatus(status), status_details=details or status)


async def fill(plan: FetchPlan) -> list[PollResult]:
    """Fill cycles, back to back, until the sweep under way has finished."""
    results = []
    while plan.unfinished:
        results.append(await plan.cycle(fill=True))
    return results


async def swept(reader: MemoryReader, big: Command) -> FetchPlan:
    """A plan focused on ``big`` whose first sweep has finished, with the calls forgotten."""
    plan = FetchPlan(reader, clock=lambda: NOW, page_budget=5)
    plan.focus = replace(plan.focus, command_id=big.command_id)
    await plan.cycle()
    await fill(plan)
    reader.forget_calls()
    return plan


def known(plan: FetchPlan, n: int) -> Invocation:
    return plan.snapshot.invocations[command(1).command_id].by_instance[instance(n)]


def as_served(plan: FetchPlan, reader: MemoryReader) -> bool:
    """What the plan shows of command 1 is what the reader serves, record for record."""
    shown = plan.snapshot.invocations[command(1).command_id].by_instance
    truth = reader.invocations[command(1).command_id]
    return set(shown) == set(truth) and all(
        (shown[i].status, shown[i].status_details) == (truth[i].status, truth[i].status_details)
        for i in truth
    )


async def test_the_first_page_comes_at_once_and_fill_cycles_bring_the_rest() -> None:
    big, reader = big_command()
    plan = FetchPlan(reader, clock=lambda: NOW, page_budget=5)
    plan.focus = replace(plan.focus, command_id=big.command_id)
    first = await plan.cycle()
    shown = first.snapshot.invocations[big.command_id]
    assert len(shown.by_instance) == 50
    assert not shown.complete
    assert plan.unfinished
    filled = await fill(plan)
    for result in filled:
        assert set(result.health.stats.calls) == {"ListCommandInvocations"}  # no ListCommands
        assert result.health.stats.calls["ListCommandInvocations"] <= 5
    sizes = [len(r.snapshot.invocations[big.command_id].by_instance) for r in filled]
    assert sizes == [300, 550, 800, 1000]
    assert filled[-1].snapshot.invocations[big.command_id].complete
    assert as_served(plan, reader)


async def test_a_quiet_cycle_lists_only_the_active_statuses() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    result = await plan.cycle()
    assert reader.status_lists() == ["InProgress", "InProgress", "Delayed"]
    assert result.health.stats.calls["ListCommandInvocations"] == math.ceil(RUNNING / 50) + 1
    assert result.delta.empty


async def test_an_instance_that_starts_is_seen_in_the_active_list() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(replace(ended(reader, 500, "InProgress"), status_details="In Progress"))
    await plan.cycle()
    assert known(plan, 500).status == "InProgress"
    assert reader.status_lists() == ["InProgress"] * 3 + ["Delayed"]  # 101 running: 3 pages


async def test_a_few_that_finished_are_looked_up_one_by_one() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(ended(reader, 3, "Success"), ended(reader, 7, "Failed"))
    await plan.cycle()
    assert reader.count("ListCommandInvocations", InstanceId=instance(3)) == 1
    assert reader.count("ListCommandInvocations", InstanceId=instance(7)) == 1
    assert reader.status_lists() == ["InProgress", "InProgress", "Delayed"]
    assert (known(plan, 3).status, known(plan, 7).status) == ("Success", "Failed")
    assert as_served(plan, reader)


async def test_many_that_finished_are_classified_by_the_unsuccessful_lists() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(
        *(ended(reader, n, "Success") for n in range(40)),
        ended(reader, 40, "Failed"),
        ended(reader, 41, "TimedOut", "Execution Timed Out"),
    )
    result = await plan.cycle()
    assert reader.status_lists() == ACTIVE_THEN_UNSUCCESSFUL
    assert reader.count("ListCommandInvocations", InstanceId=instance(0)) == 0
    # and the two failures' steps, looked up one by one (fewer calls than listing them)
    assert result.health.stats.calls["ListCommandInvocations"] == 6 + 2
    assert reader.count("ListCommandInvocations", InstanceId=instance(40), Details=True) == 1
    assert as_served(plan, reader)
    assert {(cid, iid) for cid, iid in result.delta.finished} == {
        (big.command_id, instance(n)) for n in range(42)
    }


def failing(reader: MemoryReader, n: int, error: str) -> Invocation:
    """Instance ``n`` after its one step failed with ``error`` on stderr."""
    failed = replace(
        step("run", "Failed", code=2, stderr=error), output=f"\n{LISTED_STDERR_RULE}\n" + error
    )
    return replace(ended(reader, n, "Failed"), plugins=(failed,))


async def test_the_unsuccessful_come_with_their_steps_once_and_are_not_fetched_again() -> None:
    """Failures are grouped by their failing step: the new ones' steps come in the fewest
    calls, here one detailed list of the Failed status for three of them; none twice."""
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(
        *(ended(reader, n, "Success") for n in range(40)),
        *(failing(reader, n, f"Error: disk full, {n} MB free") for n in range(40, 43)),
    )
    await plan.cycle()
    assert reader.status_lists() == [*ACTIVE_THEN_UNSUCCESSFUL, "Failed"]
    assert reader.count("ListCommandInvocations", Details=True) == 1
    clusters = cluster_failures(plan.snapshot.invocations[big.command_id].by_instance.values())
    assert [(c.step, c.response_code, c.signature, c.count) for c in clusters] == [
        ("run", 2, "Error: disk full, N MB free", 3)
    ]
    reader.forget_calls()
    await plan.cycle()
    assert reader.count("ListCommandInvocations", Details=True) == 0


async def test_a_failure_seen_without_its_steps_is_looked_up_with_them() -> None:
    big, reader = big_command()
    reader.put(failing(reader, 1, "Error: x"))
    tracker = InvocationTracker(big.command_id, page_budget=5)
    tracker.put(replace(reader.invocations[big.command_id][instance(1)], plugins=None))
    await tracker.fetch_failure_details(reader)
    assert reader.count("ListCommandInvocations", InstanceId=instance(1), Details=True) == 1
    fetched = tracker.book.get(instance(1))
    assert fetched is not None
    assert fetched.plugins
    reader.forget_calls()
    await tracker.fetch_failure_details(reader)
    assert reader.calls == []


def test_a_final_record_keeps_the_output_fetched_for_it() -> None:
    """A listing with Details brings the steps without the longer output GetCommandInvocation
    gave the instance in focus; one without Details brings no steps: neither loses it."""
    big, reader = big_command()
    with_output = failing(reader, 1, "Error: x")
    tracker = InvocationTracker(big.command_id, page_budget=5)
    (fetched,) = with_output.plugins or ()
    tracker.put(with_output)
    tracker.put(replace(with_output, plugins=(replace(fetched, stderr=None, stdout=None),)))
    tracker.put(replace(with_output, plugins=None))
    assert tracker.book.get(instance(1)) is with_output


async def test_a_pending_instance_that_timed_out_unseen_is_found_by_the_counts() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(ended(reader, 900, "TimedOut", "Delivery Timed Out"))
    await plan.cycle()
    assert reader.status_lists() == ACTIVE_THEN_UNSUCCESSFUL
    assert known(plan, 900).status_details == "Delivery Timed Out"
    assert as_served(plan, reader)


async def test_a_pending_instance_that_ran_and_succeeded_between_cycles_is_found() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(ended(reader, 901, "Success"))
    await plan.cycle()
    assert reader.status_lists()[-1] == "Success"
    assert known(plan, 901).status == "Success"
    assert as_served(plan, reader)


async def test_a_wrong_inference_is_caught_by_the_next_counts_and_swept_away() -> None:
    """An instance being cancelled is in no list: taken to have succeeded, it makes the
    completed count of the plan exceed the command's, and the plan sweeps again."""
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(
        *(ended(reader, n, "Success") for n in range(40)),
        ended(reader, 40, "Cancelling"),
    )
    await plan.cycle()
    assert known(plan, 40).status == "Success"  # the inference: wrong, for now
    await plan.cycle()
    await fill(plan)
    assert known(plan, 40).status == "Cancelling"
    assert as_served(plan, reader)


async def test_no_inference_while_the_command_is_being_cancelled() -> None:
    big, reader = big_command(running=50)
    plan = await swept(reader, big)
    reader.set_command(replace(big, status=CommandStatus.CANCELLING))
    reader.put(*(ended(reader, n, "Cancelling") for n in range(10)))
    await plan.cycle()
    assert reader.count("ListCommandInvocations", InstanceId=instance(0)) == 1
    assert all(known(plan, n).status == "Cancelling" for n in range(10))


async def test_an_instance_never_seen_starts_a_sweep() -> None:
    big, reader = big_command()
    plan = await swept(reader, big)
    newcomer = invocation(big, instance(SIZE + 1), "Pending")
    reader.put(newcomer)
    await plan.cycle()
    assert plan.unfinished
    await fill(plan)
    assert known(plan, SIZE + 1).status == "Pending"


async def test_a_finished_command_is_listed_no_more_once_its_counts_agree() -> None:
    big, reader = big_command(running=0)
    plan = await swept(reader, big)
    reader.put(*(ended(reader, n, "Success") for n in range(SIZE)))
    reader.set_command(replace(reader.commands[big.command_id], status=CommandStatus.SUCCESS))
    await plan.cycle()
    assert as_served(plan, reader)
    reader.forget_calls()
    for _ in range(3):
        await plan.cycle()
    assert reader.count("ListCommandInvocations") == 0


async def test_a_record_never_goes_back_to_an_earlier_status() -> None:
    big, reader = big_command()
    tracker = InvocationTracker(big.command_id, page_budget=5)
    done = ended(reader, 1, "Success")
    tracker.put(done)
    tracker.put(invocation(big, instance(1), "InProgress"))
    assert tracker.book.get(instance(1)) is done
    assert [
        progress(invocation(big, "i", s))
        for s in ("Pending", "Delayed", "InProgress", "Cancelling", "Failed")
    ] == [0, 1, 2, 3, 4]


async def test_an_instance_moving_between_two_lists_is_not_lost() -> None:
    """Instance 5 ends after the InProgress list and before the unsuccessful ones: the order
    of the lists (active first) means a later list names it."""
    big, reader = big_command()
    plan = await swept(reader, big)
    reader.put(*(ended(reader, n, "Success") for n in range(10, 50)))

    def fail_five(operation: str, params: dict[str, object]) -> None:
        filters = params.get("Filters") or []
        if filters == [{"key": "Status", "value": "Delayed"}]:
            reader.put(ended(reader, 5, "Failed"))

    reader.before_call = fail_five
    await plan.cycle()
    assert known(plan, 5).status == "Failed"


@pytest.mark.parametrize("running", [50, 500])
async def test_calls_a_cycle_follow_what_is_active_not_the_size(running: int) -> None:
    big, reader = big_command(running=running)
    plan = await swept(reader, big)
    result = await plan.cycle()
    assert result.health.stats.calls["ListCommandInvocations"] == math.ceil(running / 50) + 1


async def test_the_loop_runs_fill_cycles_back_to_back_and_lists_commands_once() -> None:
    big, reader = big_command()
    poller = Poller(reader, interval=3600, page_budget=5, clock=lambda: NOW)
    results: list[PollResult] = []
    complete = asyncio.Event()

    def listener(result: PollResult) -> None:
        results.append(result)
        shown = result.snapshot.invocations.get(big.command_id)
        if shown is not None and shown.complete:
            complete.set()

    poller.subscribe(listener)
    poller.set_focus(big.command_id)
    stop = asyncio.Event()
    running = asyncio.create_task(poller.run(stop))
    await asyncio.wait_for(complete.wait(), timeout=30)
    stop.set()
    await running
    assert [len(r.snapshot.invocations[big.command_id].by_instance) for r in results] == [
        50,
        300,
        550,
        800,
        1000,
    ]
    assert reader.count("ListCommands") == 1  # the interval is an hour: the rest were fills


async def test_what_is_remembered_of_a_command_goes_when_it_leaves_the_view() -> None:
    big, reader = big_command(running=0)
    plan = await swept(reader, big)
    plan.linger = timedelta(0)
    assert plan.remembered() == {big.command_id}
    reader.put(*(ended(reader, n, "Success") for n in range(SIZE)))
    reader.set_command(replace(reader.commands[big.command_id], status=CommandStatus.SUCCESS))
    await plan.cycle()
    assert big.command_id in plan.snapshot.commands  # focused: kept however long ago it ended
    plan.focus = replace(plan.focus, command_id=None)
    await plan.cycle()
    assert big.command_id not in plan.snapshot.commands
    assert plan.remembered() == set()


async def test_a_failed_poll_is_not_followed_at_once_by_a_fill_of_the_sweep() -> None:
    """A failing endpoint would fail the fill too, and its narrower complaint would replace
    the failed poll's on screen: the loop waits for the next poll (here, a refresh)."""
    big, reader = big_command()
    poller = Poller(reader, interval=3600, page_budget=5, clock=lambda: NOW)
    results: list[PollResult] = []
    arrived = asyncio.Event()

    def listener(result: PollResult) -> None:
        results.append(result)
        arrived.set()
        if len(results) == 1:  # the sweep has begun: now the endpoint fails, and a poll is due
            reader.refused["ListCommands"] = AwsError(ErrorKind.SERVER, "server error")
            poller.refresh_now()

    poller.subscribe(listener)
    poller.set_focus(big.command_id)
    stop = asyncio.Event()
    running = asyncio.create_task(poller.run(stop))
    while len(results) < 2:
        arrived.clear()
        await asyncio.wait_for(arrived.wait(), timeout=30)
    assert results[1].health.error is not None  # the refresh's poll failed
    assert poller.plan.unfinished  # with the sweep still to finish
    poller.refresh_now()  # the next poll: a fill straight after the failure would come first
    arrived.clear()
    await asyncio.wait_for(arrived.wait(), timeout=30)
    stop.set()
    await running
    assert "ListCommands" in results[2].health.stats.calls  # a poll, not a fill
