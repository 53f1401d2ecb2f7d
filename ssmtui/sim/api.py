"""The simulated SSM operations: request parameters in, AWS wire shapes out.

Each operation validates its input against botocore's service model, brings the engine up to
the clock's present, and renders the engine's records into exactly the output shapes of the
model. Nothing here knows about HTTP; ``server.py`` carries these dicts over the wire.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, StringShape, StructureShape

from ssmtui.model.clock import parse_iso
from ssmtui.model.cloudwatch import log_group
from ssmtui.model.output_limits import STDERR_LIMIT, STDOUT_LIMIT
from ssmtui.model.status import (
    COMMAND_STATUS_FILTER_VALUES,
    INVOCATION_STATUS_FILTER_VALUES,
    is_terminal,
)
from ssmtui.sim.agent_output import console_output, listed_output
from ssmtui.sim.clock import Clock
from ssmtui.sim.documents import skipped_step_output
from ssmtui.sim.engine import Engine, read_script
from ssmtui.sim.errors import SimError, validation_error
from ssmtui.sim.plugin_text import finished_output
from ssmtui.sim.scenario import CommandSpec, TargetSpec
from ssmtui.sim.state import SimCommand, SimInstance, SimInvocation, SimPlugin
from ssmtui.sim.tokens import TokenCodec, query_fingerprint
from ssmtui.sim.validation import validate

DEFAULT_PAGE = 50

# Filter values that name a StatusDetails rather than a Status.
_DETAILS_NAMED_BY_FILTER = {
    "AccessDenied": "Access Denied",
    "DeliveryTimedOut": "Delivery Timed Out",
    "ExecutionTimedOut": "Execution Timed Out",
    "Incomplete": "Incomplete",
    "NoInstancesInTag": "No Instances In Tag",
    "LimitExceeded": "Rate Exceeded",
    "Undeliverable": "Undeliverable",
    "InvalidPlatform": "Invalid Platform",
    "Terminated": "Terminated",
}


def _status_matchers(values: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Each Status filter value: which field of a record it matches, and against what."""
    return {
        value: ("details", _DETAILS_NAMED_BY_FILTER[value])
        if value in _DETAILS_NAMED_BY_FILTER
        else ("status", value)
        for value in values
    }


COMMAND_STATUS_FILTERS = _status_matchers(COMMAND_STATUS_FILTER_VALUES)
INVOCATION_STATUS_FILTERS = _status_matchers(INVOCATION_STATUS_FILTER_VALUES)
_INSTANCE_FILTER_KEYS = {
    "InstanceIds",
    "PingStatus",
    "PlatformTypes",
    "ResourceType",
    "AgentVersion",
}

Record = SimCommand | SimInvocation
Predicate = Callable[[Any], bool]


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service``: read and parsed once per process (about 40 ms each),
    not once per simulator, and never changed after."""
    return botocore.session.get_session().get_service_model(service)


def _epoch(timestamp: float) -> float:
    """Seconds since the epoch with AWS's millisecond precision."""
    return round(timestamp, 3)


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _parse_filter_time(value: str, key: str) -> float:
    try:
        moment = parse_iso(value)
    except ValueError:
        raise validation_error(
            [
                f"Value '{value}' for filter {key} is not an ISO-8601 timestamp "
                "such as 2024-07-07T00:00:00Z"
            ]
        ) from None
    return moment.timestamp()


