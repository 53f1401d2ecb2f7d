"""History (stage complete or all) reads its first pages, then older ones as the user scrolls."""

from __future__ import annotations

from ssmtui.model.filters import Filters, Stage
from ssmtui.poller import Poller
from ssmtui.ui.commands_table import CommandsTable
from tests.fleet_records import NOW, command, fleet
from tests.memory_reader import PAGE, MemoryReader
from tests.scripted_poller import publish, scripted_app, shown


def history_of(count: int) -> MemoryReader:
    return MemoryReader([command(n, "Success", completed=3) for n in range(count)])


async def test_older_pages_are_read_only_when_asked_and_the_plan_says_when_all_are_shown() -> None:
    reader = history_of(PAGE * 2 + 10)
    poller = Poller(reader, Filters(stage=Stage.COMPLETE), history_pages=1, clock=lambda: NOW)
    first = await poller.poll_once()
    assert (len(first.snapshot.commands), first.more_history) == (PAGE, True)
    again = await poller.poll_once()  # not asked: only what started since the last cycle
    assert (len(again.snapshot.commands), again.more_history) == (PAGE, True)

    assert poller.load_more_history()
    before = reader.count("ListCommands")
    second = await poller.poll_once()
    assert (len(second.snapshot.commands), second.more_history) == (PAGE * 2, True)
    # executing, the window since the last cycle, and one page of history
    assert reader.count("ListCommands") - before == 3

    assert poller.load_more_history()
    last = await poller.poll_once()
    assert (len(last.snapshot.commands), last.more_history) == (PAGE * 2 + 10, False)
    assert not poller.load_more_history()


async def test_the_stage_executing_never_offers_history() -> None:
    result = await Poller(history_of(PAGE * 3), history_pages=1, clock=lambda: NOW).poll_once()
    assert (len(result.snapshot.commands), result.more_history) == (0, False)


async def test_the_cursor_near_the_end_asks_for_older_commands_once_a_poll() -> None:
    many = fleet([command(n, "Success", completed=3, minutes_ago=n) for n in range(40)])
    app, poller = scripted_app(None, Filters(stage=Stage.ALL))
    poller.more_history = True
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, poller)
        await publish(pilot, poller, many)
        table = app.query_one(CommandsTable)
        assert "40+" in str(table.border_title)
        await pilot.press("j")
        assert poller.history_asks == 0  # far from the end
        await pilot.press("end", "k")
        assert poller.history_asks == 1  # and once only, until the next poll
        await publish(pilot, poller, many)
        await pilot.press("j")
        assert poller.history_asks == 2
        poller.more_history = False
        await publish(pilot, poller, many)
        await pilot.press("k", "j")
        assert poller.history_asks == 2
        assert "40+" not in str(table.border_title)
