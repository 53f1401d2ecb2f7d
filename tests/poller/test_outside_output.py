"""A step's output from outside the SSM API: CloudWatch Logs live, S3 whole, on request.

Contract tests read the simulator's S3 and CloudWatch Logs answers through the real
aiobotocore stack; the fetch plan's tests use the in-memory reader.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ssmtui.aws.client import ReadOnlyViolation, SsmReader
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.status import is_terminal
from ssmtui.model.step_text import s3_object
from ssmtui.model.types import OutputLocation, PluginResult
from ssmtui.poller import Poller
from ssmtui.sim.api import plugin_s3_key
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.plugin_text import log_lines
from ssmtui.sim.server import SimServer
from ssmtui.sim.state import Script, SimCommand, SimInvocation, SimPlugin
from tests.fleet_records import command, invocation, step
from tests.memory_reader import MemoryReader


def finished_s3_step(server: SimServer) -> tuple[SimCommand, SimInvocation, SimPlugin]:
    """A step of the patching command (output to S3) that ran to its end and wrote stdout."""
    for sim_command in server.engine.ordered:
        if not sim_command.output_s3_bucket:
            continue
        for sim_invocation in sim_command.invocations.values():
            for plugin in sim_invocation.plugins:
                ran = is_terminal(plugin.status) and not plugin.skipped and plugin.start
                if ran and plugin.status == "Success":
                    return sim_command, sim_invocation, plugin
    raise AssertionError("the default scenario has no finished step with S3 output")


async def test_s3_holds_the_whole_output_the_api_gives_the_start_of(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    clock.advance(600)
    sim_command, sim_invocation, plugin = finished_s3_step(server)
    answer = await reader.call(
        "GetCommandInvocation",
        CommandId=sim_command.command_id,
        InstanceId=sim_invocation.instance.id,
        PluginName=plugin.name,
    )
    bucket, key = s3_object(answer["StandardOutputUrl"]) or ("", "")
    assert (bucket, key) == (
        sim_command.output_s3_bucket,
        f"{plugin_s3_key(sim_invocation, plugin)}/stdout",
    )
    data, size = await reader.read_object(bucket, key, 1_000_000)
    assert size == len(data)
    assert data.decode().startswith(
        answer["StandardOutputContent"].removesuffix("--output truncated--")
    )
    assert server.calls["GetObject"] == 1


async def test_s3_answers_a_missing_key_and_a_denial_as_s3_does(
    server: SimServer, reader: SsmReader
) -> None:
    with pytest.raises(AwsError) as missing:
        await reader.read_object("ops-ssm-output", "patching/no-such-command/stdout", 100)
    assert missing.value.code == "NoSuchKey"
    server.inject(Fault("denied", operation="GetObject"))
    with pytest.raises(AwsError) as denied:
        await reader.read_object("ops-ssm-output", "patching/x/stdout", 100)
    assert denied.value.kind is ErrorKind.ACCESS_DENIED
    assert "s3:GetObject" in str(denied.value)


async def test_the_logs_and_s3_clients_refuse_every_mutation_before_the_network(
    server: SimServer, reader: SsmReader
) -> None:
    s3 = await reader.client_of("s3")
    logs = await reader.client_of("logs")
    with pytest.raises(ReadOnlyViolation):
        await s3.put_object(Bucket="ops-ssm-output", Key="k", Body=b"x")
    with pytest.raises(ReadOnlyViolation):
        await s3.delete_object(Bucket="ops-ssm-output", Key="k")
    with pytest.raises(ReadOnlyViolation):
        await logs.delete_log_group(logGroupName="/aws/ssm/AWS-RunShellScript")
    assert sum(server.calls.values()) == 0


async def test_a_running_steps_live_log_is_read_on_from_where_the_last_cycle_stopped(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    """The CloudWatch command of the default scenario, a step that has written for a while."""
    streaming = next(c for c in server.engine.ordered if c.comment == "rebuild search index")
    running = next(
        (i, p)
        for i in streaming.invocations.values()
        for p in i.plugins
        if p.start is not None and not is_terminal(p.status)
    )
    poller = Poller(reader, clock=clock.now)
    poller.set_focus(streaming.command_id, running[0].instance.id, running[1].name)
    first = await poller.poll_once()
    sim_invocation, plugin = running
    while not log_lines(server.engine, sim_invocation, plugin, "stdout"):  # the sim's truth
        clock.advance(10)
        server.engine.advance_to(clock.now().timestamp())
    result = await poller.poll_once()
    assert first.step_text is not None
    assert "no output yet" in " ".join(first.step_text.notes)
    assert result.step_text is not None
    assert result.step_text.origin.startswith("CloudWatch Logs, live")
    written = log_lines(server.engine, sim_invocation, plugin, "stdout")
    assert result.step_text.stdout == "\n".join(text for _, text in written)
    assert not is_terminal(plugin.status)  # live: the API has none of it yet


# -- the fetch plan, over the in-memory reader -----------------------------------------------

LIVE = replace(command(1, "InProgress", targets=1), output=OutputLocation(cloudwatch_enabled=True))
STEP = step("build", "InProgress", code=-1, stdout=None)
GROUP, STREAM = "/aws/ssm/AWS-RunShellScript", f"{LIVE.command_id}/i-1/build/stdout"


async def test_the_plan_follows_the_focused_steps_stream_and_reads_only_what_is_new() -> None:
    reader = MemoryReader([LIVE], [invocation(LIVE, "i-1", "InProgress", STEP)])
    poller = Poller(reader)
    poller.set_focus(LIVE.command_id, "i-1", "build")
    first = await poller.poll_once()
    assert first.step_text is not None
    assert "no output yet" in " ".join(first.step_text.notes)  # no stream: not an error
    assert first.health.failed == {}
    reader.logs[(GROUP, STREAM)] = ["one", "two", "three"]
    second = await poller.poll_once()
    assert second.step_text is not None
    assert second.step_text.stdout == "one\ntwo\nthree"
    reader.logs[(GROUP, STREAM)].append("four")
    reader.forget_calls()
    third = await poller.poll_once()
    assert third.step_text is not None
    assert third.step_text.stdout == "one\ntwo\nthree\nfour"
    reads = [p for name, p in reader.calls if name == "GetLogEvents" and p["stream"] == STREAM]
    assert [p["token"] for p in reads] == ["f/3", "f/4"]  # on from the end, never the top


# -- S3: only the object the agent wrote, read whole up to the cap -----------------------------

DONE = command(2, "InProgress", targets=2, completed=1)  # its step on i-2 has finished
FOLDER = f"runs/{DONE.command_id}/i-2/awsrunShellScript/0.awsrunShellScript"


def s3_step(bucket: str, prefix: str) -> PluginResult:
    return replace(step("build", "Success", stdout="ok"), s3_bucket=bucket, s3_prefix=prefix)


async def whole_output(
    plugin: PluginResult, objects: dict[tuple[str, str], bytes]
) -> tuple[list[str], tuple[str, ...]]:
    """What ``F`` read of the step, and the notes it gave."""
    reader = MemoryReader([DONE], [invocation(DONE, "i-2", "Success", plugin)])
    reader.objects.update(objects)
    poller = Poller(reader)
    poller.set_focus(DONE.command_id, "i-2", "build")
    await poller.poll_once()
    assert poller.request_full_output()
    result = await poller.poll_once()
    assert result.step_text is not None
    read = [p["Key"] for name, p in reader.calls if name == "GetObject"]
    return read, result.step_text.notes


async def test_f_reads_the_objects_the_agent_wrote_under_a_plain_bucket() -> None:
    objects = {("ops-output", f"{FOLDER}/stdout"): b"all of it"}
    read, notes = await whole_output(s3_step("ops-output", FOLDER), objects)
    assert read == [f"{FOLDER}/stdout", f"{FOLDER}/stderr"]
    assert not any("not read" in note for note in notes)


@pytest.mark.parametrize(
    ("bucket", "prefix"),
    [
        ("arn:aws:s3:us-east-1:999999999999:accesspoint/theirs", FOLDER),
        ("theirs-abc123-s3alias", FOLDER),  # an access point's alias
        ("theirs--ol-s3", FOLDER),  # an Object Lambda access point's alias
        ("10.0.0.1", FOLDER),
        ("ops-output", "secrets/keys.pem#"),  # '#' or '?': a key the sender chose
        ("ops-output", f"runs/{DONE.command_id}/i-OTHER/awsrunShellScript/0.x"),
        ("ops-output", f"runs/{DONE.command_id}/i-2/../../../private/0.x"),
    ],
)
async def test_f_sends_no_request_for_an_object_the_agent_would_not_have_written(
    bucket: str, prefix: str
) -> None:
    read, notes = await whole_output(s3_step(bucket, prefix), {})
    assert read == []
    assert len(notes) == 2
    assert all(note.startswith(("✖ stdout: not read: ", "✖ stderr: not read: ")) for note in notes)


async def test_an_object_larger_than_one_network_chunk_is_read_whole_up_to_the_cap(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    clock.advance(600)
    sim_command, sim_invocation, plugin = finished_s3_step(server)
    big = "".join(f"line {n:07d} of a long patch log\n" for n in range(40_000))  # 1.3 MB
    sim_command.script = Script(stdout=big, seconds=plugin.duration)
    key = f"{plugin_s3_key(sim_invocation, plugin)}/stdout"
    bucket = sim_command.output_s3_bucket or ""
    data, size = await reader.read_object(bucket, key, 2_000_000)
    assert (len(data), size) == (len(big), len(big))
    capped, size = await reader.read_object(bucket, key, 1_000_000)
    assert (len(capped), size) == (1_000_000, len(big))
