"""Filters, ordering, pagination and output limits, seen by boto3 over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from ssmtui.model.output_limits import (
    CONSOLE_CUT,
    LISTED_BUDGET,
    LISTED_STDERR_CUT,
    LISTED_STDOUT_CUT,
)
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from tests.conftest import START, client_for, run_sim
from tests.fleets import fleet
from tests.wire import raw_call

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

TERMINAL = {"Success", "Failed", "TimedOut", "Cancelled"}


def every_command(ssm: SSMClient, **params: Any) -> list[dict[str, Any]]:
    pages = ssm.get_paginator("list_commands").paginate(**params)
    return [command for page in pages for command in page["Commands"]]  # type: ignore[misc]


def every_invocation(ssm: SSMClient, **params: Any) -> list[dict[str, Any]]:
    pages = ssm.get_paginator("list_command_invocations").paginate(**params)
    return [inv for page in pages for inv in page["CommandInvocations"]]  # type: ignore[misc]


def test_commands_come_newest_first_and_pages_join_without_gaps(ssm: SSMClient) -> None:
    whole = ssm.list_commands(MaxResults=50)["Commands"]
    assert "NextToken" not in ssm.list_commands(MaxResults=50)
    paged = every_command(ssm, PaginationConfig={"PageSize": 2})
    assert [c["CommandId"] for c in paged] == [c["CommandId"] for c in whole]
    times = [c["RequestedDateTime"] for c in whole]
    assert times == sorted(times, reverse=True)
    assert len({c["CommandId"] for c in whole}) == len(whole) > 10


def test_pages_stay_correct_while_new_commands_arrive(
    sim: BackgroundSim, clock: ManualClock
) -> None:
    ssm = client_for(sim.endpoint)
    before = [c["CommandId"] for c in ssm.list_commands()["Commands"]]
    first = ssm.list_commands(MaxResults=3)
    clock.advance(20 * 60)  # several new commands arrive between the two pages
    second = ssm.list_commands(MaxResults=50, NextToken=first["NextToken"])
    joined = [c["CommandId"] for c in first["Commands"] + second["Commands"]]
    assert joined == before
    assert len(ssm.list_commands()["Commands"]) > len(before)


def test_a_token_only_serves_the_query_that_made_it(ssm: SSMClient) -> None:
    token = ssm.list_commands(MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as caught:
        ssm.list_commands(
            MaxResults=1,
            NextToken=token,
            Filters=[{"key": "DocumentName", "value": "AWS-RunShellScript"}],
        )
    assert caught.value.response["Error"]["Code"] == "InvalidNextToken"
    with pytest.raises(ClientError) as caught:
        ssm.list_command_invocations(NextToken=token)
    assert caught.value.response["Error"]["Code"] == "InvalidNextToken"
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(ClientError) as caught:
        ssm.list_commands(MaxResults=1, NextToken=tampered)
    assert caught.value.response["Error"]["Code"] == "InvalidNextToken"


FLEET_130 = fleet(130, at="-1m", max_concurrency="40", duration="2m..4m", failure_rate=0.2)


@pytest.fixture
def wide(clock: ManualClock) -> Iterator[SSMClient]:
    with run_sim(FLEET_130, clock) as background:
        yield client_for(background.endpoint)


def test_invocations_paginate_across_many_pages(wide: SSMClient) -> None:
    command = wide.list_commands()["Commands"][0]
    first = wide.list_command_invocations(CommandId=command["CommandId"])
    assert len(first["CommandInvocations"]) == 50  # the default page size
    pages = list(
        wide.get_paginator("list_command_invocations").paginate(
            CommandId=command["CommandId"], PaginationConfig={"PageSize": 17}
        )
    )
    assert len(pages) == 8
    ids = [inv["InstanceId"] for page in pages for inv in page["CommandInvocations"]]
    assert len(ids) == len(set(ids)) == command["TargetCount"] == 130
    assert [inv["InstanceId"] for inv in every_invocation(wide)] == ids


def test_counts_agree_with_the_invocations_at_every_step(
    wide: SSMClient, clock: ManualClock
) -> None:
    seen = set()
    for _ in range(30):  # the ramp sends 1, then 2, 4, ... (up to 40) of the 130
        command = wide.list_commands()["Commands"][0]
        invocations = every_invocation(wide, CommandId=command["CommandId"])
        details = [inv["StatusDetails"] for inv in invocations]
        assert command["TargetCount"] == len(invocations)
        assert command["CompletedCount"] == sum(inv["Status"] in TERMINAL for inv in invocations)
        assert command["ErrorCount"] == details.count("Failed") + details.count(
            "Execution Timed Out"
        )
        assert command["DeliveryTimedOutCount"] == details.count("Delivery Timed Out")
        assert sum(inv["Status"] == "InProgress" for inv in invocations) <= 40
        seen.add(command["Status"])
        clock.advance(40)
    assert {"InProgress", "Failed"} <= seen


def test_each_command_filter_selects_what_it_names(sim: BackgroundSim, clock: ManualClock) -> None:
    clock.advance(90)
    ssm = client_for(sim.endpoint)
    everything = every_command(ssm)

    def only(key: str, value: str) -> list[str]:
        return [c["CommandId"] for c in every_command(ssm, Filters=[{"key": key, "value": value}])]

    executing = [c["CommandId"] for c in everything if c["Status"] not in TERMINAL]
    assert executing
    assert only("ExecutionStage", "Executing") == executing
    assert only("ExecutionStage", "Complete") == [
        c["CommandId"] for c in everything if c["Status"] in TERMINAL
    ]
    assert only("DocumentName", "Deploy-WebApp") == [
        c["CommandId"] for c in everything if c["DocumentName"] == "Deploy-WebApp"
    ]
    assert only("Status", "InProgress") == [
        c["CommandId"] for c in everything if c["Status"] == "InProgress"
    ]
    assert only("Status", "Failed") == [
        c["CommandId"] for c in everything if c["Status"] == "Failed"
    ]
    assert only("Status", "NoInstancesInTag") == [
        c["CommandId"] for c in everything if c["StatusDetails"] == "No Instances In Tag"
    ]
    assert only("Status", "Incomplete") == [
        c["CommandId"] for c in everything if c["StatusDetails"] == "Incomplete"
    ]
    middle = START - timedelta(minutes=20)
    stamp = middle.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert only("InvokedAfter", stamp) == [
        c["CommandId"] for c in everything if c["RequestedDateTime"] >= middle
    ]
    assert only("InvokedBefore", stamp) == [
        c["CommandId"] for c in everything if c["RequestedDateTime"] <= middle
    ]
    both = every_command(
        ssm,
        Filters=[
            {"key": "InvokedAfter", "value": stamp},
            {"key": "DocumentName", "value": "AWS-RunShellScript"},
        ],
    )
    assert [c["CommandId"] for c in both] == [
        c["CommandId"]
        for c in everything
        if c["RequestedDateTime"] >= middle and c["DocumentName"] == "AWS-RunShellScript"
    ]


def test_invocation_filters_and_instance_selection(sim: BackgroundSim) -> None:
    ssm = client_for(sim.endpoint)
    everything = every_invocation(ssm)
    assert len(everything) > 100
    for value, field, wanted in [
        ("Success", "Status", "Success"),
        ("DeliveryTimedOut", "StatusDetails", "Delivery Timed Out"),
        ("Undeliverable", "StatusDetails", "Undeliverable"),
        ("InProgress", "Status", "InProgress"),
    ]:
        chosen = every_invocation(ssm, Filters=[{"key": "Status", "value": value}])
        expected = [(i["CommandId"], i["InstanceId"]) for i in everything if i[field] == wanted]
        assert [(i["CommandId"], i["InstanceId"]) for i in chosen] == expected
        assert expected, value
    instance_id = everything[0]["InstanceId"]
    on_one = every_invocation(ssm, InstanceId=instance_id, PaginationConfig={"PageSize": 2})
    assert [i["CommandId"] for i in on_one] == [
        i["CommandId"] for i in everything if i["InstanceId"] == instance_id
    ]
    commands_on_one = every_command(ssm, InstanceId=instance_id)
    assert [c["CommandId"] for c in commands_on_one] == [i["CommandId"] for i in on_one]
    # the API reference, ListCommands, InstanceId: not with Status = Pending
    with pytest.raises(ClientError) as refused:
        ssm.list_commands(InstanceId=instance_id, Filters=[{"key": "Status", "value": "Pending"}])
    assert refused.value.response["Error"]["Code"] == "ValidationException"


LOG_DUMP = fleet(
    3, at="-5m", output="logs", failure_rate=1.0, max_errors="100%", output_s3_bucket="ops-output"
)


def test_plugin_output_is_cut_as_the_agent_cuts_it(clock: ManualClock) -> None:
    """A failing log dump writes long stdout and long stderr: Output gives each half of the
    agent's 2,400 bytes with its own mark; GetCommandInvocation cuts at 24,000 and 8,000
    bytes with ``--output truncated--`` (aws/amazon-ssm-agent, iohandler.go)."""
    with run_sim(LOG_DUMP, clock) as background:
        ssm = client_for(background.endpoint)
        dump = ssm.list_commands()["Commands"][0]
        invocations = every_invocation(ssm, CommandId=dump["CommandId"], Details=True)
        outputs = [p["Output"] for inv in invocations for p in inv["CommandPlugins"]]
        assert len(outputs) == 3
        assert all(len(output.encode()) <= LISTED_BUDGET for output in outputs)
        assert all(LISTED_STDOUT_CUT + "\n----------ERROR-------\n" in output for output in outputs)
        assert all(output.endswith(LISTED_STDERR_CUT) for output in outputs)
        full = ssm.get_command_invocation(
            CommandId=dump["CommandId"], InstanceId=invocations[0]["InstanceId"]
        )
        assert full["Status"] == "Failed"
        assert len(full["StandardOutputContent"].encode()) == 24_000
        assert full["StandardOutputContent"].endswith(CONSOLE_CUT)
        assert len(full["StandardErrorContent"].encode()) == 8000
        assert full["StandardErrorContent"].endswith(CONSOLE_CUT)
        assert full["StandardOutputUrl"].startswith("https://s3.")
        assert full["StandardOutputUrl"].endswith("/stdout")


def test_output_is_empty_until_the_plugin_finishes(sim: BackgroundSim, clock: ManualClock) -> None:
    ssm = client_for(sim.endpoint)
    target = ssm.describe_instance_information()["InstanceInformationList"][0]["InstanceId"]
    command = ssm.send_command(
        DocumentName="AWS-RunShellScript",
        InstanceIds=[target],
        Parameters={"commands": ["echo hello from the sim", "sleep 30"]},
    )["Command"]
    clock.advance(10)
    running = ssm.get_command_invocation(CommandId=command["CommandId"], InstanceId=target)
    assert running["Status"] == "InProgress"
    assert running["StandardOutputContent"] == ""
    listed = ssm.list_command_invocations(CommandId=command["CommandId"], Details=True)
    assert listed["CommandInvocations"][0]["CommandPlugins"][0]["Output"] == ""
    clock.advance(30)
    done = ssm.get_command_invocation(CommandId=command["CommandId"], InstanceId=target)
    assert done["Status"] == "Success"
    assert done["StandardOutputContent"] == "hello from the sim\n"
    assert done["ResponseCode"] == 0
    assert done["ExecutionEndDateTime"] > done["ExecutionStartDateTime"]


def test_multi_step_documents_need_a_plugin_name(sim: BackgroundSim) -> None:
    ssm = client_for(sim.endpoint)
    deploy = every_command(ssm, Filters=[{"key": "DocumentName", "value": "Deploy-WebApp"}])[-1]
    invocation = ssm.list_command_invocations(CommandId=deploy["CommandId"], Details=True)[
        "CommandInvocations"
    ][0]
    names = [p["Name"] for p in invocation["CommandPlugins"]]
    assert names == ["stopService", "download", "install", "startService", "healthCheck"]
    for plugin in (None, "aws:runShellScript"):
        params = {"PluginName": plugin} if plugin else {}
        with pytest.raises(ClientError) as caught:
            ssm.get_command_invocation(
                CommandId=deploy["CommandId"], InstanceId=invocation["InstanceId"], **params
            )
        assert caught.value.response["Error"]["Code"] == "InvalidPluginName"
    step = ssm.get_command_invocation(
        CommandId=deploy["CommandId"], InstanceId=invocation["InstanceId"], PluginName="install"
    )
    assert step["PluginName"] == "install"


def test_describe_instance_information_filters_and_pages(
    ssm: SSMClient, sim: BackgroundSim
) -> None:
    build_05 = next(i for i in sim.server.engine.instances.values() if i.name == "build-05")
    pages = ssm.get_paginator("describe_instance_information").paginate(
        PaginationConfig={"PageSize": 5}
    )
    instances = [i for page in pages for i in page["InstanceInformationList"]]
    assert len(instances) == 36
    offline = ssm.describe_instance_information(
        InstanceInformationFilterList=[{"key": "PingStatus", "valueSet": ["ConnectionLost"]}]
    )["InstanceInformationList"]
    assert [i["InstanceId"] for i in offline] == [build_05.id]
    # botocore's model: ComputerName is "the fully qualified host name", not the Name tag
    assert offline[0]["ComputerName"].startswith("ip-10-")
    assert offline[0]["ComputerName"].endswith(".ec2.internal")
    windows = ssm.describe_instance_information(
        Filters=[{"Key": "PlatformTypes", "Values": ["Windows"]}]
    )["InstanceInformationList"]
    assert len(windows) == 7
    assert {i["PlatformType"] for i in windows} == {"Windows"}


def test_timestamps_have_millisecond_precision(sim: BackgroundSim) -> None:
    status, body = raw_call(sim.endpoint, "ListCommands", {})
    assert status == 200
    for command in json.loads(body)["Commands"]:
        assert round(command["RequestedDateTime"], 3) == command["RequestedDateTime"]