class SsmApi:
    """The operations of the simulated service, over one engine and one clock."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.model = service_model("ssm")
        self._tokens = TokenCodec(f"ssmtui-sim/{engine.seed}".encode())
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "ListCommands": self.list_commands,
            "ListCommandInvocations": self.list_command_invocations,
            "GetCommandInvocation": self.get_command_invocation,
            "DescribeInstanceInformation": self.describe_instance_information,
            "SendCommand": self.send_command,
            "CancelCommand": self.cancel_command,
        }

    def handle(self, operation: str, params: Any) -> dict[str, Any]:
        handler = self._handlers.get(operation)
        if handler is None:
            known = operation in self.model.operation_names
            message = (
                f"The ssmtui simulator does not implement {operation}."
                if known
                else f"Unknown operation {operation!r}."
            )
            raise SimError("UnknownOperationException", message)
        operation_model: OperationModel = self.model.operation_model(operation)
        input_shape = operation_model.input_shape
        assert isinstance(input_shape, StructureShape)
        if isinstance(params, dict):
            self._check_filter_keys(operation, params)
        validate(input_shape, params)
        self.engine.advance_to(self.clock.now().timestamp())
        return handler(params)

    def _check_filter_keys(self, operation: str, params: dict[str, Any]) -> None:
        """An unknown filter key is InvalidFilterKey, not a generic validation error."""
        filters = params.get("Filters")
        if operation in ("ListCommands", "ListCommandInvocations") and isinstance(filters, list):
            key_shape = self.model.shape_for("CommandFilterKey")
            allowed = set(key_shape.enum) if isinstance(key_shape, StringShape) else set()
            if operation == "ListCommandInvocations":
                allowed.discard("ExecutionStage")  # "only with ListCommands" (AWS CLI reference)
            for item in filters:
                if isinstance(item, dict) and item.get("key") not in allowed:
                    raise SimError(
                        "InvalidFilterKey",
                        f"The filter key {item.get('key')!r} isn't valid for {operation}.",
                    )

    # -- ListCommands -----------------------------------------------------------------------

    def list_commands(self, params: dict[str, Any]) -> dict[str, Any]:
        predicate = self._command_filters(params.get("Filters") or [], COMMAND_STATUS_FILTERS)
        command_id = params.get("CommandId")
        if command_id is not None:
            if command_id not in self.engine.commands:
                raise SimError("InvalidCommandId", "The specified command ID isn't valid.")
            only = self.engine.commands[command_id]
            predicate = _both(predicate, lambda c: c is only)
        instance_id = params.get("InstanceId")
        if instance_id is not None:
            pending = {"key": "Status", "value": "Pending"}
            if pending in (params.get("Filters") or []):
                # The API reference, ListCommands, InstanceId: "You can't specify a managed
                # node ID in the same command that you specify Status = Pending."
                raise validation_error(
                    ["InstanceId cannot be combined with the filter Status = Pending"]
                )
            predicate = _both(predicate, lambda c: instance_id in c.invocations)

        query = query_fingerprint(params)
        cursor = self._cursor("ListCommands", params, query)
        before = (cursor[0], cursor[1]) if cursor else None
        matches = (c for c in self.engine.newest_first(before) if predicate(c))
        page, more = _take(matches, params.get("MaxResults", DEFAULT_PAGE))
        result: dict[str, Any] = {"Commands": [self._command(c) for c in page]}
        if more and page:
            last = page[-1]
            result["NextToken"] = self._tokens.encode(
                "ListCommands", query, [last.requested, last.seq]
            )
        return result

    def _command(self, command: SimCommand) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "CommandId": command.command_id,
            "DocumentName": command.document.name,
            "DocumentVersion": command.document_version,
            "Comment": command.comment,
            "ExpiresAfter": _epoch(command.expires_after),
            "Parameters": command.parameters,
            "InstanceIds": command.instance_ids,
            "Targets": command.targets,
            "RequestedDateTime": _epoch(command.requested),
            "Status": command.status,
            "StatusDetails": command.details,
            "MaxConcurrency": command.max_concurrency,
            "MaxErrors": command.max_errors,
            "TargetCount": command.target_count if self.engine.targets_resolved(command) else 0,
            "CompletedCount": command.completed_count,
            "ErrorCount": command.error_count,
            "DeliveryTimedOutCount": command.delivery_timed_out_count,
            "ServiceRole": "",
            "NotificationConfig": {"NotificationArn": "", "NotificationEvents": []},
            "CloudWatchOutputConfig": self._cloudwatch(command),
            "TimeoutSeconds": command.timeout_seconds,
        }
        if command.alarms:
            wire["AlarmConfiguration"] = {
                "IgnorePollAlarmFailure": False,
                "Alarms": [{"Name": name} for name in command.alarms],
            }
        if command.triggered_alarms:
            wire["TriggeredAlarms"] = [
                {"Name": name, "State": "ALARM"} for name in command.triggered_alarms
            ]
        if command.output_s3_bucket:
            wire["OutputS3Region"] = command.output_s3_region
            wire["OutputS3BucketName"] = command.output_s3_bucket
            wire["OutputS3KeyPrefix"] = command.output_s3_prefix
        return wire

    @staticmethod
    def _cloudwatch(command: SimCommand) -> dict[str, Any]:
        if not command.cloudwatch:
            return {"CloudWatchOutputEnabled": False}
        group = log_group(command.cloudwatch_log_group, command.document.name)
        return {"CloudWatchLogGroupName": group, "CloudWatchOutputEnabled": True}

    # -- ListCommandInvocations -------------------------------------------------------------

    def list_command_invocations(self, params: dict[str, Any]) -> dict[str, Any]:
        predicate = self._command_filters(params.get("Filters") or [], INVOCATION_STATUS_FILTERS)
        command_id = params.get("CommandId")
        instance_id = params.get("InstanceId")
        details = bool(params.get("Details", False))
        query = query_fingerprint(params)
        cursor = self._cursor("ListCommandInvocations", params, query)

        if command_id is not None:
            command = self.engine.commands.get(command_id)
            commands: Iterable[SimCommand] = [command] if command else []
        else:
            before = (cursor[0], cursor[1] + 1) if cursor else None
            commands = self.engine.newest_first(before)
        commands = (c for c in commands if self.engine.targets_resolved(c))

        def candidates() -> Iterator[SimInvocation]:
            for command in commands:
                if instance_id is not None:
                    invocation = command.invocations.get(instance_id)
                    after_cursor = not cursor or (command.requested, command.seq) != (
                        cursor[0],
                        cursor[1],
                    )
                    if invocation is not None and after_cursor:
                        yield invocation
                    continue
                order = command.instance_order
                start = 0
                if cursor and (command.requested, command.seq) == (cursor[0], cursor[1]):
                    start = bisect.bisect_right(order, cursor[2])
                for index in range(start, len(order)):
                    yield command.invocations[order[index]]

        matches = (i for i in candidates() if predicate(i))
        page, more = _take(matches, params.get("MaxResults", DEFAULT_PAGE))
        result: dict[str, Any] = {
            "CommandInvocations": [self._invocation(i, details) for i in page]
        }
        if more and page:
            last = page[-1]
            result["NextToken"] = self._tokens.encode(
                "ListCommandInvocations",
                query,
                [last.command.requested, last.command.seq, last.instance.id],
            )
        return result

    def _invocation(self, invocation: SimInvocation, details: bool) -> dict[str, Any]:
        command = invocation.command
        urls = (
            self._plugin_urls(invocation, invocation.plugins[0])
            if len(invocation.plugins) == 1
            else ("", "")
        )
        return {
            "CommandId": command.command_id,
            "InstanceId": invocation.instance.id,
            "InstanceName": invocation.instance.host_name,
            "Comment": command.comment,
            "DocumentName": command.document.name,
            "DocumentVersion": command.document_version,
            "RequestedDateTime": _epoch(command.requested),
            "Status": invocation.status,
            "StatusDetails": invocation.details,
            "TraceOutput": "",
            "StandardOutputUrl": urls[0],
            "StandardErrorUrl": urls[1],
            "CommandPlugins": [self._plugin(invocation, p) for p in invocation.plugins]
            if details
            else [],
            "ServiceRole": "",
            "NotificationConfig": {"NotificationArn": "", "NotificationEvents": []},
            "CloudWatchOutputConfig": self._cloudwatch(command),
        }

    def _plugin(self, invocation: SimInvocation, plugin: SimPlugin) -> dict[str, Any]:
        command = invocation.command
        stdout, stderr = finished_output(self.engine, invocation, plugin)
        stdout_url, stderr_url = self._plugin_urls(invocation, plugin)
        wire: dict[str, Any] = {
            "Name": plugin.name,
            "Status": plugin.status,
            "StatusDetails": plugin.details,
            "ResponseCode": plugin.response_code,
            "Output": skipped_step_output(plugin.step)
            if plugin.skipped
            else listed_output(stdout, stderr),
            "StandardOutputUrl": stdout_url,
            "StandardErrorUrl": stderr_url,
        }
        if plugin.start is not None:
            wire["ResponseStartDateTime"] = _epoch(plugin.start)
        if plugin.end is not None:
            wire["ResponseFinishDateTime"] = _epoch(plugin.end)
        if command.output_s3_bucket:
            wire["OutputS3Region"] = command.output_s3_region
            wire["OutputS3BucketName"] = command.output_s3_bucket
            wire["OutputS3KeyPrefix"] = plugin_s3_key(invocation, plugin)
        return wire

    def _plugin_urls(self, invocation: SimInvocation, plugin: SimPlugin) -> tuple[str, str]:
        command = invocation.command
        if not command.output_s3_bucket or not is_terminal(plugin.status):
            return "", ""
        key = plugin_s3_key(invocation, plugin)
        base = (
            f"https://s3.{command.output_s3_region}.amazonaws.com/{command.output_s3_bucket}/{key}"
        )
        return f"{base}/stdout", f"{base}/stderr"

    # -- GetCommandInvocation ---------------------------------------------------------------

    def get_command_invocation(self, params: dict[str, Any]) -> dict[str, Any]:
        command = self.engine.commands.get(params["CommandId"])
        invocation = command.invocations.get(params["InstanceId"]) if command else None
        if command is None or invocation is None or not self.engine.targets_resolved(command):
            raise SimError(
                "InvocationDoesNotExist",
                "The command ID and managed node ID you specified didn't match any invocations.",
            )
        plugin_name = params.get("PluginName")
        if plugin_name is None:
            if len(invocation.plugins) > 1:
                raise SimError(
                    "InvalidPluginName",
                    "The document has more than one step; name the step in PluginName.",
                )
            plugin = invocation.plugins[0]
        else:
            found = next((p for p in invocation.plugins if p.name == plugin_name), None)
            if found is None:
                raise SimError("InvalidPluginName", f"The plugin name {plugin_name!r} isn't valid.")
            plugin = found
        stdout, stderr = finished_output(self.engine, invocation, plugin)
        stdout_url, stderr_url = self._plugin_urls(invocation, plugin)
        status, details = plugin.status, plugin.details
        if status == "Pending" or invocation.status in ("Delayed", "Cancelling"):
            status, details = invocation.status, invocation.details
        finished = plugin.end is not None and plugin.start is not None
        elapsed = (
            (plugin.end if plugin.end is not None else self.engine.now) - plugin.start
            if plugin.start is not None
            else None
        )
        return {
            "CommandId": command.command_id,
            "InstanceId": invocation.instance.id,
            "Comment": command.comment,
            "DocumentName": command.document.name,
            "DocumentVersion": command.document_version,
            "PluginName": plugin.name,
            "ResponseCode": plugin.response_code,
            "ExecutionStartDateTime": _iso(plugin.start) if plugin.start is not None else "",
            "ExecutionElapsedTime": f"PT{elapsed:.3f}S" if elapsed is not None else "",
            "ExecutionEndDateTime": _iso(plugin.end) if finished and plugin.end else "",
            "Status": status,
            "StatusDetails": details,
            "StandardOutputContent": console_output(stdout, STDOUT_LIMIT),
            "StandardOutputUrl": stdout_url,
            "StandardErrorContent": console_output(stderr, STDERR_LIMIT),
            "StandardErrorUrl": stderr_url,
            "CloudWatchOutputConfig": self._cloudwatch(command),
        }

    # -- DescribeInstanceInformation --------------------------------------------------------

    def describe_instance_information(self, params: dict[str, Any]) -> dict[str, Any]:
        checks: list[Predicate] = []
        for item in params.get("InstanceInformationFilterList") or []:
            checks.append(self._instance_filter(item["key"], item["valueSet"]))
        for item in params.get("Filters") or []:
            checks.append(self._instance_filter(item["Key"], item["Values"]))
        query = query_fingerprint(params)
        cursor = self._cursor("DescribeInstanceInformation", params, query)
        ids = self.engine.instance_ids
        start = bisect.bisect_right(ids, cursor[0]) if cursor else 0
        matches = (
            self.engine.instances[i]
            for i in itertools.islice(ids, start, None)
            if all(check(self.engine.instances[i]) for check in checks)
        )
        page, more = _take(matches, params.get("MaxResults", DEFAULT_PAGE))
        result: dict[str, Any] = {"InstanceInformationList": [self._instance(i) for i in page]}
        if more and page:
            result["NextToken"] = self._tokens.encode(
                "DescribeInstanceInformation", query, [page[-1].id]
            )
        return result

    @staticmethod
    def _instance_filter(key: str, values: list[str]) -> Predicate:
        wanted = set(values)
        if key.startswith("tag:"):
            tag = key[4:]
            return lambda inst: inst.tags.get(tag) in wanted
        fields: dict[str, Callable[[SimInstance], str]] = {
            "InstanceIds": lambda inst: inst.id,
            "PingStatus": lambda inst: inst.ping,
            "PlatformTypes": lambda inst: inst.platform,
            "ResourceType": lambda _inst: "EC2Instance",
            "AgentVersion": lambda inst: inst.agent_version,
        }
        if key not in _INSTANCE_FILTER_KEYS:
            raise SimError("InvalidFilterKey", f"The filter key {key!r} isn't valid.")
        field = fields[key]
        return lambda inst: field(inst) in wanted

    def _instance(self, instance: SimInstance) -> dict[str, Any]:
        last_ping = self.engine.now - 30 if instance.ping == "Online" else instance.last_ping
        return {
            "InstanceId": instance.id,
            "PingStatus": instance.ping,
            "LastPingDateTime": _epoch(last_ping),
            "AgentVersion": instance.agent_version,
            "IsLatestVersion": True,
            "PlatformType": instance.platform,
            "PlatformName": instance.platform_name,
            "PlatformVersion": instance.platform_version,
            "ResourceType": "EC2Instance",
            "IPAddress": instance.ip_address,
            "ComputerName": instance.host_name,
            "RegistrationDate": _epoch(instance.registered),
            "SourceId": instance.id,
            "SourceType": "AWS::EC2::Instance",
        }

    # -- SendCommand / CancelCommand (for scripts that drive the simulator) ----------------

    def send_command(self, params: dict[str, Any]) -> dict[str, Any]:
        document = self.engine.documents.get(params["DocumentName"])
        if document is None:
            raise SimError("InvalidDocument", f"Document {params['DocumentName']!r} doesn't exist.")
        instance_ids = params.get("InstanceIds") or []
        target_list = params.get("Targets") or []
        if bool(instance_ids) == bool(target_list):
            raise validation_error(["Specify either InstanceIds or Targets, not both or neither"])
        targets = self._send_targets(instance_ids, target_list)
        parameters = params.get("Parameters") or {}
        execution_timeout = int((parameters.get("executionTimeout") or ["3600"])[0])
        cloudwatch = params.get("CloudWatchOutputConfig") or {}
        spec = CommandSpec(
            document=document.name,
            targets=targets,
            comment=params.get("Comment", ""),
            max_concurrency=params.get("MaxConcurrency", "50"),
            max_errors=params.get("MaxErrors", "0"),
            timeout_seconds=params.get("TimeoutSeconds", 3600),
            execution_timeout=execution_timeout,
            output_s3_bucket=params.get("OutputS3BucketName"),
            output_s3_prefix=params.get("OutputS3KeyPrefix", ""),
            output_s3_region=params.get("OutputS3Region", "us-east-1"),
            cloudwatch=bool(cloudwatch.get("CloudWatchOutputEnabled")),
            cloudwatch_log_group=cloudwatch.get("CloudWatchLogGroupName"),
            parameters={k: tuple(v) for k, v in parameters.items()},
            document_version=params.get("DocumentVersion", "$DEFAULT"),
            alarm=next(
                (a["Name"] for a in (params.get("AlarmConfiguration") or {}).get("Alarms", [])),
                None,
            ),
        )
        script = read_script(parameters.get("commands") or [])
        command = self.engine.create_command(spec, script=script)
        return {"Command": self._command(command)}

    def _send_targets(
        self, instance_ids: list[str], target_list: list[dict[str, Any]]
    ) -> TargetSpec:
        if instance_ids:
            unknown = [i for i in instance_ids if i not in self.engine.instances]
            if unknown:
                raise SimError("InvalidInstanceId", f"Instance {unknown[0]} is not a managed node.")
            return TargetSpec("instances", names=tuple(instance_ids))
        target = target_list[0]
        key, values = target.get("Key", ""), target.get("Values") or []
        if key == "InstanceIds" and values == ["*"]:
            return TargetSpec("all")
        if key == "InstanceIds":
            return self._send_targets(values, [])
        if key.startswith("tag:") and len(values) == 1:
            return TargetSpec("tag", f"{key[4:]}={values[0]}")
        raise validation_error(
            [f"The simulator supports InstanceIds and tag:KEY targets, not {key!r}"]
        )

    def cancel_command(self, params: dict[str, Any]) -> dict[str, Any]:
        command = self.engine.commands.get(params["CommandId"])
        if command is None:
            raise SimError("InvalidCommandId", "The specified command ID isn't valid.")
        instance_ids = params.get("InstanceIds") or None
        if instance_ids:
            unknown = [i for i in instance_ids if i not in command.invocations]
            if unknown:
                raise SimError("InvalidInstanceId", f"Instance {unknown[0]} is not a target.")
        self.engine.cancel(command, instance_ids)
        return {}

    # -- shared -----------------------------------------------------------------------------

    def _cursor(self, operation: str, params: dict[str, Any], query: str) -> list[Any] | None:
        token = params.get("NextToken")
        if token is None:
            return None
        return self._tokens.decode(token, operation, query)

    @staticmethod
    def _command_filters(
        filters: list[dict[str, str]], statuses: dict[str, tuple[str, str]]
    ) -> Predicate:
        checks = [_filter_check(item["key"], item["value"], statuses) for item in filters]
        return lambda record: all(check(record) for check in checks)


def _filter_check(key: str, value: str, statuses: dict[str, tuple[str, str]]) -> Predicate:
    """One CommandFilter as a predicate over commands or invocations."""
    if key in ("InvokedAfter", "InvokedBefore"):
        moment = _parse_filter_time(value, key)
        if key == "InvokedAfter":
            return lambda record: _requested(record) >= moment
        return lambda record: _requested(record) <= moment
    if key == "DocumentName":
        return lambda record: _document(record) == value
    if key == "ExecutionStage":
        if value not in ("Executing", "Complete"):
            raise validation_error(
                [f"Value '{value}' for filter ExecutionStage must be Executing or Complete"]
            )
        executing = value == "Executing"
        return lambda record: (not is_terminal(record.status)) == executing
    if value not in statuses:
        raise validation_error(
            [f"Value '{value}' for filter Status must be one of: " + ", ".join(statuses)]
        )
    field, wanted = statuses[value]
    if field == "status":
        return lambda record: record.status == wanted
    return lambda record: record.details == wanted


def _requested(record: Record) -> float:
    return record.requested if isinstance(record, SimCommand) else record.command.requested


def _document(record: Record) -> str:
    command = record if isinstance(record, SimCommand) else record.command
    return command.document.name


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda record: first(record) and second(record)


def _take(items: Iterator[Any], limit: int) -> tuple[list[Any], bool]:
    """Up to ``limit`` items, and whether at least one more exists."""
    page = list(itertools.islice(items, limit))
    more = next(items, None) is not None
    return page, more


def plugin_s3_key(invocation: SimInvocation, plugin: SimPlugin) -> str:
    """Where SSM Agent writes a step's output under the command's bucket and prefix."""
    command = invocation.command
    action = plugin.step.action.replace(":", "")
    folder = (
        f"{action}/0.{action}" if len(command.document.steps) == 1 else f"{action}/{plugin.name}"
    )
    parts = (command.output_s3_prefix, command.command_id, invocation.instance.id, folder)
    return "/".join(part for part in parts if part)
