"""The simulated service's clockwork: commands arrive, invocations run, statuses move.

Everything is driven by a heap of timed events processed lazily: ``advance_to(t)`` runs every
event due by ``t`` in order, so the state at any instant is a pure function of the scenario,
the seed and the instant, whether a test steps a manual clock or the demo follows wall time.
Counts are kept in one place (``_finish``) so TargetCount, CompletedCount, ErrorCount and
DeliveryTimedOutCount always agree with the invocations.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import math
import random
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime

from ssmtui.sim.scenario import CommandSpec, InstanceSpec, Scenario, TargetSpec
from ssmtui.sim.state import Script, SimCommand, SimInstance, SimInvocation, SimPlugin

KILLED_RESPONSE_CODE = 137
"""The code of a step the agent killed (time-out, cancel) on Linux and macOS: 128 + SIGKILL
(aws/amazon-ssm-agent, agent/appconfig/constants_unix.go)."""
KILLED_ON_WINDOWS = -1
"""The same on Windows (agent/appconfig/constants_windows.go): -1, which elsewhere in the API
means "did not run"; a step with start and end times has run all the same."""


def killed_code(platform: str) -> int:
    return KILLED_ON_WINDOWS if platform == "Windows" else KILLED_RESPONSE_CODE


CANCEL_GRACE_SECONDS = 2.0
_OUTCOME_ORDER = (
    ("Failed", "Failed"),
    ("TimedOut", "Execution Timed Out"),
    ("Cancelled", "Cancelled"),
)
UNDELIVERABLE_AFTER_SECONDS = 5.0
TARGET_RESOLUTION_SECONDS = 2.0
"""How long a command sent with Targets shows no targets and no invocations."""

_PLATFORM_DETAILS = {
    "Linux": (("Amazon Linux", "2023"), ("Ubuntu", "22.04"), ("Red Hat Enterprise Linux", "9.4")),
    "Windows": (("Microsoft Windows Server 2022 Datacenter", "10.0.20348"),),
    "MacOS": (("macOS", "14.5"),),
}


class Engine:
    """The state of a simulated Run Command service and the rules that move it."""

    def __init__(self, scenario: Scenario, start: datetime, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self.start = start.timestamp()
        self.now = self.start
        self._rng = random.Random(seed)
        self._events: list[tuple[float, int, Callable[[], None]]] = []
        self._event_seq = itertools.count()
        self._command_seq = itertools.count()
        self.instances: dict[str, SimInstance] = {}
        self.instance_ids: list[str] = []
        self._by_name: dict[str, SimInstance] = {}
        self.commands: dict[str, SimCommand] = {}
        self.ordered: list[SimCommand] = []
        self._order_keys: list[tuple[float, int]] = []
        self.documents = dict(scenario.documents)
        self._add_instances(scenario.instances)
        first = min((spec.at for spec in scenario.commands), default=0.0)
        self.now = self.start + min(first, 0.0)
        for spec in scenario.commands:
            for clone in range(spec.count):
                offset = spec.spread * clone / spec.count
                self._schedule(self.start + spec.at + offset, self._arrival(spec))
        self.advance_to(self.start)

    # -- time -------------------------------------------------------------------------------

    def advance_to(self, moment: float) -> None:
        """Run every event due by ``moment``; time never runs backwards."""
        while self._events and self._events[0][0] <= moment:
            due, _, action = heapq.heappop(self._events)
            self.now = max(self.now, due)
            action()
        self.now = max(self.now, moment)

    def _schedule(self, moment: float, action: Callable[[], None]) -> None:
        heapq.heappush(self._events, (moment, next(self._event_seq), action))

    # -- fleet ------------------------------------------------------------------------------

    def _add_instances(self, specs: Iterable[InstanceSpec]) -> None:
        for spec in specs:
            instance_id = spec.id or f"i-{self._rng.getrandbits(68):017x}"
            name, version = self._rng.choice(_PLATFORM_DETAILS[spec.platform])
            last_ping = self.start - (
                self._rng.uniform(5, 300)
                if spec.ping == "Online"
                else self._rng.uniform(3600, 86400 * 3)
            )
            address = _private_address(self._rng.getrandbits(24))
            instance = SimInstance(
                id=instance_id,
                name=spec.name,
                platform=spec.platform,
                platform_name=name,
                platform_version=version,
                ping=spec.ping,
                ip_address=address,
                agent_version="3.3.1142.0",
                registered=self.start - self._rng.uniform(86400, 86400 * 400),
                last_ping=last_ping,
                tags={"Name": spec.name, "Platform": spec.platform, **spec.tags},
                host_name=_host_name(spec.platform, address, instance_id),
            )
            self.instances[instance_id] = instance
            self._by_name.setdefault(spec.name, instance)
        self.instance_ids = sorted(self.instances)
        self._everyone = [self.instances[i] for i in self.instance_ids]

    def instance(self, name_or_id: str) -> SimInstance | None:
        return self.instances.get(name_or_id) or self._by_name.get(name_or_id)

    def _resolve_targets(
        self, targets: TargetSpec, rng: random.Random
    ) -> tuple[list[SimInstance], list[dict[str, object]], list[str]]:
        """The instances a target spec selects, with the Targets and InstanceIds AWS echoes."""
        everyone = self._everyone
        if targets.kind == "instances":
            chosen = [inst for name in targets.names if (inst := self.instance(name))]
            return chosen, [], [inst.id for inst in chosen]
        if targets.kind == "all":
            return everyone, [{"Key": "InstanceIds", "Values": ["*"]}], []
        if targets.kind == "platform":
            chosen = [inst for inst in everyone if inst.platform == targets.value]
            return chosen, [{"Key": "tag:Platform", "Values": [targets.value]}], []
        if targets.kind == "tag":
            key, value = targets.value.split("=", 1)
            chosen = [inst for inst in everyone if inst.tags.get(key) == value]
            return chosen, [{"Key": f"tag:{key}", "Values": [value]}], []
        size = min(int(targets.value), len(everyone))
        chosen = sorted(rng.sample(everyone, size), key=lambda inst: inst.id)
        if size <= 50:
            return chosen, [], [inst.id for inst in chosen]
        return chosen, [{"Key": "resource-groups:Name", "Values": [f"batch-{size}"]}], []

    # -- commands arrive --------------------------------------------------------------------

    def _arrival(self, spec: CommandSpec) -> Callable[[], None]:
        def arrive() -> None:
            self.create_command(spec)
            if spec.every is not None:
                upcoming = self.now + spec.every
                if spec.until is None or upcoming <= self.start + spec.until:
                    self._schedule(upcoming, arrive)

        return arrive

    def create_command(self, spec: CommandSpec, script: Script | None = None) -> SimCommand:
        """A command requested now, its invocations planned and the first ones dispatched."""
        command_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        rng = random.Random(f"{self.seed}/{command_id}")
        document = self.documents[spec.document]
        chosen, targets, instance_ids = self._resolve_targets(spec.targets, rng)
        parameters = {key: list(values) for key, values in spec.parameters.items()}
        parameters.setdefault("executionTimeout", [str(spec.execution_timeout)])
        command = SimCommand(
            command_id=command_id,
            seq=next(self._command_seq),
            document=document,
            requested=self.now,
            timeout_seconds=spec.timeout_seconds,
            execution_timeout=spec.execution_timeout,
            comment=spec.comment,
            max_concurrency=spec.max_concurrency,
            max_errors=spec.max_errors,
            concurrency_limit=_resolve_limit(spec.max_concurrency, len(chosen), minimum=1),
            error_limit=_resolve_limit(spec.max_errors, len(chosen), minimum=0),
            output_kind=spec.output or document.output,
            targets=targets,
            instance_ids=instance_ids,
            parameters=parameters,
            output_s3_bucket=spec.output_s3_bucket,
            output_s3_prefix=spec.output_s3_prefix,
            output_s3_region=spec.output_s3_region,
            cloudwatch=spec.cloudwatch,
            cloudwatch_log_group=spec.cloudwatch_log_group,
            script=script,
            alarms=(spec.alarm,) if spec.alarm else (),
            document_version=spec.document_version,
        )
        for instance in chosen:
            invocation = self._plan_invocation(command, instance, spec, rng)
            command.invocations[instance.id] = invocation
            command.queue.append(invocation)
        command.instance_order = sorted(command.invocations)
        self.commands[command_id] = command
        self.ordered.append(command)
        self._order_keys.append(command.sort_key)
        if not chosen:
            command.status, command.details = "Failed", "No Instances In Tag"
            return command
        self._schedule(
            command.requested + command.timeout_seconds, self._delivery_deadline(command)
        )
        self._schedule(command.expires_after, self._expire(command))
        if spec.cancel_after is not None:
            self._schedule(self.now + spec.cancel_after, lambda: self.cancel(command))
        if spec.alarm_after is not None:
            self._schedule(self.now + spec.alarm_after, lambda: self._alarm_goes_off(command))
        if targets:
            command.targets_resolved_at = self.now + TARGET_RESOLUTION_SECONDS
            self._schedule(command.targets_resolved_at, lambda: self._dispatch(command))
        else:
            self._dispatch(command)
        return command

    def targets_resolved(self, command: SimCommand) -> bool:
        """Whether the command's targets are known yet (always, for one sent to InstanceIds)."""
        return self.now >= command.targets_resolved_at

    def _plan_invocation(
        self,
        command: SimCommand,
        instance: SimInstance,
        spec: CommandSpec,
        rng: random.Random,
    ) -> SimInvocation:
        plugins: list[SimPlugin] = []
        runnable = [s for s in command.document.steps if s.platform in (None, instance.platform)]
        failing = rng.choice(runnable) if runnable and rng.random() < spec.failure_rate else None
        hanging = rng.choice(runnable) if runnable and rng.random() < spec.hang_rate else None
        for step in command.document.steps:
            skipped = step not in runnable
            if command.script is not None:
                duration = command.script.seconds
                exit_code = command.script.exit_code
            else:
                duration = rng.uniform(*spec.duration) / max(1, len(runnable))
                exit_code = spec.exit_code if step is failing else 0
            plugins.append(
                SimPlugin(step, duration, exit_code, hangs=step is hanging, skipped=skipped)
            )
        return SimInvocation(command, instance, plugins, rng.uniform(*spec.delivery_delay))

    # -- invocations run --------------------------------------------------------------------

    def _dispatch(self, command: SimCommand) -> None:
        """Send the command to as many waiting instances as the ramp allows (``sending_limit``)."""
        while (
            command.queue
            and command.running < sending_limit(command)
            and not command.halted
            and not command.cancel_requested
        ):
            invocation = command.queue.popleft()
            invocation.dispatched = True
            command.running += 1
            ping = invocation.instance.ping
            if ping == "Inactive":
                self._schedule(
                    self.now + UNDELIVERABLE_AFTER_SECONDS, self._undeliverable(invocation)
                )
            elif ping == "ConnectionLost":
                invocation.status, invocation.details = "Delayed", "Delayed"
                command.started += 1
            else:
                self._schedule(self.now + invocation.delivery_delay, self._deliver(invocation))
        self._refresh_command(command)

    def _deliver(self, invocation: SimInvocation) -> Callable[[], None]:
        def deliver() -> None:
            if invocation.status != "Pending":
                return
            invocation.status, invocation.details = "InProgress", "In Progress"
            invocation.command.started += 1
            self._start_plugin(invocation, 0)
            self._refresh_command(invocation.command)

        return deliver

    def _undeliverable(self, invocation: SimInvocation) -> Callable[[], None]:
        def fail() -> None:
            if invocation.status == "Pending":
                self._finish(invocation, "Failed", "Undeliverable")

        return fail

    def _start_plugin(self, invocation: SimInvocation, index: int) -> None:
        if index == len(invocation.plugins):
            self._complete(invocation)
            return
        plugin = invocation.plugins[index]
        plugin.start = self.now
        if plugin.skipped:
            plugin.status, plugin.details, plugin.response_code = "Success", "Success", 0
            plugin.end = self.now
            self._start_plugin(invocation, index + 1)
            return
        plugin.status, plugin.details = "InProgress", "In Progress"
        limit = invocation.command.execution_timeout
        times_out = plugin.hangs or plugin.duration > limit
        ends = self.now + (limit if times_out else plugin.duration)
        self._schedule(ends, self._plugin_ended(invocation, index, times_out))

    def _plugin_ended(
        self, invocation: SimInvocation, index: int, timed_out: bool
    ) -> Callable[[], None]:
        def end() -> None:
            plugin = invocation.plugins[index]
            if plugin.status != "InProgress" or invocation.status != "InProgress":
                return
            plugin.end = self.now
            if timed_out:
                plugin.status, plugin.details = "TimedOut", "Execution Timed Out"
                plugin.response_code = killed_code(invocation.instance.platform)
            elif plugin.exit_code:
                plugin.status, plugin.details = "Failed", "Failed"
                plugin.response_code = plugin.exit_code
            else:
                plugin.status, plugin.details, plugin.response_code = "Success", "Success", 0
            self._start_plugin(invocation, index + 1)

        return end

    def _complete(self, invocation: SimInvocation) -> None:
        """Every step ran: the invocation takes the outcome of its steps in the SSM Agent's
        order, Failed over TimedOut over Cancelled over Success (aws/amazon-ssm-agent,
        agent/contracts/aggregator.go): a failed step and a timed-out one make it Failed."""
        statuses = {plugin.status for plugin in invocation.plugins}
        for status, details in _OUTCOME_ORDER:
            if status in statuses:
                self._finish(invocation, status, details)
                return
        self._finish(invocation, "Success", "Success")

    def _finish(self, invocation: SimInvocation, status: str, details: str) -> None:
        """The one place an invocation becomes final, so the command's counts stay true."""
        command = invocation.command
        if invocation.terminal:
            return
        for plugin in invocation.plugins:
            if plugin.status in ("Pending", "InProgress"):
                plugin.status, plugin.details = status, details
                if plugin.start is not None:
                    plugin.end = self.now
                    plugin.response_code = killed_code(invocation.instance.platform)
        if invocation.status == "Cancelling":
            command.cancelling -= 1
        elif invocation.status == "Pending":
            command.started += 1
        invocation.status, invocation.details = status, details
        command.terminal_details[details] += 1
        if invocation.dispatched:
            command.running -= 1
        if command.error_count > command.error_limit and not command.halted:
            self._halt(command)
        self._dispatch(command)

    def _alarm_goes_off(self, command: SimCommand) -> None:
        """The command's CloudWatch alarm went into ALARM: the command names it in
        TriggeredAlarms and stops. AlarmConfiguration's reference says a command "continues to
        run" only while its alarm is OK or INSUFFICIENT_DATA; what stopping leaves is not
        written down, so it is what MaxErrors does, the other way Run Command stops a
        command: nothing more is sent, the waiting invocations are Terminated, the running
        ones finish."""
        if command.status not in ("Pending", "InProgress"):
            return
        command.triggered_alarms = command.alarms
        self._halt(command)
        self._refresh_command(command)

    def _halt(self, command: SimCommand) -> None:
        """MaxErrors exceeded, or an alarm went off: nothing more is sent, the waiting ones are
        terminated."""
        command.halted = True
        while command.queue:
            self._finish(command.queue.popleft(), "Cancelled", "Terminated")

    def _delivery_deadline(self, command: SimCommand) -> Callable[[], None]:
        """TimeoutSeconds has passed: what has not started will not (the API reference,
        SendCommand: "If this time is reached and the command hasn't already started running,
        it won't run"). It stays Pending or Delayed until the command expires."""

        def deadline() -> None:
            command.queue.clear()

        return deadline

    def _expire(self, command: SimCommand) -> Callable[[], None]:
        """The total timeout (TimeoutSeconds plus the execution timeout, ExpiresAfter) has
        passed: every invocation not final is Delivery Timed Out (the user guide,
        "Understanding command statuses", Pending; the API reference, Command.ExpiresAfter)."""

        def expire() -> None:
            command.queue.clear()
            for invocation in list(command.invocations.values()):
                if not invocation.terminal and invocation.status != "Cancelling":
                    self._finish(invocation, "TimedOut", "Delivery Timed Out")

        return expire

    def cancel(self, command: SimCommand, instance_ids: Iterable[str] | None = None) -> None:
        """CancelCommand: waiting invocations stop at once, running ones after a short grace."""
        if instance_ids is None:
            command.cancel_requested = True
            chosen = list(command.invocations.values())
        else:
            chosen = [command.invocations[i] for i in instance_ids if i in command.invocations]
        waiting = set(chosen)
        command.queue = type(command.queue)(i for i in command.queue if i not in waiting)
        for invocation in chosen:
            if invocation.status in ("Pending", "Delayed"):
                self._finish(invocation, "Cancelled", "Cancelled")
            elif invocation.status == "InProgress":
                invocation.status, invocation.details = "Cancelling", "Cancelling"
                command.cancelling += 1
                self._schedule(self.now + CANCEL_GRACE_SECONDS, self._cancelled(invocation))
        self._refresh_command(command)

    def _cancelled(self, invocation: SimInvocation) -> Callable[[], None]:
        def done() -> None:
            if invocation.status == "Cancelling":
                self._finish(invocation, "Cancelled", "Cancelled")

        return done

    # -- the command's own status -----------------------------------------------------------

    def _refresh_command(self, command: SimCommand) -> None:
        if command.target_count == 0:
            return
        if command.completed_count < command.target_count:
            if command.cancel_requested or command.cancelling:
                command.status, command.details = "Cancelling", "Cancelling"
            elif command.started == 0:
                command.status, command.details = "Pending", "Pending"
            else:
                command.status, command.details = "InProgress", "In Progress"
            return
        command.status, command.details = _final_status(command)

    # -- reading ----------------------------------------------------------------------------

    def newest_first(self, before: tuple[float, int] | None = None) -> Iterable[SimCommand]:
        """Commands newest first, starting after the cursor ``before`` when one is given."""
        end = len(self.ordered) if before is None else bisect.bisect_left(self._order_keys, before)
        return (self.ordered[i] for i in range(end - 1, -1, -1))

    def output_seed(self, command: SimCommand) -> str:
        return hashlib.blake2b(
            f"{self.seed}/{command.command_id}".encode(), digest_size=8
        ).hexdigest()


