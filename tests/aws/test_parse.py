"""Parsing AWS dicts: odd and missing fields, unknown values, and what must be refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssmtui.aws.parse import MalformedRecord, parse_command, parse_invocation, parse_plugin
from ssmtui.model.aws_shape import (
    command_as_sent,
    invocation_as_sent,
    iso,
    plugin_as_sent,
    render_command,
    render_invocation,
)

FULL_COMMAND: dict[str, Any] = {
    "CommandId": "7c2c7927-1111-4000-8000-000000000001",
    "DocumentName": "AWS-RunPatchBaseline",
    "DocumentVersion": "1",
    "Comment": "monthly patch",
    "ExpiresAfter": datetime(2026, 11, 27, 10, 0, tzinfo=timezone(timedelta(hours=1))),
    "Parameters": {"Operation": ["Install"]},
    "InstanceIds": [],
    "Targets": [{"Key": "tag:env", "Values": ["prod"]}],
    "RequestedDateTime": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    "Status": "InProgress",
    "StatusDetails": "In Progress",
    "OutputS3BucketName": "ops-output",
    "OutputS3KeyPrefix": "patching",
    "OutputS3Region": "eu-west-1",
    "MaxConcurrency": "10%",
    "MaxErrors": "2",
    "TargetCount": 30,
    "CompletedCount": 12,
    "ErrorCount": 1,
    "DeliveryTimedOutCount": 0,
    "ServiceRole": "",
    "NotificationConfig": {"NotificationArn": "", "NotificationEvents": []},
    "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": False},
    "TimeoutSeconds": 3600,
    "AlarmConfiguration": {"IgnorePollAlarmFailure": True, "Alarms": [{"Name": "cpu-high"}]},
    "TriggeredAlarms": [{"Name": "cpu-high", "State": "ALARM"}],
}


def test_a_full_command_keeps_every_field_that_says_something() -> None:
    command = parse_command(FULL_COMMAND)
    assert command.status == "InProgress"
    assert command.requested == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert command.expires_after == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert (command.target_count, command.completed_count, command.error_count) == (30, 12, 1)
    assert command.targets[0].key == "tag:env"
    assert command.parameters["Operation"] == ("Install",)
    assert command.output.s3_bucket == "ops-output"
    assert not command.output.cloudwatch_enabled
    assert command.alarms == ("cpu-high",)
    assert command.ignore_alarm_poll_failure
    assert [(a.name, a.state) for a in command.triggered_alarms] == [("cpu-high", "ALARM")]
    rendered = render_command(command)
    assert rendered["RequestedDateTime"] == "2026-11-27T08:00:00.000Z"
    for key in (
        "CommandId",
        "Status",
        "TargetCount",
        "MaxErrors",
        "Targets",
        "OutputS3BucketName",
        "AlarmConfiguration",
        "TriggeredAlarms",
    ):
        assert rendered[key] == FULL_COMMAND[key]


def test_missing_fields_become_empty_defaults() -> None:
    command = parse_command({"CommandId": "c-1"})
    assert (command.status, command.document_name, command.target_count) == ("Unknown", "", 0)
    assert command.requested is None
    assert command.timeout_seconds is None


def test_unknown_status_values_are_kept() -> None:
    command = parse_command({**FULL_COMMAND, "Status": "Paused"})
    assert command.status == "Paused"
    assert not command.status.is_known
    assert not command.terminal


def test_values_of_the_wrong_type_are_ignored() -> None:
    command = parse_command(
        {
            **FULL_COMMAND,
            "TargetCount": "30",
            "ErrorCount": True,
            "Comment": 7,
            "Targets": "tag:env=prod",
            "Parameters": ["x"],
            "RequestedDateTime": "not a time",
        }
    )
    assert (command.target_count, command.error_count, command.comment) == (0, 0, "")
    assert (command.targets, dict(command.parameters), command.requested) == ((), {}, None)


def test_a_record_without_identity_is_refused() -> None:
    with pytest.raises(MalformedRecord, match="without CommandId"):
        parse_command({"Status": "Success"})
    with pytest.raises(MalformedRecord, match="without InstanceId"):
        parse_invocation({"CommandId": "c-1"}, with_plugins=False)


def test_plugins_only_when_details_were_asked_for() -> None:
    raw = {
        "CommandId": "c-1",
        "InstanceId": "i-1",
        "Status": "Success",
        "CommandPlugins": [
            {
                "Name": "aws:runShellScript",
                "Status": "Success",
                "ResponseCode": 0,
                "ResponseStartDateTime": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
                "Output": "hello",
            },
            "junk",
        ],
    }
    assert parse_invocation(raw, with_plugins=False).plugins is None
    detailed = parse_invocation(raw, with_plugins=True)
    assert detailed.plugins is not None
    assert [p.output for p in detailed.plugins] == ["hello"]
    assert render_invocation(detailed)["CommandPlugins"][0]["Output"] == "hello"


def test_a_plugin_that_has_not_run_has_response_code_minus_one() -> None:
    plugin = parse_plugin({"Name": "aws:runShellScript", "Status": "Pending"})
    assert plugin.response_code == -1
    assert not plugin.has_run
    assert plugin.started is None


def test_iso_strings_from_get_command_invocation_parse() -> None:
    plugin = parse_plugin({"Name": "x", "ResponseStartDateTime": "2026-11-27T08:00:00.123Z"})
    assert plugin.started == datetime(2026, 11, 27, 8, 0, 0, 123000, tzinfo=UTC)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(extra=st.dictionaries(st.sampled_from(list(FULL_COMMAND)), json_values, max_size=8))
def test_any_values_in_any_field_parse_without_crashing(extra: dict[str, Any]) -> None:
    raw = {**FULL_COMMAND, **extra, "CommandId": "c-1"}
    command = parse_command(raw)
    assert command.command_id == "c-1"
    render_command(command)


def _as_json(record: dict[str, Any]) -> dict[str, Any]:
    """A raw record with its times as ssmtui writes them (ISO-8601 UTC, milliseconds)."""
    return {
        key: iso(value) if isinstance(value, datetime) else value for key, value in record.items()
    }


def test_y_shows_a_record_with_the_fields_aws_sent_in_its_order_and_no_others() -> None:
    sent = {key: value for key, value in FULL_COMMAND.items() if key != "DocumentVersion"}
    sent |= {"OutputS3BucketName": "", "OutputS3KeyPrefix": "", "OutputS3Region": ""}
    sent["NotificationConfig"] = {"NotificationArn": "arn:aws:sns:x", "NotificationEvents": ["All"]}
    del sent["DeliveryTimedOutCount"], sent["CloudWatchOutputConfig"]
    shown = command_as_sent(parse_command(sent))
    assert list(shown) == list(sent)
    assert shown == _as_json(sent)
    plugin = {"Name": "deploy", "Status": "Success", "Output": "ok", "ResponseCode": 0}
    listed = {
        "CommandId": "c-1",
        "InstanceId": "i-1",
        "Status": "Success",
        "CommandPlugins": [plugin],
        "ServiceRole": "",
    }
    record = parse_invocation(listed, with_plugins=True)
    assert invocation_as_sent(record) == listed
    assert plugin_as_sent(record.plugins[0]) == plugin  # type: ignore[index]


def test_records_of_one_shape_share_it() -> None:
    first = parse_command({**FULL_COMMAND, "CommandId": "a", "CompletedCount": 1})
    second = parse_command({**FULL_COMMAND, "CommandId": "b", "CompletedCount": 2})
    assert first.wire is second.wire
