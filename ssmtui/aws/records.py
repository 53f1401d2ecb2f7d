"""Answers checked against the service model before botocore parses them, record by record.

botocore trusts an answer's shape: one record with a list where the model has a map, or a
timestamp that is not one, makes it raise on the whole page ("'list' object has no attribute
'items'"), and every good record on that page is lost with it. So each answer is checked here
first (a botocore ``before-parse`` hook): a record of a list (a command, an invocation, a managed
node) that does not fit the model, or that has no identity to track it by, is taken out of the
page and reported; the rest is parsed as usual. An answer that is not even the right outer
shape is a malformed response, said in one sentence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from botocore.utils import parse_timestamp

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.text import neutralise

SKIPPED = "ssmtui:SkippedRecords"
"""Key of the parsed response that lists, one sentence each, the records taken out."""

IDENTITY: Mapping[str, tuple[str, ...]] = {
    "Command": ("CommandId",),
    "CommandInvocation": ("CommandId", "InstanceId"),
    "InstanceInformation": ("InstanceId",),
}
"""What a record is tracked by from poll to poll: without it, it cannot be shown."""

_JSON_TYPES = {
    "string": (str,),
    "blob": (str,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "boolean": (bool,),
}
_NOUNS = {str: "a string", int: "a number", float: "a number", bool: "true or false"}


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return _NOUNS.get(type(value), "null" if value is None else type(value).__name__)


def problem(shape: Shape, value: object, path: str) -> str | None:
    """Where ``value`` does not fit ``shape`` such that botocore or ssmtui could not read it:
    ``path`` and what was found instead of what; None when it fits."""
    if value is None:
        return None  # a missing value: botocore and ssmtui take it as absent
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return f"{path or 'the record'} is {_kind(value)} where the API has an object"
        members = shape.members
        parts = ((members[k], v, _join(path, k)) for k, v in value.items() if k in members)
        return _first(parts)
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return f"{path} is {_kind(value)} where the API has a list"
        return _first((shape.member, item, f"{path}[{i}]") for i, item in enumerate(value))
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return f"{path} is {_kind(value)} where the API has a map"
        return _first((shape.value, item, f"{path}.{key}") for key, item in value.items())
    return _scalar_problem(shape, value, path)


def _first(parts: Iterable[tuple[Shape, object, str]]) -> str | None:
    return next((found for part in parts if (found := problem(*part)) is not None), None)


def _scalar_problem(shape: Shape, value: object, path: str) -> str | None:
    if shape.type_name == "timestamp":
        return None if _is_time(value) else f"{path} is {value!r}, not a time"
    expected = _JSON_TYPES.get(shape.type_name)
    if expected is None:
        return None  # a document type: anything goes
    if isinstance(value, bool) is not (bool in expected) or not isinstance(value, expected):
        return f"{path} is {_kind(value)} where the API has {_NOUNS[expected[0]]}"
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _is_time(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        parse_timestamp(value)  # type: ignore[arg-type]  # epoch numbers too, says botocore
    except (ValueError, TypeError, OverflowError, OSError, RuntimeError):
        return False
    return True


def _missing_identity(shape: Shape, record: Mapping[str, Any]) -> str | None:
    for key in IDENTITY.get(shape.name, ()):
        value = record.get(key)
        if not isinstance(value, str) or not value:
            return f"it has no {key}"
    return None


def _label(shape: Shape, record: object, index: int) -> str:
    keys = IDENTITY.get(shape.name, ())
    if isinstance(record, dict):
        ids = [record[key] for key in keys if isinstance(record.get(key), str) and record[key]]
        if ids:
            return " on ".join(ids)
    return f"#{index + 1}"


def _record_shape(member: Shape) -> StructureShape | None:
    """The record's shape when ``member`` is a list of records, such as Commands."""
    if isinstance(member, ListShape) and isinstance(member.member, StructureShape):
        return member.member
    return None


def _unreadable(shape: StructureShape, record: object) -> str | None:
    reason = problem(shape, record, "")
    if reason is None and isinstance(record, dict):
        reason = _missing_identity(shape, record)
    return reason


def _keep_readable(
    operation: str, shape: StructureShape, records: list[Any]
) -> tuple[list[Any], list[str]]:
    """The records ssmtui can read, and a sentence for each one it cannot."""
    kept: list[Any] = []
    skipped: list[str] = []
    what = shape.name[0].lower() + shape.name[1:]
    for index, record in enumerate(records):
        reason = _unreadable(shape, record)
        if reason is None:
            kept.append(record)
        else:
            label = _label(shape, record, index)
            sentence = f"{operation} sent a {what} ssmtui cannot read ({label}): {reason}"
            skipped.append(neutralise(sentence, single_line=True))
    return kept, skipped


def screen(operation: str, output: StructureShape, answer: dict[str, Any]) -> list[str]:
    """Take the records that do not fit out of ``answer`` (in place); one sentence each.

    AwsError (malformed) when the answer itself is not the right shape.
    """
    skipped: list[str] = []
    for name, value in answer.items():
        member = output.members.get(name)
        if member is None:
            continue
        record = _record_shape(member)
        if record is not None and isinstance(value, list):
            answer[name], dropped = _keep_readable(operation, record, value)
            skipped += dropped
        elif (reason := problem(member, value, name)) is not None:
            raise AwsError(
                ErrorKind.MALFORMED, f"{operation} answered with {reason}: not a valid SSM response"
            )
    return skipped


def screen_before_parse(
    operation_model: OperationModel,
    response_dict: dict[str, Any],
    customized_response_dict: dict[str, Any],
    **_: Any,
) -> None:
    """botocore ``before-parse`` hook: what botocore then parses has only records it can read."""
    output = operation_model.output_shape
    if response_dict.get("status_code") != 200 or not isinstance(output, StructureShape):
        return
    try:
        answer = json.loads(response_dict["body"])
    except (ValueError, TypeError):
        return  # not JSON: botocore returns no keys, and the reader says it is malformed
    if not isinstance(answer, dict):
        return
    skipped = screen(operation_model.name, output, answer)
    if skipped:
        response_dict["body"] = json.dumps(answer).encode()
        customized_response_dict[SKIPPED] = skipped
