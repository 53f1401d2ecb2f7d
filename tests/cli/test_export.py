"""`ssmtui export` as a user runs it, against the simulator over HTTP: the files, what --only
narrows, a resumed export, S3, and text that would drive a terminal."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from ssmtui.model.export_plan import Only, OnlyError, chosen, parse_only, safe_name, step_file
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from tests.cli_runner import Run
from tests.conftest import client_for
from tests.small_fleet import Fleet

NODES = [f"node-{n}" for n in range(1, 7)]
STEP = "aws:runShellScript"
FAST = ("--rate", "100")
"""The simulator takes any rate; the default's pace would only make the tests wait."""


@pytest.fixture
def export(ssmtui: Run, fleet: Fleet, tmp_path: Path) -> Run:
    out = str(tmp_path / "out")
    return partial(ssmtui, "export", "--endpoint-url", fleet.endpoint, "--out", out, *FAST)


def half_failed(fleet: Fleet) -> str:
    """Every node fails with 3, but node-6, cancelled before it ran (Terminated): two groups."""
    command_id = fleet.ssm.send_command(
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:role", "Values": ["node"]}],
        Parameters={"commands": ["echo hello from the fleet", "exit 3"]},
        MaxErrors="100%",
    )["Command"]["CommandId"]
    fleet.ssm.cancel_command(CommandId=command_id, InstanceIds=[fleet.ids["node-6"]])
    fleet.clock.advance(900)
    return command_id


def test_every_step_is_written_with_a_summary_and_the_failure_groups(
    export: Run, fleet: Fleet, tmp_path: Path
) -> None:
    command_id = half_failed(fleet)
    result = export(command_id[:8])
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    ran = [fleet.ids[name] for name in NODES[:5]]
    for instance_id in ran:
        stdout = out / step_file(instance_id, STEP, "stdout")
        assert stdout.read_text() == "hello from the fleet\n"
        assert (out / step_file(instance_id, STEP, "stderr")).is_file()
        assert stat.S_IMODE(stdout.stat().st_mode) == 0o600
        assert stat.S_IMODE(stdout.parent.stat().st_mode) == 0o700
    assert not (out / safe_name(fleet.ids["node-6"])).exists()  # cancelled before it ran
    assert result.stderr == (f"ssmtui export: 5 step(s) written to {out}; 1 never ran\n")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["Command"]["CommandId"] == command_id
    assert len(summary["Invocations"]) == 6
    assert all(i["CommandPlugins"] for i in summary["Invocations"])
    assert summary["Export"]["Written"] == 5
    failed, cancelled = summary["Failures"]
    assert (failed["Count"], failed["ResponseCode"]) == (5, 3)
    assert cancelled["InstanceIds"] == [fleet.ids["node-6"]]
    failures = (out / "failures.txt").read_text()
    assert "#1  5 instance(s) · step aws:runShellScript · rc 3 · Failed" in failures
    assert f"    {fleet.ids['node-6']}" in failures


def test_a_second_run_resumes_and_fetches_only_what_is_missing(
    export: Run, fleet: Fleet, tmp_path: Path
) -> None:
    command_id = half_failed(fleet)
    assert export(command_id).returncode == 0
    calls = fleet.server.calls
    before = calls["GetCommandInvocation"]
    again = export(command_id)
    assert again.stderr.endswith(
        f"0 step(s) written to {tmp_path / 'out'}; 5 already there; 1 never ran\n"
    )
    assert calls["GetCommandInvocation"] == before
    (tmp_path / "out" / step_file(fleet.ids["node-2"], STEP, "stdout")).unlink()
    assert "1 step(s) written" in export(command_id).stderr
    assert calls["GetCommandInvocation"] == before + 1


