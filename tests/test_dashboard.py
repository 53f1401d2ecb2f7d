"""The dashboard driven with keys, against the simulator over HTTP through aiobotocore."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console
from textual import events
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._toast import Toast  # not exported; what the user reads in a notification

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.rows import ago
from ssmtui.model.status import is_terminal
from ssmtui.model.text import neutralise, short_id
from ssmtui.poller import Filters, Poller, Stage
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.engine import read_script
from ssmtui.sim.faults import Fault
from ssmtui.sim.scenario import CommandSpec, TargetSpec
from ssmtui.sim.server import SimServer
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.filter_bar import FilterBar
from ssmtui.ui.flash import FLASH_SECONDS, Flashes
from ssmtui.ui.help_screen import HelpScreen
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.messages import Polled
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.status_line import Banner, StatusLine, Where
from ssmtui.ui.steps_pane import StepsTable
from tests.dashboard_fixtures import commands_shown, dashboard_for, next_poll, until


def executing(server: SimServer) -> set[str]:
    return {cid for cid, c in server.engine.commands.items() if not is_terminal(c.status)}


def focus_of(app: Dashboard) -> Widget | None:
    """The focused widget, read afresh (each key press may move it)."""
    return app.focused


def is_paused(app: Dashboard) -> bool:
    return app.poller is not None and app.poller.paused


def shown(widget: Widget) -> bool:
    return bool(widget.display)


def toasts(app: Dashboard) -> list[str]:
    return [toast.render().plain for toast in app.screen.query(Toast)]


def plain(widget: Static) -> str:
    """What the widget shows, as text (a Rich renderable printed without colour)."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return captured.get()


async def test_drill_down_to_a_steps_output_and_back(server: SimServer, clock: ManualClock) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app)
        assert set(commands.row_keys()) == executing(server)

        # The highlighted command's instances are fetched without a key press.
        invocations = app.query_one(InvocationsTable)
        command = server.engine.commands[app.board.selection.command or ""]
        await until(pilot, lambda: invocations.row_count, "the command's instances")
        assert set(invocations.row_keys()) == set(command.invocations)

        await pilot.press("enter")
        assert focus_of(app) is invocations
        # Pick an instance that has finished, so its step has output to read.
        done = next(
            i for i in sorted(invocations.row_keys()) if is_terminal(command.invocations[i].status)
        )
        await pilot.press(*["down"] * sorted(invocations.row_keys()).index(done))
        await until(pilot, lambda: app.board.selection.instance == done, "that instance selected")
        steps = app.query_one(StepsTable)
        expected_steps = [p.step.name for p in command.invocations[done].plugins]
        await until(pilot, lambda: steps.row_keys() == expected_steps, "the instance's steps")

        await pilot.press("enter")
        assert focus_of(app) is steps
        await pilot.press("enter")
        output = app.query_one(OutputView)
        assert focus_of(app) is output
        first = command.invocations[done].plugins[0]
        await until(pilot, lambda: output.text, "the step's output")
        answer = server.api.handle(
            "GetCommandInvocation",
            {"CommandId": command.command_id, "InstanceId": done, "PluginName": first.name},
        )
        assert "\x1b[" in answer["StandardOutputContent"]  # the shell coloured it
        assert output.text == neutralise(answer["StandardOutputContent"])
        crumbs = plain(app.query_one("#crumbs", Static))
        assert f"{done} › {first.step.name} › output" in crumbs

        for expected in (steps, invocations, commands):
            await pilot.press("escape")
            assert focus_of(app) is expected
        assert "› output" not in plain(app.query_one("#crumbs", Static))


async def test_filter_narrows_the_list_and_escape_puts_it_back(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app, more_than=3)
        everything = set(commands.row_keys())
        patching = {cid for cid, c in server.engine.commands.items() if "Patch" in c.document.name}
        assert patching
        assert patching < everything

        assert app.board.selection.command not in patching
        await pilot.press("slash", *"patch")
        assert set(commands.row_keys()) == patching
        # the selected command did not match: the cursor went to one that does, and the
        # instances pane (and the poller's focus) followed it
        assert app.board.selection.command in patching
        assert commands.selected_key == app.board.selection.command
        assert short_id(app.board.selection.command or "") in str(
            app.query_one(InvocationsTable).border_title
        )
        assert "filter: patch" in str(commands.border_title)
        await pilot.press("escape")
        assert set(commands.row_keys()) == everything
        assert focus_of(app) is commands


async def test_keys_typed_in_a_burst_after_slash_go_to_the_filter(
    server: SimServer, clock: ManualClock
) -> None:
    """A paste or fast typing: every key is queued before the app has handled the ``/``."""
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(160, 48)) as pilot:
        await commands_shown(pilot, app, more_than=3)
        for key, character in [("slash", "/"), ("p", "p"), ("a", "a"), ("slash", "/")]:
            app.post_message(events.Key(key, character))
        bar = app.query_one(FilterBar)
        await until(pilot, lambda: bar.value == "pa/", "the burst typed into the filter")
        assert not is_paused(app)  # the "p" was text, not the pause key
        assert focus_of(app) is bar


