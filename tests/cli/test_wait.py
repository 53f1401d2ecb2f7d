"""`ssmtui wait` and `ssmtui snapshot --fail-on` as a script runs them, against the simulator
over HTTP: every exit status, from commands sent to a small fleet and ended by its clock."""

from __future__ import annotations

import io
import json
import threading
import time
from functools import partial

import pytest

from ssmtui.cli.follow import Board, Followed
from ssmtui.model.status import CommandStatus
from ssmtui.model.types import Command
from ssmtui.model.verdict import Verdict
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.scenario import load_scenario
from ssmtui.sim.server import SimServer
from tests.cli_runner import Ran, Run
from tests.small_fleet import Fleet

NODES = [f"node-{n}" for n in range(1, 7)]


@pytest.fixture
def wait(ssmtui: Run, fleet: Fleet) -> Run:
    return partial(ssmtui, "wait", "--endpoint-url", fleet.endpoint)


def ended(fleet: Fleet, commands: list[str], *, nodes: int = 2, **extra: object) -> str:
    """A command sent to the first ``nodes`` nodes, and the clock moved past its end."""
    command_id = fleet.send(NODES[:nodes], commands, **extra)
    fleet.clock.advance(900)
    return command_id


def incomplete(fleet: Fleet) -> str:
    """Six targets, one cancelled, MaxErrors 2: every target tried, not all succeeded, too few
    failed for Failed (StatusDetails Incomplete)."""
    command_id = fleet.ssm.send_command(
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:role", "Values": ["node"]}],
        Parameters={"commands": ["sleep 5"]},
        MaxErrors="2",
    )["Command"]["CommandId"]
    fleet.ssm.cancel_command(CommandId=command_id, InstanceIds=[fleet.ids["node-6"]])
    fleet.clock.advance(900)
    return command_id


def test_each_outcome_has_its_exit_status(wait: Run, fleet: Fleet) -> None:
    outcomes = {
        ended(fleet, ["echo ok"]): Verdict.SUCCESS,
        ended(fleet, ["exit 3"]): Verdict.FAILED,
        ended(
            fleet, ["sleep 600"], nodes=1, Parameters={"executionTimeout": ["60"]}
        ): Verdict.TIMED_OUT,
        incomplete(fleet): Verdict.INCOMPLETE,
    }
    cancelled = fleet.send(NODES[:2], ["sleep 600"])
    fleet.ssm.cancel_command(CommandId=cancelled)
    fleet.clock.advance(900)
    outcomes[cancelled] = Verdict.CANCELLED
    assert fleet.command(cancelled)["Status"] == "Cancelled"
    for command_id, verdict in outcomes.items():
        result = wait(command_id[:8])  # the short id the tables show
        assert result.returncode == verdict.exit_status, (verdict, result.stderr)
        assert result.stderr.splitlines()[-1] == (
            f"ssmtui wait: {command_id[:8]} {verdict.words} (exit status {verdict.exit_status})"
        )
    assert wait(*outcomes).returncode == Verdict.FAILED.exit_status  # the worst of them


def test_a_command_still_running_at_the_timeout_exits_7(wait: Run, fleet: Fleet) -> None:
    done = ended(fleet, ["echo ok"], nodes=1)
    running = fleet.send(NODES[:1], ["sleep 600"])
    result = wait(running, done, "--timeout", "1s", "--interval", "1")
    assert result.returncode == 7
    assert f"{running[:8]} still running when --timeout ran out (exit status 7)" in result.stderr
    assert f"{done[:8]} succeeded (exit status 0)" in result.stderr


def test_the_wait_ends_when_the_command_does_with_a_line_per_change(
    wait: Run, fleet: Fleet
) -> None:
    command_id = fleet.send(NODES[:2], ["sleep 30", "exit 4"], MaxErrors="1")
    fleet.clock.advance(10)
    # the command ends in simulated time once the wait has seen it running (its instances
    # listed): the wait's next poll finds it final; it has no timer of its own
    calls = fleet.server.calls
    seen = threading.Event()

    def end_once_seen() -> None:
        for _ in range(3000):
            if calls["ListCommandInvocations"] or seen.is_set():
                break
            time.sleep(0.01)
        fleet.clock.advance(900)

    ender = threading.Thread(target=end_once_seen)
    ender.start()
    try:
        result = wait(command_id, "--interval", "1", "--timeout", "60s")
    finally:
        seen.set()
        ender.join()
    assert result.returncode == Verdict.FAILED.exit_status, result.stderr
    lines = [line.split("  ", 1)[1] for line in result.stderr.splitlines()[:-1]]
    assert lines[0].startswith(f"{command_id[:8]}  ▶ InProgress  ")
    assert lines[-1] == f"{command_id[:8]}  ✖ Failed  2/2  ✖ 2"
    assert len(lines) == len(set(lines))  # a line only when something changed


def test_json_gives_the_command_its_outcome_and_failure_groups(wait: Run, fleet: Fleet) -> None:
    command_id = ended(fleet, ["echo half-way", "exit 3"], MaxErrors="1")
    result = wait(command_id, "--json", "--quiet")
    assert (result.returncode, result.stderr) == (3, "")
    printed = json.loads(result.stdout)
    assert printed["ExitStatus"] == 3
    (command,) = printed["Commands"]
    assert (command["CommandId"], command["Status"]) == (command_id, "Failed")
    assert command["Outcome"] == {"ExitStatus": 3, "Words": "failed"}
    (group,) = command["Failures"]
    assert (group["Count"], group["ResponseCode"]) == (2, 3)
    assert sorted(group["InstanceIds"]) == sorted(fleet.ids[n] for n in NODES[:2])


