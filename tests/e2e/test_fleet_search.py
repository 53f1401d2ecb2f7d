"""``/?text`` end to end: the dashboard's poller sweeps every instance's steps from the
simulator over HTTP, and the instances shown are those whose listed output holds the text, as
boto3 lists it; the sweep's calls are counted like any other."""

from __future__ import annotations

import math

from ssmtui.model.output_limits import LISTED_STDERR_RULE
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.server import SimServer
from ssmtui.ui.invocations_table import InvocationsTable
from tests.conftest import client_for
from tests.dashboard_fixtures import commands_shown, dashboard_for, until

NEEDLE = "error:"


def printed_it(server: SimServer) -> tuple[str, set[str], int]:
    """A command some of whose instances printed the needle (in boto3's listing with
    Details), those instances, and how many instances the command has."""
    ssm = client_for(server.endpoint)
    for command_id in server.engine.commands:
        pages = ssm.get_paginator("list_command_invocations").paginate(
            CommandId=command_id, Details=True
        )
        listed = [i for page in pages for i in page["CommandInvocations"]]
        found = {
            i["InstanceId"]
            for i in listed
            for plugin in i["CommandPlugins"]
            for line in plugin.get("Output", "").splitlines()
            if NEEDLE in line.casefold() and line.strip() != LISTED_STDERR_RULE
        }
        if found and len(found) < len(listed):
            return command_id, found, len(listed)
    raise AssertionError("the default scenario has no command that printed an error")


async def test_the_instances_whose_output_holds_the_text_are_shown_with_the_calls_it_took(
    sim: BackgroundSim, clock: ManualClock
) -> None:
    clock.advance(300)
    command_id, expected, instances = printed_it(sim.server)
    app = dashboard_for(sim.server, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        commands = await commands_shown(pilot, app)
        commands.move_cursor(commands.get_row_index(command_id))
        await until(pilot, lambda: app.board.selection.command == command_id, "the command")
        await pilot.press("enter")
        await pilot.press("slash", *f"?{NEEDLE}", "enter")
        table = app.query_one(InvocationsTable)
        await until(pilot, lambda: set(table.row_keys()) == expected, "the instances it printed")
        result = app.result
        assert result is not None
        assert result.swept is not None
        assert result.swept.command_id == command_id
        assert result.swept.read == instances
        assert result.swept.calls >= math.ceil(instances / 50)
        title = str(table.border_title)
        assert f"{len(expected)} match" in title
        assert f"in {instances} of {instances} instances read" in title
