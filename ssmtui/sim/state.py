"""The simulator's mutable records: instances, commands, invocations and plugins.

These are the service's own books, not the client's model: the engine changes them in place as
time moves, and the API layer renders them into AWS's wire shapes on every request.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from ssmtui.model.status import is_terminal
from ssmtui.sim.documents import Document, Step


@dataclass(slots=True, eq=False)
class SimInstance:
    id: str
    name: str
    platform: str
    platform_name: str
    platform_version: str
    ping: str
    ip_address: str
    agent_version: str
    registered: float
    last_ping: float
    tags: dict[str, str] = field(default_factory=dict)
    host_name: str = ""
    """What SSM sends as an invocation's InstanceName and the node's ComputerName (botocore's
    model: "the fully qualified host name"), not the Name tag, which is in ``tags``."""


@dataclass(slots=True, eq=False)
class Script:
    """What a command sent through SendCommand asked for, read from its ``commands`` parameter."""

    stdout: str = ""
    exit_code: int = 0
    seconds: float = 0.0


@dataclass(slots=True, eq=False)
class SimPlugin:
    step: Step
    duration: float
    exit_code: int
    hangs: bool = False
    skipped: bool = False
    status: str = "Pending"
    details: str = "Pending"
    response_code: int = -1
    start: float | None = None
    end: float | None = None

    @property
    def name(self) -> str:
        return self.step.name


@dataclass(slots=True, eq=False)
class SimInvocation:
    command: SimCommand
    instance: SimInstance
    plugins: list[SimPlugin]
    delivery_delay: float
    status: str = "Pending"
    details: str = "Pending"
    dispatched: bool = False

    @property
    def terminal(self) -> bool:
        return is_terminal(self.status)

    def running_plugin(self) -> SimPlugin | None:
        return next((p for p in self.plugins if p.status == "InProgress"), None)


@dataclass(slots=True, eq=False)
class SimCommand:
    command_id: str
    seq: int
    document: Document
    requested: float
    timeout_seconds: int
    execution_timeout: int
    comment: str
    max_concurrency: str
    max_errors: str
    concurrency_limit: int
    error_limit: int
    output_kind: str
    targets: list[dict[str, Any]]
    instance_ids: list[str]
    parameters: dict[str, list[str]]
    output_s3_bucket: str | None = None
    output_s3_prefix: str = ""
    output_s3_region: str = "us-east-1"
    cloudwatch: bool = False
    cloudwatch_log_group: str | None = None
    script: Script | None = None
    alarms: tuple[str, ...] = ()
    triggered_alarms: tuple[str, ...] = ()
    """Those of ``alarms`` that went into ALARM while it ran (the command's TriggeredAlarms)."""
    document_version: str = "$DEFAULT"
    """As asked for; AWS answers ``$DEFAULT`` when SendCommand named no DocumentVersion."""
    targets_resolved_at: float = 0.0
    """Until then a command sent with Targets shows TargetCount 0 and no invocations: the
    service resolves the targets after it answered SendCommand."""
    status: str = "Pending"
    details: str = "Pending"
    invocations: dict[str, SimInvocation] = field(default_factory=dict)
    instance_order: list[str] = field(default_factory=list)
    queue: deque[SimInvocation] = field(default_factory=deque)
    running: int = 0
    cancelling: int = 0
    started: int = 0
    """Invocations that have left Pending; while none has, the command itself is Pending."""
    terminal_details: Counter[str] = field(default_factory=Counter)
    cancel_requested: bool = False
    halted: bool = False

    @property
    def expires_after(self) -> float:
        return self.requested + self.timeout_seconds + self.execution_timeout

    @property
    def target_count(self) -> int:
        return len(self.invocations)

    @property
    def completed_count(self) -> int:
        return sum(self.terminal_details.values())

    @property
    def error_count(self) -> int:
        return self.terminal_details["Failed"] + self.terminal_details["Execution Timed Out"]

    @property
    def delivery_timed_out_count(self) -> int:
        return self.terminal_details["Delivery Timed Out"]

    @property
    def sort_key(self) -> tuple[float, int]:
        return (self.requested, self.seq)

    def step_of(self, name: str) -> tuple[int, Step] | None:
        for index, step in enumerate(self.document.steps):
            if step.name == name:
                return index, step
        return None
