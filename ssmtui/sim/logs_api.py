"""A sliver of CloudWatch Logs: GetLogEvents on the streams Run Command writes.

A plugin's output reaches the SSM API only when the plugin has finished; with
CloudWatchOutputConfig enabled, SSM Agent streams it to CloudWatch Logs as it is written. This
is the one near-live output source, so the simulator serves it on the same endpoint: group
``/aws/ssm/<DocumentName>`` unless the command named one, streams
``<CommandId>/<InstanceId>/<PluginId>/stdout|stderr``.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.model import StructureShape

from ssmtui.model.cloudwatch import log_group, plugin_id
from ssmtui.sim.api import service_model
from ssmtui.sim.clock import Clock
from ssmtui.sim.engine import Engine
from ssmtui.sim.errors import SimError
from ssmtui.sim.plugin_text import log_lines
from ssmtui.sim.state import SimInvocation, SimPlugin
from ssmtui.sim.validation import validate

TARGET_PREFIX = "Logs_20140328"
DEFAULT_LIMIT = 10_000
_TOKEN = re.compile(r"^([fb])/(\d{1,12})$")


class LogsApi:
    IMPLEMENTED = ("GetLogEvents",)

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.model = service_model("logs")

    def handle(self, operation: str, params: Any) -> dict[str, Any]:
        if operation not in self.IMPLEMENTED:
            raise SimError(
                "UnknownOperationException",
                f"The ssmtui simulator serves GetLogEvents of CloudWatch Logs, not {operation}.",
            )
        input_shape = self.model.operation_model(operation).input_shape
        assert isinstance(input_shape, StructureShape)
        validate(input_shape, params)
        self.engine.advance_to(self.clock.now().timestamp())
        return self.get_log_events(params)

    def _find(self, group: str, stream: str) -> tuple[SimInvocation, SimPlugin, str]:
        parts = stream.split("/")
        command = self.engine.commands.get(parts[0]) if len(parts) == 4 else None
        if command is None or not command.cloudwatch:
            raise _not_found("log stream")
        expected_group = log_group(command.cloudwatch_log_group, command.document.name)
        if group != expected_group:
            raise _not_found("log group")
        invocation = command.invocations.get(parts[1])
        plugin = (
            next((p for p in invocation.plugins if plugin_id(p.name) == parts[2]), None)
            if invocation
            else None
        )
        if invocation is None or plugin is None or parts[3] not in ("stdout", "stderr"):
            raise _not_found("log stream")
        return invocation, plugin, parts[3]

    def get_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        group = params.get("logGroupName") or params.get("logGroupIdentifier")
        if not group:
            raise SimError("InvalidParameterException", "Specify logGroupName.")
        invocation, plugin, kind = self._find(group, params["logStreamName"])
        lines = log_lines(self.engine, invocation, plugin, kind)
        if not lines:
            raise _not_found("log stream")  # the agent creates a stream with its first event
        events = [
            {"timestamp": int(moment * 1000), "message": text, "ingestionTime": int(moment * 1000)}
            for moment, text in lines
            if params.get("startTime", 0) <= moment * 1000
            and ("endTime" not in params or moment * 1000 < params["endTime"])
        ]
        limit = params.get("limit", DEFAULT_LIMIT)
        token = params.get("nextToken")
        if token is not None:
            match = _TOKEN.match(token)
            if match is None:
                raise SimError("InvalidParameterException", "The specified nextToken is invalid.")
            direction, index = match.group(1), int(match.group(2))
            if direction == "f":
                start, end = index, index + limit
            else:
                start, end = max(0, index - limit), index
        elif params.get("startFromHead", False):
            start, end = 0, limit
        else:
            start, end = max(0, len(events) - limit), len(events)
        page = events[start:end]
        return {
            "events": page,
            "nextForwardToken": f"f/{start + len(page)}",
            "nextBackwardToken": f"b/{start}",
        }


def _not_found(what: str) -> SimError:
    return SimError("ResourceNotFoundException", f"The specified {what} does not exist.")