async def test_sort_cycles_and_keeps_the_selection(server: SimServer, clock: ManualClock) -> None:
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app, more_than=3)
        await pilot.press("down", "down")
        selected = app.board.selection.command
        newest_first = commands.row_keys()
        await pilot.press("s")
        assert "sort: status" in str(commands.border_title)
        by_status = commands.row_keys()
        assert by_status != newest_first
        assert sorted(by_status) == sorted(newest_first)
        assert commands.selected_key == selected == app.board.selection.command


async def test_pause_stops_polling_until_resumed_and_refresh_still_works(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock, interval=1.0)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.result is not None, "a first poll")
        await pilot.press("p")
        assert app.poller is not None
        assert app.poller.paused
        assert "PAUSED" in plain(app.query_one(StatusLine))
        paused_at = app.result
        await asyncio.sleep(1.5)  # longer than the interval: no poll may come
        await pilot.pause()
        assert app.result is paused_at
        await next_poll(pilot, app)  # r polls even while paused
        await pilot.press("p")
        assert not is_paused(app)
        assert "PAUSED" not in plain(app.query_one(StatusLine))


async def test_refresh_shows_progress_and_a_selected_command_finishing(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app)
        selected = app.board.selection.command
        assert selected is not None
        command = server.engine.commands[selected]
        clock.advance(3 * 3600)  # long enough for every command now running to end
        await next_poll(pilot, app)
        await next_poll(pilot, app)  # the first notices it left Executing, fetching it by id
        assert is_terminal(command.status)
        row = commands.get_row(selected)
        assert str(command.status) in row[1].plain
        assert app.board.selection.command == selected == commands.selected_key  # cursor kept


async def test_relative_times_move_with_the_clock_on_rows_that_did_not_change(
    server: SimServer, clock: ManualClock
) -> None:
    """Rows are rebuilt only when what they show changed, and the clock is part of that."""
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app, more_than=3)
        assert app.result is not None
        finished = next(c for c in app.result.snapshot.commands.values() if c.terminal)
        before = commands.get_row(finished.command_id)[5].plain
        clock.advance(3 * 3600)
        await next_poll(pilot, app)
        assert app.result.snapshot.commands[finished.command_id] is finished  # unchanged record
        after = commands.get_row(finished.command_id)[5].plain
        assert after == ago(finished.requested, clock.now()) != before


async def test_a_selected_command_that_leaves_the_filters_is_named_and_the_cursor_follows(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock, Filters(status="InProgress"))
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        commands = await commands_shown(pilot, app, more_than=1)
        gone = app.board.selection.command
        assert gone is not None
        server.engine.cancel(server.engine.commands[gone])  # Cancelling: not InProgress now
        await next_poll(pilot, app)
        await until(pilot, lambda: app.board.selection.command != gone, "the selection leaving it")
        assert gone not in commands.row_keys()
        assert app.board.selection.command == commands.selected_key
        assert short_id(app.board.selection.command or "") in str(
            app.query_one(InvocationsTable).border_title
        )
        said = f"Command {gone[:8]} is no longer listed"
        await until(pilot, lambda: any(said in text for text in toasts(app)), "a toast naming it")


async def test_a_failing_endpoint_shows_a_banner_and_keeps_the_data(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app)
        rows = commands.row_keys()
        banner = app.query_one(Banner)
        assert not shown(banner)
        server.inject(Fault("error", status=503))
        await next_poll(pilot, app)
        assert shown(banner)
        assert "Poll failed" in plain(banner)
        assert "showing data from" in plain(banner)
        assert commands.row_keys() == rows
        server.faults.clear()
        await next_poll(pilot, app)
        assert not shown(banner)


async def test_throttling_is_named_in_the_banner(server: SimServer, clock: ManualClock) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.result is not None, "a first poll")
        server.inject(Fault("throttle"))
        await next_poll(pilot, app)
        assert "throttling" in plain(app.query_one(Banner))


async def test_help_lists_every_key_and_closes(server: SimServer, clock: ManualClock) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = plain(app.screen.query_one("#help-keys", Static))
        for binding in Dashboard.BINDINGS:
            assert binding.description in keys  # type: ignore[union-attr]
        for description in ("Wrap", "Next match", "End", "Open"):
            assert description in keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_interval_keys_change_how_often_it_polls(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock, interval=5.0)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.poller is not None, "the poller")
        await pilot.press("plus")
        assert app.poller is not None
        assert app.poller.interval == 10.0
        await pilot.press("minus", "minus")
        assert app.poller.interval == 2.0
        assert "every 2s" in plain(app.query_one(StatusLine))


async def test_quit_stops_the_poller_and_leaves_no_task(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.result is not None, "a first poll")
        await pilot.press("q")
    assert app.return_code in (0, None)
    names = {task.get_name() for task in asyncio.all_tasks()}
    assert "poller" not in names


