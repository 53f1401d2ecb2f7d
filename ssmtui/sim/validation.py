"""Input validation walked from botocore's service model, as AWS's front end applies it.

Reading the constraints from the model (not copying them) keeps the simulator honest when the
model changes, and lets a client that disables its own parameter validation meet the server's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from ssmtui.sim.errors import SimError, validation_error

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "timestamp": (int, float, str),
    "double": (int, float),
    "float": (int, float),
}


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    """The model's regex, or None where it uses syntax Python lacks (such as \\p{L})."""
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def validate(shape: StructureShape, params: Any) -> None:
    """Raise SimError for the first type error, or all constraint errors, as AWS words them."""
    if not isinstance(params, dict):
        raise SimError(
            "SerializationException", "Start of structure or map found where not expected."
        )
    problems: list[str] = []
    _check_structure(shape, params, "", problems)
    if problems:
        raise validation_error(problems)


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            raise SimError("SerializationException", f"Expected a structure at '{path}'")
        _check_structure(shape, value, path + ".", problems)
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            raise SimError("SerializationException", f"Expected a list at '{path}'")
        _check_length(shape, value, path, problems)
        for index, item in enumerate(value, start=1):
            _check(shape.member, item, f"{path}.{index}.member", problems)
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            raise SimError("SerializationException", f"Expected a map at '{path}'")
        for key, item in value.items():
            _check(shape.value, item, f"{path}.{key}", problems)
    else:
        _check_scalar(shape, value, path, problems)


def _check_structure(
    shape: StructureShape, value: dict[str, Any], prefix: str, problems: list[str]
) -> None:
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(
                f"Value null at '{prefix}{_camel(name)}' failed to satisfy constraint: "
                "Member must not be null"
            )
    for name, item in value.items():
        member = shape.members.get(name)
        if member is not None and item is not None:
            _check(member, item, prefix + _camel(name), problems)


def _check_scalar(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    expected = _PY_TYPES.get(shape.type_name)
    wrong_bool = isinstance(value, bool) and shape.type_name != "boolean"
    if expected is not None and (not isinstance(value, expected) or wrong_bool):
        raise SimError(
            "SerializationException",
            f"NUMBER_VALUE can not be converted to {shape.type_name} at '{path}'"
            if isinstance(value, int | float)
            else f"Unexpected value type at '{path}'",
        )
    metadata = shape.metadata
    if shape.type_name in ("integer", "long"):
        if "min" in metadata and value < metadata["min"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {metadata['min']}"
            )
        if "max" in metadata and value > metadata["max"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {metadata['max']}"
            )
    elif shape.type_name == "string":
        _check_length(shape, value, path, problems)
        enum = shape.enum if isinstance(shape, StringShape) else []
        if enum and value not in enum:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        pattern = metadata.get("pattern")
        compiled = _compiled(pattern) if pattern else None
        if compiled is not None and not compiled.search(value):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {pattern}"
            )


def _check_length(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    metadata = shape.metadata
    shown = value if isinstance(value, str) else "[...]"
    if "min" in metadata and len(value) < metadata["min"]:
        problems.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {metadata['min']}"
        )
    if "max" in metadata and len(value) > metadata["max"]:
        problems.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {metadata['max']}"
        )
