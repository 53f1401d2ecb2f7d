"""``--command`` takes the short id a table shows: made whole once, or refused in one sentence."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ssmtui import cli
from ssmtui.cli.launch import demo_poller
from ssmtui.model.command_id import is_prefix
from ssmtui.model.filters import Filters, Stage
from ssmtui.poller import Poller
from ssmtui.poller.command_prefix import UnknownCommand, whole_command_id
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.scenario import Scenario
from ssmtui.sim.server import SimServer
from tests.conftest import client_for
from tests.fleet_records import command, command_id
from tests.memory_reader import PAGE, MemoryReader


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("330698a1", True),
        ("3306", True),
        ("330698a1-c0", True),
        ("330698a1-c009-4492-b624-6771c8450070", True),
        ("330", False),  # too short to be worth a search
        ("330698a1c0", False),  # the dash is where the id has it, or the text is not an id
        ("330698a1-c009-4492-b624-6771c84500701", False),
        ("xyz12345", False),
        ("3306 ", False),
    ],
)
def test_a_prefix_is_the_start_of_an_id_of_aws_shape(text: str, accepted: bool) -> None:
    assert is_prefix(text) is accepted


def fleet_of(*numbers: int) -> MemoryReader:
    return MemoryReader([command(n, "Success") for n in numbers])


async def test_a_whole_id_is_used_as_it_is_without_a_call() -> None:
    reader = fleet_of(1)
    assert await whole_command_id(reader, command_id(1)) == command_id(1)
    assert reader.calls == []


async def test_a_prefix_is_looked_for_on_every_page() -> None:
    wanted = 0x0001AAAA
    reader = fleet_of(*range(1, PAGE * 2), wanted)
    assert await whole_command_id(reader, "0001aaa") == command_id(wanted)
    assert [name for name, _ in reader.calls] == ["ListCommands"] * 2


async def test_an_ambiguous_prefix_names_the_candidates_and_asks_for_more() -> None:
    reader = fleet_of(0x0001AA01, 0x0001AA02, 0x0001AA03, 0x0001AA04, 0x0001BB00)
    with pytest.raises(UnknownCommand) as raised:
        await whole_command_id(reader, "0001aa")
    assert str(raised.value) == (
        f"4 commands have an id starting with '0001aa' ({command_id(0x0001AA01)}, "
        f"{command_id(0x0001AA02)}, {command_id(0x0001AA03)} and 1 more); type more of it"
    )


async def test_an_unknown_prefix_says_where_it_was_looked_for() -> None:
    with pytest.raises(UnknownCommand) as raised:
        await whole_command_id(fleet_of(1, 2), "ffff")
    assert str(raised.value) == (
        "no command of the last 30 days in eu-west-1 has an id starting with 'ffff'"
    )


@pytest.fixture
def frozen(default_scenario: Scenario, clock: ManualClock) -> Iterator[BackgroundSim]:
    with BackgroundSim(SimServer(default_scenario, clock, seed=3)) as background:
        yield background


def test_snapshot_takes_the_short_id_from_its_own_table(
    frozen: BackgroundSim, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = client_for(frozen.endpoint).get_paginator("list_commands").paginate()
    wanted = next(c for page in pages for c in page["Commands"])["CommandId"]
    endpoint = ["--endpoint-url", frozen.endpoint, "--stage", "all", "--json"]
    code = cli.main(["snapshot", *endpoint, "--command", wanted[:8].upper()])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert [c["CommandId"] for c in json.loads(out)["Commands"]] == [wanted]

    code = cli.main(["snapshot", *endpoint, "--command", "ffff0000"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (
        "ssmtui snapshot: no command of the last 30 days in eu-west-1 has an id starting with "
        "'ffff0000'\n"
    )


async def test_the_demo_makes_the_short_id_whole_before_it_polls() -> None:
    async with demo_poller(Filters(stage=Stage.ALL), 5, seed=1) as poller:
        assert isinstance(poller, Poller)  # one region: a poller of its own, no fan-out
        first = next(iter((await poller.poll_once()).snapshot.commands))
    async with demo_poller(Filters(stage=Stage.ALL, command=first[:8]), 5, seed=1) as poller:
        assert isinstance(poller, Poller)
        assert list((await poller.poll_once()).snapshot.commands) == [first]
    with pytest.raises(UnknownCommand):
        async with demo_poller(Filters(command="ffff0000"), 5, seed=1):
            pass


def test_the_dashboard_refuses_an_unknown_prefix_before_it_takes_the_screen(
    frozen: BackgroundSim, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["--endpoint-url", frozen.endpoint, "--command", "ffff0000"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (
        "ssmtui: no command of the last 30 days in eu-west-1 has an id starting with 'ffff0000'\n"
    )
