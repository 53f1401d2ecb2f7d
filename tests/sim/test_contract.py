"""Contract: every answer fits botocore's service model for ssm and parses with botocore.

The shapes are walked from the model shipped in botocore, never copied here, so the test
follows the model when botocore updates it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from tests.wire import SSM_MODEL, parse_with_botocore, raw_call, shape_violations

# Errors any AWS JSON operation can answer, beyond those each operation declares.
COMMON_ERRORS = {
    "ValidationException",
    "SerializationException",
    "UnknownOperationException",
    "ThrottlingException",
    "ExpiredTokenException",
    "ServiceUnavailable",
}


def call_ok(endpoint: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Call, check the raw answer against the model and botocore's parser, return it."""
    status, body = raw_call(endpoint, operation, params)
    assert status == 200, body
    payload: dict[str, Any] = json.loads(body)
    output_shape = SSM_MODEL.operation_model(operation).output_shape
    assert output_shape is not None
    assert shape_violations(output_shape, payload) == []
    parsed = parse_with_botocore(operation, status, body)
    assert "Error" not in parsed
    return payload


def all_pages(endpoint: str, operation: str, params: dict[str, Any], key: str) -> list[Any]:
    items: list[Any] = []
    token = None
    while True:
        page = call_ok(endpoint, operation, {**params, **({"NextToken": token} if token else {})})
        items += page[key]
        token = page.get("NextToken")
        if not token:
            return items


def test_every_answer_fits_the_model_through_a_whole_scenario(
    sim: BackgroundSim, clock: ManualClock
) -> None:
    endpoint = sim.endpoint
    seen_statuses: set[str] = set()
    for _ in range(3):  # the default scenario has passed through every status by then
        commands = all_pages(endpoint, "ListCommands", {"MaxResults": 7}, "Commands")
        assert commands
        for command in commands:
            seen_statuses.add(command["StatusDetails"])
            invocations = all_pages(
                endpoint,
                "ListCommandInvocations",
                {"CommandId": command["CommandId"], "Details": True, "MaxResults": 10},
                "CommandInvocations",
            )
            assert len(invocations) == command["TargetCount"]
            for invocation in invocations[:3]:
                for plugin in invocation["CommandPlugins"]:
                    call_ok(
                        endpoint,
                        "GetCommandInvocation",
                        {
                            "CommandId": command["CommandId"],
                            "InstanceId": invocation["InstanceId"],
                            "PluginName": plugin["Name"],
                        },
                    )
        all_pages(endpoint, "ListCommandInvocations", {}, "CommandInvocations")
        all_pages(
            endpoint, "DescribeInstanceInformation", {"MaxResults": 5}, "InstanceInformationList"
        )
        clock.advance(150)
    # The scenario really did pass through the states the contract has to cover.
    assert seen_statuses == {
        *("Pending", "In Progress", "Success", "Failed", "Incomplete"),
        *("Cancelled", "Execution Timed Out", "No Instances In Tag"),
    }


def test_send_and_cancel_answers_fit_the_model(sim: BackgroundSim) -> None:
    instances = call_ok(sim.endpoint, "DescribeInstanceInformation", {})
    instance_id = instances["InstanceInformationList"][0]["InstanceId"]
    sent = call_ok(
        sim.endpoint,
        "SendCommand",
        {
            "DocumentName": "AWS-RunShellScript",
            "InstanceIds": [instance_id],
            "Parameters": {"commands": ["sleep 60"]},
            "OutputS3BucketName": "my-output-bucket",
            "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": True},
        },
    )
    assert sent["Command"]["Status"] == "Pending"
    assert call_ok(sim.endpoint, "CancelCommand", {"CommandId": sent["Command"]["CommandId"]}) == {}