def _private_address(bits: int) -> str:
    """A 10.x.y.z address for DescribeInstanceInformation; data only, never contacted."""
    return f"10.{bits >> 16}.{(bits >> 8) & 0xFF}.{max(1, bits & 0xFF)}"


def sending_limit(command: SimCommand) -> int:
    """How many invocations may be under way now: one at first, one more for each that
    completed, up to MaxConcurrency. The user guide (Run Command, "Using concurrency
    controls"): "The queueing system delivers the command to a single instance and waits
    until the initial invocation completes before sending the command to two more instances.
    The system exponentially sends commands to more instances until the value of
    max-concurrency is met." One more per completion is that doubling: 1, then 2, then 4."""
    return min(command.concurrency_limit, 1 + command.completed_count)


EC2_DOMAIN = "ec2.internal"
"""EC2's private DNS suffix in us-east-1 (elsewhere REGION.compute.internal): the simulated
fleet lives in one place, whatever region a client names."""


WINDOWS_DOMAIN = "WORKGROUP"
"""The Domain WMI reports for a Windows machine in no domain."""


def _host_name(platform: str, address: str, instance_id: str) -> str:
    """The host name an instance's agent reports: ``ip-10-0-1-23.ec2.internal`` from its
    private address on Linux and macOS; on Windows, WMI's DNSHostName and Domain joined by a
    dot (the agent's own rule), so ``EC2AMAZ-`` and seven characters (the name Windows AMIs
    give themselves at launch) in the default workgroup."""
    if platform == "Windows":
        digest = hashlib.blake2b(instance_id.encode(), digest_size=8).hexdigest()
        return f"EC2AMAZ-{digest[:7].upper()}.{WINDOWS_DOMAIN}"
    return f"ip-{address.replace('.', '-')}.{EC2_DOMAIN}"


