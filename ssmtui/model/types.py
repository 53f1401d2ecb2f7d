"""The state tree: frozen records of commands, invocations and plugin results.

Frozen so that a snapshot handed to the UI can never change under it, and so that
``reconcile`` can keep an unchanged record as the very same object from one poll to the next.
Field names are Pythonic; ``aws/parse.py`` maps AWS's names onto them and ``model/aws_shape.py``
maps them back for ``snapshot --json`` and, cut to what AWS sent (``WireShape``), for ``y``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from ssmtui.model.output_limits import LISTED_STDERR_RULE
from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus, is_terminal


@dataclass(frozen=True, slots=True)
class WireShape:
    """A record as AWS sent it, beside what the model made of it: the field names in the
    order they came, and the values of the fields the model does not hold. ``y`` shows the
    record field for field from these; the parser shares one shape among every record that
    has it (20,000 invocations of a command have a handful), so keeping it costs a pointer."""

    keys: tuple[str, ...]
    rest: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TriggeredAlarm:
    """A CloudWatch alarm of the command's AlarmConfiguration that went off: Run Command stops
    a command when one of its alarms is in ALARM."""

    name: str
    state: str


@dataclass(frozen=True, slots=True)
class OutputLocation:
    """Where the complete output lives, when the command asked for more than the API returns."""

    s3_bucket: str | None = None
    s3_prefix: str | None = None
    s3_region: str | None = None
    cloudwatch_enabled: bool = False
    cloudwatch_log_group: str | None = None


SKIPPED_BY_PRECONDITION = "Step execution skipped due to unsatisfied preconditions"
"""How the SSM Agent's Output of a step begins when its precondition did not hold
(aws/amazon-ssm-agent, ``agent/framework/runpluginutil/runpluginutil.go``)."""


@dataclass(frozen=True, slots=True)
class PluginResult:
    """One step of a document on one instance.

    AWS calls a step a plugin (``CommandPlugins``, ``PluginName``, ``ResponseCode`` of a
    ``CommandPlugin``); ssmtui says "step" wherever the operator reads, and keeps AWS's word
    only where it names AWS's own records and parameters."""

    name: str
    status: PluginStatus
    status_details: str = ""
    response_code: int = -1
    started: datetime | None = None
    finished: datetime | None = None
    output: str = ""
    """CommandPlugin.Output: stdout and stderr in at most 2,400 bytes (``output_limits``)."""
    stdout_url: str = ""
    stderr_url: str = ""
    s3_bucket: str | None = None
    s3_prefix: str | None = None
    s3_region: str | None = None
    stdout: str | None = None
    """GetCommandInvocation's StandardOutputContent (first 24,000 characters); None: not fetched."""
    stderr: str | None = None
    wire: WireShape | None = field(default=None, compare=False, repr=False)
    """The CommandPlugin record's shape as AWS sent it (None: not parsed from an answer)."""

    @property
    def terminal(self) -> bool:
        return is_terminal(self.status)

    @property
    def listed_streams(self) -> tuple[str, str]:
        """stdout and stderr as ``Output`` carries them, apart."""
        stdout, _, stderr = self.output.partition(f"\n{LISTED_STDERR_RULE}\n")
        return stdout, stderr

    @property
    def skipped(self) -> bool:
        """The step's precondition did not hold: Success, though it never ran."""
        return self.output.startswith(SKIPPED_BY_PRECONDITION)

    @property
    def has_run(self) -> bool:
        """-1 says "did not run", except on Windows, where the SSM Agent reports -1 for a step
        it killed (a time-out, a cancel): a step with start and end times has run."""
        return self.response_code != -1 or (self.started is not None and self.finished is not None)


@dataclass(frozen=True, slots=True)
class Invocation:
    """A command on one instance."""

    command_id: str
    instance_id: str
    status: InvocationStatus
    status_details: str = ""
    instance_name: str = ""
    requested: datetime | None = None
    trace_output: str = ""
    stdout_url: str = ""
    stderr_url: str = ""
    plugins: tuple[PluginResult, ...] | None = None
    """The steps, when they were asked for (Details=True); None when they were not."""
    wire: WireShape | None = field(default=None, compare=False, repr=False)

    @property
    def terminal(self) -> bool:
        return is_terminal(self.status)

    def plugin(self, name: str | None) -> PluginResult | None:
        """The step called ``name``, if its steps were fetched and it is among them."""
        return next((p for p in self.plugins or () if p.name == name), None)


@dataclass(frozen=True, slots=True)
class Command:
    """One Run Command request across its targets."""

    command_id: str
    status: CommandStatus
    status_details: str = ""
    document_name: str = ""
    document_version: str = ""
    comment: str = ""
    requested: datetime | None = None
    expires_after: datetime | None = None
    target_count: int = 0
    completed_count: int = 0
    error_count: int = 0
    delivery_timed_out_count: int = 0
    max_concurrency: str = ""
    max_errors: str = ""
    timeout_seconds: int | None = None
    targets: tuple[Target, ...] = ()
    instance_ids: tuple[str, ...] = ()
    parameters: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    output: OutputLocation = OutputLocation()
    service_role: str = ""
    alarms: tuple[str, ...] = ()
    """The CloudWatch alarms of its AlarmConfiguration, by name."""
    ignore_alarm_poll_failure: bool = False
    """AlarmConfiguration.IgnorePollAlarmFailure: go on when the alarms cannot be read."""
    triggered_alarms: tuple[TriggeredAlarm, ...] = ()
    wire: WireShape | None = field(default=None, compare=False, repr=False)

    @property
    def terminal(self) -> bool:
        return is_terminal(self.status)


@dataclass(frozen=True, slots=True)
class InvocationSet:
    """The invocations of one command as of one fetch; ``complete`` when every page came."""

    by_instance: Mapping[str, Invocation]
    fetched_at: datetime
    complete: bool = True
    changed: frozenset[str] | None = field(default=None, compare=False, repr=False)
    """A fetch can say which instances may differ from ``since`` (the set the last poll
    kept), so merging it costs what moved rather than the whole command."""
    since: InvocationSet | None = field(default=None, compare=False, repr=False)
    failed: int = 0
    """Instances known to have ended Failed or TimedOut: Undeliverable ones among them, which
    the command's ErrorCount leaves out."""


@dataclass(frozen=True, slots=True)
class FleetSnapshot:
    """Everything the poller knows at one instant: commands, and invocations where looked."""

    commands: Mapping[str, Command]
    invocations: Mapping[str, InvocationSet]
    taken_at: datetime

    @staticmethod
    def empty(at: datetime) -> FleetSnapshot:
        return FleetSnapshot(MappingProxyType({}), MappingProxyType({}), at)