ERROR_CASES = [
    ("ListCommands", {"Filters": [{"key": "Colour", "value": "blue"}]}, "InvalidFilterKey"),
    ("ListCommands", {"NextToken": "not-a-token"}, "InvalidNextToken"),
    ("ListCommands", {"CommandId": "00000000-0000-4000-8000-000000000000"}, "InvalidCommandId"),
    ("ListCommands", {"MaxResults": 51}, "ValidationException"),
    ("ListCommands", {"MaxResults": 0}, "ValidationException"),
    ("ListCommands", {"CommandId": "short"}, "ValidationException"),
    ("ListCommands", {"Filters": []}, "ValidationException"),
    ("ListCommands", {"Filters": [{"key": "Status", "value": "Sleeping"}]}, "ValidationException"),
    (
        "ListCommands",
        {"Filters": [{"key": "InvokedAfter", "value": "yesterday"}]},
        "ValidationException",
    ),
    ("ListCommands", {"Filters": [{"key": "Status", "value": "x" * 129}]}, "ValidationException"),
    (
        "ListCommandInvocations",
        {"Filters": [{"key": "Nope", "value": "x"}]},
        "InvalidFilterKey",
    ),
    (
        "ListCommandInvocations",
        {"Filters": [{"key": "ExecutionStage", "value": "Executing"}]},
        "InvalidFilterKey",
    ),
    ("ListCommandInvocations", {"NextToken": "bm90IGEgdG9rZW4"}, "InvalidNextToken"),
    ("ListCommandInvocations", {"InstanceId": "web-01"}, "ValidationException"),
    ("ListCommandInvocations", {"MaxResults": "ten"}, "SerializationException"),
    (
        "GetCommandInvocation",
        {"CommandId": "00000000-0000-4000-8000-000000000000", "InstanceId": "i-0123456789abcdef0"},
        "InvocationDoesNotExist",
    ),
    ("GetCommandInvocation", {"InstanceId": "i-0123456789abcdef0"}, "ValidationException"),
    ("DescribeInstanceInformation", {"MaxResults": 4}, "ValidationException"),
    (
        "DescribeInstanceInformation",
        {"Filters": [{"Key": "Colour", "Values": ["blue"]}]},
        "InvalidFilterKey",
    ),
    ("SendCommand", {"DocumentName": "No-Such-Document", "InstanceIds": []}, "InvalidDocument"),
    (
        "SendCommand",
        {"DocumentName": "AWS-RunShellScript", "InstanceIds": ["i-0123456789abcdef0"]},
        "InvalidInstanceId",
    ),
    ("CancelCommand", {"CommandId": "00000000-0000-4000-8000-000000000000"}, "InvalidCommandId"),
]


@pytest.mark.parametrize(("operation", "params", "code"), ERROR_CASES)
def test_errors_carry_the_codes_the_model_declares(
    sim: BackgroundSim, operation: str, params: dict[str, Any], code: str
) -> None:
    status, body = raw_call(sim.endpoint, operation, params)
    assert status == 400
    payload = json.loads(body)
    assert payload["__type"] == code
    assert payload["message"]
    declared = {shape.name for shape in SSM_MODEL.operation_model(operation).error_shapes}
    assert code in declared | COMMON_ERRORS
    parsed = parse_with_botocore(operation, status, body)
    assert parsed["Error"]["Code"] == code


def test_validation_messages_use_aws_wording(sim: BackgroundSim) -> None:
    status, body = raw_call(sim.endpoint, "ListCommands", {"MaxResults": 51})
    assert status == 400
    assert json.loads(body)["message"] == (
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 50"
    )


@pytest.mark.parametrize(
    "target",
    ["AmazonSSM.DescribeDocument", "AmazonSSM.Bogus", "Logs_20140328.PutLogEvents", "Other.X", ""],
)
def test_operations_it_does_not_implement_answer_an_aws_error_at_once(
    sim: BackgroundSim, target: str
) -> None:
    status, body = raw_call(sim.endpoint, "", {}, target=target)
    assert status == 400
    assert json.loads(body)["__type"] == "UnknownOperationException"


def test_a_body_that_is_not_json_is_a_serialization_error(sim: BackgroundSim) -> None:
    request = urllib.request.Request(
        sim.endpoint + "/",
        data=b"{not json",
        method="POST",
        headers={"X-Amz-Target": "AmazonSSM.ListCommands"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["__type"] == "SerializationException"
