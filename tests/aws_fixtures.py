"""Async fixtures: the simulator on the test's own event loop, read through aiobotocore."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ssmtui.aws.client import AwsTarget, SsmReader
from ssmtui.model.filters import Filters
from ssmtui.poller import Poller
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import Scenario
from ssmtui.sim.server import SimServer


def no_aws_env(**aws: str) -> dict[str, str]:
    """This process's environment for a subprocess, without the developer's AWS settings (no
    keys, profile, config or credentials file, no instance metadata), then ``aws`` on top."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env |= {
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return env | aws


def target_for(endpoint: str) -> AwsTarget:
    return AwsTarget(region="eu-west-1", endpoint_url=endpoint, access_key="t", secret_key="t")


@pytest.fixture
async def server(default_scenario: Scenario, clock: ManualClock) -> AsyncIterator[SimServer]:
    async with SimServer(default_scenario, clock, seed=7) as running:
        yield running


@pytest.fixture
async def reader(server: SimServer) -> AsyncIterator[SsmReader]:
    async with SsmReader(target_for(server.endpoint), attempts=2) as opened:
        yield opened


def make_poller(reader: SsmReader, clock: ManualClock, **options: Any) -> Poller:
    filters = options.pop("filters", Filters())
    return Poller(reader, filters, clock=clock.now, **options)


class Recorder:
    """Every call the client makes, with its parameters and answer (botocore event hooks)."""

    def __init__(self, reader: SsmReader) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        events = reader.client.meta.events
        events.register("before-call", self._before)
        events.register("after-call", self._after)

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        body = params.get("body") or b"{}"
        self.calls.append((model.name, json.loads(body)))

    def _after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        self.answers.append((model.name, self.calls[-1][1], parsed))

    def count(self, operation: str) -> int:
        return sum(1 for name, _ in self.calls if name == operation)