async def test_a_poll_that_lands_after_the_screen_is_gone_is_dropped(
    server: SimServer, clock: ManualClock
) -> None:
    """The state lives on the screen: once Textual has taken it down, a late result (or tick)
    has no queue to land in, so there is nothing to guard."""
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.result is not None, "a first poll")
        result = app.result
        assert result is not None
    assert not app.board.is_running
    assert not app.board.post_message(Polled(result))
    assert not [worker for worker in app.workers if not worker.is_finished]


async def test_a_source_that_cannot_open_exits_with_one_sentence(clock: ManualClock) -> None:
    class Broken:
        async def __aenter__(self) -> Poller:
            raise AwsError(ErrorKind.CREDENTIALS, "no AWS credentials were found")

        async def __aexit__(self, *_: object) -> None:
            return None

    app = Dashboard(Broken, Where("nowhere"), Filters())
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.return_code is not None, "the app giving up")
    assert app.return_code == 1


HOSTILE = (
    "[bold]loud[/bold] [/ [link=https://example.com]x[/link] "
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[H \x1b]0;pwned\x07 \x1b]8;;https://evil\x1b\\y \udcff end"
)


async def test_untrusted_text_is_shown_literally(server: SimServer, clock: ManualClock) -> None:
    instance = server.engine.instances[server.engine.instance_ids[0]]
    instance.name = HOSTILE
    command = server.engine.create_command(
        CommandSpec(
            "AWS-RunShellScript", TargetSpec("instances", names=(instance.id,)), comment=HOSTILE
        ),
        read_script([f"echo {HOSTILE}"]),
    )
    clock.advance(30)
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(200, 50)) as pilot:
        commands = app.query_one(CommandsTable)
        await until(pilot, lambda: command.command_id in commands.row_keys(), "the hostile command")
        comment = commands.get_row(command.command_id)[4].plain
        assert comment == neutralise(HOSTILE, single_line=True)
        assert "[bold]loud[/bold]" in comment
        assert "[link=https://example.com]x[/link]" in comment
        commands.move_cursor(commands.get_row_index(command.command_id))
        await pilot.press("enter")
        invocations = app.query_one(InvocationsTable)
        await until(pilot, lambda: invocations.row_count, "the hostile instance")
        assert invocations.get_row(instance.id)[2].plain == neutralise(HOSTILE, single_line=True)
        await pilot.press("enter", "enter")
        output = app.query_one(OutputView)
        await until(pilot, lambda: "end" in output.text, "the hostile output")
        screen = app.export_screenshot()
    for text in (comment, output.text, screen):
        assert not {"\x1b", "\x07", "\udcff"} & set(text)
    assert "[bold]loud[/bold]" in output.text
    assert "pwned" not in output.text  # an OSC title is dropped whole, not shown


async def test_a_status_change_lights_up_its_row_for_a_moment(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app)
        before = {cid: server.engine.commands[cid].status for cid in commands.row_keys()}
        clock.advance(600)
        await next_poll(pilot, app)
        listed = set(commands.row_keys())  # a command that finished long ago has left
        changed = [
            cid
            for cid, status in before.items()
            if cid in listed and commands.get_row(cid)[1].plain[2:] != status
        ]
        assert changed
        lit = commands.style_for("row-table--changed")
        for cid in commands.row_keys():
            spans = {span.style for span in commands.get_row(cid)[1].spans}
            assert (lit in spans) == (cid in changed), cid


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


async def test_the_output_viewer_searches_wraps_and_jumps_to_the_end(
    server: SimServer, clock: ManualClock
) -> None:
    instance = server.engine.instance_ids[0]
    command = server.engine.create_command(
        CommandSpec("AWS-RunShellScript", TargetSpec("instances", names=(instance,))),
        read_script(
            ["echo alpha one", "echo beta", "echo ALPHA two", "echo " + "x" * 300]
            + [f"echo line {n}" for n in range(60)]
        ),
    )
    clock.advance(30)
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(120, 40)) as pilot:
        commands = app.query_one(CommandsTable)
        await until(pilot, lambda: command.command_id in commands.row_keys(), "the command")
        commands.move_cursor(commands.get_row_index(command.command_id))
        await pilot.press("enter", "enter", "enter")
        output = app.query_one(OutputView)
        await until(pilot, lambda: "beta" in output.text, "the step's output")
        assert focus_of(app) is output

        await pilot.press("slash", *"alpha", "enter")
        assert focus_of(app) is output
        assert output.matched_text == "alpha"
        assert output.match == (0, 0, 5)
        await pilot.press("n")  # case-insensitive, on to the next line that has it
        assert output.matched_text == "ALPHA"
        assert output.match == (2, 0, 5)
        await pilot.press("n")  # past the last match it wraps to the first
        assert output.match == (0, 0, 5)
        await pilot.press("N")  # and back again, past the first to the last
        assert output.match == (2, 0, 5)

        wrapped_before = output.soft_wrap
        await pilot.press("w")
        assert (wrapped_before, output.soft_wrap) == (False, True)
        await pilot.press("G")
        assert output.scroll_y == output.max_scroll_y > 0
