"""CloudWatch Logs on the simulator: output that grows while the plugin runs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ssmtui.model.cloudwatch import log_group, plugin_id
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from tests.conftest import client_for
from tests.wire import raw_call, shape_violations

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

LOGS_MODEL = boto3.session.Session().client("logs", region_name="eu-west-1").meta.service_model


def logs_client(endpoint: str) -> Any:
    return boto3.client(
        "logs",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        config=Config(retries={"total_max_attempts": 1}),
    )


class Streaming:
    """A four-line, 40-second script sent with CloudWatch output on, and its stream names."""

    def __init__(self, sim: BackgroundSim, clock: ManualClock) -> None:
        self.ssm: SSMClient = client_for(sim.endpoint)
        self.logs = logs_client(sim.endpoint)
        self.clock = clock
        self.instance = self.ssm.describe_instance_information()["InstanceInformationList"][0][
            "InstanceId"
        ]
        command = self.ssm.send_command(
            DocumentName="AWS-RunShellScript",
            InstanceIds=[self.instance],
            Parameters={
                "commands": ["echo one", "echo two", "echo three", "echo four", "sleep 39"]
            },
            CloudWatchOutputConfig={"CloudWatchOutputEnabled": True},
        )["Command"]
        self.command_id = command["CommandId"]
        self.group = command["CloudWatchOutputConfig"]["CloudWatchLogGroupName"]
        self.stream = f"{self.command_id}/{self.instance}/aws-runShellScript/stdout"

    def started_at(self) -> float:
        started = self.ssm.get_command_invocation(
            CommandId=self.command_id, InstanceId=self.instance
        )["ExecutionStartDateTime"]
        return datetime.fromisoformat(started.replace("Z", "+00:00")).timestamp()

    def move_to(self, seconds_after_start: float) -> None:
        target = self.started_at() + seconds_after_start
        self.clock.advance(target - self.clock.now().timestamp())

    def lines(self, **params: Any) -> list[str]:
        page = self.logs.get_log_events(
            logGroupName=self.group, logStreamName=self.stream, **params
        )
        return [event["message"] for event in page["events"]]


@pytest.fixture
def streaming(sim: BackgroundSim, clock: ManualClock) -> Streaming:
    running = Streaming(sim, clock)
    clock.advance(5)  # delivered within 3 s
    return running


def test_the_log_group_is_named_after_the_document(streaming: Streaming) -> None:
    assert streaming.group == "/aws/ssm/AWS-RunShellScript"


def test_log_lines_appear_while_the_api_still_shows_nothing(streaming: Streaming) -> None:
    streaming.move_to(12)
    assert streaming.lines() == ["one"]
    running = streaming.ssm.get_command_invocation(
        CommandId=streaming.command_id, InstanceId=streaming.instance
    )
    assert (running["Status"], running["StandardOutputContent"]) == ("InProgress", "")
    streaming.move_to(25)
    assert streaming.lines() == ["one", "two"]
    streaming.move_to(60)
    assert streaming.lines() == ["one", "two", "three", "four"]


def test_the_forward_token_returns_only_new_lines(streaming: Streaming) -> None:
    streaming.move_to(12)
    first = streaming.logs.get_log_events(
        logGroupName=streaming.group, logStreamName=streaming.stream, startFromHead=True
    )
    assert [e["message"] for e in first["events"]] == ["one"]
    token = first["nextForwardToken"]
    again = streaming.lines(nextToken=token)
    assert again == []
    streaming.move_to(35)
    assert streaming.lines(nextToken=token) == ["two", "three"]


def test_streams_that_do_not_exist_are_resource_not_found(streaming: Streaming) -> None:
    streaming.move_to(12)  # the stream exists: its first line is out
    wrong = [
        ("/aws/ssm/Other", streaming.stream),
        (streaming.group, streaming.stream.replace("stdout", "stdlog")),
        (streaming.group, f"{streaming.command_id}/i-0123456789abcdef0/aws-runShellScript/stdout"),
    ]
    for group, stream in wrong:
        with pytest.raises(ClientError) as caught:
            streaming.logs.get_log_events(logGroupName=group, logStreamName=stream)
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as caught:
        streaming.lines(nextToken="sideways")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


def test_a_stream_exists_once_something_was_written_to_it(streaming: Streaming) -> None:
    """The SSM Agent creates a stream with its first event: a step that has written nothing
    yet, or nothing to stderr, has no stream, and GetLogEvents says ResourceNotFound."""
    for stream in (streaming.stream, streaming.stream.replace("/stdout", "/stderr")):
        with pytest.raises(ClientError) as caught:
            streaming.logs.get_log_events(logGroupName=streaming.group, logStreamName=stream)
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    streaming.move_to(12)
    assert streaming.lines() == ["one"]
    with pytest.raises(ClientError):
        streaming.logs.get_log_events(
            logGroupName=streaming.group,
            logStreamName=streaming.stream.replace("/stdout", "/stderr"),
        )


def test_group_and_stream_names_replace_what_cloudwatch_cannot_hold() -> None:
    """The SSM Agent's names: a group replaces characters outside [a-zA-Z0-9_-/.#] with '.';
    a PluginId replaces ':' and '*' with '-'."""
    shared = "arn:aws:ssm:eu-west-1:123456789012:document/Team-Deploy"
    assert (
        log_group(None, shared)
        == "/aws/ssm/arn.aws.ssm.eu-west-1.123456789012.document/Team-Deploy"
    )
    assert log_group("my/group", shared) == "my/group"
    assert log_group(None, "AWS-RunShellScript") == "/aws/ssm/AWS-RunShellScript"
    assert plugin_id("aws:runShellScript") == "aws-runShellScript"
    assert plugin_id("step*1") == "step-1"


def test_log_answers_fit_the_logs_model(streaming: Streaming) -> None:
    streaming.move_to(25)
    status, body = raw_call(
        streaming.logs.meta.endpoint_url,
        "",
        {"logGroupName": streaming.group, "logStreamName": streaming.stream},
        target="Logs_20140328.GetLogEvents",
    )
    assert status == 200
    output_shape = LOGS_MODEL.operation_model("GetLogEvents").output_shape
    assert output_shape is not None
    payload = json.loads(body)
    assert shape_violations(output_shape, payload) == []
    assert [event["message"] for event in payload["events"]] == ["one", "two"]
    stamps = [event["timestamp"] for event in payload["events"]]
    assert stamps == sorted(stamps)
    assert stamps[-1] <= streaming.clock.now().timestamp() * 1000
