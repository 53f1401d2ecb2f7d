"""The sweep of every instance's steps, against the simulator over HTTP: a few pages a poll,
counted; a finished command read once; a running one again only when instances finished."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ssmtui.aws.client import SsmReader
from ssmtui.aws.parse import parse_command
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.types import Command
from ssmtui.poller import Poller
from ssmtui.poller.step_sweep import StepSweep
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import parse_scenario
from tests.aws_fixtures import target_for
from tests.conftest import client_for, run_sim

NODES = 120
"""Three pages of 50."""
FLEET = f"""
[scenario]
name = "sweep"
[[group]]
count = {NODES}
name = "node-{{n}}"
tags = {{ role = "node" }}
"""


@pytest.fixture
def endpoint(clock: ManualClock) -> Iterator[str]:
    with run_sim(parse_scenario(FLEET), clock) as background:
        yield background.endpoint


def send(endpoint: str, script: str) -> str:
    answer = client_for(endpoint).send_command(
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:role", "Values": ["node"]}],
        Parameters={"commands": [script]},
        MaxConcurrency="100%",
    )
    return answer["Command"]["CommandId"]


def listed(endpoint: str, command_id: str) -> Command:
    found = client_for(endpoint).list_commands(CommandId=command_id)["Commands"][0]
    return parse_command(dict(found))


async def test_a_finished_command_is_read_a_page_budget_a_poll_then_never_again(
    endpoint: str, clock: ManualClock
) -> None:
    command_id = send(endpoint, "echo hello from the fleet")
    clock.advance(900)
    command = listed(endpoint, command_id)
    assert command.terminal
    sweep = StepSweep(command_id, pages=1)
    async with SsmReader(target_for(endpoint), attempts=1) as reader:
        read = []
        for _ in range(4):
            await sweep.advance(reader, command, clock.now())
            read.append((sweep.view().read, sweep.view().calls, sweep.view().final))
        assert read == [(50, 1, False), (100, 2, False), (120, 3, True), (120, 3, True)]
        assert reader.stats.calls["ListCommandInvocations"] == 3
    plugins = [r.plugins for r in sweep.view().records.values()]
    assert all(p and "hello from the fleet" in p[0].output for p in plugins)


async def test_a_running_command_is_read_whole_again_only_once_more_instances_finished(
    endpoint: str, clock: ManualClock
) -> None:
    """Between two passes only the instances still running are read again (their steps move
    on); a finished command's last pass is the one that began after it ended."""
    command_id = send(endpoint, "sleep 60")
    clock.advance(30)
    ssm = client_for(endpoint)
    sweep = StepSweep(command_id, pages=5)
    async with SsmReader(target_for(endpoint), attempts=1) as reader:
        running = listed(endpoint, command_id)
        await sweep.advance(reader, running, clock.now())
        first = sweep.view()
        assert (first.read, first.passes, first.final) == (NODES, 1, False)
        in_progress = ssm.list_command_invocations(
            CommandId=command_id, Filters=[{"key": "Status", "value": "InProgress"}]
        )["CommandInvocations"]
        assert 0 < len(in_progress) <= 50
        await sweep.advance(reader, running, clock.now())  # nothing finished since
        assert reader.stats.calls["ListCommandInvocations"] == 3 + 1  # one page of them
        assert sweep.view().passes == 1
        clock.advance(3600)
        ended = listed(endpoint, command_id)
        assert ended.terminal, ended.status
        await sweep.advance(reader, ended, clock.now())
        assert (sweep.view().passes, sweep.view().final) == (2, True)
        assert reader.stats.calls["ListCommandInvocations"] == 4 + 3
        await sweep.advance(reader, ended, clock.now())
        assert reader.stats.calls["ListCommandInvocations"] == 7  # final: nothing more


async def test_the_poller_sweeps_the_focused_command_only_while_asked(
    endpoint: str, clock: ManualClock
) -> None:
    command_id = send(endpoint, "echo done")
    clock.advance(900)
    async with SsmReader(target_for(endpoint), attempts=1) as reader:
        poller = Poller(reader, Filters(command=command_id), interval=3600, clock=clock.now)
        poller.set_focus(command_id)
        assert (await poller.poll_once()).swept is None
        poller.set_sweep(True)
        result = await poller.poll_once()
        assert result.swept is not None
        assert result.swept.command_id == command_id
        assert result.swept.read == NODES
        assert result.health.stats.calls["ListCommandInvocations"] >= 3
        poller.set_sweep(False)
        calls = reader.stats.calls["ListCommandInvocations"]
        await poller.poll_once()
        after = reader.stats.calls["ListCommandInvocations"]
        assert after - calls <= 3  # the tracker's own listing of a finished command, no sweep


async def test_one_commands_steps_are_kept_at_a_time(endpoint: str, clock: ManualClock) -> None:
    first, second = send(endpoint, "echo one"), send(endpoint, "echo two")
    clock.advance(900)
    async with SsmReader(target_for(endpoint), attempts=1) as reader:
        poller = Poller(reader, Filters(stage=Stage.ALL), interval=3600, clock=clock.now)
        poller.set_sweep(True)
        poller.set_focus(first)
        assert (await poller.poll_once()).swept is not None
        poller.set_focus(second)
        assert (await poller.poll_once()).swept.command_id == second  # type: ignore[union-attr]
        poller.set_focus(first)
        before = reader.stats.calls["ListCommandInvocations"]
        result = await poller.poll_once()
        assert result.swept is not None
        assert result.swept.command_id == first
        swept_again = reader.stats.calls["ListCommandInvocations"] - before
        assert swept_again == 3  # its steps were let go, so read once more (3 pages)
