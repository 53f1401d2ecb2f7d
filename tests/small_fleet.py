"""A small fleet (six nodes, one offline, two Windows) on the simulator, with helpers that read
like the tests' sentences: send a script to some nodes, read a command back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import parse_scenario
from ssmtui.sim.server import SimServer
from tests.conftest import client_for, run_sim

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

SMALL_FLEET = """
[scenario]
name = "small"
[[group]]
count = 6
name = "node-{n}"
tags = { role = "node" }
[[instance]]
name = "offline-1"
ping = "ConnectionLost"
[[instance]]
name = "gone-1"
platform = "Windows"
ping = "Inactive"
[[instance]]
name = "win-1"
platform = "Windows"
"""


class Fleet:
    """The small fleet's simulator with a few helpers that read like the tests' sentences."""

    def __init__(self, endpoint: str, clock: ManualClock, server: SimServer) -> None:
        self.endpoint = endpoint
        self.server = server
        engine = server.engine
        self.ssm: SSMClient = client_for(endpoint)
        self.clock = clock
        # by Name tag, which no SSM answer carries (InstanceName is the host name)
        self.names = {instance.id: instance.name for instance in engine.instances.values()}
        self.ids = {name: instance_id for instance_id, name in self.names.items()}

    def send(self, names: list[str], commands: list[str], **extra: Any) -> str:
        command = self.ssm.send_command(
            DocumentName=extra.pop("DocumentName", "AWS-RunShellScript"),
            InstanceIds=[self.ids[name] for name in names],
            Parameters={"commands": commands, **extra.pop("Parameters", {})},
            **extra,
        )["Command"]
        return command["CommandId"]

    def command(self, command_id: str) -> dict[str, Any]:
        return self.ssm.list_commands(CommandId=command_id)["Commands"][0]  # type: ignore[return-value]

    def invocations(self, command_id: str) -> dict[str, dict[str, Any]]:
        listed = self.ssm.list_command_invocations(CommandId=command_id, Details=True)
        return {self.names[i["InstanceId"]]: i for i in listed["CommandInvocations"]}  # type: ignore[misc]

    def statuses(self, command_id: str) -> dict[str, str]:
        return {name: i["Status"] for name, i in self.invocations(command_id).items()}


@pytest.fixture
def fleet(clock: ManualClock) -> Iterator[Fleet]:
    with run_sim(parse_scenario(SMALL_FLEET), clock) as background:
        yield Fleet(background.endpoint, clock, background.server)
