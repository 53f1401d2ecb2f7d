"""A failed step's output aligned with a success's, on masked lines."""

from __future__ import annotations

from ssmtui.model.output_diff import ONLY_FAILED, ONLY_SUCCEEDED, compared, successes_of
from ssmtui.model.types import SKIPPED_BY_PRECONDITION, PluginResult
from tests.fleet_records import step


def test_lines_that_differ_only_by_ids_numbers_and_times_are_the_same_line() -> None:
    failed = (
        "2026-11-27T08:00:01Z start on i-0123456789abcdef0\n"
        "fetching 10.0.1.23 took 812 ms\n"
        "E: No space left on device\n"
        "done"
    )
    succeeded = (
        "2026-11-27T08:03:44Z start on i-0fedcba9876543210\n"
        "fetching 10.0.9.9 took 97 ms\n"
        "installed 12 packages\n"
        "done"
    )
    result = compared(failed, succeeded)
    assert result.text.splitlines() == [
        "  2026-11-27T08:00:01Z start on i-0123456789abcdef0",
        "  fetching 10.0.1.23 took 812 ms",
        "- E: No space left on device",
        "+ installed 12 packages",
        "  done",
    ]
    assert (result.only_failed, result.only_succeeded) == (1, 1)
    assert result.paint[2] == ((0, len("- E: No space left on device"), ONLY_FAILED),)
    assert result.paint[3][0][2] == ONLY_SUCCEEDED
    assert result.paint[0] == ()


def test_what_aws_sent_is_neutralised_on_both_sides() -> None:
    result = compared("boom\x1b]52;c;ZXZpbA==\x07\n", "ok\x1b[2J\n")
    assert "\x1b" not in result.text
    assert "\x07" not in result.text


def test_a_success_is_a_step_that_ran_and_succeeded_not_one_skipped() -> None:
    skipped = PluginResult(
        "patch", step("patch").status, output=f"{SKIPPED_BY_PRECONDITION}: 'platformType'"
    )
    steps = {
        "i-b": (step("patch"),),
        "i-a": (step("patch"),),
        "i-c": (step("patch", "Failed"),),
        "i-d": (skipped,),
        "i-e": (step("other"),),
    }
    assert [instance for instance, _ in successes_of(steps, "patch")] == ["i-a", "i-b"]
