"""Helpers that speak to the simulator below boto3: raw JSON 1.1 requests and shape checks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape
from botocore.parsers import create_parser

SSM_MODEL = botocore.session.get_session().get_service_model("ssm")


def raw_call(
    endpoint: str, operation: str, params: Any, *, target: str | None = None
) -> tuple[int, bytes]:
    """POST one operation the way the JSON 1.1 protocol does; returns status and raw body."""
    request = urllib.request.Request(
        endpoint + "/",
        data=json.dumps(params).encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": target if target is not None else f"AmazonSSM.{operation}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def parse_with_botocore(operation: str, status: int, body: bytes) -> dict[str, Any]:
    """What botocore's own JSON parser makes of an answer (errors included)."""
    output_shape = SSM_MODEL.operation_model(operation).output_shape
    assert output_shape is not None
    parser = create_parser("json")
    response = {
        "status_code": status,
        "headers": {"content-type": "application/x-amz-json-1.1"},
        "body": body,
    }
    parsed: dict[str, Any] = parser.parse(response, output_shape)
    return parsed


def shape_violations(shape: Shape, value: Any, path: str = "$") -> list[str]:
    """Every way ``value`` (raw JSON) departs from the model's ``shape``; empty when it fits."""
    problems: list[str] = []
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return [f"{path}: expected an object for {shape.name}, got {type(value).__name__}"]
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                problems.append(f"{path}: {name!r} is not a member of {shape.name}")
            else:
                problems += shape_violations(member, item, f"{path}.{name}")
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            return [f"{path}: expected a list for {shape.name}"]
        for index, item in enumerate(value):
            problems += shape_violations(shape.member, item, f"{path}[{index}]")
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return [f"{path}: expected a map for {shape.name}"]
        for key, item in value.items():
            problems += shape_violations(shape.key, key, f"{path}<key>")
            problems += shape_violations(shape.value, item, f"{path}.{key}")
    else:
        problems += _scalar_violations(shape, value, path)
    return problems


def _scalar_violations(shape: Shape, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {value!r}"]
        problems = []
        if isinstance(shape, StringShape) and shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not in the enum of {shape.name}")
        maximum = shape.metadata.get("max")
        if maximum is not None and len(value) > maximum:
            problems.append(f"{path}: {len(value)} characters, the model allows {maximum}")
        minimum = shape.metadata.get("min")
        if minimum is not None and len(value) < minimum:
            problems.append(f"{path}: {len(value)} characters, the model needs {minimum}")
        return problems
    if kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected an integer, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean, got {value!r}"]
    if kind == "timestamp":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected epoch seconds, got {value!r}"]
    return [f"{path}: the contract test does not know shape type {kind}"]
