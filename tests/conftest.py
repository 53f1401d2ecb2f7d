"""Shared fixtures: a simulator on a manual clock, and clients that reach it over HTTP."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.config import Config

from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import Scenario, load_scenario
from ssmtui.sim.server import SimServer

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
pytest_plugins = ["tests.aws_fixtures", "tests.cli_runner", "tests.small_fleet"]
YOUNG_OBJECTS_PER_COLLECTION = 10_000
"""The collector's first threshold for the suite (Python's default is 700). A screen test
allocates millions of short-lived objects; collecting them 700 at a time cost a fifth of the
suite's CPU, in collections that found little to free."""


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the dashboard does once it has loaded (``ui/heap.py``), the suite does once it has
    imported its modules: freeze them, so no collection walks Textual's and botocore's objects
    again; then collect the young generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION)


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach AWS or read the developer's own credentials and config."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/ssmtui-test-config")
    # nor ssmtui's own config file and remembered theme
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent/ssmtui-test-xdg-config")
    monkeypatch.setenv("XDG_STATE_HOME", "/nonexistent/ssmtui-test-xdg-state")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ssmtui-test-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def default_scenario() -> Scenario:
    return load_scenario("default")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def run_sim(scenario: Scenario, clock: ManualClock, seed: int = 7) -> BackgroundSim:
    return BackgroundSim(SimServer(scenario, clock, seed=seed))


@pytest.fixture
def sim(default_scenario: Scenario, clock: ManualClock) -> Iterator[BackgroundSim]:
    with run_sim(default_scenario, clock) as background:
        yield background


def client_for(endpoint: str, *, validate: bool = True, attempts: int = 1) -> SSMClient:
    """A boto3 SSM client for the simulator; no retries unless asked, so faults show."""
    return boto3.client(
        "ssm",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(
            retries={"mode": "standard", "total_max_attempts": attempts},
            parameter_validation=validate,
            connect_timeout=5,
            read_timeout=10,
        ),
    )


@pytest.fixture
def ssm(sim: BackgroundSim) -> SSMClient:
    return client_for(sim.endpoint)


@pytest.fixture
def raw_ssm(sim: BackgroundSim) -> SSMClient:
    """A client that skips its own parameter validation, to reach the server's."""
    return client_for(sim.endpoint, validate=False)
