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
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache
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


Misfit = tuple[tuple[str, ...], str]
"""Where a value does not fit (the steps down to it: ``.Name``, ``[3]``) and what was found."""
Check = Callable[[object], "Misfit | None"]


def problem(shape: Shape, value: object, path: str) -> str | None:
    """Where ``value`` does not fit ``shape`` such that botocore or ssmtui could not read it:
    ``path`` and what was found instead of what; None when it fits."""
    misfit = _check(shape, value)
    if misfit is None:
        return None
    steps, found = misfit
    where = path + "".join(steps)
    if not path:
        where = where.removeprefix(".") or "the record"
    return f"{where} is {found}"


def _check(shape: Shape, value: object) -> Misfit | None:
    if value is None:
        return None  # a missing value: botocore and ssmtui take it as absent
    return _checker(shape)(value)


@cache
def _checker(shape: Shape) -> Check:
    """The check of one shape, built once per shape: every record of every page goes through
    it, so it builds no path or sentence unless something does not fit."""
    if isinstance(shape, StructureShape):
        return _structure_check(shape)
    if isinstance(shape, ListShape):
        return _list_check(shape)
    if isinstance(shape, MapShape):
        return _map_check(shape)
    if shape.type_name == "timestamp":
        return _time_check
    expected = _JSON_TYPES.get(shape.type_name)
    if expected is None:
        return _anything  # a document type
    return _scalar_check(expected)


def _structure_check(shape: StructureShape) -> Check:
    """Scalar members (most of a record) are checked inline, without a call each: a page of
    50 invocations has some 750 of them."""
    members = shape.members
    scalars = {
        name: (expected, bool in expected)
        for name, member in members.items()
        if not isinstance(member, StructureShape | ListShape | MapShape)
        and (expected := _JSON_TYPES.get(member.type_name)) is not None
    }

    def check(value: object) -> Misfit | None:
        if not isinstance(value, dict):
            return (), f"{_kind(value)} where the API has an object"
        for key, item in value.items():
            if item is None:
                continue  # a missing value: botocore and ssmtui take it as absent
            scalar = scalars.get(key)
            if scalar is not None:
                expected, is_bool = scalar
                if isinstance(item, bool) is is_bool and isinstance(item, expected):
                    continue
                return (f".{key}",), f"{_kind(item)} where the API has {_NOUNS[expected[0]]}"
            member = members.get(key)
            if member is not None and (misfit := _checker(member)(item)) is not None:
                return (f".{key}", *misfit[0]), misfit[1]
        return None

    return check


def _list_check(shape: ListShape) -> Check:
    member = shape.member

    def check(value: object) -> Misfit | None:
        if not isinstance(value, list):
            return (), f"{_kind(value)} where the API has a list"
        for index, item in enumerate(value):
            if (misfit := _check(member, item)) is not None:
                return (f"[{index}]", *misfit[0]), misfit[1]
        return None

    return check


def _map_check(shape: MapShape) -> Check:
    member = shape.value

    def check(value: object) -> Misfit | None:
        if not isinstance(value, dict):
            return (), f"{_kind(value)} where the API has a map"
        for key, item in value.items():
            if (misfit := _check(member, item)) is not None:
                return (f".{key}", *misfit[0]), misfit[1]
        return None

    return check


def _scalar_check(expected: tuple[type, ...]) -> Check:
    is_bool = bool in expected
    noun = _NOUNS[expected[0]]

    def check(value: object) -> Misfit | None:
        if isinstance(value, bool) is not is_bool or not isinstance(value, expected):
            return (), f"{_kind(value)} where the API has {noun}"
        return None

    return check


def _anything(value: object) -> Misfit | None:  # noqa: ARG001 (a document type: anything goes)
    return None


_EARLIEST = (datetime(1, 1, 2, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
_LATEST = (datetime(9999, 12, 30, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()


def _time_check(value: object) -> Misfit | None:
    return None if _is_time(value) else ((), f"{value!r}, not a time")


def _is_time(value: object) -> bool:
    """What botocore can turn into a datetime: seconds since the epoch (how the JSON protocol
    sends times, so checked here without parsing), or a text it parses."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return _EARLIEST <= value <= _LATEST  # False for NaN too
    if not isinstance(value, str):
        return False
    try:
        parse_timestamp(value)
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
    """botocore ``before-parse`` hook: the answer, screened, is the parsed response.

    Once screened, every record fits the service model, so botocore's own walk of the shapes
    would only turn timestamps (epoch seconds) into datetimes, which ``aws/parse.py`` does
    anyway; it cost about 3 ms a page of 50 invocations, most of a poll's CPU on a big
    command. So the screened answer goes into ``customized_response_dict``, which botocore
    lays over what it parsed, and botocore is left an empty body to parse. An answer that is
    not a JSON object is left to botocore (it parses to no keys; the reader says malformed).
    """
    output = operation_model.output_shape
    if response_dict.get("status_code") != 200 or not isinstance(output, StructureShape):
        return
    try:
        answer = json.loads(response_dict["body"])
    except (ValueError, TypeError):
        return
    if not isinstance(answer, dict):
        return
    skipped = screen(operation_model.name, output, answer)
    if skipped:
        customized_response_dict[SKIPPED] = skipped
    customized_response_dict.update(answer)
    response_dict["body"] = b"{}"
