"""``--kiosk``: the wall view reads the same polls, needs no key, and never stops on an error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta

from textual.widgets import Digits, Static

from ssmtui.aws.errors import AwsError, ErrorKind
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.status import CommandStatus
from ssmtui.poller.results import Source
from ssmtui.ui.app import Dashboard
from ssmtui.ui.commands_table import CommandsTable
from ssmtui.ui.kiosk_screen import KioskScreen, Tally
from ssmtui.ui.messages import Polled
from ssmtui.ui.status_line import Age, Banner, Where
from tests.dashboard_fixtures import plain
from tests.fleet_records import command, fleet, later
from tests.scripted_poller import ScriptedPoller, publish, shown

RUNNING = command(1, targets=10, completed=4, errors=1)
QUIET = command(2, targets=5, completed=1)
FAILED = command(3, "Failed", targets=3, completed=3, errors=3, minutes_ago=20)
DONE = command(4, "Success", targets=3, completed=3, minutes_ago=30)
WALL = fleet([RUNNING, QUIET, FAILED, DONE])


def kiosk_app() -> tuple[Dashboard, ScriptedPoller]:
    poller = ScriptedPoller(WALL)

    @asynccontextmanager
    async def source() -> AsyncIterator[ScriptedPoller]:
        yield poller

    return Dashboard(source, Where("wall"), Filters(stage=Stage.ALL), kiosk=True), poller


def shown_now(banner: Banner) -> bool:
    return bool(banner.display)


def tally(app: Dashboard, name: str) -> str:
    return str(app.query_one(f"#{name}", Tally).query_one(Digits).value)


async def test_the_wall_counts_lists_and_says_how_old_the_data_is_without_a_key() -> None:
    app, poller = kiosk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await shown(pilot, poller)
        assert isinstance(app.screen, KioskScreen)
        assert app.focused is None  # nothing to steer
        assert [tally(app, n) for n in ("running", "failing", "succeeded")] == ["2", "2", "1"]
        assert tally(app, "instances-failed") == "1"
        running = app.query_one("#wall-running", CommandsTable)
        failures = app.query_one("#wall-failures", CommandsTable)
        assert set(running.row_keys()) == {RUNNING.command_id, QUIET.command_id}
        assert failures.row_keys() == [RUNNING.command_id, FAILED.command_id]  # newest first

        poller.now += timedelta(seconds=42)  # no poll for a while: the age says so, unasked
        app.screen.refresh_status()  # the one-second timer's work, without waiting for it
        assert tally(app, "age") == "42"
        assert "polled 42s ago" in plain(app.query_one(Age))


async def test_a_failed_poll_is_a_banner_over_the_last_data_and_the_wall_goes_on() -> None:
    app, poller = kiosk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await shown(pilot, poller)
        await poller.fail(
            AwsError(ErrorKind.THROTTLED, "AWS kept throttling ListCommands"),
            poller.now + timedelta(seconds=5),
        )
        await pilot.pause()
        banner = app.query_one(Banner)
        assert shown_now(banner)
        assert "AWS kept throttling ListCommands" in plain(banner)
        assert tally(app, "running") == "2"  # the last good data stays
        finished = replace(RUNNING, status=CommandStatus.FAILED, completed_count=10)
        await publish(pilot, poller, fleet([finished, QUIET, FAILED, DONE]))
        assert not shown_now(banner)
        assert tally(app, "running") == "1"
        assert app.return_code is None


async def test_a_source_that_cannot_open_is_tried_again_not_left() -> None:
    opened: list[int] = []
    poller = ScriptedPoller(WALL)

    @asynccontextmanager
    async def flaky() -> AsyncIterator[ScriptedPoller]:
        opened.append(1)
        if len(opened) < 3:
            raise AwsError(ErrorKind.UNREACHABLE, "could not reach the SSM endpoint")
        yield poller

    app = Dashboard(flaky, Where("wall"), Filters(), kiosk=True)
    app.retry_after = 0.01
    async with app.run_test(size=(160, 45)) as pilot:
        await asyncio.wait_for(poller.started.wait(), timeout=10)
        await pilot.pause()
        assert len(opened) == 3
        assert app.return_code is None
        assert tally(app, "running") == "2"


async def test_with_several_sources_the_wall_says_whose_each_command_is() -> None:
    app, poller = kiosk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await shown(pilot, poller)
        result = await poller.publish(WALL)
        sources = {c: Source("eu-west-1", "111122223333") for c in result.snapshot.commands}
        app.view.post_message(Polled(replace(result, sources=sources)))
        await pilot.pause()
        for table in ("#wall-running", "#wall-failures"):
            wall = app.query_one(table, CommandsTable)
            assert [c.label for c in wall.columns][2:4] == ["Account", "Region"]
            assert wall.get_row(RUNNING.command_id)[3].plain == "eu-west-1"


async def test_each_count_gets_its_last_hours_trend_from_the_polls_seen() -> None:
    app, poller = kiosk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await shown(pilot, poller)
        trend = app.query_one("#running", Tally).query_one(".tally-trend", Static)
        assert str(trend.render()) == ""  # one minute seen: nothing to draw yet
        snapshot = WALL
        for done in (RUNNING, QUIET):  # a minute later one ends, a minute after the other
            snapshot = later(snapshot, 60, replace(done, status=CommandStatus.SUCCESS))
            await publish(pilot, poller, snapshot)
        assert str(trend.render()) == "█▄  last 3 min"  # 2, 1, 0 commands running
        succeeded = app.query_one("#succeeded", Tally).query_one(".tally-trend", Static)
        assert str(succeeded.render()) == "▃▅█ last 3 min"  # 1, 2, 3
