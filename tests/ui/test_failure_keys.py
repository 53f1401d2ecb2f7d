"""From "something failed" to "this is why, on these instances", with keys, over scripted polls."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Static

from ssmtui.model.status import CommandStatus
from ssmtui.model.types import Invocation
from ssmtui.model.views import failures_while_running
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.failures_screen import FailuresScreen
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.key_footer import KeyFooter
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.raw_screen import LinesScreen
from ssmtui.ui.row_table import RowTable
from ssmtui.ui.status_line import StatusLine, Where
from ssmtui.ui.steps_pane import StepsTable
from tests.dashboard_fixtures import focus_of, plain, toasts
from tests.fleet_records import command, fleet, invocation, step
from tests.scripted_poller import scripted_app, shown

SIZE = (120, 36)

ROTATE = command(1, "Success", comment="rotate logs", targets=1, completed=1, minutes_ago=1)
PATCH = command(
    2, document="AWS-RunPatchBaseline", comment="patch", targets=5, completed=4, errors=3
)
HOSTS = [f"i-0a1b2c3d4e5f6000{n}" for n in range(1, 6)]


def patched(host: str, status: str, error: str = "") -> Invocation:
    """A patch run on Linux: the Windows and macOS steps skipped, PatchLinux as ``status``."""
    linux = (
        step("PatchLinux", "Failed", code=1, stdout="", stderr=error)
        if error
        else step("PatchLinux", status, stdout="" if status != "InProgress" else None)
    )
    return invocation(
        PATCH,
        host,
        status,
        step("PatchWindows", code=0, stdout="", seconds_ago=61, took=0),
        linux,
        step("PatchMacOS", "Pending" if status == "InProgress" else "Success", code=0, stdout=""),
    )


FLEET = fleet(
    [ROTATE, PATCH],
    [
        invocation(ROTATE, HOSTS[0], "Success", step("rotate", stdout="rotated")),
        patched(HOSTS[0], "Success"),
        patched(HOSTS[1], "Failed", "E: Unable to locate package openssl-3.0.13-1"),
        patched(HOSTS[2], "Failed", "E: Unable to locate package openssl-3.0.15-2"),
        patched(HOSTS[3], "Failed", "Error: No space left on device (/var/cache/yum)"),
        patched(HOSTS[4], "InProgress"),
    ],
)


async def test_four_keys_from_start_to_the_error_of_a_failed_step() -> None:
    """n: the next command with failures; Enter: its instances; n: the next failed one;
    Enter: its steps, the failed one selected (not the skipped one above it), its output."""
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        # the status line counts the failures inside running commands, which n goes to
        assert "✖ 3 failed in 1 running" in plain(app.query_one(StatusLine))
        assert app.board.selection.command == ROTATE.command_id
        await pilot.press("n", "enter", "n", "enter")
        await shown(pilot, poller)
        assert app.board.selection.command == PATCH.command_id
        assert app.board.selection.instance == HOSTS[1]
        assert app.query_one(StepsTable).selected_key == "PatchLinux"
        assert app.board.selection.step == "PatchLinux"
        assert "E: Unable to locate package openssl" in app.query_one(OutputView).text


async def test_next_failed_goes_round_the_failed_instances_only() -> None:
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("down", "enter")
        instances = app.query_one(InvocationsTable)
        assert instances.selected_key == HOSTS[0]
        seen = []
        for _ in range(4):
            await pilot.press("n")
            seen.append(instances.selected_key)
        assert seen == [HOSTS[1], HOSTS[2], HOSTS[3], HOSTS[1]]


async def test_next_failed_says_so_when_nothing_failed() -> None:
    app, poller = scripted_app(fleet([ROTATE], []))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        await pilot.press("n")
        await pilot.pause()
        assert app.query_one(CommandsTable).selected_key == ROTATE.command_id
        await pilot.pause()
        said = toasts(app)
        assert any("No command shown has a failed instance" in text for text in said)


async def test_the_failures_screen_groups_them_and_opens_one_on_its_failing_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("down", "f")
        screen = app.screen
        assert isinstance(screen, FailuresScreen)
        clusters = screen.query_one("#clusters", RowTable)
        groups = [[cell.plain for cell in clusters.get_row(key)] for key in clusters.row_keys()]
        assert [g[:4] for g in groups] == [
            ["2", "PatchLinux", "1", "E: Unable to locate package openssl-N.N.N-N"],
            ["1", "PatchLinux", "1", "Error: No space left on device (/var/cache/yum)"],
        ]
        assert "3 instance(s) in 2 group(s)" in plain(screen.query_one("#failures-title", Static))

        await pilot.press("enter", "ctrl+s")
        assert screen.saving is not None
        await screen.saving.wait()
        saved = tmp_path / f"ssmtui-{PATCH.command_id[:8]}-failed-PatchLinux.txt"
        assert saved.read_text().split() == [HOSTS[1], HOSTS[2]]  # the group's, one a line
        members = screen.query_one("#members", RowTable)
        assert members.row_keys() == [HOSTS[1], HOSTS[2]]
        await pilot.press("down", "enter")
        await shown(pilot, poller)
        assert app.screen is not screen
        assert app.board.selection.instance == HOSTS[2]
        assert app.board.selection.step == "PatchLinux"
        assert focus_of(app) is app.query_one(OutputView)
        assert "openssl-3.0.15-2" in app.query_one(OutputView).text


async def test_escape_goes_back_from_a_group_to_the_groups_then_closes() -> None:
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("down", "f", "enter")
        screen = app.screen
        assert isinstance(screen, FailuresScreen)
        await pilot.press("escape")
        assert screen.query_one("#clusters").display
        assert not screen.query_one("#members").display
        await pilot.press("escape")
        assert app.screen is app.board
        assert app.board.selection.command == PATCH.command_id


async def test_a_failed_steps_output_opens_at_its_error_below_pages_of_stdout() -> None:
    long_stdout = "\n".join(f"Running transaction check ({n})" for n in range(300))
    failed = invocation(
        PATCH,
        HOSTS[1],
        "Failed",
        step("PatchLinux", "Failed", code=1, stdout=long_stdout, stderr="E: dpkg was interrupted"),
    )
    app, poller = scripted_app(fleet([PATCH], [failed]))
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "enter")
        await shown(pilot, poller)
        view = app.query_one(OutputView)
        lines = view.text.split("\n")
        error = lines.index("E: dpkg was interrupted")  # after the 300 lines of stdout
        top = view.scroll_offset.y
        assert top > 0
        assert top <= error - 1 < error < top + view.scrollable_content_region.height


async def test_at_80_columns_the_footer_shows_every_key_it_lists_whole() -> None:
    """The footer lists the keys in use, failures among them, and cuts none mid-word: the
    keys that fit, whole and in order, and the palette's key in its place on the right."""
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, poller)
        line = app.screen.query_one(KeyFooter).render().plain
        assert len(line) == 80
        assert line.endswith("▏^p palette")
        actions: dict[str, str] = {}
        for _, binding, _, _ in app.screen.active_bindings.values():
            if binding.show and binding.action not in actions:
                label = f"{app.get_key_display(binding)} {binding.description}"
                actions[binding.action] = label
        labels = list(actions.values())
        keys = line.removesuffix("▏^p palette").rstrip()
        fitting = [" ".join(labels[:n]) for n in range(1, len(labels) + 1)]
        assert keys in fitting  # the first so many keys, none cut
        assert "f Failures" in keys


