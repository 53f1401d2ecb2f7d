"""The AWS CLI, a client we did not write, lists, filters and pages against the simulator.

It runs as its own program (``python -m awscli``), as an operator would type it, over HTTP to
the simulator in this process; what it prints is compared with what boto3 gets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from ssmtui.sim.background import BackgroundSim
from tests.sim.test_filters_pages_and_limits import every_command, every_invocation

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


def aws(sim: BackgroundSim, *args: str) -> dict[str, Any]:
    """``aws ssm ARGS --output json`` against the simulator, parsed."""
    command = [sys.executable, "-m", "awscli", "ssm", *args]
    command += ["--endpoint-url", sim.endpoint, "--region", "eu-west-1", "--output", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def test_the_cli_joins_filtered_pages_of_commands(sim: BackgroundSim, ssm: SSMClient) -> None:
    executing = "key=ExecutionStage,value=Executing"
    listed = aws(sim, "list-commands", "--filters", executing, "--page-size", "2")["Commands"]
    expected = every_command(ssm, Filters=[{"key": "ExecutionStage", "value": "Executing"}])
    assert len(expected) > 2  # so the CLI had to follow NextToken
    assert [c["CommandId"] for c in listed] == [c["CommandId"] for c in expected]


def test_the_cli_filters_invocations_by_status_with_details(
    sim: BackgroundSim, ssm: SSMClient
) -> None:
    command_id = max(every_command(ssm), key=lambda c: c["TargetCount"])["CommandId"]
    args = ("--command-id", command_id, "--filters", "key=Status,value=Success", "--details")
    listed = aws(sim, "list-command-invocations", *args, "--page-size", "3")["CommandInvocations"]
    expected = every_invocation(
        ssm, CommandId=command_id, Filters=[{"key": "Status", "value": "Success"}], Details=True
    )
    assert len(expected) > 3
    assert {i["Status"] for i in listed} == {"Success"}
    assert [i["InstanceId"] for i in listed] == [i["InstanceId"] for i in expected]
    assert all(i["CommandPlugins"] for i in listed)


def test_the_cli_resumes_from_its_own_token(sim: BackgroundSim, ssm: SSMClient) -> None:
    first = aws(sim, "list-commands", "--max-items", "3")
    rest = aws(sim, "list-commands", "--starting-token", first["NextToken"])
    ids = [c["CommandId"] for c in first["Commands"] + rest["Commands"]]
    assert ids == [c["CommandId"] for c in every_command(ssm)]
