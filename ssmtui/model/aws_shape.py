"""Model records back into AWS's own field names: ``ssmtui snapshot --json`` and the raw view.

Operators pipe this into jq next to the AWS CLI's output, so keys are named as the API names
them and times are ISO-8601 UTC strings. Pure data, the inverse of ``aws/parse.py``, so it
lives in the model where the screen may use it too: the raw view shows a record as AWS
returned it without ssmtui keeping every answer's dict (20,000 of them for one command).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ssmtui.model.types import Command, Invocation, OutputLocation, PluginResult, WireShape


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _output_fields(output: OutputLocation) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if output.s3_bucket:
        fields["OutputS3BucketName"] = output.s3_bucket
        fields["OutputS3KeyPrefix"] = output.s3_prefix or ""
        fields["OutputS3Region"] = output.s3_region or ""
    cloudwatch: dict[str, Any] = {"CloudWatchOutputEnabled": output.cloudwatch_enabled}
    if output.cloudwatch_log_group:
        cloudwatch["CloudWatchLogGroupName"] = output.cloudwatch_log_group
    fields["CloudWatchOutputConfig"] = cloudwatch
    return fields


def render_command(command: Command) -> dict[str, Any]:
    return {
        "CommandId": command.command_id,
        "DocumentName": command.document_name,
        "DocumentVersion": command.document_version,
        "Comment": command.comment,
        "Status": str(command.status),
        "StatusDetails": command.status_details,
        "RequestedDateTime": iso(command.requested),
        "ExpiresAfter": iso(command.expires_after),
        "TargetCount": command.target_count,
        "CompletedCount": command.completed_count,
        "ErrorCount": command.error_count,
        "DeliveryTimedOutCount": command.delivery_timed_out_count,
        "MaxConcurrency": command.max_concurrency,
        "MaxErrors": command.max_errors,
        "TimeoutSeconds": command.timeout_seconds,
        "Targets": [{"Key": t.key, "Values": list(t.values)} for t in command.targets],
        "InstanceIds": list(command.instance_ids),
        "Parameters": {key: list(values) for key, values in command.parameters.items()},
        **_output_fields(command.output),
        **_alarm_fields(command),
    }


def _alarm_fields(command: Command) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if command.alarms:
        fields["AlarmConfiguration"] = {
            "IgnorePollAlarmFailure": command.ignore_alarm_poll_failure,
            "Alarms": [{"Name": name} for name in command.alarms],
        }
    if command.triggered_alarms:
        fields["TriggeredAlarms"] = [
            {"Name": alarm.name, "State": alarm.state} for alarm in command.triggered_alarms
        ]
    return fields


def render_plugin(plugin: PluginResult) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "Name": plugin.name,
        "Status": str(plugin.status),
        "StatusDetails": plugin.status_details,
        "ResponseCode": plugin.response_code,
        "ResponseStartDateTime": iso(plugin.started),
        "ResponseFinishDateTime": iso(plugin.finished),
        "Output": plugin.output,
        "StandardOutputUrl": plugin.stdout_url,
        "StandardErrorUrl": plugin.stderr_url,
    }
    if plugin.s3_bucket:
        rendered["OutputS3BucketName"] = plugin.s3_bucket
        rendered["OutputS3KeyPrefix"] = plugin.s3_prefix or ""
        rendered["OutputS3Region"] = plugin.s3_region or ""
    if plugin.stdout is not None:
        rendered["StandardOutputContent"] = plugin.stdout
        rendered["StandardErrorContent"] = plugin.stderr or ""
    return rendered


def render_invocation(invocation: Invocation) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "CommandId": invocation.command_id,
        "InstanceId": invocation.instance_id,
        "InstanceName": invocation.instance_name,
        "Status": str(invocation.status),
        "StatusDetails": invocation.status_details,
        "RequestedDateTime": iso(invocation.requested),
        "StandardOutputUrl": invocation.stdout_url,
        "StandardErrorUrl": invocation.stderr_url,
    }
    if invocation.plugins is not None:
        rendered["CommandPlugins"] = [render_plugin(p) for p in invocation.plugins]
    return rendered


COMMAND_FIELDS = frozenset(
    {
        *("CommandId", "DocumentName", "DocumentVersion", "Comment", "Status", "StatusDetails"),
        *("RequestedDateTime", "ExpiresAfter", "TargetCount", "CompletedCount", "ErrorCount"),
        *("DeliveryTimedOutCount", "MaxConcurrency", "MaxErrors", "TimeoutSeconds", "Targets"),
        *("InstanceIds", "Parameters"),
    }
)
"""The fields of a Command the model holds as AWS sent them (``render_command`` gives them
back). The S3 output, CloudWatch and alarm fields are not among them: the model reads an
empty value as "none" and keeps only what it uses, and ``y`` shows what was sent."""
PLUGIN_FIELDS = frozenset(
    {
        *("Name", "Status", "StatusDetails", "ResponseCode", "ResponseStartDateTime"),
        *("ResponseFinishDateTime", "Output", "StandardOutputUrl", "StandardErrorUrl"),
    }
)
INVOCATION_FIELDS = frozenset(
    {
        *("CommandId", "InstanceId", "InstanceName", "Status", "StatusDetails"),
        *("RequestedDateTime", "StandardOutputUrl", "StandardErrorUrl"),
    }
)
"""CommandPlugins too, when the call asked for Details (the parser says which)."""
_FETCHED_APART = ("StandardOutputContent", "StandardErrorContent")
"""A step's output from GetCommandInvocation: not in the listed record, shown after it."""


def as_sent(rendered: dict[str, Any], shape: WireShape | None) -> dict[str, Any]:
    """A rendered record cut back to the fields AWS sent, in the order it sent them, with the
    values of those the model does not hold as they came. Without a shape (a record built
    by ssmtui, not parsed), the rendered record as it is."""
    if shape is None:
        return rendered
    sent = {key: rendered[key] if key in rendered else shape.rest.get(key) for key in shape.keys}
    sent.update((key, rendered[key]) for key in _FETCHED_APART if key in rendered)
    return sent


def command_as_sent(command: Command) -> dict[str, Any]:
    return as_sent(render_command(command), command.wire)


def plugin_as_sent(plugin: PluginResult) -> dict[str, Any]:
    return as_sent(render_plugin(plugin), plugin.wire)


def invocation_as_sent(invocation: Invocation) -> dict[str, Any]:
    record = as_sent(render_invocation(invocation), invocation.wire)
    if invocation.plugins is not None and "CommandPlugins" in record:
        record["CommandPlugins"] = [plugin_as_sent(p) for p in invocation.plugins]
    return record
