"""Status values: known ones compare as AWS spells them, unknown ones survive."""

from __future__ import annotations

import pytest

from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus, is_terminal


def test_known_values_are_members_that_compare_as_strings() -> None:
    assert CommandStatus("InProgress") is CommandStatus.IN_PROGRESS
    delayed: str = InvocationStatus.DELAYED
    assert delayed == "Delayed"
    assert CommandStatus.SUCCESS.is_known


@pytest.mark.parametrize("enum", [CommandStatus, InvocationStatus, PluginStatus])
def test_a_value_aws_adds_later_is_kept_not_refused(enum: type[CommandStatus]) -> None:
    novel = enum("Quarantined")
    assert novel == "Quarantined"
    assert str(novel) == "Quarantined"
    assert not novel.is_known


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        ("Success", True),
        ("Failed", True),
        ("TimedOut", True),
        ("Cancelled", True),
        ("Pending", False),
        ("InProgress", False),
        ("Delayed", False),
        ("Cancelling", False),
        ("Quarantined", False),
    ],
)
def test_terminal_states_are_the_four_final_ones(status: str, terminal: bool) -> None:
    assert is_terminal(status) is terminal
