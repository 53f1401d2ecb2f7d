"""`ssmtui snapshot` as a user runs it, against the simulator over HTTP."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest

from ssmtui.model.time_text import short_duration
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.scenario import Scenario
from ssmtui.sim.server import SimServer
from tests.cli_runner import Run
from tests.conftest import client_for

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


@pytest.fixture
def snapshot(ssmtui: Run) -> Run:
    return partial(ssmtui, "snapshot")


@pytest.fixture
def frozen(default_scenario: Scenario, clock: ManualClock) -> Iterator[BackgroundSim]:
    with BackgroundSim(SimServer(default_scenario, clock, seed=3)) as background:
        yield background


def every_command(ssm: SSMClient) -> list[dict[str, Any]]:
    pages = ssm.get_paginator("list_commands").paginate()
    return [c for page in pages for c in page["Commands"]]  # type: ignore[misc]


def test_json_shows_what_boto3_sees(snapshot: Run, frozen: BackgroundSim) -> None:
    result = snapshot("--json", "--stage", "all", "--endpoint-url", frozen.endpoint)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    seen = every_command(client_for(frozen.endpoint))
    assert [c["CommandId"] for c in printed["Commands"]] == [c["CommandId"] for c in seen]
    for mine, theirs in zip(printed["Commands"], seen, strict=True):
        for key in (
            "Status",
            "StatusDetails",
            "TargetCount",
            "CompletedCount",
            "ErrorCount",
            "DeliveryTimedOutCount",
            "DocumentName",
            "Comment",
            "MaxConcurrency",
        ):
            assert mine[key] == theirs[key], key
        assert mine["RequestedDateTime"] == theirs["RequestedDateTime"].isoformat(
            timespec="milliseconds"
        ).replace("+00:00", "Z")
    assert printed["Region"] == "eu-west-1"


def test_the_table_lists_executing_commands_with_words_and_glyphs(
    snapshot: Run, frozen: BackgroundSim
) -> None:
    result = snapshot("--endpoint-url", frozen.endpoint)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["COMMAND", "DOCUMENT", "STATUS", "PROGRESS"]
    executing = [
        c for c in every_command(client_for(frozen.endpoint)) if c["Status"] == "InProgress"
    ]
    for command in executing:
        row = next(line for line in lines if line.startswith(command["CommandId"][:8]))
        assert "▶ InProgress" in row
        assert f"{command['CompletedCount']}/{command['TargetCount']}" in row
        assert command["Comment"] in row
    assert lines[-1].startswith(f"{len(executing)} commands: ▶ InProgress {len(executing)}")


def test_invocations_carry_plugins_and_output(snapshot: Run, frozen: BackgroundSim) -> None:
    result = snapshot(
        "--json",
        "--invocations",
        "--document",
        "Deploy-WebApp",
        "--stage",
        "complete",
        "--endpoint-url",
        frozen.endpoint,
    )
    assert result.returncode == 0, result.stderr
    command = json.loads(result.stdout)["Commands"][0]
    assert len(command["Invocations"]) == command["TargetCount"]
    plugins = command["Invocations"][0]["CommandPlugins"]
    assert [p["Name"] for p in plugins][:2] == ["stopService", "download"]
    assert all({"Status", "ResponseCode", "Output"} <= p.keys() for p in plugins)


def test_hostile_text_cannot_reach_the_terminal(snapshot: Run, frozen: BackgroundSim) -> None:
    ssm = client_for(frozen.endpoint)
    target = ssm.describe_instance_information()["InstanceInformationList"][0]["InstanceId"]
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript",
        InstanceIds=[target],
        Comment="\x1b]0;pwned\x07[bold]x[/bold] \x1b[2J",
        Parameters={"commands": ["echo \x1b[31mred\x1b[0m", "sleep 1"]},
    )["Command"]["CommandId"]
    table = snapshot("--command", command_id, "--invocations", "--endpoint-url", frozen.endpoint)
    assert table.returncode == 0, table.stderr
    assert "\x1b" not in table.stdout
    assert "\x07" not in table.stdout
    assert "[bold]x[/bold]" in table.stdout
    raw = snapshot("--json", "--command", command_id, "--endpoint-url", frozen.endpoint)
    assert "\x1b" not in raw.stdout
    assert json.loads(raw.stdout)["Commands"][0]["Comment"].startswith("\x1b]0;pwned")


@pytest.mark.parametrize(
    ("fault", "sentence"),
    [
        (Fault("denied"), "access denied to ssm:ListCommands: the identity needs that permission"),
        (Fault("throttle"), "AWS kept throttling ListCommands after retries"),
        (Fault("expired"), "the AWS credentials have expired"),
        (Fault("malformed"), "ListCommands answered without Commands"),
    ],
)
def test_aws_failures_are_one_sentence_and_exit_1(
    snapshot: Run, frozen: BackgroundSim, fault: Fault, sentence: str
) -> None:
    frozen.server.inject(fault)
    result = snapshot("--endpoint-url", frozen.endpoint)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().startswith(f"ssmtui snapshot: {sentence}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_endpoint(snapshot: Run, frozen: BackgroundSim) -> None:
    result = snapshot("--endpoint-url", "http://127.0.0.1:9")
    assert result.returncode == 1
    assert "cannot reach http://127.0.0.1:9" in result.stderr


def test_configuration_problems(snapshot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    no_profile = snapshot("--profile", "nope", "--region", "eu-west-1")
    assert (no_profile.returncode, no_profile.stderr.strip()) == (
        1,
        "ssmtui snapshot: the AWS profile 'nope' is not in your AWS config; "
        "check --profile or AWS_PROFILE",
    )
    no_region = snapshot()
    assert no_region.returncode == 1
    assert "no AWS region is set" in no_region.stderr
    no_credentials = snapshot("--region", "eu-west-1")
    assert no_credentials.returncode == 1
    assert "no AWS credentials were found" in no_credentials.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "Sleeping"], "argument --status: expected one of Pending"),
        (["--since", "yesterday"], "argument --since: expected a time such as 2h"),
        (["--region", "Mars"], "argument --region: expected AWS region names"),
        (["--endpoint-url", "localhost"], "argument --endpoint-url: expected a URL"),
        (["--instance", "web-01"], "argument --instance: expected an instance id"),
        (["--command", "abc"], "argument --command: expected a command id"),
        (["--stage", "running"], "argument --stage: invalid choice: 'running'"),
        (["--status", "Failed"], "--status Failed only matches finished commands; add --stage"),
        (["--status", "Pending", "--stage", "complete"], "--status Pending only matches executing"),
        (["--since", "1h", "--until", "2h"], "--since must be earlier than --until"),
    ],
)
def test_bad_arguments_exit_2_naming_the_flag(snapshot: Run, args: list[str], message: str) -> None:
    result = snapshot(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_failures_are_grouped_as_boto3_lists_them(snapshot: Run, frozen: BackgroundSim) -> None:
    """``--failures``: each command's unsuccessful instances, grouped, every one counted once."""
    result = snapshot("--json", "--failures", "--stage", "all", "--endpoint-url", frozen.endpoint)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)["Commands"]
    ssm = client_for(frozen.endpoint)
    grouped = 0
    for command in printed:
        pages = ssm.get_paginator("list_command_invocations").paginate(
            CommandId=command["CommandId"]
        )
        unsuccessful = {
            i["InstanceId"]
            for page in pages
            for i in page["CommandInvocations"]
            if i["Status"] in ("Failed", "TimedOut", "Cancelled")
        }
        named = [i for group in command["Failures"] for i in group["InstanceIds"]]
        assert sorted(named) == sorted(unsuccessful), command["Comment"]
        counts = [group["Count"] for group in command["Failures"]]
        assert counts == sorted(counts, reverse=True)
        grouped += len(named)
    assert grouped > 0  # the default fleet has failures to group

    both = snapshot(
        "--json", "--failures", "--invocations", "--stage", "all", "--endpoint-url", frozen.endpoint
    )
    assert both.returncode == 0, both.stderr
    # grouped from the invocations listed for --invocations, the same groups
    assert [c["Failures"] for c in json.loads(both.stdout)["Commands"]] == [
        c["Failures"] for c in printed
    ]

    table = snapshot("--failures", "--stage", "all", "--endpoint-url", frozen.endpoint)
    assert table.returncode == 0, table.stderr
    assert any(line.split()[:3] == ["COUNT", "STEP", "RC"] for line in table.stdout.splitlines())


REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture
def two_regions(default_scenario: Scenario, clock: ManualClock) -> Iterator[BackgroundSim]:
    server = SimServer(default_scenario, clock, seed=3, regions=REGIONS)
    with BackgroundSim(server) as background:
        yield background


def test_several_regions_are_one_report_with_each_commands_source(
    snapshot: Run, two_regions: BackgroundSim
) -> None:
    where = ["--region", ",".join(REGIONS), "--endpoint-url", two_regions.endpoint]
    printed = json.loads(snapshot("--json", "--stage", "all", *where).stdout)
    assert [s["Region"] for s in printed["Sources"]] == list(REGIONS)
    assert all(s["Account"] for s in printed["Sources"])
    worlds = two_regions.server.worlds
    for region in REGIONS:
        mine = {c["CommandId"] for c in printed["Commands"] if c["Source"]["Region"] == region}
        assert mine == set(worlds[region].engine.commands)
    table = snapshot("--stage", "all", *where)
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:3] == ["COMMAND", "ACCOUNT", "REGION"]
    assert {row.split()[2] for row in rows[:-1]} == set(REGIONS)


def test_a_region_that_fails_fails_the_report_and_is_named(
    snapshot: Run, two_regions: BackgroundSim
) -> None:
    two_regions.server.inject(Fault("error", status=503, region="eu-west-1"))
    where = ["--region", ",".join(REGIONS), "--endpoint-url", two_regions.endpoint]
    result = snapshot(*where)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("ssmtui snapshot: ")
    assert " eu-west-1: " in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_invocations_end_with_each_steps_spread_as_boto3_lists_the_times(
    snapshot: Run, frozen: BackgroundSim
) -> None:
    ssm = client_for(frozen.endpoint)
    finished = next(c for c in every_command(ssm) if c["Status"] == "Success")
    command_id = finished["CommandId"]
    listed = ssm.list_command_invocations(CommandId=command_id, Details=True)
    seconds = sorted(
        (p["ResponseFinishDateTime"] - p["ResponseStartDateTime"]).total_seconds()
        for i in listed["CommandInvocations"]
        for p in i["CommandPlugins"]
    )
    median = seconds[math.ceil(len(seconds) / 2) - 1]
    result = snapshot("--invocations", "--command", command_id, "--endpoint-url", frozen.endpoint)
    assert result.returncode == 0, result.stderr
    spread = next(line for line in result.stdout.splitlines() if "finished it" in line)
    assert f"on the {len(seconds)} instances that finished it" in spread
    assert f"median {short_duration(timedelta(seconds=median))}" in spread
    printed = snapshot(
        "--invocations", "--json", "--command", command_id, "--endpoint-url", frozen.endpoint
    )
    [durations] = json.loads(printed.stdout)["Commands"][0]["StepDurations"]
    assert durations["Finished"] == len(seconds)
    assert durations["MedianSeconds"] == median
    assert durations["P95Seconds"] == seconds[math.ceil(len(seconds) * 0.95) - 1]
    assert (durations["FastestSeconds"], durations["SlowestSeconds"]) == (seconds[0], seconds[-1])