def test_bad_input_and_aws_that_cannot_be_read(ssmtui: Run, wait: Run, fleet: Fleet) -> None:
    unknown = wait("12345678")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("ssmtui wait: no command of the last 30 days in eu-west-1")
    assert ssmtui("wait", "not-an-id").returncode == 2
    assert ssmtui("wait", "12345678", "--timeout", "soon").returncode == 2

    fleet.server.inject(Fault("denied"))
    denied = wait("12345678")
    assert denied.returncode == 1
    assert denied.stderr.startswith("ssmtui wait: ")
    assert "ssm:ListCommands" in denied.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_lines_are_redrawn_in_place() -> None:
    stream = Terminal()
    board = Board(stream, quiet=False)
    board.followed = [
        Followed(command=Command("c" * 36, status=CommandStatus.IN_PROGRESS, target_count=4))
    ]
    board.show()
    board.followed[0].command = Command(
        "c" * 36, status=CommandStatus.SUCCESS, target_count=4, completed_count=4
    )
    board.show()
    first, second = stream.getvalue().split("\n")[:2]
    assert first.startswith("\x1b[2Kcccccccc  ▶ InProgress  ░░░░")
    assert second.startswith("\x1b[1F\x1b[2Kcccccccc  ✔ Success  ████")  # back up one line
    assert second.endswith("4/4  ✔ 4")


def test_quiet_says_nothing() -> None:
    stream = Terminal()
    board = Board(stream, quiet=True)
    board.followed = [Followed(command=Command("c" * 36, status=CommandStatus.IN_PROGRESS))]
    board.show()
    board.say("anything")
    assert stream.getvalue() == ""


@pytest.fixture
def snapshot(ssmtui: Run, fleet: Fleet) -> Run:
    def run(*args: str) -> Ran:
        return ssmtui("snapshot", "--endpoint-url", fleet.endpoint, "--stage", "all", *args)

    return run


def test_snapshot_fails_on_what_it_is_told_to(snapshot: Run, fleet: Fleet) -> None:
    ok = ended(fleet, ["echo ok"])
    assert all(
        snapshot("--fail-on", each).returncode == 0
        for each in ("failed", "timedout", "any-unsuccessful")
    )
    cancelled = fleet.send(NODES[:1], ["sleep 600"])
    fleet.ssm.cancel_command(CommandId=cancelled)
    fleet.clock.advance(900)
    assert snapshot("--fail-on", "failed").returncode == 0
    assert snapshot("--fail-on", "any-unsuccessful").returncode == Verdict.CANCELLED.exit_status
    ended(fleet, ["sleep 600"], nodes=1, Parameters={"executionTimeout": ["60"]})
    assert snapshot("--fail-on", "failed").returncode == 0
    assert snapshot("--fail-on", "timedout").returncode == Verdict.TIMED_OUT.exit_status
    assert snapshot("--fail-on", "any-unsuccessful").returncode == Verdict.TIMED_OUT.exit_status
    incomplete(fleet)
    assert snapshot("--fail-on", "failed").returncode == Verdict.INCOMPLETE.exit_status
    ended(fleet, ["exit 3"])
    assert snapshot("--fail-on", "any-unsuccessful").returncode == Verdict.FAILED.exit_status
    assert snapshot("--fail-on", "timedout", "--fail-on", "failed").returncode == 3
    assert snapshot("--command", ok, "--fail-on", "any-unsuccessful").returncode == 0
    assert snapshot().returncode == 0  # without --fail-on, the outcomes are only printed


def test_snapshot_fails_on_an_instance_of_a_command_still_running(
    snapshot: Run, fleet: Fleet
) -> None:
    command_id = fleet.send(NODES[:3], ["sleep 30", "exit 3"], MaxConcurrency="1", MaxErrors="5")
    fleet.clock.advance(40)  # the first instance failed; the others wait their turn
    assert fleet.command(command_id)["Status"] == "InProgress"
    alone = ("--command", command_id, "--fail-on", "failed")
    assert snapshot(*alone).returncode == 0  # the command has no outcome yet
    assert snapshot(*alone, "--invocations").returncode == Verdict.FAILED.exit_status


def test_a_command_is_found_in_whichever_region_holds_it(ssmtui: Run, clock: ManualClock) -> None:
    regions = ("us-east-1", "eu-west-1")
    server = SimServer(load_scenario("default"), clock, seed=3, regions=regions)
    with BackgroundSim(server) as background:
        clock.advance(3 * 3600)
        (_, west), (_, east) = sorted(server.worlds.items())
        in_west = next(iter(west.engine.commands.values()))
        where = ["--region", ",".join(regions), "--endpoint-url", background.endpoint]
        result = ssmtui("wait", in_west.command_id[:8], *where, "--json", "--quiet")
        (command,) = json.loads(result.stdout)["Commands"]
        assert command["CommandId"] == in_west.command_id
        assert in_west.command_id not in east.engine.commands
        assert result.returncode == command["Outcome"]["ExitStatus"]
