"""Taking things off the screen: copy, console URL, raw record, save, streams, Ctrl+C."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets._toast import Toast  # not exported; what the user reads in a notification

from ssmtui.ui.app import Dashboard
from ssmtui.ui.exports import SAVING_OFF
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.raw_screen import RawScreen
from ssmtui.ui.selection import Selection
from ssmtui.ui.steps_pane import StepsPane
from ssmtui.ui.take_away import STEPS, Chosen, Taken, to_copy
from tests.fleet_records import command, fleet, invocation, step
from tests.scripted_poller import scripted_app, shown

SIZE = (120, 36)
DEPLOY = command(1, "Failed", comment="deploy", targets=2, completed=2, errors=1)
FAILED = invocation(
    DEPLOY,
    "i-0a1b2c3d4e5f60001",
    "Failed",
    step("deploy", "Failed", code=3, stdout="fetching release\nunpacking", stderr="E: disk full"),
)
FLEET = fleet([DEPLOY], [FAILED, invocation(DEPLOY, "i-0a1b2c3d4e5f60002", "Success")])


class Clipboard:
    """What the app put on the clipboard (OSC 52 in a terminal)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, app: object) -> None:
        self.copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", self.copied.append)


async def saved(app: Dashboard) -> None:
    """Wait for the save the key started: it writes in a thread."""
    assert app.board.saving is not None
    await app.board.saving.wait()


def toasts(app: object) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]  # type: ignore[attr-defined]


async def test_c_copies_by_pane_u_gives_the_console_page_and_y_shows_the_raw_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, poller = scripted_app(FLEET)
    clipboard = Clipboard(monkeypatch, app)
    base = "https://eu-west-1.console.aws.amazon.com/systems-manager/run-command"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        await pilot.press("u", "y")
        assert isinstance(app.screen, RawScreen)
        record = json.loads(app.screen.query_one(OutputView).text)
        assert (record["CommandId"], record["ErrorCount"]) == (DEPLOY.command_id, 1)
        await pilot.press("escape", "c", "enter", "u", "c", "enter", "enter")
        await shown(pilot, poller)
        await pilot.press("c", "y")
        assert clipboard.copied == [
            f"{base}/{DEPLOY.command_id}?region=eu-west-1",
            DEPLOY.command_id,
            f"{base}/{DEPLOY.command_id}/{FAILED.instance_id}?region=eu-west-1",
            FAILED.instance_id,
            "fetching release\nunpacking\n──────── stderr ────────\nE: disk full",
        ]
        assert any(f"Copied CommandId {DEPLOY.command_id}" in text for text in toasts(app))
        assert any(clipboard.copied[2] in text.replace("\n", "") for text in toasts(app))
        assert isinstance(app.screen, RawScreen)
        plugin = json.loads(app.screen.query_one(OutputView).text)
        assert (plugin["Name"], plugin["ResponseCode"]) == ("deploy", 3)
        assert plugin["StandardErrorContent"] == "E: disk full"
        await pilot.press("escape")
        assert not isinstance(app.screen, RawScreen)


async def test_ctrl_s_saves_the_instances_listed_and_the_output_and_says_where(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    app, poller = scripted_app(FLEET)
    app.saving_allowed = False  # a browser session not given 'serve --allow-save'
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "ctrl+s")
        await saved(app)
        assert list(tmp_path.iterdir()) == []
        assert any(SAVING_OFF.replace("\n", "") in text.replace("\n", "") for text in toasts(app))
        app.saving_allowed = True
        await pilot.press("ctrl+s")
        await saved(app)
        await pilot.press("enter", "ctrl+s")
        await saved(app)
        await pilot.pause()
        listed = tmp_path / f"ssmtui-{DEPLOY.command_id[:8]}-instances.txt"
        assert listed.read_text().split() == [FAILED.instance_id, "i-0a1b2c3d4e5f60002"]
        output = tmp_path / f"ssmtui-{DEPLOY.command_id[:8]}-{FAILED.instance_id}-deploy.txt"
        assert output.read_text().endswith("E: disk full")
        assert any(str(output) in text.replace("\n", "") for text in toasts(app))


async def test_o_shows_one_stream_at_a_time_and_search_says_which_match_of_how_many() -> None:
    app, poller = scripted_app(FLEET)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "enter")
        await shown(pilot, poller)
        view = app.query_one(OutputView)
        seen = []
        for _ in range(3):
            await pilot.press("o")
            seen.append(view.text)
        assert seen == [
            "fetching release\nunpacking",
            "E: disk full",
            "fetching release\nunpacking\n──────── stderr ────────\nE: disk full",
        ]
        await pilot.press("enter", "slash", *"n", "enter")
        await pilot.pause()
        assert "match 1 of 3 for 'n'" in str(app.query_one(StepsPane).border_subtitle)
        await pilot.press("n")
        await pilot.pause()
        assert "match 2 of 3 for 'n'" in str(app.query_one(StepsPane).border_subtitle)


async def test_ctrl_c_copies_a_selection_and_quits_without_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, poller = scripted_app(FLEET)
    clipboard = Clipboard(monkeypatch, app)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "enter")
        await shown(pilot, poller)
        view = app.query_one(OutputView)
        await pilot.mouse_down(view, offset=(1, 0))  # the pane's padding is one cell
        await pilot.mouse_up(view, offset=(8, 0))
        await pilot.press("ctrl+c")
        assert clipboard.copied == ["fetching"]
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


def test_the_steps_pane_copies_the_s3_url_of_a_steps_output_when_it_has_one() -> None:
    plugin = step("deploy", stdout="ok")
    at_steps = Selection("c", "i", "deploy", depth=STEPS)
    chosen = Chosen(at_steps, None, None, plugin, "", "")
    assert to_copy(chosen) == "This step's output is not in S3: the command sent none there."
    sent = replace(plugin, stdout_url="https://s3.example/b/k/stdout")
    copied = to_copy(Chosen(at_steps, None, None, sent, "", ""))
    assert copied == Taken("the S3 URL of its output", "https://s3.example/b/k/stdout")


async def test_capital_f_asks_the_poller_for_the_whole_output_only_where_s3_has_it() -> None:
    in_s3 = replace(
        FAILED,
        plugins=tuple(
            replace(p, stdout_url="https://s3.eu-west-1.amazonaws.com/b/k/stdout")
            for p in FAILED.plugins or ()
        ),
    )
    app, poller = scripted_app(fleet([DEPLOY], [in_s3]))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        await pilot.press("F")
        assert poller.full_output_requests == 0  # no step open yet: a hint instead
        await pilot.press("enter", "enter")
        await shown(pilot, poller)
        await pilot.press("F")
        assert poller.full_output_requests == 1
        assert poller.step == "deploy"
