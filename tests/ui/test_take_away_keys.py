"""Taking things off the screen: copy, console URL, raw record, save, streams, Ctrl+C."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ssmtui.model.text import neutralise
from ssmtui.ui.app import Dashboard
from ssmtui.ui.clipboard import LIMIT_VARIABLE, clipboard_limit, clipped
from ssmtui.ui.exports import SAVING_OFF, save_text
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.raw_screen import RawScreen
from ssmtui.ui.selection import Depth, Selection
from ssmtui.ui.steps_pane import StepsPane
from ssmtui.ui.take_away import Chosen, Taken, to_copy, to_open
from tests.dashboard_fixtures import toasts
from tests.fleet_records import command, command_id, fleet, invocation, step
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
        await pilot.press("escape", "c")
        said = toasts(app)  # at once: a toast goes after 3 s, and a loaded machine is slow
        assert any(f"Copied CommandId {DEPLOY.command_id}" in text for text in said)
        await pilot.press("enter", "u")
        console = f"{base}/{DEPLOY.command_id}/{FAILED.instance_id}?region=eu-west-1"
        assert any(console in text.replace("\n", "") for text in toasts(app))
        await pilot.press("c", "enter", "enter")
        await shown(pilot, poller)
        await pilot.press("c", "y")
        assert clipboard.copied == [
            f"{base}/{DEPLOY.command_id}?region=eu-west-1",
            DEPLOY.command_id,
            f"{base}/{DEPLOY.command_id}/{FAILED.instance_id}?region=eu-west-1",
            FAILED.instance_id,
            "fetching release\nunpacking\n──────── stderr ────────\nE: disk full",
        ]
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
    monkeypatch.setenv(LIMIT_VARIABLE, "5")
    app, poller = scripted_app(FLEET)
    clipboard = Clipboard(monkeypatch, app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "enter")
        await shown(pilot, poller)
        view = app.query_one(OutputView)
        await pilot.mouse_down(view, offset=(1, 0))  # the pane's padding is one cell
        await pilot.mouse_up(view, offset=(8, 0))
        await pilot.press("ctrl+c")
        assert clipboard.copied == ["fetch"]  # 'fetching', cut to the 5 bytes allowed
        assert any("cut to its first 5 of 8 bytes" in t.replace("\n", " ") for t in toasts(app))
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


def test_the_steps_pane_copies_the_s3_url_of_a_steps_output_when_it_has_one() -> None:
    plugin = step("deploy", stdout="ok")
    at_steps = Selection("c", "i", "deploy", depth=Depth.STEPS)
    chosen = Chosen(at_steps, None, None, plugin, "", "")
    assert to_copy(chosen) == "This step's output is not in S3: the command sent none there."
    sent = replace(plugin, stdout_url="https://s3.example/b/k/stdout")
    copied = to_copy(Chosen(at_steps, None, None, sent, "", ""))
    assert copied == Taken("the S3 URL of its output", "https://s3.example/b/k/stdout")


@pytest.mark.parametrize(
    ("pane", "value"),
    [
        (Depth.STEPS, "s3://b/logs\x1b[201~\necho PWNED\n/stdout"),  # a paste ended, then a command
        (Depth.INSTANCES, "i-0a1b2c3d4e5f6\udcff"),  # a lone surrogate: no UTF-8 at all
        (Depth.COMMANDS, "5810d60e\u202e-a729"),  # a right-to-left override
    ],
)
def test_an_id_or_url_the_screen_shows_marked_is_not_copied_and_the_toast_says_why(
    pane: Depth, value: str
) -> None:
    selection = Selection(value, value, "deploy", depth=pane)
    plugin = replace(step("deploy"), stdout_url=value)
    refused = to_copy(Chosen(selection, None, None, plugin, "", "eu-west-1"))
    assert isinstance(refused, str)
    assert refused.startswith("Not copied: the ")
    assert "holds characters a terminal would act on" in refused
    if pane != Depth.STEPS:
        refused_url = to_open(Chosen(selection, None, None, plugin, "", "eu-west-1"))
        assert isinstance(refused_url, str)
        assert refused_url.startswith("Not copied: the command id holds")


def test_the_clipboard_text_is_cut_at_a_character_within_its_byte_limit() -> None:
    assert clipped("naïve", 3) == ("na", True)  # ï is two bytes: not cut in half
    assert clipped("naïve", 6) == ("naïve", False)
    assert clipboard_limit({LIMIT_VARIABLE: "1000"}) == 1000
    assert clipboard_limit({LIMIT_VARIABLE: "lots"}) == clipboard_limit({})


async def test_a_save_is_private_neutralised_and_never_follows_a_link(tmp_path: Path) -> None:
    (tmp_path / "ssmtui-x.txt").symlink_to(tmp_path / "nowhere")
    path = await save_text("i-0a\x1b]0;owned\x07\udcff\n", "ssmtui-x.txt", tmp_path)
    assert path.name == "ssmtui-x-2.txt"
    assert not (tmp_path / "nowhere").exists()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_bytes().decode("utf-8") == "i-0a\ufffd\n"


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


ESC, LONE = "\x1b]0;owned\x07", "\udcff"  # a retitle, and invalid UTF-8 as JSON carries it
HOSTILE_COMMAND = replace(command(7, comment=f"deploy {ESC}"), command_id=f"{command_id(7)}{LONE}")
HOSTILE_STEP = replace(
    step("deploy\u202e", "Failed", code=2, stdout=f"fetching{ESC}\n", stderr=f"E: {LONE}"),
    stdout_url="https://s3.eu-west-1.amazonaws.com/b/logs\x1b[201~\necho PWNED\n/stdout",
)
HOSTILE = fleet(
    [HOSTILE_COMMAND],
    [invocation(HOSTILE_COMMAND, f"i-0a1b2c3d4e5f6{LONE}", "Failed", HOSTILE_STEP)],
)


def unshowable(text: str) -> list[str]:
    """What a terminal would act on, or that hides or cannot be written, in ``text``."""
    return [c for c in text if c not in "\n\t" and neutralise(c) != c]


async def test_no_take_away_key_ends_the_app_or_hands_on_what_the_screen_marked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    app, poller = scripted_app(HOSTILE)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "enter")
        await shown(pilot, poller)
        await pilot.press("enter")  # the output
        copied = []
        for keys in [("c", "ctrl+s"), ("c", "u"), ("c", "u", "ctrl+s"), ("c", "u", "y", "c")]:
            for key in keys:
                before = app.clipboard
                await pilot.press(key)
                if app.clipboard != before:
                    copied.append(app.clipboard)
            await pilot.press("escape")
            assert app.is_running, f"one of {keys} ended the app"
        await saved(app)
    assert copied  # the output and the raw record: shown neutralised, copied so
    assert [unshowable(text) for text in copied] == [[] for _ in copied]
    files = list(tmp_path.iterdir())
    assert len(files) == 2
    for written in files:
        assert written.stat().st_mode & 0o777 == 0o600
        assert unshowable(written.read_bytes().decode("utf-8")) == []