async def test_a_click_on_a_key_in_the_footer_presses_it() -> None:
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=(120, 30)) as pilot:
        await shown(pilot, poller)
        footer = app.screen.query_one(KeyFooter)
        await pilot.click(KeyFooter, offset=(footer.render().plain.index("f Failures") + 3, 0))
        await pilot.pause()
        assert isinstance(app.screen, FailuresScreen)


def test_failures_inside_running_commands_are_counted_apart() -> None:
    running = [PATCH, replace(PATCH, command_id="c2", error_count=0, delivery_timed_out_count=2)]
    finished = replace(PATCH, command_id="c3", status=CommandStatus.FAILED, error_count=9)
    assert failures_while_running([*running, finished, ROTATE]) == "✖ 5 failed in 2 running"
    assert failures_while_running([ROTATE, finished]) == ""


async def test_a_command_that_matched_no_instance_says_so_where_they_would_be() -> None:
    nothing = replace(
        command(3, "Failed", comment="tag typo", targets=0, minutes_ago=0.5),
        status_details="No Instances In Tag",
    )
    resolving = command(4, "Pending", comment="just sent", targets=0, minutes_ago=0)
    app, poller = scripted_app(fleet([nothing, resolving], []))
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        instances = app.query_one(InvocationsTable)
        assert app.board.selection.command == resolving.command_id
        assert "its targets are being resolved" in str(instances.border_subtitle)
        await pilot.press("down")
        await shown(pilot, poller)
        assert app.board.selection.command == nothing.command_id
        said = str(instances.border_subtitle)
        assert "no instance matched its targets (No Instances In Tag)" in said


async def test_r_and_e_show_and_copy_the_re_run_lines_of_a_group_and_of_every_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, poller = scripted_app(FLEET, where=Where("profile ops", profile="ops"))
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        await pilot.press("down", "f", "R")
        lines = app.screen
        assert isinstance(lines, LinesScreen)
        (group,) = copied
        assert group.startswith(
            "aws ssm send-command --profile ops --region eu-west-1 "
            "--document-name AWS-RunPatchBaseline "
        )
        assert group.rstrip().endswith(f"--instance-ids {HOSTS[1]} {HOSTS[2]}")
        view = lines.query_one(OutputView)
        assert group == view.text
        assert view.virtual_size.width <= view.scrollable_content_region.width  # wrapped, whole
        assert any("Copied the re-run line(s)" in text for text in toasts(app))
        await pilot.press("escape", "E")
        (every,) = copied[1:]
        assert every.rstrip().endswith(f"--instance-ids {HOSTS[1]} {HOSTS[2]} {HOSTS[3]}")
        assert app.screen.query_one(OutputView).text == every
