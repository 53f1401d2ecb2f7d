"""Over a whole scenario: only read-only calls, and nothing final is fetched twice."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ssmtui.aws.client import ALLOWED_OPERATIONS, SsmReader
from ssmtui.model.status import is_terminal
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.server import SimServer
from tests.aws_fixtures import Recorder, make_poller


async def wander(reader: SsmReader, clock: ManualClock, cycles: int) -> Recorder:
    """Poll a scenario for a while, moving the focus as an operator would."""
    recorder = Recorder(reader)
    poller = make_poller(reader, clock, linger=600)
    visited = 0
    for cycle in range(cycles):
        result = await poller.poll_once()
        assert result.health.ok, result.health.error
        if cycle % 3 == 0:
            commands = sorted(result.snapshot.commands)
            if commands:
                poller.set_focus(commands[visited % len(commands)])
                visited += 1
        elif cycle % 3 == 1 and (focused := poller.focus.command_id) in result.snapshot.invocations:
            assert focused is not None
            instances = sorted(result.snapshot.invocations[focused].by_instance)
            if instances:
                poller.set_focus(focused, instances[cycle % len(instances)])
        clock.advance(20)
    return recorder


async def test_every_call_is_read_only_and_nothing_final_is_fetched_twice(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    recorder = await wander(reader, clock, cycles=45)
    operations = Counter(name for name, _ in recorder.calls)
    assert set(operations) <= ALLOWED_OPERATIONS["ssm"]
    assert set(operations) == {"ListCommands", "ListCommandInvocations", "GetCommandInvocation"}
    assert server.calls["SendCommand"] == server.calls["CancelCommand"] == 0

    finals = Counter(
        p["CommandId"] for n, p in recorder.calls if n == "ListCommands" and "CommandId" in p
    )
    assert finals
    assert max(finals.values()) == 1, "a finished command's final state was fetched twice"

    outputs = Counter(
        (p["CommandId"], p["InstanceId"], p["PluginName"])
        for n, p in recorder.calls
        if n == "GetCommandInvocation"
    )
    assert outputs
    assert max(outputs.values()) == 1, "a finished plugin's output was fetched twice"

    final_details: set[tuple[str, str]] = set()
    final_sets: set[str] = set()
    failure_details: set[tuple[str, str, str | None]] = set()
    sweep: dict[str, list[dict[str, Any]]] = {}
    whole_with_steps: set[str] = set()
    for name, params, answer in recorder.answers:
        if name != "ListCommandInvocations":
            continue
        rows = answer["CommandInvocations"]
        command_id = params["CommandId"]
        if "InstanceId" in params:
            key = (command_id, params["InstanceId"])
            assert key not in final_details, f"details of final invocation {key} fetched again"
            if rows and is_terminal(rows[0]["Status"]):
                final_details.add(key)
            continue
        if params.get("Details") and "Filters" in params:
            # the unsuccessful ones with their steps, to group failures: once after final
            listing = (command_id, params["Filters"][0]["value"], params.get("NextToken"))
            if command_id in final_sets:
                assert listing not in failure_details, f"failures of {listing} fetched again"
                failure_details.add(listing)
            continue
        if params.get("Details"):
            whole_with_steps.add(command_id)  # a small command's finished steps, in its listing
        assert command_id not in final_sets, f"final invocations of {command_id} listed again"
        if "NextToken" not in params:
            sweep[command_id] = []
        sweep[command_id] += rows
        if "NextToken" not in answer and all(is_terminal(r["Status"]) for r in sweep[command_id]):
            final_sets.add(command_id)
    assert final_details or whole_with_steps
    assert final_sets
