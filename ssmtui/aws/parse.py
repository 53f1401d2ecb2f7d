"""AWS response dicts into model records, tolerant of what AWS leaves out or adds.

A missing field becomes its empty default, a value of the wrong type is ignored, and a status
AWS invented after this was written is kept as it is. Only a record with no identity at all
(no CommandId, no InstanceId) is refused, because it cannot be tracked from poll to poll.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from ssmtui.model.aws_shape import COMMAND_FIELDS, INVOCATION_FIELDS, PLUGIN_FIELDS
from ssmtui.model.clock import parse_iso
from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus
from ssmtui.model.types import (
    Command,
    Invocation,
    OutputLocation,
    PluginResult,
    Target,
    TriggeredAlarm,
    WireShape,
)


class MalformedRecord(ValueError):
    """A record that cannot be tracked: it has no identity."""


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def _optional_text(raw: Mapping[str, Any], key: str) -> str | None:
    return _text(raw, key) or None


def _int(raw: Mapping[str, Any], key: str, default: int = 0) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value


def _time(raw: Mapping[str, Any], key: str) -> datetime | None:
    """botocore gives datetimes; GetCommandInvocation gives ISO strings; "" means none."""
    value = raw.get(key)
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (ValueError, OverflowError, OSError):
            return None  # a time no calendar holds
    if isinstance(value, str) and value:
        try:
            return parse_iso(value)
        except ValueError:
            return None
    return None


def _required(raw: Mapping[str, Any], key: str, what: str) -> str:
    value = _text(raw, key)
    if not value:
        raise MalformedRecord(f"a {what} without {key}")
    return value


def _targets(raw: Mapping[str, Any]) -> tuple[Target, ...]:
    return tuple(
        Target(_text(item, "Key"), tuple(v for v in item.get("Values") or () if isinstance(v, str)))
        for item in _records(raw, "Targets")
    )


def _records(raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The objects of the list under ``key``; none when it is missing or not a list."""
    items = raw.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _object(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The object under ``key``; an empty one when it is missing or not an object."""
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _parameters(raw: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    items = raw.get("Parameters")
    if not isinstance(items, dict):
        return MappingProxyType({})
    return MappingProxyType(
        {
            str(key): tuple(v for v in values if isinstance(v, str))
            for key, values in items.items()
            if isinstance(values, list)
        }
    )


def _output(raw: Mapping[str, Any]) -> OutputLocation:
    cloudwatch = _object(raw, "CloudWatchOutputConfig")
    return OutputLocation(
        s3_bucket=_optional_text(raw, "OutputS3BucketName"),
        s3_prefix=_optional_text(raw, "OutputS3KeyPrefix"),
        s3_region=_optional_text(raw, "OutputS3Region"),
        cloudwatch_enabled=cloudwatch.get("CloudWatchOutputEnabled") is True,
        cloudwatch_log_group=_optional_text(cloudwatch, "CloudWatchLogGroupName"),
    )


def parse_command(raw: Mapping[str, Any]) -> Command:
    instance_ids = raw.get("InstanceIds")
    timeout = raw.get("TimeoutSeconds")
    alarms = _object(raw, "AlarmConfiguration")
    return Command(
        command_id=_required(raw, "CommandId", "command"),
        status=CommandStatus(_text(raw, "Status") or "Unknown"),
        status_details=_text(raw, "StatusDetails"),
        document_name=_text(raw, "DocumentName"),
        document_version=_text(raw, "DocumentVersion"),
        comment=_text(raw, "Comment"),
        requested=_time(raw, "RequestedDateTime"),
        expires_after=_time(raw, "ExpiresAfter"),
        target_count=_int(raw, "TargetCount"),
        completed_count=_int(raw, "CompletedCount"),
        error_count=_int(raw, "ErrorCount"),
        delivery_timed_out_count=_int(raw, "DeliveryTimedOutCount"),
        max_concurrency=_text(raw, "MaxConcurrency"),
        max_errors=_text(raw, "MaxErrors"),
        timeout_seconds=timeout
        if isinstance(timeout, int) and not isinstance(timeout, bool)
        else None,
        targets=_targets(raw),
        instance_ids=tuple(i for i in instance_ids if isinstance(i, str))
        if isinstance(instance_ids, list)
        else (),
        parameters=_parameters(raw),
        output=_output(raw),
        service_role=_text(raw, "ServiceRole"),
        alarms=tuple(
            _text(alarm, "Name") for alarm in _records(alarms, "Alarms") if _text(alarm, "Name")
        ),
        ignore_alarm_poll_failure=alarms.get("IgnorePollAlarmFailure") is True,
        triggered_alarms=tuple(
            TriggeredAlarm(_text(alarm, "Name"), _text(alarm, "State"))
            for alarm in _records(raw, "TriggeredAlarms")
        ),
        wire=_shape(raw, COMMAND_FIELDS),
    )


def parse_plugin(raw: Mapping[str, Any]) -> PluginResult:
    return PluginResult(
        name=_text(raw, "Name") or "(unnamed step)",
        status=PluginStatus(_text(raw, "Status") or "Unknown"),
        status_details=_text(raw, "StatusDetails"),
        response_code=_int(raw, "ResponseCode", -1),
        started=_time(raw, "ResponseStartDateTime"),
        finished=_time(raw, "ResponseFinishDateTime"),
        output=_text(raw, "Output"),
        stdout_url=_text(raw, "StandardOutputUrl"),
        stderr_url=_text(raw, "StandardErrorUrl"),
        s3_bucket=_optional_text(raw, "OutputS3BucketName"),
        s3_prefix=_optional_text(raw, "OutputS3KeyPrefix"),
        s3_region=_optional_text(raw, "OutputS3Region"),
        wire=_shape(raw, PLUGIN_FIELDS),
    )


def parse_invocation(raw: Mapping[str, Any], *, with_plugins: bool) -> Invocation:
    """``with_plugins``: the call asked for Details, so CommandPlugins is meaningful."""
    plugins = raw.get("CommandPlugins")
    return Invocation(
        command_id=_required(raw, "CommandId", "command invocation"),
        instance_id=_required(raw, "InstanceId", "command invocation"),
        status=InvocationStatus(_text(raw, "Status") or "Unknown"),
        status_details=_text(raw, "StatusDetails"),
        instance_name=_text(raw, "InstanceName"),
        requested=_time(raw, "RequestedDateTime"),
        trace_output=_text(raw, "TraceOutput"),
        stdout_url=_text(raw, "StandardOutputUrl"),
        stderr_url=_text(raw, "StandardErrorUrl"),
        plugins=tuple(parse_plugin(p) for p in plugins if isinstance(p, dict))
        if with_plugins and isinstance(plugins, list)
        else None,
        wire=_shape(raw, _DETAILED if with_plugins else INVOCATION_FIELDS),
    )


_DETAILED = INVOCATION_FIELDS | {"CommandPlugins"}
_SHAPES: dict[tuple[str, ...], list[WireShape]] = {}
"""By the field names a record came with: the shapes made lately, the latest first."""
_RECENT = 16
"""Shapes kept for each list of field names (a page's records share a handful)."""
_MOST_NAME_LISTS = 256
"""Lists of field names kept; past this the cache starts again (records keep theirs)."""


def _shape(raw: Mapping[str, Any], modelled: frozenset[str]) -> WireShape:
    """The record's shape as sent: the one already made for a record just like it, found
    by comparing the fields the model does not hold (dict equality, done in C: this runs for
    every record of a 20,000-instance sweep), else a new one."""
    keys = tuple(raw)
    rest = {key: value for key, value in raw.items() if key not in modelled}
    recent = _SHAPES.get(keys)
    if recent is None:
        if len(_SHAPES) >= _MOST_NAME_LISTS:
            _SHAPES.clear()
        recent = _SHAPES[keys] = []
    for at, shape in enumerate(recent):
        if shape.rest == rest:
            if at:
                recent.insert(0, recent.pop(at))
            return shape
    shape = WireShape(keys, MappingProxyType(rest))
    recent.insert(0, shape)
    del recent[_RECENT:]
    return shape


def full_output(raw: Mapping[str, Any]) -> tuple[str, str]:
    """GetCommandInvocation's stdout and stderr (first 24,000 and 8,000 characters)."""
    return _text(raw, "StandardOutputContent"), _text(raw, "StandardErrorContent")