def test_steps_still_running_are_left_for_the_next_run(
    export: Run, fleet: Fleet, tmp_path: Path
) -> None:
    command_id = fleet.send(NODES[:2], ["sleep 300"], MaxConcurrency="1")
    fleet.clock.advance(320)  # node-1 done, node-2 running
    first = export(command_id)
    assert first.stderr.endswith(
        f"1 step(s) written to {tmp_path / 'out'}; 1 still running: run it again once they end\n"
    )
    fleet.clock.advance(600)
    assert "1 step(s) written" in export(command_id).stderr
    assert (tmp_path / "out" / step_file(fleet.ids["node-2"], STEP, "stdout")).is_file()


@pytest.fixture
def patching(sim: BackgroundSim, clock: ManualClock) -> tuple[str, list[dict[str, Any]]]:
    """The default fleet's patching command once it ended, and its invocations as boto3 reads
    them: successes, failures, delivery time-outs and an undeliverable instance."""
    clock.advance(3 * 3600)
    ssm = client_for(sim.endpoint)
    listed = ssm.list_commands(Filters=[{"key": "DocumentName", "value": "AWS-RunPatchBaseline"}])
    command = max(listed["Commands"], key=lambda c: c["TargetCount"])
    pages = ssm.get_paginator("list_command_invocations").paginate(CommandId=command["CommandId"])
    return command["CommandId"], [i for page in pages for i in page["CommandInvocations"]]  # type: ignore[misc]


@pytest.fixture
def on_the_default_fleet(ssmtui: Run, sim: BackgroundSim) -> Run:
    return partial(ssmtui, "export", "--endpoint-url", sim.endpoint, *FAST)


@pytest.mark.parametrize(
    ("only", "wanted"),
    [
        (["failed"], lambda i: i["Status"] not in ("Success", "InProgress", "Pending", "Delayed")),
        (["status", "success"], lambda i: i["Status"] == "Success"),
        (
            ["status", "Delivery", "Timed", "Out"],
            lambda i: i["StatusDetails"] == "Delivery Timed Out",
        ),
        (["status", "Undeliverable"], lambda i: i["StatusDetails"] == "Undeliverable"),
    ],
)
def test_only_narrows_the_instances(
    on_the_default_fleet: Run,
    patching: tuple[str, list[dict[str, Any]]],
    tmp_path: Path,
    only: list[str],
    wanted: Callable[[dict[str, Any]], bool],
) -> None:
    command_id, invocations = patching
    expected = sorted(i["InstanceId"] for i in invocations if wanted(i))
    assert expected  # the scenario has some of each
    out = tmp_path / "out"
    ran = on_the_default_fleet(command_id, "--out", str(out), "--only", *only)
    assert ran.returncode == 0, ran.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["Export"]["InstanceIds"] == expected
    written = {path.name for path in out.iterdir() if path.is_dir()}
    assert written <= {safe_name(instance_id) for instance_id in expected}


def test_a_group_is_the_instances_listed_under_its_number(
    on_the_default_fleet: Run, patching: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    command_id, _ = patching
    assert on_the_default_fleet(command_id, "--out", str(tmp_path / "all")).returncode == 0
    groups = json.loads((tmp_path / "all" / "summary.json").read_text())["Failures"]
    listed = (tmp_path / "all" / "failures.txt").read_text()
    assert len(groups) >= 2
    for number, group in enumerate(groups, start=1):
        assert f"#{number}  {group['Count']} instance(s)" in listed
        out = tmp_path / f"group-{number}"
        on_the_default_fleet(command_id, "--out", str(out), "--only", "group", str(number))
        summary = json.loads((out / "summary.json").read_text())
        assert summary["Export"]["InstanceIds"] == group["InstanceIds"]


def test_a_folder_holding_another_commands_export_is_refused(
    export: Run, fleet: Fleet, tmp_path: Path
) -> None:
    first = ended_once(fleet, ["echo one"])
    second = ended_once(fleet, ["echo two"])
    assert export(first).returncode == 0
    refused = export(second)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"ssmtui export: {tmp_path / 'out'} holds an export of another command ({first}); "
        "choose another folder with --out\n"
    )