def _resolve_limit(value: str, targets: int, minimum: int) -> int:
    """MaxConcurrency / MaxErrors as a count of instances: '10' or '10%' of the targets."""
    if value.endswith("%"):
        return max(minimum, math.ceil(int(value[:-1]) * targets / 100))
    return max(minimum, int(value))


def _final_status(command: SimCommand) -> tuple[str, str]:
    details = command.terminal_details
    if command.cancel_requested:
        return "Cancelled", "Cancelled"
    if command.error_count > command.error_limit:
        if details["Execution Timed Out"] > details["Failed"]:
            return "TimedOut", "Execution Timed Out"
        return "Failed", "Failed"
    if command.delivery_timed_out_count > command.error_limit:
        return "TimedOut", "Delivery Timed Out"
    if details["Undeliverable"] == command.target_count:
        return "Failed", "Failed"  # the user guide: all invocations undeliverable is Failed
    if details["Success"] + details["Undeliverable"] == command.target_count:
        return "Success", "Success"
    return "Failed", "Incomplete"


_SLEEP = re.compile(r"^\s*sleep\s+(\d+(?:\.\d+)?)\s*$")
_EXIT = re.compile(r"^\s*exit\s+(\d+)\s*$")
_ECHO = re.compile(r"^\s*echo\s+(.*)$")


def read_script(lines: Iterable[str]) -> Script:
    """Understand the little a simulator can of a shell script: echo, sleep and exit.

    Scripts that drive the simulator through SendCommand use these to choose an outcome:
    ``["echo hello", "sleep 30", "exit 3"]`` prints hello, runs 30 s and fails with code 3.
    """
    script = Script(seconds=1.0)
    output = []
    for line in lines:
        if match := _ECHO.match(line):
            output.append(match.group(1).strip("'\""))
        elif match := _SLEEP.match(line):
            script.seconds += float(match.group(1))
        elif match := _EXIT.match(line):
            script.exit_code = int(match.group(1))
            break
    script.stdout = "".join(f"{text}\n" for text in output)
    return script
