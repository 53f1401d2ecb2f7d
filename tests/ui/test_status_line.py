"""The status line's numbers: what polling cost, and when the next poll is due."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from ssmtui.aws.client import CallStats
from ssmtui.model.reconcile import Delta
from ssmtui.model.types import FleetSnapshot
from ssmtui.poller import CycleHealth, PollResult
from ssmtui.ui.status_line import Effort, Freshness
from tests.conftest import START


def health(calls: int, requests: int, seconds: float = 0.1) -> CycleHealth:
    stats = CallStats(Counter({"ListCommands": calls}), requests=requests)
    return CycleHealth(START, START + timedelta(seconds=seconds), stats)


def test_retries_are_shown_beside_the_calls() -> None:
    effort = Effort().add(health(calls=4, requests=4)).add(health(calls=3, requests=7))
    assert (effort.calls, effort.retries) == (7, 4)
    assert str(effort) == "7 calls · 4 retries"
    assert str(Effort().add(health(calls=2, requests=2))) == "2 calls"


def test_the_next_poll_counts_from_the_start_of_the_last() -> None:
    slow = health(calls=1, requests=3, seconds=4.0)  # a cycle spent 4 s in retries
    result = PollResult(FleetSnapshot.empty(START), Delta(), slow, START)
    freshness = Freshness(result, START + timedelta(seconds=4.0), 5.0, paused=False)
    assert freshness.next_poll() == "next 1s"
