"""How time moves commands, driven through SendCommand and read back over HTTP."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ssmtui.aws.parse import parse_command
from ssmtui.model.types import TriggeredAlarm
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.engine import KILLED_RESPONSE_CODE
from ssmtui.sim.scenario import parse_scenario
from tests.conftest import client_for, run_sim
from tests.small_fleet import Fleet

if TYPE_CHECKING:
    pass

NODES = [f"node-{n}" for n in range(1, 7)]


def test_a_command_goes_pending_in_progress_success(fleet: Fleet) -> None:
    command_id = fleet.send(["node-1"], ["echo ok", "sleep 20"])
    assert fleet.command(command_id)["Status"] == "Pending"
    fleet.clock.advance(5)
    assert fleet.command(command_id)["Status"] == "InProgress"
    assert fleet.command(command_id)["StatusDetails"] == "In Progress"
    fleet.clock.advance(30)
    final = fleet.command(command_id)
    assert (final["Status"], final["StatusDetails"], final["CompletedCount"]) == (
        "Success",
        "Success",
        1,
    )


def test_instance_name_is_the_host_name_not_the_name_tag(fleet: Fleet) -> None:
    """botocore's model: InstanceName is "the fully qualified host name of the managed node";
    EC2 names a Linux host after its private address; on Windows the agent sends WMI's
    DNSHostName "." Domain: a Windows AMI names itself EC2AMAZ-XXXXXXX, in WORKGROUP."""
    command_id = fleet.send(["node-1", "win-1"], ["echo ok"])
    fleet.clock.advance(5)
    linux, windows = (fleet.invocations(command_id)[name] for name in ("node-1", "win-1"))
    assert re.fullmatch(r"ip-10-\d+-\d+-\d+\.ec2\.internal", linux["InstanceName"])
    assert re.fullmatch(r"EC2AMAZ-[0-9A-F]{7}\.WORKGROUP", windows["InstanceName"])


def test_sending_ramps_up_one_then_two_more_then_exponentially(fleet: Fleet) -> None:
    """The user guide, Run Command, "Using concurrency controls": one instance first, two
    more once it completed, then exponentially more up to MaxConcurrency: never more running
    than one plus those completed."""
    command_id = fleet.send(NODES, ["sleep 30"], MaxConcurrency="50")
    seen: list[tuple[int, int]] = []  # (running, completed) at each look
    for _ in range(30):
        fleet.clock.advance(5)
        statuses = list(fleet.statuses(command_id).values())
        seen.append((statuses.count("InProgress"), statuses.count("Success")))
    assert all(running <= 1 + completed for running, completed in seen), seen
    running = [count for count, _ in seen if count]
    assert running[0] == 1
    assert max(running) >= 3, seen  # past the second wave
    assert fleet.command(command_id)["Status"] == "Success"


def test_max_concurrency_limits_how_many_run_at_once(fleet: Fleet) -> None:
    command_id = fleet.send(NODES, ["sleep 30"], MaxConcurrency="2")
    most_running = 0
    finished_order = []
    for _ in range(40):
        fleet.clock.advance(5)
        statuses = fleet.statuses(command_id)
        running = sum(s == "InProgress" for s in statuses.values())
        most_running = max(most_running, running)
        finished_order += [
            n for n, s in statuses.items() if s == "Success" and n not in finished_order
        ]
    assert most_running == 2
    assert sorted(finished_order) == NODES
    assert fleet.command(command_id)["Status"] == "Success"


def test_max_errors_stops_sending_and_terminates_the_rest(fleet: Fleet) -> None:
    command_id = fleet.send(NODES, ["exit 3"], MaxConcurrency="1", MaxErrors="1")
    fleet.clock.advance(120)
    command = fleet.command(command_id)
    invocations = fleet.invocations(command_id)
    details = sorted(i["StatusDetails"] for i in invocations.values())
    assert details == ["Failed", "Failed", "Terminated", "Terminated", "Terminated", "Terminated"]
    assert (command["Status"], command["StatusDetails"]) == ("Failed", "Failed")
    assert (command["ErrorCount"], command["CompletedCount"], command["TargetCount"]) == (2, 6, 6)
    failed = next(i for i in invocations.values() if i["Status"] == "Failed")
    assert failed["CommandPlugins"][0]["ResponseCode"] == 3
    terminated = next(i for i in invocations.values() if i["StatusDetails"] == "Terminated")
    assert terminated["Status"] == "Cancelled"
    assert terminated["CommandPlugins"][0]["ResponseCode"] == -1


def test_a_few_errors_within_max_errors_end_incomplete(fleet: Fleet) -> None:
    ok = fleet.send(["node-1", "node-2"], ["sleep 5"], MaxErrors="1")
    bad = fleet.send(["node-3"], ["exit 1"])
    fleet.clock.advance(60)
    assert fleet.command(ok)["StatusDetails"] == "Success"
    assert fleet.command(bad)["StatusDetails"] == "Failed"
    mixed = fleet.ssm.send_command(
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:role", "Values": ["node"]}],
        Parameters={"commands": ["sleep 5"]},
        MaxErrors="2",
    )["Command"]["CommandId"]
    fleet.ssm.cancel_command(CommandId=mixed, InstanceIds=[fleet.ids["node-6"]])
    fleet.clock.advance(60)
    command = fleet.command(mixed)
    assert (command["Status"], command["StatusDetails"]) == ("Failed", "Incomplete")
    assert command["TargetCount"] == 6


def test_unreachable_instances_are_delayed_then_time_out_delivery(fleet: Fleet) -> None:
    """Two AWS texts: SendCommand's TimeoutSeconds says what has not started by then will not
    run; the user guide ("Understanding command statuses", Pending) and Command.ExpiresAfter
    say it turns Delivery Timed Out when TimeoutSeconds plus the execution timeout has passed.
    The simulator follows both: no start after TimeoutSeconds, the status at the total."""
    command_id = fleet.send(
        ["node-1", "offline-1"],  # node-1 first: the ramp sends offline-1 once node-1 is done
        ["sleep 5"],
        TimeoutSeconds=60,
        Parameters={"executionTimeout": ["120"]},
    )
    fleet.clock.advance(15)
    assert fleet.statuses(command_id) == {"offline-1": "Delayed", "node-1": "Success"}
    fleet.clock.advance(95)  # past TimeoutSeconds, before the total of 180 s
    assert fleet.statuses(command_id)["offline-1"] == "Delayed"
    assert fleet.command(command_id)["Status"] == "InProgress"
    fleet.clock.advance(80)
    offline = fleet.invocations(command_id)["offline-1"]
    assert (offline["Status"], offline["StatusDetails"]) == ("TimedOut", "Delivery Timed Out")
    command = fleet.command(command_id)
    assert (command["DeliveryTimedOutCount"], command["ErrorCount"]) == (1, 0)
    assert (command["Status"], command["StatusDetails"]) == ("TimedOut", "Delivery Timed Out")


def test_gone_instances_are_undeliverable_and_do_not_count_as_errors(fleet: Fleet) -> None:
    command_id = fleet.send(
        ["gone-1", "win-1"], ["sleep 5"], DocumentName="AWS-RunPowerShellScript"
    )
    fleet.clock.advance(60)
    gone = fleet.invocations(command_id)["gone-1"]
    assert (gone["Status"], gone["StatusDetails"]) == ("Failed", "Undeliverable")
    command = fleet.command(command_id)
    assert (command["ErrorCount"], command["CompletedCount"]) == (0, 2)
    assert command["Status"] == "Success"


def test_execution_timeout_kills_the_plugin(fleet: Fleet) -> None:
    command_id = fleet.send(["node-1"], ["sleep 600"], Parameters={"executionTimeout": ["60"]})
    fleet.clock.advance(30)
    assert fleet.statuses(command_id) == {"node-1": "InProgress"}
    fleet.clock.advance(60)
    invocation = fleet.invocations(command_id)["node-1"]
    assert (invocation["Status"], invocation["StatusDetails"]) == (
        "TimedOut",
        "Execution Timed Out",
    )
    plugin = invocation["CommandPlugins"][0]
    assert (plugin["Status"], plugin["ResponseCode"]) == ("TimedOut", KILLED_RESPONSE_CODE)
    command = fleet.command(command_id)
    assert command["ErrorCount"] == 1
    assert (command["Status"], command["StatusDetails"]) == ("TimedOut", "Execution Timed Out")


def test_a_killed_step_exits_137_on_linux_and_minus_one_on_windows(fleet: Fleet) -> None:
    """aws/amazon-ssm-agent, agent/appconfig/constants_unix.go and constants_windows.go: the
    code of a step killed by its time-out; on Windows it is -1, with start and end times."""
    command_id = fleet.send(
        ["node-1", "win-1"],
        ["sleep 600"],
        Parameters={"executionTimeout": ["60"]},
        MaxErrors="2",  # node-1's time-out must not stop the sending of win-1
    )
    fleet.clock.advance(150)  # one after the other: the ramp sends the second once the first ended
    steps = {
        name: invocation["CommandPlugins"][0]
        for name, invocation in fleet.invocations(command_id).items()
    }
    assert steps["node-1"]["ResponseCode"] == KILLED_RESPONSE_CODE == 137
    assert steps["win-1"]["ResponseCode"] == -1
    assert steps["win-1"]["Status"] == "TimedOut"
    assert steps["win-1"]["ResponseStartDateTime"] < steps["win-1"]["ResponseFinishDateTime"]


def test_cancel_stops_waiting_invocations_at_once_and_running_ones_soon(fleet: Fleet) -> None:
    command_id = fleet.send(NODES, ["sleep 300"], MaxConcurrency="2")
    fleet.clock.advance(10)
    fleet.ssm.cancel_command(CommandId=command_id)
    assert fleet.command(command_id)["Status"] == "Cancelling"
    statuses = fleet.statuses(command_id)
    assert sorted(statuses.values()) == ["Cancelled"] * 5 + ["Cancelling"]  # the ramp: one sent
    fleet.clock.advance(5)
    command = fleet.command(command_id)
    assert (command["Status"], command["CompletedCount"]) == ("Cancelled", 6)
    assert set(fleet.statuses(command_id).values()) == {"Cancelled"}


def test_multi_step_documents_run_step_by_step(fleet: Fleet) -> None:
    command_id = fleet.send(["node-1"], ["sleep 10"], DocumentName="AWS-RunPatchBaseline")
    fleet.clock.advance(5)
    plugins = fleet.invocations(command_id)["node-1"]["CommandPlugins"]
    assert [(p["Name"], p["Status"]) for p in plugins] == [
        ("PatchWindows", "Success"),
        ("PatchLinux", "InProgress"),
        ("PatchMacOS", "Pending"),
    ]
    assert plugins[0]["Output"].startswith("Step execution skipped")
    fleet.clock.advance(20)
    plugins = fleet.invocations(command_id)["node-1"]["CommandPlugins"]
    assert [p["Status"] for p in plugins] == ["Success"] * 3
    starts = [p["ResponseStartDateTime"] for p in plugins]
    assert starts == sorted(starts)
    assert plugins[1]["ResponseFinishDateTime"] <= plugins[2]["ResponseStartDateTime"]


def test_targets_by_tag_reach_every_tagged_instance(fleet: Fleet) -> None:
    command = fleet.ssm.send_command(
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:role", "Values": ["node"]}],
        Parameters={"commands": ["uptime"]},
    )["Command"]
    assert command["Targets"] == [{"Key": "tag:role", "Values": ["node"]}]
    fleet.clock.advance(3)
    assert fleet.command(command["CommandId"])["TargetCount"] == 6
    assert sorted(fleet.statuses(command["CommandId"])) == NODES


def test_targets_are_resolved_a_moment_after_the_send(fleet: Fleet) -> None:
    """After SendCommand with Targets, TargetCount is 0 and there are no invocations for a short
    while: the service resolves the targets after it answered."""
    command = fleet.ssm.send_command(
        DocumentName="AWS-RunShellScript",
        Targets=[{"Key": "tag:role", "Values": ["node"]}],
        Parameters={"commands": ["uptime"]},
    )["Command"]
    assert command["TargetCount"] == 0
    assert fleet.command(command["CommandId"])["Status"] == "Pending"
    assert fleet.statuses(command["CommandId"]) == {}
    fleet.clock.advance(1)
    assert fleet.command(command["CommandId"])["TargetCount"] == 0
    fleet.clock.advance(2)
    assert fleet.command(command["CommandId"])["TargetCount"] == 6
    by_ids = fleet.send(["node-1"], ["uptime"])
    assert fleet.command(by_ids)["TargetCount"] == 1  # InstanceIds are known at once


TWO_STEPS = """
[scenario]
name = "two steps"
[[group]]
count = 40
name = "node-{n:02d}"
[[document]]
name = "Two-Steps"
steps = ["first", "second"]
[[command]]
document = "Two-Steps"
targets = "all"
max_concurrency = "100%"
max_errors = "100%"
failure_rate = 1.0
hang_rate = 1.0
duration = "10s..20s"
execution_timeout = 60
"""


def test_a_failed_step_outranks_a_timed_out_one(clock: ManualClock) -> None:
    """aws/amazon-ssm-agent, agent/contracts/aggregator.go: an invocation's status from its
    steps is Failed over TimedOut over Cancelled over Success."""
    with run_sim(parse_scenario(TWO_STEPS), clock) as background:
        ssm = client_for(background.endpoint)
        clock.advance(900)  # the ramp sends 1, 2, 4, ... of the 40, each wave up to 80 s
        (command,) = ssm.list_commands()["Commands"]
        listed = ssm.list_command_invocations(CommandId=command["CommandId"], Details=True)
        outcomes = {
            (inv["Status"], tuple(sorted(p["Status"] for p in inv["CommandPlugins"])))
            for inv in listed["CommandInvocations"]
        }
    assert ("Failed", ("Failed", "TimedOut")) in outcomes  # both kinds of step: Failed
    assert all(status == "Failed" for status, steps in outcomes if "Failed" in steps), outcomes


def test_a_command_whose_every_invocation_is_undeliverable_failed(fleet: Fleet) -> None:
    """The user guide, "Understanding command statuses": all invocations Undeliverable make
    the command Failed, not Success."""
    command_id = fleet.send(["gone-1"], ["echo hi"])
    fleet.clock.advance(30)
    assert fleet.invocations(command_id)["gone-1"]["StatusDetails"] == "Undeliverable"
    assert fleet.command(command_id)["Status"] == "Failed"


def test_a_killed_step_gets_no_invented_error_text(fleet: Fleet) -> None:
    """aws/amazon-ssm-agent, agent/plugins/runscript/runscript.go (runCommands): a step that
    timed out or was cancelled adds no "failed to run commands" error of the agent's own; its
    output is what the process wrote before it was killed."""
    command_id = fleet.send(["node-1"], ["sleep 600"], Parameters={"executionTimeout": ["60"]})
    fleet.clock.advance(90)
    output = fleet.ssm.get_command_invocation(CommandId=command_id, InstanceId=fleet.ids["node-1"])
    assert output["Status"] == "TimedOut"
    assert output["StandardErrorContent"] == ""


def test_the_document_version_is_default_unless_one_was_asked_for(fleet: Fleet) -> None:
    """SendCommand's DocumentVersion takes $DEFAULT, $LATEST or a number (the API reference);
    a command sent without one reports $DEFAULT, and its invocations say the same."""
    plain = fleet.send(["node-1"], ["echo hi"])
    pinned = fleet.send(["node-2"], ["echo hi"], DocumentVersion="1")
    assert fleet.command(plain)["DocumentVersion"] == "$DEFAULT"
    assert fleet.invocations(plain)["node-1"]["DocumentVersion"] == "$DEFAULT"
    assert fleet.command(pinned)["DocumentVersion"] == "1"


def test_a_step_skipped_by_its_precondition_has_the_agents_text_and_no_stdout(
    fleet: Fleet,
) -> None:
    """aws/amazon-ssm-agent, agent/framework/runpluginutil/runpluginutil.go: a skipped step
    succeeds with "Step execution skipped due to unsatisfied preconditions: '...'. Step name:
    ..." as its Output; the step wrote nothing, so GetCommandInvocation has no stdout."""
    command_id = fleet.send(["node-1"], [], DocumentName="AWS-RunPatchBaseline")
    fleet.clock.advance(120)
    steps = {p["Name"]: p for p in fleet.invocations(command_id)["node-1"]["CommandPlugins"]}
    skipped = steps["PatchWindows"]
    assert (skipped["Status"], skipped["ResponseCode"]) == ("Success", 0)
    assert skipped["Output"] == (
        "Step execution skipped due to unsatisfied preconditions: "
        "'\"StringEquals\": [platformType, Windows]'. Step name: PatchWindows"
    )
    full = fleet.ssm.get_command_invocation(
        CommandId=command_id, InstanceId=fleet.ids["node-1"], PluginName="PatchWindows"
    )
    assert full["StandardOutputContent"] == ""


