"""The re-run line of `snapshot --failures`, read back by the AWS CLI's own parser: sent to the
simulator (never to AWS), it makes the command it promises."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

from tests.cli_runner import Run
from tests.small_fleet import Fleet

NODES = [f"node-{n}" for n in range(1, 7)]


def test_the_aws_cli_sends_what_the_line_says_to_exactly_the_failed_instances(
    ssmtui: Run, fleet: Fleet
) -> None:
    original = fleet.send(
        NODES,
        ["echo 'quoted \"twice\"' $HOME", "exit 2"],
        MaxErrors="100%",
        MaxConcurrency="3",
        TimeoutSeconds=600,
        OutputS3BucketName="ops-logs",
        OutputS3KeyPrefix="runs",
        Parameters={"executionTimeout": ["300"]},
    )
    fleet.ssm.cancel_command(CommandId=original, InstanceIds=[fleet.ids["node-6"]])
    fleet.clock.advance(900)
    listed = ssmtui(
        "snapshot", "--endpoint-url", fleet.endpoint, "--stage", "all", "--failures", "--json"
    )
    (command,) = [c for c in json.loads(listed.stdout)["Commands"] if c["CommandId"] == original]
    (line,) = command["Rerun"]
    assert shlex.split(line)[:3] == ["aws", "ssm", "send-command"]
    sent = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            *shlex.split(line)[1:],
            "--endpoint-url",
            fleet.endpoint,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert sent.returncode == 0, sent.stderr
    again = json.loads(sent.stdout)["Command"]
    before = fleet.command(original)
    for field in ("DocumentName", "DocumentVersion", "Parameters", "MaxErrors", "MaxConcurrency"):
        assert again[field] == before[field], field
    assert (again["OutputS3BucketName"], again["OutputS3KeyPrefix"]) == ("ops-logs", "runs")
    assert sorted(again["InstanceIds"]) == sorted(fleet.ids[name] for name in NODES)
    assert again["Comment"] == f"re-run of {original[:8]} on its failed instances"


def test_the_table_shows_the_line_under_the_groups(ssmtui: Run, fleet: Fleet) -> None:
    original = fleet.send(NODES[:2], ["exit 2"], MaxErrors="1")
    fleet.clock.advance(900)
    shown = ssmtui(
        "snapshot", "--endpoint-url", fleet.endpoint, "--command", original, "--failures"
    ).stdout.splitlines()
    at = shown.index("    re-run the failed instances (shown, never sent):")
    assert shown[at + 1].startswith("    aws ssm send-command --region eu-west-1 ")
    assert shown[at + 1].endswith(
        "--instance-ids " + " ".join(sorted(fleet.ids[name] for name in NODES[:2]))
    )
