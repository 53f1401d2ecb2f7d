"""The dashboard end to end: the real poller reading the simulator over HTTP through aiobotocore.

A few paths only, where the parts meet: the drill-down fetching as the user moves, a command
finishing (fetched by id once it leaves the executing list), a failing endpoint. Everything
else the screen does is tested over scripted poll results in ``test_dashboard``.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static

from ssmtui.model.status import is_terminal
from ssmtui.model.text import neutralise
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.server import SimServer
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.status_line import Banner
from ssmtui.ui.steps_pane import StepsTable
from tests.dashboard_fixtures import (
    commands_shown,
    dashboard_for,
    focus_of,
    plain,
    until,
)


def executing(server: SimServer) -> set[str]:
    return {cid for cid, c in server.engine.commands.items() if not is_terminal(c.status)}


def shown(widget: Widget) -> bool:
    return bool(widget.display)


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
        await pilot.press("r")  # a full cycle sees it leave Executing and fetches it by id
        await until(
            pilot,
            lambda: (
                is_terminal(command.status)  # the simulator moves on as it is asked
                and str(command.status) in commands.get_row(selected)[1].plain
            ),
            "the selected command's final status in its row",
        )
        assert app.board.selection.command == selected == commands.selected_key  # cursor kept


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
        # A cycle already under way (a fill of the focused command's sweep calls no
        # ListCommands) may still land first: wait for the state, not for the next result.
        # A fill cycle's failing ListCommandInvocations is a banner too, of another kind.
        await pilot.press("r")
        await until(pilot, lambda: "Poll failed" in plain(banner), "the banner of a failed poll")
        assert shown(banner)
        assert "showing data from" in plain(banner)
        assert commands.row_keys() == rows
        server.faults.clear()
        await pilot.press("r")
        await until(pilot, lambda: not shown(banner), "the banner gone after a good poll")
