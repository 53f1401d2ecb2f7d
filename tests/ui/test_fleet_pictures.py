"""What the sweep of every instance's steps brings to the screen, on model records: the
stragglers flagged and reached with ``l``, ``/?text`` through the fleet's output, and the
steps pane's histogram of the selected step."""

from __future__ import annotations

from types import MappingProxyType

from textual.pilot import Pilot
from textual.widgets import Static

from ssmtui.model.durations import STRAGGLER_GLYPH
from ssmtui.model.fleet_search import SEARCHED
from ssmtui.model.swept import SweptSteps
from ssmtui.model.types import FleetSnapshot, Invocation, PluginResult
from ssmtui.ui.app import Dashboard
from ssmtui.ui.diff_screen import DiffScreen
from ssmtui.ui.invocations_table import InvocationsTable
from tests.dashboard_fixtures import plain, toasts, until
from tests.fleet_records import NOW, command, fleet, invocation, step
from tests.scripted_poller import ScriptedPoller, scripted_app, shown

SIZE = (160, 40)
RUNNING = command(1, targets=14, completed=12, minutes_ago=30)


def patched(seconds: float, output: str = "patched\n") -> PluginResult:
    finished = step("patch", took=seconds, seconds_ago=1200)
    return PluginResult(
        "patch",
        finished.status,
        response_code=0,
        started=finished.started,
        finished=finished.finished,
        output=output,
    )


def twelve_done_two_running() -> tuple[FleetSnapshot, SweptSteps]:
    """Twelve instances took 60-71 s to patch; i-slow has been patching for 10 minutes,
    i-fine for 30 s. The poll lists them without steps; the sweep read every one's."""
    swept: dict[str, Invocation] = {}
    listed: list[Invocation] = []
    for n in range(12):
        output = "E: No space left on device\n" if n == 7 else "patched\n"
        swept[f"i-{n:02d}"] = invocation(RUNNING, f"i-{n:02d}", "Success", patched(60 + n, output))
        listed.append(invocation(RUNNING, f"i-{n:02d}", "Success"))
    for name, seconds in (("i-slow", 600), ("i-fine", 30)):
        swept[name] = invocation(
            RUNNING, name, "InProgress", step("patch", "InProgress", seconds_ago=seconds)
        )
        listed.append(invocation(RUNNING, name, "InProgress"))
    sweep = SweptSteps(RUNNING.command_id, MappingProxyType(swept), NOW, passes=1, calls=1)
    return fleet([RUNNING], listed), sweep


def swept_app() -> tuple[Dashboard, ScriptedPoller, FleetSnapshot]:
    """The dashboard on ``twelve_done_two_running``, every instance's steps already swept."""
    start, sweep = twelve_done_two_running()
    app, poller = scripted_app(start)
    poller.swept = sweep
    return app, poller, start


def details(table: InvocationsTable, key: str) -> str:
    return table.get_row(key)[-2].plain


async def at_instances(pilot: Pilot[None], poller: ScriptedPoller) -> InvocationsTable:
    await shown(pilot, poller)
    await pilot.press("enter")
    await shown(pilot, poller)
    table = pilot.app.query_one(InvocationsTable)
    assert pilot.app.focused is table
    return table


async def test_a_straggler_is_flagged_in_words_and_l_reaches_it() -> None:
    start, sweep = twelve_done_two_running()
    app, poller = scripted_app(start)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, poller)
        assert not poller.is_sweeping()  # the commands alone need no steps
        table = await at_instances(pilot, poller)
        assert poller.is_sweeping()
        poller.swept = sweep
        await poller.publish(start)
        await shown(pilot, poller)
        assert details(table, "i-slow").startswith(f"{STRAGGLER_GLYPH} slow: patch 10m00s")
        assert details(table, "i-fine") == "InProgress"
        table.move_cursor(0)
        await pilot.press("l")
        assert table.selected_key == "i-slow"
        await pilot.press("escape")
        await shown(pilot, poller)
        assert not poller.is_sweeping()


async def test_a_question_mark_searches_every_instances_output_and_shows_the_line() -> None:
    app, poller, start = swept_app()
    async with app.run_test(size=SIZE) as pilot:
        table = await at_instances(pilot, poller)
        await poller.publish(start)
        await shown(pilot, poller)
        await pilot.press("slash", *"?no SPACE")
        await shown(pilot, poller)
        assert len(table.row_keys()) == 14  # the output is searched on Enter, not per key
        await pilot.press("enter")
        searched = lambda: "searching" not in str(table.border_title)  # noqa: E731
        await until(pilot, searched, "the first search, read in a thread, done")
        shown_keys = table.row_keys()
        assert shown_keys == ["i-07"]
        assert details(table, "i-07") == "patch: E: No space left on device"
        title = str(table.border_title)
        assert "output search 'no SPACE': 1 match in 14 of 14 instances read" in title
        assert SEARCHED in str(table.border_subtitle)


