"""Several regions in one view: each polled by its own reader and poller, over HTTP against a
simulator that serves a fleet per region; one that fails is named and holds up nobody."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import replace

import pytest

from ssmtui.aws.client import AwsTarget, ReadOnlyViolation, SsmReader
from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.cli.launch import source_of
from ssmtui.poller import Poller
from ssmtui.poller.fan_out import FanOut
from ssmtui.poller.results import Source
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.scenario import Scenario
from ssmtui.sim.server import SimServer
from ssmtui.sim.world import account_of
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.messages import Polled
from ssmtui.ui.status_line import Banner
from tests.dashboard_fixtures import plain
from tests.fleet_records import command, fleet
from tests.scripted_poller import publish, scripted_app, shown

REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture
async def two_regions(
    default_scenario: Scenario, clock: ManualClock
) -> AsyncIterator[tuple[SimServer, FanOut]]:
    async with (
        SimServer(default_scenario, clock, seed=3, regions=REGIONS) as server,
        AsyncExitStack() as stack,
    ):
        pollers = []
        for region in REGIONS:
            target = AwsTarget(
                region=region, endpoint_url=server.endpoint, access_key="ops", secret_key="x"
            )
            reader = await stack.enter_async_context(SsmReader(target, attempts=1))
            pollers.append((await source_of(reader), Poller(reader, clock=clock.now)))
        yield server, FanOut(pollers)


def in_region(server: SimServer, region: str) -> set[str]:
    return set(server.worlds[region].engine.commands)


async def test_each_region_is_its_own_fleet_and_each_command_says_where_it_was_read(
    two_regions: tuple[SimServer, FanOut],
) -> None:
    server, fan = two_regions
    result = await fan.poll_once()
    east, west = (in_region(server, r) & set(result.snapshot.commands) for r in REGIONS)
    assert east
    assert west
    assert not east & west
    assert set(result.snapshot.commands) == east | west
    assert {result.sources[c].region for c in east} == {"us-east-1"}
    assert {result.sources[c].region for c in west} == {"eu-west-1"}
    assert {s.account for s in result.sources.values()} == {account_of("ops")}  # from STS
    assert result.region == "eu-west-1, us-east-1"

    fan.set_focus(next(iter(west)))  # the region that read it looks at it; the other not
    focus = {source.region: poller.focus.command_id for source, poller in fan.pollers.items()}
    assert focus == {"eu-west-1": next(iter(west)), "us-east-1": None}


async def test_a_failing_region_is_named_and_the_other_keeps_updating(
    two_regions: tuple[SimServer, FanOut],
) -> None:
    server, fan = two_regions
    good = await fan.poll_once()
    server.inject(Fault("error", status=503, region="eu-west-1"))
    failing = await fan.poll_once()
    assert failing.health.ok  # not the whole poll: one source
    ((source, error),) = failing.source_errors.items()
    assert (source.region, error.kind) == ("eu-west-1", ErrorKind.SERVER)
    west = in_region(server, "eu-west-1") & set(good.snapshot.commands)
    assert west <= set(failing.snapshot.commands)  # its last good poll stays on screen
    server.faults.clear()
    recovered = await fan.poll_once()
    assert recovered.source_errors == {}


async def test_the_reader_asks_sts_who_it_is_and_nothing_more(
    two_regions: tuple[SimServer, FanOut],
) -> None:
    server, fan = two_regions
    reader = next(iter(fan.pollers.values())).plan.reader
    assert isinstance(reader, SsmReader)
    sts = await reader.client_of("sts")
    with pytest.raises(ReadOnlyViolation):
        await sts.assume_role(RoleArn="arn:aws:iam::1:role/x", RoleSessionName="ops-session")
    assert server.calls["AssumeRole"] == 0


async def test_the_commands_pane_gains_account_and_region_and_the_banner_names_a_failing_one() -> (
    None
):
    east, west = command(1), command(2)
    app, poller = scripted_app(fleet([east, west]))
    async with app.run_test(size=(170, 40)) as pilot:
        await shown(pilot, poller)
        table = app.query_one(CommandsTable)
        assert "Region" not in [c.label for c in table.columns]  # one source: no such column
        result = await poller.publish(fleet([east, west]))
        sources = {
            east.command_id: Source("us-east-1", "111122223333", "prod"),
            west.command_id: Source("eu-west-1", "111122223333", "prod"),
        }
        failing = {sources[west.command_id]: AwsError(ErrorKind.THROTTLED, "AWS kept throttling")}
        several = replace(result, sources=sources, source_errors=failing)
        app.board.post_message(Polled(several))
        await pilot.pause()
        assert [c.label for c in table.columns][:4] == ["ID", "Status", "Account", "Region"]
        row = table.get_row(west.command_id)
        assert [row[2].plain, row[3].plain] == ["111122223333", "eu-west-1"]
        banner = plain(app.query_one(Banner))
        assert banner.startswith("✖ prod eu-west-1: AWS kept throttling — its commands show")
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign,assignment]
        table.move_cursor(table.row_keys().index(east.command_id))
        await pilot.press("u")  # the console page of the region that read it, not the poll's
        assert copied[-1].endswith(f"/run-command/{east.command_id}?region=us-east-1")
        await publish(pilot, poller, fleet([east, west]))  # one source again
        assert "Region" not in [c.label for c in table.columns]
