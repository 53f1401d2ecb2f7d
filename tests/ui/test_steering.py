"""The ``:`` command line, the palette's filter entries and ``x``: filters changed inside."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ssmtui.model.filters import Filters, Stage
from ssmtui.model.steering import OnScreen, SteeringError, completion, steer
from ssmtui.poller import Poller, PollResult
from ssmtui.ui.command_line import CommandLine
from ssmtui.ui.status_line import StatusLine
from tests.dashboard_fixtures import focus_of, plain, toasts
from tests.fleet_records import NOW, command, command_id, fleet
from tests.memory_reader import MemoryReader
from tests.scripted_poller import scripted_app, shown

ON_SCREEN = OnScreen(
    documents=("AWS-RunPatchBaseline", "AWS-RunShellScript"),
    instances=("i-0123456789abcdef0",),
    commands=(command_id(0x1234AAAA), command_id(0x1234BBBB)),
)


def steered(line: str, filters: Filters | None = None) -> Filters:
    return steer(line, filters or Filters(), ON_SCREEN, lambda: NOW)


def test_values_are_case_insensitive_and_become_what_aws_names() -> None:
    assert steered("STAGE All").stage is Stage.ALL
    assert steered("status failed", Filters(stage=Stage.ALL)).status == "Failed"
    assert steered("doc aws-runpatchbaseline").document == "AWS-RunPatchBaseline"
    assert steered("document My-Own-Doc").document == "My-Own-Doc"  # not on screen: as typed
    assert steered("instance I-0123456789ABCDEF0").instance == "i-0123456789abcdef0"
    assert steered("command 1234AAAA").command == command_id(0x1234AAAA)
    assert steered("since 2h").since == NOW - timedelta(hours=2)


def test_a_verb_alone_drops_its_filter_and_clear_drops_all_but_the_stage() -> None:
    full = Filters(stage=Stage.ALL, status="Failed", document="D-1", since=NOW, instance="i-1")
    assert steered("status", full).status is None
    assert steered("doc", full).document is None
    assert steered("since", full).since is None
    assert steered("clear", full) == Filters(stage=Stage.ALL)


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        ("stag all", "unknown command 'stag': try stage, status, doc, since, until, instance"),
        ("stage done", "expected executing, complete or all after 'stage', got 'done'"),
        ("status broken", "expected one of Pending, InProgress, Success"),
        ("status failed", "status Failed only matches finished commands; add stage complete"),
        ("since yesterday", "expected a time such as 2h, 30m, 7d"),
        ("command 1234", "2 commands on screen have an id starting with '1234'"),
        ("command ffff0000", "no command on screen has an id starting with 'ffff0000'"),
        ("instance web-1", "expected an instance id such as i-0123456789abcdef0"),
    ],
)
def test_a_line_that_cannot_be_applied_says_why_in_one_sentence(line: str, sentence: str) -> None:
    with pytest.raises(SteeringError) as raised:
        steered(line)
    assert str(raised.value).startswith(sentence)


def test_completion_goes_on_from_what_was_typed_with_what_is_on_screen() -> None:
    assert completion("sta", ON_SCREEN) == "stage"
    assert completion("status FA", ON_SCREEN) == "status FAiled"
    assert completion("doc aws-runp", ON_SCREEN) == "doc aws-runpatchBaseline"
    assert completion("command 1234b", ON_SCREEN) == "command " + command_id(0x1234BBBB)
    assert completion("status Failed", ON_SCREEN) is None
    assert completion("nothing", ON_SCREEN) is None


async def test_new_filters_start_a_new_plan_and_a_cycle_of_the_old_one_is_not_heard() -> None:
    reader = MemoryReader([command(1), command(2)])
    poller = Poller(reader, interval=3600, clock=lambda: NOW)
    heard: list[PollResult] = []
    got = asyncio.Event()

    def listener(result: PollResult) -> None:
        heard.append(result)
        got.set()

    poller.subscribe(listener)
    wanted = Filters(command=command_id(2))

    def change_filters_mid_cycle(operation: str, params: dict[str, object]) -> None:
        reader.before_call = None
        poller.set_filters(wanted)

    reader.before_call = change_filters_mid_cycle
    stop = asyncio.Event()
    running = asyncio.create_task(poller.run(stop))
    await asyncio.wait_for(got.wait(), timeout=10)
    stop.set()
    await running
    assert poller.filters == wanted
    assert [list(result.snapshot.commands) for result in heard] == [[command_id(2)]]


DOCS = fleet(
    [
        command(1, "Success", document="AWS-RunPatchBaseline", completed=3),
        command(2, document="AWS-RunShellScript"),
    ]
)


async def test_colon_steers_the_poll_tab_completes_and_a_mistake_keeps_the_line_open() -> None:
    app, poller = scripted_app(DOCS)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await shown(pilot, poller)
        line = app.query_one(CommandLine)
        await pilot.press("colon", "s", "t")  # a priority key: what follows reaches the line
        assert line.value == "st"
        await pilot.press("escape")
        await typed(pilot, line, "stage all")
        await pilot.press("enter")
        assert poller.asked == [Filters(stage=Stage.ALL)]
        assert not is_open(line)
        assert "all stages" in plain(app.query_one(StatusLine))

        await typed(pilot, line, "status fai")
        await pilot.press("tab")
        assert line.value == "status failed"
        await pilot.press("enter")
        assert poller.asked[-1] == Filters(stage=Stage.ALL, status="Failed")
        assert "status=Failed" in plain(app.query_one(StatusLine))

        await typed(pilot, line, "doc aws-runp")
        await pilot.press("tab", "enter")
        assert poller.asked[-1].document == "AWS-RunPatchBaseline"
        for typed_line, field, value in [  # the rest as the palette gives them: same path on
            ("since 2h", "since", NOW - timedelta(hours=2)),
            ("until 30m", "until", NOW - timedelta(minutes=30)),
            ("instance I-0123456789ABCDEF0", "instance", "i-0123456789abcdef0"),
            ("command 00000001", "command", command_id(1)),
            ("doc", "document", None),
        ]:
            app.board.steer_to(typed_line)
            assert getattr(poller.asked[-1], field) == value, typed_line
        await pilot.pause()

        await typed(pilot, line, "stage executing")  # Failed never executes
        await pilot.press("enter")
        assert is_open(line)
        assert isinstance(focus_of(app), Input)
        assert any("only matches finished commands" in t for t in toasts(app))
        assert poller.asked[-1].stage is Stage.ALL
        await pilot.press("escape")
        assert not is_open(line)

        await pilot.press("x")
        assert poller.asked[-1] == Filters(stage=Stage.ALL)
        assert "status=" not in plain(app.query_one(StatusLine))


def is_open(line: CommandLine) -> bool:
    return bool(line.display)


async def typed(pilot: Pilot[None], line: CommandLine, text: str) -> None:
    """``:`` pressed, then ``text`` put in the line at once (a key each is slow in Pilot; the
    first line of the test types its keys one by one)."""
    await pilot.press("colon")
    line.value = text
    line.cursor_position = len(text)
    await pilot.pause()


async def test_the_palette_offers_each_stage_status_and_the_selected_document() -> None:
    app, poller = scripted_app(DOCS, Filters(stage=Stage.ALL))
    async with app.run_test(size=(140, 40)) as pilot:
        await shown(pilot, poller)
        entries = {entry.title: entry for entry in app.get_system_commands(app.screen)}
        assert {"Stage: complete", "Status: Failed", "Since: 1h"} <= set(entries)
        selected = app.board.command()
        assert selected is not None
        entries[f"Document: {selected.document_name}"].callback()
        entries["Status: Failed"].callback()
        await pilot.pause()
        assert poller.asked[-1] == Filters(
            stage=Stage.ALL, status="Failed", document=selected.document_name
        )
