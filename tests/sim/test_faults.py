"""Injected faults reach a real botocore client as the real service's failures would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ReadTimeoutError,
)

from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.faults import Fault, FaultInjector, parse_fault
from tests.conftest import client_for

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


@pytest.mark.parametrize(
    ("fault", "code", "http_status"),
    [
        (Fault("throttle"), "ThrottlingException", 400),
        (Fault("error"), "InternalServerError", 500),
        (Fault("error", status=503), "ServiceUnavailable", 503),
        (Fault("expired"), "ExpiredTokenException", 400),
        (Fault("denied"), "AccessDeniedException", 400),
        (Fault("reject", code="InvalidInstanceId"), "InvalidInstanceId", 400),
    ],
)
def test_error_faults_arrive_as_aws_errors(
    sim: BackgroundSim, fault: Fault, code: str, http_status: int
) -> None:
    ssm = client_for(sim.endpoint)
    fault.count = 1
    sim.server.inject(fault)
    with pytest.raises(ClientError) as caught:
        ssm.list_commands()
    assert error_code(caught) == code
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == http_status
    assert ssm.list_commands()["Commands"], "the fault struck once only"


def test_a_malformed_body_reaches_the_client_as_an_answer_without_its_list(
    sim: BackgroundSim,
) -> None:
    """botocore does not raise on a 200 whose body is not JSON: it returns no result keys.

    So a client must read a missing ``Commands`` as a malformed answer, not as "no commands".
    """
    sim.server.inject(Fault("malformed", count=1))
    ssm = client_for(sim.endpoint)
    broken: dict[str, Any] = dict(ssm.list_commands())
    assert broken["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Commands" not in broken
    assert ssm.list_commands()["Commands"]


def test_a_dropped_connection_is_a_connection_error(sim: BackgroundSim) -> None:
    sim.server.inject(Fault("drop", count=1))
    with pytest.raises(ConnectionClosedError):
        client_for(sim.endpoint).list_commands()


def test_latency_beyond_the_client_timeout_times_out(sim: BackgroundSim) -> None:
    sim.server.inject(Fault("latency", latency=5.0, count=1))
    impatient = boto3.client(
        "ssm",
        endpoint_url=sim.endpoint,
        region_name="eu-west-1",
        config=Config(read_timeout=0.3, retries={"total_max_attempts": 1}),
    )
    with pytest.raises(ReadTimeoutError):
        impatient.list_commands()


def test_botocore_retries_through_passing_throttling(sim: BackgroundSim) -> None:
    throttle = sim.server.inject(Fault("throttle", count=2))
    patient = client_for(sim.endpoint, attempts=3)
    assert patient.list_commands()["Commands"]
    assert throttle.fired == 2
    assert sim.server.calls["ListCommands"] == 3


def list_outcome(ssm: SSMClient) -> str:
    """One ListCommands call: 'ok', or the error code it met."""
    try:
        ssm.list_commands(MaxResults=1)
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return "ok"


def test_schedules_every_after_count_and_operation(sim: BackgroundSim) -> None:
    ssm = client_for(sim.endpoint)
    sim.server.inject(Fault("throttle", every=3, operation="ListCommands"))
    outcomes = []
    for _ in range(7):
        outcomes.append(list_outcome(ssm))
        ssm.describe_instance_information(MaxResults=5)  # another operation: never throttled
    throttled = "ThrottlingException"
    assert outcomes == ["ok", "ok", throttled, "ok", "ok", throttled, "ok"]
    sim.server.faults.clear()
    sim.server.inject(Fault("error", after=2, count=2))
    failed = "InternalServerError"
    assert [list_outcome(ssm) for _ in range(6)] == ["ok", "ok", failed, failed, "ok", "ok"]


def test_a_rate_strikes_about_that_often_and_repeats_with_the_seed() -> None:
    def strikes(seed: int) -> list[bool]:
        injector = FaultInjector(seed)
        injector.add(Fault("throttle", rate=0.3))
        return [bool(injector.strike("ListCommands")) for _ in range(1000)]

    first = strikes(5)
    assert 230 < sum(first) < 370
    assert strikes(5) == first
    assert strikes(6) != first


def test_a_time_window_limits_when_a_fault_strikes() -> None:
    now = [100.0]
    injector = FaultInjector(0, monotonic=lambda: now[0])
    injector.add(Fault("error", start=10, duration=5))
    struck = []
    for elapsed in (0, 9.9, 10, 12, 15, 15.1, 60):
        now[0] = 100.0 + elapsed
        struck.append(bool(injector.strike("ListCommands")))
    assert struck == [False, False, True, True, True, False, False]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("throttle", Fault("throttle")),
        (
            "throttle:rate=0.25,op=ListCommands",
            Fault("throttle", rate=0.25, operation="ListCommands"),
        ),
        ("error:every=5,status=503", Fault("error", every=5, status=503)),
        ("latency:ms=800,count=3", Fault("latency", latency=0.8, count=3)),
        ("drop:after=10,from=5,for=30", Fault("drop", after=10, start=5, duration=30)),
        ("reject:code=InvalidNextToken", Fault("reject", code="InvalidNextToken")),
    ],
)
def test_fault_specs_from_the_command_line(spec: str, expected: Fault) -> None:
    assert parse_fault(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("flood", "unknown fault kind 'flood'"),
        ("throttle:rate=2", "rate must be from 0 to 1"),
        ("throttle:often=1", "bad fault option 'often=1'"),
        ("error:status=404", "status must be a 5xx HTTP status"),
        ("latency:ms=soon", "bad value 'soon' for ms"),
        ("throttle:every=0", "every must be 1 or more"),
    ],
)
def test_bad_fault_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fault(spec)