def ended_once(fleet: Fleet, commands: list[str]) -> str:
    command_id = fleet.send(NODES[:1], commands)
    fleet.clock.advance(900)
    return command_id


def test_a_group_that_is_not_there_is_one_sentence(export: Run, fleet: Fleet) -> None:
    command_id = half_failed(fleet)
    result = export(command_id, "--only", "group", "9")
    assert (result.returncode, result.stderr) == (
        2,
        "ssmtui export: the command has 2 failure group(s); there is no group 9\n",
    )
    assert export(command_id, "--only", "sometimes").returncode == 2


def test_s3_gives_the_whole_objects(export: Run, fleet: Fleet, tmp_path: Path) -> None:
    command_id = fleet.send(
        NODES[:2], ["echo to s3"], OutputS3BucketName="fleet-logs", OutputS3KeyPrefix="runs"
    )
    fleet.clock.advance(900)
    result = export(command_id, "--s3")
    assert result.returncode == 0, result.stderr
    assert "2 step(s) written" in result.stderr
    assert "2 whole from S3" in result.stderr
    stdout = tmp_path / "out" / step_file(fleet.ids["node-1"], STEP, "stdout")
    assert stdout.read_text() == "to s3\n"


def test_s3_that_cannot_be_read_falls_back_to_the_api_and_says_so(
    export: Run, fleet: Fleet, tmp_path: Path
) -> None:
    command_id = fleet.send(
        NODES[:1], ["echo to s3"], OutputS3BucketName="fleet-logs", OutputS3KeyPrefix="runs"
    )
    fleet.clock.advance(900)
    fleet.server.inject(Fault("denied", operation="GetObject"))
    result = export(command_id, "--s3")
    assert result.returncode == 0, result.stderr
    first, second = result.stderr.splitlines()
    assert first.endswith("; 1 from the API as S3 could not be read")
    assert second.startswith(f"ssmtui export: not from S3, e.g. {fleet.ids['node-1']} ")
    assert "s3:GetObject" in second
    stdout = tmp_path / "out" / step_file(fleet.ids["node-1"], STEP, "stdout")
    assert stdout.read_text() == "to s3\n"  # the API's text, whole for so short an output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["Export"]["FromS3"], len(summary["Export"]["S3Missed"])) == (0, 1)


def test_text_that_would_drive_a_terminal_is_neutralised(
    export: Run, fleet: Fleet, tmp_path: Path
) -> None:
    command_id = fleet.send(NODES[:1], ["echo \x1b]52;c;cHduZWQ=\x07\x1b[31mred"])
    fleet.clock.advance(900)
    assert export(command_id).returncode == 0
    written = (tmp_path / "out" / step_file(fleet.ids["node-1"], STEP, "stdout")).read_text()
    assert "\x1b" not in written
    assert "\x07" not in written
    assert "red" in written


def test_names_from_aws_cannot_climb_out_of_the_folder() -> None:
    assert safe_name("i-0123456789abcdef0") == "i-0123456789abcdef0"
    assert safe_name("aws:runShellScript") == "aws:runShellScript"
    climbing = safe_name("../../etc/passwd")
    assert "/" not in climbing
    assert not climbing.startswith(".")
    assert safe_name("a/b") != safe_name("a_b")  # different names never share a file
    assert safe_name("..") not in (".", "..", "")
    assert step_file("i-1", "..", "stdout").split("/")[1] not in (".", "..", ".stdout")


def test_only_is_read_as_the_help_says() -> None:
    assert parse_only(None) == Only()
    assert parse_only(["failed"]) == Only("failed")
    assert parse_only(["group", "3"]) == Only("group", "3")
    assert parse_only(["status", "Delivery", "Timed", "Out"]) == Only(
        "status", "Delivery Timed Out"
    )
    for bad in (["group"], ["group", "0"], ["failed", "2"], ["everything"]):
        with pytest.raises(OnlyError):
            parse_only(bad)
    assert chosen([], [], Only("failed")) == []
