"""The dashboard driven with keys, over poll results built from model records.

The app, its screen, widgets and worker are real; the poller is scripted (``scripted_poller``),
so each test says exactly what each poll returned and checks what the screen made of it, and
what the screen asked of the poller. ``test_dashboard_e2e`` drives it through the simulator.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ssmtui.aws.client import CallStats
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.command_pane import COLUMNS as COMMAND_COLUMNS
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.status import CommandStatus
from ssmtui.model.text import neutralise, short_id
from ssmtui.model.time_text import ago
from ssmtui.poller import Poller
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.filter_bar import FilterBar
from ssmtui.ui.flash import FLASH_SECONDS, Flashes
from ssmtui.ui.help_screen import HelpScreen
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.key_footer import KeyFooter
from ssmtui.ui.messages import Polled
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.poll_screen import PollScreen
from ssmtui.ui.status_line import Age, Banner, StatusLine, Where
from ssmtui.ui.steps_pane import StepsPane, StepsTable
from tests.dashboard_fixtures import focus_of, plain, toasts
from tests.fleet_records import NOW, command, fleet, invocation, later, step, without
from tests.scripted_poller import publish, scripted_app, shown

SIZE = (100, 30)

DEPLOY = command(1, comment="deploy web", targets=3, completed=1, errors=1, minutes_ago=3)
PATCH = command(2, document="AWS-RunPatchBaseline", comment="monthly patching", minutes_ago=9)
ROTATE = command(3, "Success", comment="rotate logs", targets=2, completed=2, minutes_ago=30)
KERNEL = command(
    4,
    "Failed",
    document="AWS-RunPatchBaseline",
    comment="kernel",
    completed=3,
    errors=3,
    minutes_ago=50,
)
WEB = ("i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f60003")
COLOURED = "\x1b[32mstopped nginx\x1b[0m"
DEPLOYED = [
    invocation(
        DEPLOY,
        WEB[0],
        "Success",
        step("stopService", stdout=COLOURED),
        step("download", stdout="fetched release 42"),
        name="web-1",
    ),
    invocation(
        DEPLOY,
        WEB[1],
        "InProgress",
        step("stopService", stdout="stopped"),
        step("download", "InProgress"),
        name="web-2",
    ),
    invocation(
        DEPLOY,
        WEB[2],
        "Failed",
        step("stopService", "Failed", code=3, stderr="unit nginx not found"),
        step("download", "Cancelled"),
        name="web-3",
    ),
]
EXECUTING = fleet([DEPLOY, PATCH], DEPLOYED)
EVERYTHING = fleet([DEPLOY, PATCH, ROTATE, KERNEL], DEPLOYED)


def column(label: str) -> int:
    """Where the commands pane shows ``label``."""
    return next(at for at, c in enumerate(COMMAND_COLUMNS) if c.label == label)


def displayed(widget: Widget) -> bool:
    return bool(widget.display)


def on_top(app: Dashboard) -> Screen[object]:
    """The screen shown, read afresh (a key may push or pop one)."""
    return app.screen


def crumbs(app: Dashboard) -> str:
    return plain(app.query_one("#crumbs", Static))


async def test_drill_down_to_a_steps_output_and_back_with_the_poller_told_where_to_look() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        assert commands.row_keys() == [DEPLOY.command_id, PATCH.command_id]  # newest first
        # the highlighted command and its first instance, before a key is pressed, so Enter
        # finds the steps already fetched
        assert poller.looking_at() == (DEPLOY.command_id, WEB[0])
        invocations = app.query_one(InvocationsTable)
        assert invocations.row_keys() == list(WEB)

        await pilot.press("enter")
        assert focus_of(app) is invocations
        steps = app.query_one(StepsTable)
        assert steps.row_keys() == ["stopService", "download"]

        # the steps open on the last step that ran (nothing failed here): up to the first
        assert steps.selected_key == "download"
        await pilot.press("enter", "up", "enter")
        output = app.query_one(OutputView)
        assert focus_of(app) is output
        assert output.text == neutralise(COLOURED) == "stopped nginx"  # colours removed whole
        assert f"{WEB[0]} › stopService › output" in crumbs(app)

        for expected in (steps, invocations, commands):
            await pilot.press("escape")
            assert focus_of(app) is expected
        assert "› output" not in crumbs(app)
        await pilot.press("down")
        assert poller.looking_at() == (PATCH.command_id, None)  # no instances of it fetched yet


async def test_the_instance_in_focus_follows_the_cursor_and_its_steps_come_with_it() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter", "down", "down")
        assert poller.looking_at() == (DEPLOY.command_id, WEB[2])
        steps = app.query_one(StepsTable)
        assert "Failed" in steps.get_row("stopService")[2].plain
        assert steps.get_row("stopService")[3].plain == "3"
        assert app.board.selection.instance == WEB[2]


async def test_filter_narrows_the_list_and_escape_puts_it_back() -> None:
    app, poller = scripted_app(EVERYTHING, Filters(stage=Stage.ALL))
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        everything = set(commands.row_keys())
        patching = {PATCH.command_id, KERNEL.command_id}
        assert app.board.selection.command == DEPLOY.command_id

        await pilot.press("slash", *"patch")
        assert set(commands.row_keys()) == patching
        # the selected command did not match: the cursor went to one that does, and the
        # instances pane and the poller's focus followed it
        assert app.board.selection.command == commands.selected_key == PATCH.command_id
        assert poller.looking_at() == (PATCH.command_id, None)
        assert short_id(PATCH.command_id) in str(app.query_one(InvocationsTable).border_title)
        assert "filter: patch" in str(commands.border_title)
        await pilot.press("escape")
        assert set(commands.row_keys()) == everything
        assert focus_of(app) is commands


async def test_keys_typed_in_a_burst_after_slash_go_to_the_filter() -> None:
    """A paste or fast typing: every key is queued before the app has handled the ``/``."""
    app, poller = scripted_app(EVERYTHING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        for key, character in [("slash", "/"), ("p", "p"), ("a", "a"), ("slash", "/")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        bar = app.query_one(FilterBar)
        assert bar.value == "pa/"
        assert not poller.is_paused()  # the "p" was text, not the pause key
        assert focus_of(app) is bar


async def test_sort_cycles_and_keeps_the_selection() -> None:
    app, poller = scripted_app(EVERYTHING, Filters(stage=Stage.ALL))
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        await pilot.press("down", "down")
        assert app.board.selection.command == ROTATE.command_id
        await pilot.press("s")
        assert "sort: status" in str(commands.border_title)
        by_status = commands.row_keys()
        assert by_status[0] == KERNEL.command_id  # what failed first
        assert commands.selected_key == ROTATE.command_id == app.board.selection.command


async def test_pause_resume_refresh_the_interval_keys_and_the_region_of_each_poll() -> None:
    app, poller = scripted_app(EXECUTING, interval=5.0)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        footer = app.query_one(KeyFooter)
        assert "Pause" in plain_footer(footer)
        await pilot.press("p")
        assert poller.is_paused()
        assert "PAUSED" in plain(app.query_one(Age))
        assert "Resume" in plain_footer(footer)
        await pilot.press("r")  # r polls even while paused
        assert poller.refreshes == 1
        await pilot.press("p")
        assert not poller.is_paused()
        assert "PAUSED" not in plain(app.query_one(Age))
        assert "Resume" not in plain_footer(footer)

        await pilot.press("plus")
        assert poller.interval == 10.0
        await pilot.press("minus", "minus")
        assert poller.interval == 2.0
        assert "every 2s" in plain(app.query_one(StatusLine))

        assert "eu-west-1" in plain(app.query_one(StatusLine))  # read from the poll
        poller.region = "ap-southeast-2"
        await publish(pilot, poller, later(EXECUTING, 5))
        said = plain(app.query_one(StatusLine))
        assert "ap-southeast-2" in said
        assert "eu-west-1" not in said


def plain_footer(footer: KeyFooter) -> str:
    return footer.render().plain


async def test_a_selected_command_finishing_shows_in_its_row_with_the_cursor_kept() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        await pilot.press("down")
        finished = replace(PATCH, status=CommandStatus.SUCCESS, completed_count=3)
        await publish(pilot, poller, later(EXECUTING, 60, finished))
        assert "Success" in commands.get_row(PATCH.command_id)[1].plain
        assert "3/3" in commands.get_row(PATCH.command_id)[2].plain
        assert app.board.selection.command == PATCH.command_id == commands.selected_key


async def test_relative_times_move_with_the_clock_on_rows_that_did_not_change() -> None:
    app, poller = scripted_app(EVERYTHING, Filters(stage=Stage.ALL))
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        before = commands.get_row(ROTATE.command_id)[column("Requested")].plain
        result = await publish(pilot, poller, later(EVERYTHING, 3 * 3600))
        assert result.snapshot.commands[ROTATE.command_id] is ROTATE  # the record is unchanged
        after = commands.get_row(ROTATE.command_id)[column("Requested")].plain
        assert after == ago(ROTATE.requested, poller.now) != before


async def test_a_selected_command_that_leaves_the_filters_is_named_and_the_cursor_follows() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        assert app.board.selection.command == DEPLOY.command_id
        await publish(pilot, poller, without(later(EXECUTING, 5), DEPLOY))
        assert commands.row_keys() == [PATCH.command_id]
        assert app.board.selection.command == commands.selected_key == PATCH.command_id
        assert poller.looking_at() == (PATCH.command_id, None)
        assert short_id(PATCH.command_id) in str(app.query_one(InvocationsTable).border_title)
        said = f"Command {short_id(DEPLOY.command_id)} is no longer listed"
        assert any(said in text for text in toasts(app))


async def test_a_failed_or_throttled_poll_is_named_in_the_banner_and_the_data_stays() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        rows = commands.row_keys()
        banner = app.query_one(Banner)
        assert not displayed(banner)
        error = AwsError(ErrorKind.SERVER, "AWS answered ListCommands with a server error (503)")
        await poller.fail(error, later(EXECUTING, 5).taken_at)
        await shown(pilot, poller)
        said = plain(banner)
        assert displayed(banner)
        assert "Poll failed: AWS answered ListCommands with a server error (503)" in said
        assert "showing data from" in said
        assert commands.row_keys() == rows
        assert app.query_one(InvocationsTable).row_keys() == list(WEB)
        await publish(pilot, poller, later(EXECUTING, 10))
        assert not displayed(banner)

        # throttling is named whether the poll got through (retried) or failed
        slowed = CallStats(requests=3, throttled=2)
        slowed.calls["ListCommands"] = 1
        await poller.publish(later(EXECUTING, 15), slowed)
        await shown(pilot, poller)
        assert "Throttled by AWS: 2 call(s) retried this poll." in plain(banner)
        error = AwsError(ErrorKind.THROTTLED, "AWS kept throttling ListCommands after retries")
        await poller.fail(error, later(EXECUTING, 20).taken_at)
        await shown(pilot, poller)
        assert "AWS is throttling ssmtui" in plain(banner)


async def test_a_denied_operation_names_its_permission_and_only_its_part_waits() -> None:
    """ssm:GetCommandInvocation denied: the steps show, with the 2,500 characters AWS listed
    and a note; ssm:ListCommandInvocations denied: the steps pane says why it has none. The
    commands keep updating all the while."""
    short = replace(step("stopService", stdout=None), output="stopped nginx (listed)")
    listed_only = invocation(DEPLOY, WEB[0], "Success", short, name="web-1")
    app, poller = scripted_app(fleet([DEPLOY, PATCH], [listed_only, *DEPLOYED[1:]]))
    denied = AwsError(
        ErrorKind.ACCESS_DENIED,
        "access denied to ssm:GetCommandInvocation: the identity needs that permission",
        "AccessDeniedException",
    )
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        moved = replace(PATCH, completed_count=1)
        first = app.board.result
        assert first is not None
        await poller.publish(
            later(first.snapshot, 5, moved), failed={"GetCommandInvocation": denied}
        )
        await shown(pilot, poller)
        said = plain(app.query_one(Banner))
        assert "Access denied to ssm:GetCommandInvocation" in said
        assert "the rest keeps updating" in said
        updated = app.board.result
        assert updated is not None
        assert updated.snapshot.commands[PATCH.command_id].completed_count == 1
        await pilot.press("enter", "enter")
        assert app.query_one(StepsTable).row_keys() == ["stopService"]
        assert app.query_one(OutputView).text == "stopped nginx (listed)"
        note = plain(app.query_one("#output-note", Static))
        assert "The full output could not be fetched: access denied" in note

        unfetched = invocation(DEPLOY, WEB[0], "Success", name="web-1")
        refused = AwsError(ErrorKind.ACCESS_DENIED, "access denied", "AccessDeniedException")
        await poller.publish(
            fleet([DEPLOY, moved], [unfetched, *DEPLOYED[1:]], at=NOW + timedelta(seconds=10)),
            failed={"ListCommandInvocations": refused},
        )
        await shown(pilot, poller)
        subtitle = app.query_one(StepsPane).border_subtitle
        assert subtitle is not None
        assert "steps unavailable: ssm:ListCommandInvocations denied" in str(subtitle)


async def test_help_lists_every_key_and_closes_back_to_the_same_place() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("enter")
        before = crumbs(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = plain(app.screen.query_one("#help-keys", Static))
        for binding in Dashboard.BINDINGS:
            assert binding.description in keys  # type: ignore[union-attr]
        for description in ("Wrap", "Next match", "End", "Open"):
            assert description in keys
        await pilot.press("escape")
        assert on_top(app) is app.board
        assert crumbs(app) == before
        assert focus_of(app) is app.query_one(InvocationsTable)


async def test_quit_stops_the_poller_and_leaves_no_task() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        await pilot.press("q")
    assert app.return_code in (0, None)
    assert "poller" not in {task.get_name() for task in asyncio.all_tasks()}
    assert not [worker for worker in app.workers if not worker.is_finished]


async def test_a_poll_that_lands_after_the_screen_is_gone_is_dropped() -> None:
    """The state lives on the screen: once Textual has taken it down, a late result (or tick)
    has no queue to land in, so there is nothing to guard."""
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        result = app.result
        assert result is not None
    assert not app.board.is_running
    assert not app.board.post_message(Polled(result))


async def test_a_source_that_cannot_open_exits_with_one_sentence() -> None:
    class Broken:
        async def __aenter__(self) -> Poller:
            raise AwsError(ErrorKind.CREDENTIALS, "no AWS credentials were found")

        async def __aexit__(self, *_: object) -> None:
            return None

    app = Dashboard(Broken, Where("nowhere"), Filters())
    async with app.run_test() as pilot:
        while app.return_code is None:
            await pilot.pause()
    assert app.return_code == 1


HOSTILE = (
    "[bold]loud[/bold] [/ [link=https://example.com]x[/link] "
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[H \x1b]0;pwned\x07 \x1b]8;;https://evil\x1b\\y \udcff end"
)


async def test_untrusted_text_is_shown_literally() -> None:
    loud = command(9, comment=HOSTILE, targets=1)
    record = invocation(loud, WEB[0], "Success", step("run", stdout=HOSTILE), name=HOSTILE)
    app, poller = scripted_app(fleet([loud], [record]))
    async with app.run_test(size=(200, 50)) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        comment = commands.get_row(loud.command_id)[column("Comment")].plain
        assert comment == neutralise(HOSTILE, single_line=True)
        assert "[bold]loud[/bold]" in comment
        assert "[link=https://example.com]x[/link]" in comment
        invocations = app.query_one(InvocationsTable)
        assert invocations.get_row(WEB[0])[2].plain == neutralise(HOSTILE, single_line=True)
        await pilot.press("enter", "enter", "enter")
        output = app.query_one(OutputView)
        assert "end" in output.text
        screen = app.export_screenshot()
    for text in (comment, output.text, screen):
        assert not {"\x1b", "\x07", "\udcff"} & set(text)
    assert "[bold]loud[/bold]" in output.text
    assert "pwned" not in output.text  # an OSC title is dropped whole, not shown


async def test_a_status_change_lights_up_its_row_and_only_its_row() -> None:
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        commands = app.query_one(CommandsTable)
        failed = replace(PATCH, status=CommandStatus.FAILED, completed_count=3, error_count=1)
        await publish(pilot, poller, later(EXECUTING, 5, failed))
        lit = commands.style_for("row-table--changed")
        for key in commands.row_keys():
            spans = {span.style for span in commands.get_row(key)[1].spans}
            assert (lit in spans) == (key == PATCH.command_id), key


def test_a_flash_lasts_its_time_then_ends() -> None:
    now = [100.0]
    flashes = Flashes(clock=lambda: now[0])
    flashes.note(["a"])
    assert flashes.active("a")
    assert not flashes.active("b")
    now[0] += FLASH_SECONDS - 0.01
    flashes.note(["b"])
    assert len(flashes) == 2
    now[0] += 0.02
    flashes.note([])
    assert len(flashes) == 1  # "a" is forgotten though nobody asked about it again
    assert not flashes.active("a")
    assert flashes.active("b")


async def test_the_status_timer_starts_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The base screen's mount (status line, banner, the one-second timer) runs once: Textual
    calls every class's handler itself, so a subclass that called it again started a second
    timer and redrew the status twice a second (twice the CPU at rest)."""
    started: list[str] = []
    mount = PollScreen.on_mount

    def counted(screen: PollScreen) -> None:
        started.append(type(screen).__name__)
        mount(screen)

    monkeypatch.setattr(PollScreen, "on_mount", counted)
    app, poller = scripted_app(EXECUTING)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
    assert started == ["DashboardScreen"]
