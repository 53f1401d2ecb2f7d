"""An endpoint that misbehaves: control sequences in every field, records of the wrong shape.

The simulator's ``hostile`` fault puts a terminal take-over (retitle, leave the alternate screen,
clear the scrollback), a right-to-left override, a zero-width space and a lone surrogate into
every string of every answer, ids, statuses and error codes included; ``mistyped`` gives one
record of a page a field of the wrong type. What reaches the screen, stdout and stderr is
checked character by character.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from ssmtui import cli
from ssmtui.aws.client import SsmReader
from ssmtui.model.filters import Filters, Stage
from ssmtui.model.status import is_terminal
from ssmtui.model.text import MARK
from ssmtui.sim.background import BackgroundSim
from ssmtui.sim.clock import ManualClock
from ssmtui.sim.faults import Fault
from ssmtui.sim.scenario import Scenario
from ssmtui.sim.server import SimServer
from ssmtui.sim.state import SimCommand
from ssmtui.sim.tampering import PAYLOAD, mistype
from ssmtui.ui.app import Dashboard
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.status_line import Banner
from ssmtui.ui.steps_pane import StepsTable
from tests.aws_fixtures import make_poller
from tests.dashboard_fixtures import commands_shown, dashboard_for, until


def leaks(text: str) -> list[str]:
    """Every character of ``text`` a terminal would act on, or that hides or reorders text."""
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if ch not in "\n\t"
        and (
            ord(ch) < 0x20
            or 0x7F <= ord(ch) <= 0x9F
            or 0xD800 <= ord(ch) <= 0xDFFF
            or unicodedata.category(ch) in ("Cf", "Zl", "Zp")
        )
    ]


async def drill_to_output(
    app: Dashboard, pilot: Pilot[None], *, command_id: str | None = None
) -> None:
    """Enter a command (the first, or ``command_id``), its first instance, its first step."""
    commands = await commands_shown(pilot, app)
    if command_id is not None:
        commands.move_cursor(commands.get_row_index(command_id))  # keys are not under test
        await until(pilot, lambda: app.board.selection.command == command_id, "that command")
    await pilot.press("enter")
    invocations = app.query_one(InvocationsTable)
    await until(pilot, lambda: invocations.row_count, "the command's instances")
    await pilot.press("enter")
    steps = app.query_one(StepsTable)
    await until(pilot, lambda: steps.row_count, "the instance's steps")
    await pilot.press("enter")


async def test_every_field_of_every_answer_hostile_reaches_the_screen_neutralised(
    server: SimServer, clock: ManualClock
) -> None:
    server.inject(Fault("hostile"))
    app = dashboard_for(server, clock)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await drill_to_output(app, pilot)
        pictures = [app.export_screenshot()]
        app.notify(f"quoting the endpoint: {PAYLOAD}")
        server.inject(Fault("error", status=503))  # a 5xx whose code and message are hostile
        await pilot.press("r")
        await until(pilot, lambda: app.query_one(Banner).display, "the error banner")
        pictures.append(app.export_screenshot())
    for picture in pictures:
        assert leaks(picture) == []
        assert MARK in picture  # the hostile text was shown, marked, not silently dropped
    assert "ServiceUnavailable" in pictures[-1]


async def test_hostile_output_from_get_command_invocation_is_neutralised(
    server: SimServer, clock: ManualClock
) -> None:
    server.inject(Fault("hostile", operation="GetCommandInvocation"))
    finished = next(c for c in server.engine.ordered if c.invocations and ran(c))
    app = dashboard_for(server, clock, Filters(stage=Stage.ALL))
    async with app.run_test(size=(200, 50)) as pilot:
        await drill_to_output(app, pilot, command_id=finished.command_id)
        output = app.query_one(OutputView)
        await until(pilot, lambda: MARK in output.text, "the hostile output")
        picture = app.export_screenshot()
    assert leaks(output.text) == []
    assert leaks(picture) == []


def ran(command: SimCommand) -> bool:
    """Whether the first instance (as the instances pane sorts them) finished every step."""
    first = command.invocations[min(command.invocations)]
    return all(is_terminal(p.status) and p.response_code != -1 for p in first.plugins)


@pytest.fixture
def hostile_sim(default_scenario: Scenario, clock: ManualClock) -> Iterator[BackgroundSim]:
    with BackgroundSim(SimServer(default_scenario, clock, seed=3)) as background:
        background.server.inject(Fault("hostile"))
        yield background


def snapshot(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["snapshot", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_snapshot_neutralises_its_table_and_keeps_its_json_valid(
    hostile_sim: BackgroundSim, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = ["--endpoint-url", hostile_sim.endpoint]
    code, table, err = snapshot(capsys, *endpoint, "--invocations")
    assert (code, err) == (0, "")
    assert leaks(table) == []
    assert MARK in table

    code, raw, err = snapshot(capsys, *endpoint, "--invocations", "--json")
    assert (code, err) == (0, "")
    assert raw.isascii()  # every control, bidi and zero-width character escaped
    document = json.loads(raw)
    text = json.dumps(document, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate: jq and every JSON tool accept it
    command = document["Commands"][0]
    assert command["Status"].endswith(PAYLOAD[:-1] + MARK)  # the rest exactly as AWS sent it


def test_snapshot_quotes_a_hostile_5xx_code_neutralised(
    hostile_sim: BackgroundSim, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_sim.server.inject(Fault("error", status=503))
    code, out, err = snapshot(capsys, "--endpoint-url", hostile_sim.endpoint)
    assert (code, out) == (1, "")
    assert err.startswith("ssmtui snapshot: AWS answered ListCommands with a server error (")
    assert "ServiceUnavailable" in err
    assert leaks(err) == []
    assert len(err.splitlines()) == 1


def test_mistype_gives_one_record_a_field_of_the_wrong_type() -> None:
    page = {
        "Commands": [
            {"CommandId": "a", "Targets": [{"Key": "k"}], "Parameters": {"x": ["y"]}},
            {"CommandId": "b", "Parameters": {"x": ["y"]}},
        ],
        "NextToken": "t",
    }
    assert mistype(page) == {
        "Commands": [
            {"CommandId": "a", "Targets": {"items": [{"Key": "k"}]}, "Parameters": {"x": ["y"]}},
            {"CommandId": "b", "Parameters": {"x": ["y"]}},
        ],
        "NextToken": "t",
    }


async def test_one_unreadable_record_costs_only_itself(
    server: SimServer, reader: SsmReader, clock: ManualClock
) -> None:
    poller = make_poller(reader, clock)
    everything = (await poller.poll_once()).snapshot.commands
    server.inject(Fault("mistyped", operation="ListCommands", count=1))
    result = await make_poller(reader, clock).poll_once()
    assert result.health.ok
    assert len(result.snapshot.commands) == len(everything) - 1
    assert result.health.stats.skipped == 1
    skipped = result.health.stats.last_skipped
    assert skipped.startswith("ListCommands sent a command ssmtui cannot read (")
    assert skipped.endswith("Parameters is a list where the API has a map")


async def test_the_screen_says_how_many_records_were_skipped_and_why(
    server: SimServer, clock: ManualClock
) -> None:
    app = dashboard_for(server, clock)
    async with app.run_test(size=(200, 50)) as pilot:
        commands = await commands_shown(pilot, app)
        shown = commands.row_count
        server.inject(Fault("mistyped", operation="ListCommands"))
        await pilot.press("r")
        banner = app.query_one(Banner)
        await until(pilot, lambda: banner.display, "the banner of the record left out")
        said = str(banner.render())
        assert "1 record(s) AWS sent could not be read and are not shown" in said
        assert "Parameters is a list where the API has a map" in said
        assert commands.row_count == shown - 1


def test_snapshot_warns_of_skipped_records_and_prints_the_rest(
    hostile_sim: BackgroundSim, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_sim.server.faults.clear()
    hostile_sim.server.inject(Fault("mistyped", operation="ListCommands"))
    code, out, err = snapshot(capsys, "--endpoint-url", hostile_sim.endpoint, "--json")
    assert code == 0
    assert json.loads(out)["Commands"]
    assert err.startswith("ssmtui snapshot: warning: 1 record(s) AWS sent could not be read")
