"""The simulator cuts output as the SSM Agent does (aws/amazon-ssm-agent,
agent/framework/processor/executer/iohandler/iohandler.go: TruncateOutput, DefaultOutputConfig).
"""

from __future__ import annotations

from ssmtui.model.output_limits import (
    CONSOLE_CUT,
    ERROR_TITLE,
    LISTED_BUDGET,
    LISTED_STDERR_CUT,
    LISTED_STDOUT_CUT,
)
from ssmtui.sim.agent_output import console_output, listed_output

SPACE = LISTED_BUDGET - len(ERROR_TITLE)


def test_what_fits_is_stdout_then_the_error_title_then_stderr() -> None:
    assert listed_output("ok\n", "") == "ok\n"
    assert listed_output("ok\n", "warn\n") == "ok\n" + ERROR_TITLE + "warn\n"


def test_both_long_each_gets_half_of_the_budget_with_its_own_mark() -> None:
    text = listed_output("o" * 5000, "e" * 5000)
    share = (SPACE - len(LISTED_STDOUT_CUT) - len(LISTED_STDERR_CUT)) // 2
    assert text == "o" * share + LISTED_STDOUT_CUT + ERROR_TITLE + "e" * share + LISTED_STDERR_CUT


def test_a_short_stdout_is_kept_whole_and_stderr_takes_the_rest() -> None:
    text = listed_output("o" * 100, "e" * 5000)
    assert text.startswith("o" * 100 + ERROR_TITLE)
    assert text.endswith(LISTED_STDERR_CUT)
    assert len(text) == LISTED_BUDGET  # the whole budget, to the byte


def test_a_short_stderr_is_kept_whole_and_stdout_takes_the_rest() -> None:
    text = listed_output("o" * 5000, "e" * 100)
    assert text.endswith(LISTED_STDOUT_CUT + ERROR_TITLE + "e" * 100)
    assert len(text) == LISTED_BUDGET


def test_no_stderr_means_no_error_title_and_the_whole_budget_for_stdout() -> None:
    text = listed_output("o" * 5000, "")
    assert ERROR_TITLE not in text
    assert text == "o" * (LISTED_BUDGET - len(LISTED_STDOUT_CUT)) + LISTED_STDOUT_CUT


def test_the_budget_is_bytes_and_no_character_is_split() -> None:
    text = listed_output("é" * 3000, "")
    assert len(text.encode()) <= LISTED_BUDGET
    assert text.removesuffix(LISTED_STDOUT_CUT) == "é" * len(text.removesuffix(LISTED_STDOUT_CUT))


def test_get_command_invocation_cuts_at_its_limit_in_bytes_with_the_agents_suffix() -> None:
    assert console_output("x" * 24_000, 24_000) == "x" * 24_000
    cut = console_output("x" * 30_000, 24_000)
    assert len(cut.encode()) == 24_000
    assert cut.endswith(CONSOLE_CUT)
    wide = console_output("€" * 10_000, 24_000)
    assert len(wide.encode()) <= 24_000
    assert wide.endswith(CONSOLE_CUT)