ALARMED = """
[scenario]
name = "alarmed"
[[group]]
count = 12
name = "web-{n:02d}"
[[command]]
document = "AWS-RunShellScript"
comment = "deploy"
targets = "all"
max_concurrency = "4"
max_errors = "100%"
duration = "50s..60s"
alarm = "web-5xx-high"
alarm_after = "2m"
"""


def test_an_alarm_that_goes_off_stops_the_command(clock: ManualClock) -> None:
    """AlarmConfiguration (API reference): a command "continues to run" only while its alarm
    is OK or INSUFFICIENT_DATA. The alarm is named in TriggeredAlarms; what stopping leaves
    is modelled on MaxErrors: the waiting invocations are Terminated, the running ones end."""
    with run_sim(parse_scenario(ALARMED), clock) as background:
        ssm = client_for(background.endpoint)
        clock.advance(60)
        (before,) = ssm.list_commands()["Commands"]
        assert "TriggeredAlarms" not in before
        clock.advance(65)  # the alarm went off at 2 minutes
        (stopped,) = ssm.list_commands()["Commands"]
        assert stopped["TriggeredAlarms"] == [{"Name": "web-5xx-high", "State": "ALARM"}]
        assert parse_command(stopped).triggered_alarms == (TriggeredAlarm("web-5xx-high", "ALARM"),)
        listed = ssm.list_command_invocations(CommandId=stopped["CommandId"])
        statuses = [(i["Status"], i["StatusDetails"]) for i in listed["CommandInvocations"]]
        running = statuses.count(("InProgress", "In Progress"))
        assert running > 0
        assert statuses.count(("Cancelled", "Terminated")) == 12 - running - statuses.count(
            ("Success", "Success")
        )
        clock.advance(120)
        (final,) = ssm.list_commands()["Commands"]
        listed = ssm.list_command_invocations(CommandId=final["CommandId"])
    assert {i["Status"] for i in listed["CommandInvocations"]} == {"Success", "Cancelled"}
    assert (final["Status"], final["StatusDetails"]) == ("Failed", "Incomplete")
