"""The poller against the simulator, over HTTP, through the real aiobotocore stack."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from ssmtui.aws.client import AwsTarget, ReadOnlyViolation, SsmReader
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.status import is_terminal
from ssmtui.poller import PollResult, next_start
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.server import SimServer
from tests.aws_fixtures import Recorder, make_poller, target_for
from tests.conftest import START
from tests.fleets import fleet


def executing_in(server: SimServer) -> set[str]:
    return {cid for cid, c in server.engine.commands.items() if not is_terminal(c.status)}


async def test_the_first_cycle_sees_every_executing_command(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    result = await make_poller(reader, clock).poll_once()
    assert result.health.ok
    assert set(result.snapshot.commands) == executing_in(server)
    assert set(result.delta.added) == {(cid,) for cid in executing_in(server)}
    for command in result.snapshot.commands.values():
        books = server.engine.commands[command.command_id]
        assert (command.target_count, command.completed_count, command.error_count) == (
            books.target_count,
            books.completed_count,
            books.error_count,
        )
    assert result.health.stats.calls == Counter({"ListCommands": 1})
    assert result.health.total_calls == 1
    assert result.health.mean_latency_ms == 1000 * result.health.stats.seconds > 0
    assert result.data_age(START + timedelta(seconds=7)) == timedelta(seconds=7)


MANY = fleet(20, at="-10m", count=120, spread="5m", targets="random:3", duration="1h..2h")


async def test_pages_beyond_the_first_are_followed(clock: ManualClock) -> None:
    async with (
        SimServer(MANY, clock) as server,
        SsmReader(target_for(server.endpoint)) as reader,
    ):
        result = await make_poller(reader, clock).poll_once()
    assert len(result.snapshot.commands) == 120
    assert result.health.stats.calls["ListCommands"] == 3


async def test_a_command_finishing_between_cycles_is_fetched_once_then_lingers(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock, linger=120)
    recorder = Recorder(reader)
    first = await poller.poll_once()
    vacuum = next(c for c in first.snapshot.commands.values() if "vacuum" in c.comment)
    clock.advance(150)  # its execution timeout strikes
    second = await poller.poll_once()
    assert (vacuum.command_id,) in second.delta.finished
    final = second.snapshot.commands[vacuum.command_id]
    assert (final.status, final.status_details) == ("TimedOut", "Execution Timed Out")
    by_id = [params for name, params in recorder.calls if "CommandId" in params]
    assert by_id.count({"CommandId": vacuum.command_id}) == 1
    clock.advance(60)
    third = await poller.poll_once()
    assert third.snapshot.commands[vacuum.command_id] is final  # lingering, not fetched again
    clock.advance(61)
    fourth = await poller.poll_once()
    assert vacuum.command_id not in fourth.snapshot.commands
    assert (vacuum.command_id,) in fourth.delta.removed
    assert [p for n, p in recorder.calls if p.get("CommandId") == vacuum.command_id] == [
        {"CommandId": vacuum.command_id}
    ]


async def test_focus_brings_invocations_then_plugins_and_outputs(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock)
    snapshot = (await poller.poll_once()).snapshot
    assert snapshot.invocations == {}
    patching = next(
        c for c in snapshot.commands.values() if c.document_name == "AWS-RunPatchBaseline"
    )
    poller.set_focus(patching.command_id)
    result = await poller.poll_once()
    invocations = result.snapshot.invocations[patching.command_id]
    assert invocations.complete
    assert len(invocations.by_instance) == patching.target_count
    # steps only where they are needed: of the finished ones (their response code, and the
    # failure groups), which a command this small lists with Details once they finished
    assert any(i.terminal for i in invocations.by_instance.values())
    assert all((i.plugins is not None) == i.terminal for i in invocations.by_instance.values())
    done = next(i for i in invocations.by_instance.values() if i.status == "Success")
    poller.set_focus(patching.command_id, done.instance_id)
    result = await poller.poll_once()
    detailed = result.snapshot.invocations[patching.command_id].by_instance[done.instance_id]
    assert detailed.plugins is not None
    assert [p.name for p in detailed.plugins] == ["PatchWindows", "PatchLinux", "PatchMacOS"]
    linux = detailed.plugins[1]
    assert linux.stdout is not None
    assert len(linux.output) <= 2500 < len(linux.stdout)
    assert result.health.stats.calls["GetCommandInvocation"] == 3
    clock.advance(5)
    again = await poller.poll_once()
    assert again.health.stats.calls["GetCommandInvocation"] == 0
    kept = again.snapshot.invocations[patching.command_id].by_instance[done.instance_id]
    assert kept is detailed


async def test_unknown_status_values_are_shown_not_fatal(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    some_id = next(iter(executing_in(server)))
    server.engine.commands[some_id].status = "Paused"
    result = await make_poller(reader, clock).poll_once()
    assert result.health.ok
    paused = result.snapshot.commands[some_id]
    assert paused.status == "Paused"
    assert not paused.status.is_known
    assert not paused.terminal


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault("throttle", count=2), ErrorKind.THROTTLED),
        (Fault("error", count=2), ErrorKind.SERVER),
        (Fault("malformed", count=1), ErrorKind.MALFORMED),
        (Fault("expired", count=1), ErrorKind.CREDENTIALS),
        (Fault("drop", count=2), ErrorKind.UNREACHABLE),
    ],
)
async def test_a_failed_cycle_keeps_the_last_good_snapshot_and_recovers(
    server: SimServer, reader: SsmReader, clock: ManualClock, fault: Fault, kind: ErrorKind
) -> None:
    poller = make_poller(reader, clock)
    good = await poller.poll_once()
    clock.advance(5)
    server.inject(fault)
    failed = await poller.poll_once()
    assert failed.health.error is not None
    assert failed.health.error.kind is kind
    assert failed.snapshot is good.snapshot
    assert failed.last_good == good.last_good == START
    assert failed.delta.empty
    clock.advance(5)
    recovered = await poller.poll_once()
    assert recovered.health.ok
    assert recovered.last_good == START + timedelta(seconds=10)


async def test_a_failing_invocation_listing_keeps_its_instances_and_the_rest_updates(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock)
    first = await poller.poll_once()
    command_id = next(iter(first.snapshot.commands))
    poller.set_focus(command_id)
    focused = await poller.poll_once()
    server.inject(Fault("error", count=2, operation="ListCommandInvocations"))
    clock.advance(150)  # commands move on meanwhile
    failed = await poller.poll_once()
    assert failed.health.ok
    refusal = failed.health.refusal("ListCommandInvocations")
    assert refusal is not None
    assert not refusal.denied
    assert failed.snapshot.invocations[command_id] is focused.snapshot.invocations[command_id]
    assert failed.snapshot.commands != focused.snapshot.commands
    assert failed.last_good == clock.now()


async def test_a_denied_output_call_leaves_the_steps_and_everything_else_updating(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    """Only ssm:GetCommandInvocation denied: the commands, the instances and the steps (with
    their 2,500 characters) are shown, and the health says which permission is missing."""
    poller = make_poller(reader, clock)
    snapshot = (await poller.poll_once()).snapshot
    patching = next(
        c for c in snapshot.commands.values() if c.document_name == "AWS-RunPatchBaseline"
    )
    poller.set_focus(patching.command_id)
    listed = (await poller.poll_once()).snapshot.invocations[patching.command_id]
    done = next(i for i in listed.by_instance.values() if i.status == "Success")
    server.inject(Fault("denied", operation="GetCommandInvocation"))
    poller.set_focus(patching.command_id, done.instance_id)
    result = await poller.poll_once()
    assert result.health.ok
    refusal = result.health.refusal("GetCommandInvocation")
    assert refusal is not None
    assert refusal.denied
    assert "ssm:GetCommandInvocation" in refusal.reason
    detailed = result.snapshot.invocations[patching.command_id].by_instance[done.instance_id]
    assert detailed.plugins is not None
    assert all(p.stdout is None for p in detailed.plugins)
    assert any(p.output for p in detailed.plugins)
    server.faults.clear()
    clock.advance(5)
    granted = await poller.poll_once()
    assert granted.health.failed == {}
    fetched = granted.snapshot.invocations[patching.command_id].by_instance[done.instance_id]
    assert fetched.plugins is not None
    assert all(p.stdout is not None for p in fetched.plugins if p.has_run)


async def test_a_dead_endpoint_is_an_error_not_a_crash(clock: ManualClock) -> None:
    async with SimServer(MANY, clock) as server:
        endpoint = server.endpoint
    async with SsmReader(target_for(endpoint), attempts=1, connect_timeout=1) as reader:
        result = await make_poller(reader, clock).poll_once()
    assert result.health.error is not None
    assert result.health.error.kind is ErrorKind.UNREACHABLE
    assert "cannot reach" in result.health.error.message
    assert result.last_good is None


async def test_the_reader_refuses_every_mutation_before_the_network(
    server: SimServer, reader: SsmReader
) -> None:
    with pytest.raises(ReadOnlyViolation):
        await reader.call("SendCommand", DocumentName="AWS-RunShellScript", InstanceIds=["i-1"])
    with pytest.raises(ReadOnlyViolation):
        await reader.client.send_command(DocumentName="AWS-RunShellScript", InstanceIds=["i-1"])
    with pytest.raises(ReadOnlyViolation):
        await reader.client.cancel_command(CommandId="0" * 36)
    assert server.calls["SendCommand"] == server.calls["CancelCommand"] == 0


async def test_run_never_overlaps_wakes_on_refresh_and_stops(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock, interval=3600)
    results: list[PollResult] = []
    cycle_seen = asyncio.Event()

    def listener(result: PollResult) -> None:
        results.append(result)
        cycle_seen.set()

    poller.subscribe(listener)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    await asyncio.wait_for(cycle_seen.wait(), 10)
    cycle_seen.clear()
    poller.refresh_now()  # an hour-long interval, yet a second cycle comes at once
    await asyncio.wait_for(cycle_seen.wait(), 10)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert len(results) == 2
    assert results[0].health.finished <= results[1].health.started


def expected(server: SimServer, wanted: object) -> set[str]:
    return {cid for cid, c in server.engine.commands.items() if wanted(c)}  # type: ignore[operator]


@pytest.mark.parametrize(
    ("filters", "wanted"),
    [
        (
            Filters(document="AWS-RunPatchBaseline"),
            lambda c: c.document.name == "AWS-RunPatchBaseline" and not is_terminal(c.status),
        ),
        (Filters(stage=Stage.COMPLETE), lambda c: is_terminal(c.status)),
        (Filters(stage=Stage.ALL), lambda _: True),
        (Filters(stage=Stage.ALL, status="Failed"), lambda c: c.status == "Failed"),
        (
            Filters(stage=Stage.ALL, status="NoInstancesInTag"),
            lambda c: c.details == "No Instances In Tag",
        ),
        (
            Filters(stage=Stage.ALL, since=START - timedelta(minutes=10)),
            lambda c: c.requested >= (START - timedelta(minutes=10)).timestamp(),
        ),
        (
            Filters(stage=Stage.ALL, until=START - timedelta(minutes=10)),
            lambda c: c.requested <= (START - timedelta(minutes=10)).timestamp(),
        ),
    ],
)
async def test_each_filter_selects_what_it_names(
    server: SimServer, reader: SsmReader, clock: ManualClock, filters: Filters, wanted: object
) -> None:
    result = await make_poller(reader, clock, filters=filters).poll_once()
    assert result.health.ok
    chosen = expected(server, wanted)
    assert chosen
    assert set(result.snapshot.commands) == chosen


async def test_instance_and_command_filters(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    db = next(i for i in server.engine.instances.values() if i.name == "db-01")
    by_instance = await make_poller(
        reader, clock, filters=Filters(stage=Stage.ALL, instance=db.id)
    ).poll_once()
    assert set(by_instance.snapshot.commands) == expected(server, lambda c: db.id in c.invocations)
    some_id = next(iter(executing_in(server)))
    one = await make_poller(reader, clock, filters=Filters(command=some_id)).poll_once()
    assert set(one.snapshot.commands) == {some_id}


async def test_complete_history_is_fetched_once_then_only_what_is_new(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock, filters=Filters(stage=Stage.COMPLETE))
    recorder = Recorder(reader)
    first = await poller.poll_once()
    for _ in range(10):
        clock.advance(60)
        result = await poller.poll_once()
    assert set(result.snapshot.commands) == expected(server, lambda c: is_terminal(c.status))
    assert len(result.snapshot.commands) > len(first.snapshot.commands)
    complete_calls = [
        p
        for n, p in recorder.calls
        if n == "ListCommands" and any(f["value"] == "Complete" for f in p.get("Filters", []))
    ]
    assert all(any(f["key"] == "InvokedAfter" for f in p["Filters"]) for p in complete_calls[1:])


async def test_a_bad_region_or_profile_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(AwsError, match="the AWS profile 'nope' is not in your AWS config"):
        async with SsmReader(AwsTarget(profile="nope", region="eu-west-1")):
            pass
    with pytest.raises(AwsError, match="no AWS region is set"):
        async with SsmReader(AwsTarget()):
            pass


async def test_a_bug_in_a_cycle_is_reported_and_the_next_cycle_runs(
    server: SimServer, reader: SsmReader, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    poller = make_poller(reader, clock)
    good = await poller.poll_once()
    real_pages = reader.pages

    async def broken_once(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(reader, "pages", real_pages)
        raise RuntimeError("a bug")

    monkeypatch.setattr(reader, "pages", broken_once)
    failed = await poller.poll_once()
    assert failed.health.error is not None
    assert failed.health.error.message == "the poll failed unexpectedly: RuntimeError"
    assert failed.snapshot is good.snapshot
    assert (await poller.poll_once()).health.ok


FLEET = fleet(
    6_000,
    at="-6m",  # the ramp takes some 10 doublings of 20 to 40 s to reach 1,000 running
    max_concurrency="1000",
    max_errors="100%",
    duration="20s..40s",
    failure_rate=0.02,
)


def truth(server: SimServer, command_id: str) -> dict[str, tuple[str, str]]:
    books = server.engine.commands[command_id]
    return {iid: (i.status, i.details) for iid, i in books.invocations.items()}


async def test_a_fleet_sized_command_is_exact_every_cycle_for_calls_that_follow_what_moves(
    clock: ManualClock,
) -> None:
    """6,000 instances (the 20,000 of the benchmarks take three times as long, for the same
    proof): after one sweep, each cycle every instance shows the simulator's state (its clock
    stands still during a cycle), for about ceil(active / 50) calls plus a few, never for the
    120 pages of a sweep; and once it has finished, for none."""
    async with (
        SimServer(FLEET, clock) as server,
        SsmReader(target_for(server.endpoint)) as reader,
    ):
        recorder = Recorder(reader)
        poller = make_poller(reader, clock, linger=3600)
        command_id = next(iter((await poller.poll_once()).snapshot.commands))
        poller.set_focus(command_id)
        first = await poller.poll_once()
        assert len(first.snapshot.invocations[command_id].by_instance) == 50
        while poller.plan.unfinished:
            await poller.poll_once(fill=True)
        for _ in range(4):
            clock.advance(5)
            before = len(recorder.calls)
            result = await poller.poll_once()
            shown = result.snapshot.invocations[command_id].by_instance
            assert {i: (v.status, v.status_details) for i, v in shown.items()} == truth(
                server, command_id
            )
            active = sum(1 for s, _ in truth(server, command_id).values() if s == "InProgress")
            listed = [p for n, p in recorder.calls[before:] if n == "ListCommandInvocations"]
            # the new failures' steps (to group them): a few calls, apart from the tracking
            detailed = sum(1 for params in listed if params.get("Details"))
            calls = len(listed) - detailed
            assert active > 500
            assert calls <= -(-active // 50) + 10, (active, calls)
            assert detailed <= 4, detailed
        clock.advance(900)  # everything has finished
        result = await poller.poll_once()
        assert result.snapshot.commands[command_id].terminal
        shown = result.snapshot.invocations[command_id].by_instance
        assert {i: (v.status, v.status_details) for i, v in shown.items()} == truth(
            server, command_id
        )
        before = recorder.count("ListCommandInvocations")
        clock.advance(30)
        await poller.poll_once()
        assert recorder.count("ListCommandInvocations") == before


ALARMED = fleet(3, at="-1m", alarm="cpu-high", duration="10m..20m")


async def test_a_commands_alarm_configuration_reaches_the_snapshot(clock: ManualClock) -> None:
    async with (
        SimServer(ALARMED, clock) as server,
        SsmReader(target_for(server.endpoint)) as reader,
    ):
        result = await make_poller(reader, clock).poll_once()
    (command,) = result.snapshot.commands.values()
    assert command.alarms == ("cpu-high",)
    assert command.triggered_alarms == ()


async def test_an_instance_aws_will_not_name_yet_is_no_failure(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock)
    command_id = next(iter((await poller.poll_once()).snapshot.commands))
    poller.set_focus(command_id)
    listed = await poller.poll_once()
    by_instance = listed.snapshot.invocations[command_id].by_instance
    instance_id = next(i for i, invocation in by_instance.items() if not invocation.terminal)
    poller.set_focus(command_id, instance_id)
    server.inject(
        Fault(
            "reject", code="InvalidInstanceId", operation="ListCommandInvocations", after=1, count=1
        )
    )
    result = await poller.poll_once()
    assert result.health.ok
    assert result.snapshot.invocations[command_id].by_instance[instance_id].plugins is None
    again = await poller.poll_once()
    assert again.snapshot.invocations[command_id].by_instance[instance_id].plugins is not None


async def test_the_focused_command_outlives_its_linger(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock, linger=60)
    first = await poller.poll_once()
    vacuum = next(c for c in first.snapshot.commands.values() if "vacuum" in c.comment)
    poller.set_focus(vacuum.command_id)
    clock.advance(150)  # it times out
    await poller.poll_once()
    clock.advance(600)  # far beyond the linger
    kept = await poller.poll_once()
    assert kept.snapshot.commands[vacuum.command_id].status == "TimedOut"
    poller.set_focus(None)
    dropped = await poller.poll_once()
    assert vacuum.command_id not in dropped.snapshot.commands


async def test_paused_polls_only_when_asked_and_a_new_interval_applies_at_once(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock, interval=3600)
    cycles: asyncio.Queue[PollResult] = asyncio.Queue()
    poller.subscribe(cycles.put_nowait)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    await asyncio.wait_for(cycles.get(), 10)  # the first cycle comes at once
    poller.set_paused(True)
    poller.set_interval(0.01)  # would poll a hundred times a second, were it not paused
    poller.refresh_now()
    await asyncio.wait_for(cycles.get(), 10)  # a refresh polls even while paused
    poller.set_paused(False)
    await asyncio.wait_for(cycles.get(), 10)  # resumed: the short interval applies at once
    stop.set()
    await asyncio.wait_for(task, 10)
    assert not poller.busy


async def test_every_request_the_endpoint_received_is_counted_and_retries_are_the_rest(
    server: SimServer, clock: ManualClock
) -> None:
    async with SsmReader(target_for(server.endpoint), attempts=3) as reader:
        server.inject(Fault("throttle", count=2))
        before = sum(server.calls.values())
        result = await make_poller(reader, clock).poll_once()
    received = sum(server.calls.values()) - before
    assert result.health.ok
    assert result.health.stats.requests == received
    assert result.health.stats.retries == 2 == received - result.health.total_calls
    assert result.health.stats.throttled == 2  # and reported as throttling


@pytest.mark.parametrize(
    ("started", "ended", "due"),
    [
        (100.0, 100.2, 105.0),  # a quick cycle: one interval after it started
        (100.0, 104.0, 105.0),  # four seconds of retries do not push the next one back
        (100.0, 104.8, 105.3),  # ...but the next never starts right on the heels of the last
        (100.0, 112.0, 112.5),  # a cycle slower than the interval: the least gap after it
    ],
)
def test_cycles_start_an_interval_apart_not_an_interval_after_the_last_ended(
    started: float, ended: float, due: float
) -> None:
    assert next_start(started, ended, 5.0) == pytest.approx(due)
