"""Records that do not fit the service model are set aside one by one, not with their page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.model import StructureShape

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.aws.records import SKIPPED, screen, screen_before_parse
from tests.wire import SSM_MODEL, parse_with_botocore

GOOD = {"CommandId": "7c2c7927-5b6f-4a3e-9d1c-0123456789ab", "Status": "Success"}


def output(operation: str) -> StructureShape:
    shape = SSM_MODEL.operation_model(operation).output_shape
    assert isinstance(shape, StructureShape)
    return shape


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"Parameters": ["x"]}, "Parameters is a list where the API has a map"),
        ({"Targets": "tag:role=web"}, "Targets is a string where the API has a list"),
        ({"Targets": [["k"]]}, "Targets[0] is a list where the API has an object"),
        ({"CloudWatchOutputConfig": [1]}, "CloudWatchOutputConfig is a list where the API has"),
        ({"RequestedDateTime": "yesterday"}, "RequestedDateTime is 'yesterday', not a time"),
        ({"RequestedDateTime": 1e20}, "RequestedDateTime is 1e+20, not a time"),
        ({"TargetCount": "12"}, "TargetCount is a string where the API has a number"),
        ({"TargetCount": True}, "TargetCount is true or false where the API has a number"),
        ({"Status": 3}, "Status is a number where the API has a string"),
        ({"InstanceIds": "i-1"}, "InstanceIds is a string where the API has a list"),
        ({"Parameters": {"commands": "uptime"}}, "Parameters.commands is a string where the API"),
        ({"CommandId": ""}, "it has no CommandId"),
        ({"CommandId": 7}, "CommandId is a number where the API has a string"),
    ],
)
def test_a_record_that_botocore_or_ssmtui_cannot_read_is_skipped_with_the_reason(
    bad: dict[str, Any], reason: str
) -> None:
    record = {**GOOD, "CommandId": "11111111-2222-3333-4444-555555555555", **bad}
    answer: dict[str, Any] = {"Commands": [GOOD, record, GOOD], "NextToken": "t"}
    skipped = screen("ListCommands", output("ListCommands"), answer)
    assert answer == {"Commands": [GOOD, GOOD], "NextToken": "t"}
    assert len(skipped) == 1
    assert skipped[0].startswith("ListCommands sent a command ssmtui cannot read (")
    assert reason in skipped[0]


def test_what_is_kept_parses_with_botocore() -> None:
    answer: dict[str, Any] = {"Commands": [GOOD, {**GOOD, "Parameters": [1]}]}
    screen("ListCommands", output("ListCommands"), answer)
    parsed = parse_with_botocore("ListCommands", 200, json.dumps(answer).encode())
    assert [c["CommandId"] for c in parsed["Commands"]] == [GOOD["CommandId"]]


def test_an_invocation_needs_both_ids_and_a_record_must_be_an_object() -> None:
    good = {"CommandId": GOOD["CommandId"], "InstanceId": "i-0123456789abcdef0"}
    answer: dict[str, Any] = {
        "CommandInvocations": [good, {"CommandId": GOOD["CommandId"]}, "i-0123456789abcdef0"]
    }
    skipped = screen("ListCommandInvocations", output("ListCommandInvocations"), answer)
    assert answer["CommandInvocations"] == [good]
    assert skipped == [
        f"ListCommandInvocations sent a commandInvocation ssmtui cannot read ({GOOD['CommandId']})"
        ": it has no InstanceId",
        "ListCommandInvocations sent a commandInvocation ssmtui cannot read (#3): "
        "the record is a string where the API has an object",
    ]


def test_the_reason_is_neutralised() -> None:
    answer: dict[str, Any] = {"Commands": [{**GOOD, "CommandId": "\x1b]0;x\x07id", "Status": 1}]}
    (reason,) = screen("ListCommands", output("ListCommands"), answer)
    assert "\x1b" not in reason
    assert "(id)" in reason


@pytest.mark.parametrize(
    ("operation", "answer", "sentence"),
    [
        ("ListCommands", {"Commands": "none"}, "Commands is a string where the API has a list"),
        (
            "ListCommands",
            {"Commands": [], "NextToken": 5},
            "NextToken is a number where the API has a string",
        ),
        (
            "GetCommandInvocation",
            {"StandardOutputContent": ["x"]},
            "StandardOutputContent is a list where the API has a string",
        ),
    ],
)
def test_an_answer_of_the_wrong_outer_shape_is_malformed(
    operation: str, answer: dict[str, Any], sentence: str
) -> None:
    with pytest.raises(AwsError) as caught:
        screen(operation, output(operation), answer)
    assert caught.value.kind is ErrorKind.MALFORMED
    assert str(caught.value) == f"{operation} answered with {sentence}: not a valid SSM response"


def test_the_hook_hands_over_the_screened_answer_and_leaves_botocore_nothing_to_walk() -> None:
    model = SSM_MODEL.operation_model("ListCommands")
    response: dict[str, Any] = {
        "status_code": 200,
        "body": json.dumps({"Commands": [GOOD]}).encode(),
        "headers": {},
    }
    extra: dict[str, Any] = {}
    screen_before_parse(model, response, extra)
    assert (response["body"], extra) == (b"{}", {"Commands": [GOOD]})

    bad = {**GOOD, "TargetCount": "x"}
    response["body"] = json.dumps({"Commands": [GOOD, bad]}).encode()
    extra = {}
    screen_before_parse(model, response, extra)
    assert extra["Commands"] == [GOOD]
    assert len(extra[SKIPPED]) == 1

    error = {"status_code": 400, "body": b'{"__type": 5}', "headers": {}}
    screen_before_parse(model, error, {})
    assert error["body"] == b'{"__type": 5}'  # errors are botocore's to read
