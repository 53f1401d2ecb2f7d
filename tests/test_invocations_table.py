"""The instance row's response code: the invocation's outcome, not a step's along the way."""

from __future__ import annotations

from ssmtui.model.status import InvocationStatus, PluginStatus
from ssmtui.model.types import Invocation, PluginResult
from ssmtui.ui.invocations_table import last_response_code


def invocation(status: str, *steps: tuple[str, int]) -> Invocation:
    plugins = tuple(
        PluginResult(f"step{index}", PluginStatus(step_status), response_code=code)
        for index, (step_status, code) in enumerate(steps)
    )
    return Invocation("c", "i-1", InvocationStatus(status), plugins=plugins)


def test_a_running_invocation_has_no_code_yet_though_a_step_succeeded() -> None:
    running = invocation("InProgress", ("Success", 0), ("InProgress", -1))
    assert last_response_code(running) == -1


def test_a_finished_invocation_shows_the_code_of_the_last_step_that_ran() -> None:
    failed = invocation("Failed", ("Success", 0), ("Failed", 2), ("Pending", -1))
    assert last_response_code(failed) == 2
    assert last_response_code(invocation("Success", ("Success", 0))) == 0


def test_an_invocation_whose_steps_were_not_fetched_has_no_code() -> None:
    assert last_response_code(Invocation("c", "i-1", InvocationStatus("Failed"))) == -1