async def test_the_steps_pane_draws_the_spread_of_the_step_and_marks_this_instance() -> None:
    app, poller, start = swept_app()
    async with app.run_test(size=SIZE) as pilot:
        table = await at_instances(pilot, poller)
        mine = invocation(RUNNING, "i-11", "Success", patched(71))  # the focused one's steps
        await poller.publish(
            fleet([RUNNING], [*start.invocations[RUNNING.command_id].by_instance.values(), mine])
        )
        await shown(pilot, poller)
        table.move_cursor(table.get_row_index("i-11"))
        await pilot.press("enter")
        await shown(pilot, poller)
        words, bars, place = plain(app.query_one("#durations", Static)).splitlines()[:3]
        assert "patch on the 12 instances that finished it (14 read)" in words
        assert "median 1m05s" in words
        assert "p95 1m11s" in words
        assert bars.startswith("1m00s ")
        assert bars.rstrip().endswith(" 1m11s")
        assert place.index("▲") == len(bars.rstrip()) - len(" 1m11s") - 1
        assert "this one 1m11s, slower than 92%" in place


async def test_d_compares_a_failed_step_with_a_success_and_a_picks_another() -> None:
    done = command(2, "Failed", targets=3, completed=3, errors=1)
    failing = PluginResult(
        "patch",
        step("patch", "Failed").status,
        response_code=1,
        started=NOW,
        finished=NOW,
        output="start on i-0123456789abcdef0\nE: No space left on device\ndone",
    )
    fine = "start on i-0fedcba9876543210\ninstalled 12 packages\ndone"
    start = fleet(
        [done],
        [
            invocation(done, "i-bad", "Failed", failing),
            invocation(done, "i-ok1", "Success", patched(60, fine)),
            invocation(done, "i-ok2", "Success", patched(61, fine)),
        ],
    )
    app, poller = scripted_app(start)
    async with app.run_test(size=SIZE) as pilot:
        table = await at_instances(pilot, poller)
        table.move_cursor(table.get_row_index("i-bad"))
        await pilot.press("enter")
        await shown(pilot, poller)
        await pilot.press("D")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert screen.text.splitlines() == [
            "  start on i-0123456789abcdef0",
            "- E: No space left on device",
            "+ installed 12 packages",
            "  done",
        ]
        title = plain(screen.query_one("#raw-title", Static))
        assert "i-bad failed (- 1 line of its own) against i-ok1 succeeded (+ 1 line)" in title
        await pilot.press("a")
        assert "against i-ok2" in plain(screen.query_one("#raw-title", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DiffScreen)


async def test_a_big_commands_steps_are_read_only_once_the_user_asks() -> None:
    big = command(3, targets=20_000, completed=10)
    start = fleet([big], [invocation(big, f"i-{n:05d}", "Success") for n in range(10)])
    app, poller = scripted_app(start)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await at_instances(pilot, poller)
        assert not poller.is_sweeping()
        await pilot.press("l")
        await shown(pilot, poller)
        assert poller.is_sweeping()
        assert any("l again once they are in" in toast for toast in toasts(app))
        await pilot.press("escape")
        await shown(pilot, poller)
        assert not poller.is_sweeping()
        await pilot.press("enter")
        await shown(pilot, poller)
        assert poller.is_sweeping()  # asked for this command: read again on coming back


async def test_a_search_through_the_output_asks_for_a_big_commands_steps() -> None:
    big = command(3, targets=20_000, completed=10)
    start = fleet([big], [invocation(big, f"i-{n:05d}", "Success") for n in range(10)])
    app, poller = scripted_app(start)
    async with app.run_test(size=SIZE) as pilot:
        await at_instances(pilot, poller)
        await pilot.press("slash", *"?disk", "enter")
        await shown(pilot, poller)
        assert poller.is_sweeping()


async def test_d_on_a_big_command_asks_for_every_instances_steps_first() -> None:
    big = command(4, targets=20_000, completed=700, errors=1)
    broken = invocation(big, "i-bad", "Failed", step("patch", "Failed", stdout="E: boom"))
    rest = [invocation(big, f"i-{n:05d}", "Success") for n in range(600)]
    app, poller = scripted_app(fleet([big], [broken, *rest]))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        table = await at_instances(pilot, poller)
        table.move_cursor(table.get_row_index("i-bad"))
        await pilot.press("enter")
        await shown(pilot, poller)
        assert not poller.is_sweeping()
        await pilot.press("D")
        await shown(pilot, poller)
        assert poller.is_sweeping()
        assert not isinstance(app.screen, DiffScreen)
        assert any("D again soon" in toast for toast in toasts(app))
