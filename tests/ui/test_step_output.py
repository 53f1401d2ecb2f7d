"""The note above a step's output says truthfully where the SSM Agent cut it, and why a step
has none (aws/amazon-ssm-agent: iohandler.go for the cuts, constants_windows.go for -1)."""

from __future__ import annotations

from dataclasses import replace

from ssmtui.model.sgr import PAINT_LIMIT
from ssmtui.model.status import PluginStatus
from ssmtui.model.types import PluginResult
from ssmtui.sim.agent_output import console_output, listed_output
from ssmtui.ui.step_output import step_output
from tests.fleet_records import command, invocation, killed_on_windows, step

DEPLOY = command(1)
WEB = invocation(DEPLOY, "i-0a1b2c3d4e5f60001", "Failed")


def notes_for(plugin: PluginResult) -> str:
    return "\n".join(step_output(DEPLOY, WEB, plugin).notes)


def test_a_cut_get_command_invocation_text_is_named_with_the_agents_limit() -> None:
    long_out = console_output("x" * 30_000, 24_000)
    long_err = console_output("e" * 9_000, 8_000)
    said = notes_for(step("run", "Failed", stdout=long_out, stderr=long_err))
    assert "stdout was cut by the SSM Agent at 24,000 bytes" in said
    assert "stderr was cut by the SSM Agent at 8,000 bytes" in said


def test_an_uncut_text_has_no_cut_note() -> None:
    said = notes_for(step("run", stdout="ok\n", stderr="warn\n"))
    assert "cut" not in said


def test_the_listed_output_names_which_stream_the_agent_cut() -> None:
    both = replace(step("run", "InProgress"), output=listed_output("o" * 5000, "e" * 5000))
    assert "the SSM Agent cut stdout and stderr to fit the 2,400 bytes" in notes_for(both)
    only_err = replace(step("run", "InProgress"), output=listed_output("ok\n", "e" * 5000))
    assert "the SSM Agent cut stderr to fit" in notes_for(only_err)


def test_a_step_killed_on_windows_has_run_and_is_not_said_to_have_not_run() -> None:
    killed = replace(killed_on_windows(), stdout="", stderr="")
    said = notes_for(killed)
    assert "did not run" not in said
    assert "finished without output" in said
    never_ran = PluginResult("After", PluginStatus.CANCELLED)
    assert "did not run" in notes_for(never_ran)


def test_a_skipped_step_shows_the_agents_words_from_its_output() -> None:
    text = (
        "Step execution skipped due to unsatisfied preconditions: "
        "'\"StringEquals\": [platformType, Windows]'. Step name: PatchWindows"
    )
    skipped = replace(step("PatchWindows", stdout="", stderr=""), output=text)
    shown = step_output(DEPLOY, WEB, skipped)
    assert shown.body == text
    assert "ListCommandInvocations" in shown.origin


def test_colours_are_read_up_to_their_limit_and_the_note_says_where_they_stop() -> None:
    red = "\x1b[31mE: failed\x1b[0m\n"
    small = step_output(DEPLOY, WEB, step("run", "Failed", stdout=red, stderr=""))
    assert small.body == "E: failed\n"
    assert small.paint[0]
    assert "Colours" not in "\n".join(small.notes)
    huge = red * (PAINT_LIMIT // len(red) + 1)
    big = step_output(DEPLOY, WEB, step("run", "Failed", stdout=huge, stderr=""))
    assert "\x1b" not in big.body
    assert big.paint == ()
    assert f"Colours are drawn in outputs up to {PAINT_LIMIT:,} characters" in "\n".join(big.notes)
