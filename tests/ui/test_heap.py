"""The garbage collector is told to leave alone what the polls brought, a few thousand at a time."""

from __future__ import annotations

import gc

import pytest

from ssmtui.ui.heap import Settler


@pytest.fixture
def frozen_before() -> int:
    """What was frozen before the test; the suite freezes what it loaded too (conftest), so
    what the test freezes stays frozen like the rest."""
    return gc.get_freeze_count()


def test_records_are_frozen_once_enough_of_them_arrived(frozen_before: int) -> None:
    settler = Settler(every=1000)
    kept = [[n] for n in range(3000)]  # containers the collector would walk
    assert not settler.note(600)
    assert gc.get_freeze_count() == frozen_before
    assert settler.note(600)
    assert gc.get_freeze_count() >= frozen_before + len(kept)
    assert not settler.note(999)  # counting starts again after a freeze
    assert settler.note(1)
