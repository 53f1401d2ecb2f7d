"""The rows of the three lists, worked out without a UI: order, filter, cells, reuse."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from ssmtui.model.cells import Row, plain
from ssmtui.model.command_pane import CommandsView, command_rows
from ssmtui.model.deciding import deciding_step, response_code
from ssmtui.model.instance_pane import invocation_rows, short_host_name
from ssmtui.model.row_memo import RowMemo
from ssmtui.model.status import CommandStatus, InvocationStatus, PluginStatus
from ssmtui.model.step_pane import step_rows
from ssmtui.model.time_text import Ages, ago, day_time
from ssmtui.model.types import Command, Invocation, PluginResult, Target
from ssmtui.model.views import CommandSort, InvocationSort, shared_name_tag
from tests.fleet_records import killed_on_windows

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def rows_of(
    commands: Iterable[Command],
    order: CommandSort,
    needle: str,
    now: datetime,
    *,
    memo: RowMemo,
    keep: str | None = None,
) -> list[Row]:
    """The commands pane's rows of ``commands`` as of ``now``."""
    view = CommandsView({c.command_id: c for c in commands}, now)
    return command_rows(view, order, needle, memo, keep=keep)


def test_day_time_gives_the_date_only_when_it_was_not_today() -> None:
    today = NOW.date()
    assert day_time(NOW - timedelta(minutes=6), today) == "07:54:00"
    assert day_time(NOW - timedelta(days=2), today) == "Nov 25 08:00"
    assert day_time(None, today) == "—"


def test_day_time_is_utc_whatever_the_zone_it_came_in() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert day_time(datetime(2026, 11, 27, 16, 54, tzinfo=tokyo), NOW.date()) == "07:54:00"


def test_ages_words_each_moment_as_ago_does() -> None:
    ages = Ages(NOW)
    moments = [NOW - timedelta(minutes=4), NOW - timedelta(hours=3), None, NOW]
    assert [ages(m) for m in moments] == [ago(m, NOW) for m in moments]
    assert ages(moments[0]) == "4 minutes ago"


# -- the instance row's response code: the outcome, not a step's along the way ------------


def invocation(status: str, *steps: tuple[str, int], instance: str = "i-1") -> Invocation:
    plugins = tuple(
        PluginResult(f"step{index}", PluginStatus(step_status), response_code=code)
        for index, (step_status, code) in enumerate(steps)
    )
    return Invocation("c", instance, InvocationStatus(status), plugins=plugins)


def test_a_running_invocation_has_no_code_yet_though_a_step_succeeded() -> None:
    running = invocation("InProgress", ("Success", 0), ("InProgress", -1))
    assert deciding_step(running) is None


def test_a_finished_invocation_shows_the_code_of_the_step_that_decided_it() -> None:
    failed = invocation("Failed", ("Success", 0), ("Failed", 2), ("Pending", -1))
    assert response_code(deciding_step(failed)) == "2"
    assert response_code(deciding_step(invocation("Success", ("Success", 0)))) == "0"


def test_a_failed_patch_shows_its_failed_steps_code_not_the_skipped_steps_after_it() -> None:
    """AWS-RunPatchBaseline on Linux: PatchLinux fails, PatchMacOS after it is skipped by its
    precondition (Success, 0): the row said 0, a failed invocation with a success code."""
    patched = invocation("Failed", ("Success", 0), ("Failed", 1), ("Success", 0))
    assert response_code(deciding_step(patched)) == "1"


def test_a_step_killed_on_windows_has_run_and_decides_with_its_minus_one() -> None:
    killed = killed_on_windows()
    never_ran = PluginResult("After", PluginStatus.CANCELLED, response_code=-1)
    assert killed.has_run
    assert not never_ran.has_run
    windows = Invocation("c", "i-1", InvocationStatus.TIMED_OUT, plugins=(killed, never_ran))
    assert deciding_step(windows) is killed
    assert response_code(killed) == "-1"
    assert response_code(never_ran) == "—"


def test_an_invocation_whose_steps_were_not_fetched_has_no_code() -> None:
    assert deciding_step(Invocation("c", "i-1", InvocationStatus("Failed"))) is None


# -- rows as plain data ---------------------------------------------------------------------


def command(command_id: str, status: str, minutes_ago: int, **fields: object) -> Command:
    return Command(
        command_id,
        CommandStatus(status),
        requested=NOW - timedelta(minutes=minutes_ago),
        **fields,  # type: ignore[arg-type]
    )


COMMANDS = (
    command(
        "c-old",
        "Success",
        50,
        document_name="AWS-RunPatchBaseline",
        target_count=4,
        completed_count=4,
    ),
    command("c-new", "InProgress", 2, document_name="AWS-RunShellScript", comment="deploy"),
    command(
        "c-bad",
        "Failed",
        10,
        document_name="AWS-RunShellScript",
        target_count=10,
        completed_count=10,
        error_count=3,
    ),
)


def test_command_rows_are_newest_first_with_status_progress_and_age() -> None:
    rows = rows_of(COMMANDS, CommandSort.NEWEST, "", NOW, memo=RowMemo())
    assert [key for key, _ in rows] == ["c-new", "c-bad", "c-old"]
    _, cells = rows[1]
    assert plain(cells[1]) == "✖ Failed"
    assert cells[1] == (("✖ Failed", "status--failed"),)
    assert plain(cells[2]) == "██████████ 10/10 ✖3"
    assert ("███", "outcome--failed") in cells[2]
    assert ("███████", "outcome--ended") in cells[2]  # a failed command's rest: not success
    assert cells[6] == "10 minutes ago"


def test_the_filter_keeps_the_selected_row_whatever_it_says() -> None:
    memo = RowMemo()
    patching = rows_of(COMMANDS, CommandSort.NEWEST, "patch", NOW, memo=memo)
    assert [key for key, _ in patching] == ["c-old"]
    kept = rows_of(COMMANDS, CommandSort.NEWEST, "patch", NOW, memo=memo, keep="c-new")
    assert [key for key, _ in kept] == ["c-new", "c-old"]


def test_sorting_by_status_puts_what_failed_first() -> None:
    rows = rows_of(COMMANDS, CommandSort.STATUS, "", NOW, memo=RowMemo())
    assert [key for key, _ in rows] == ["c-bad", "c-new", "c-old"]


def test_a_row_is_rebuilt_only_when_its_record_or_its_clock_text_changed() -> None:
    memo = RowMemo()
    first = rows_of(COMMANDS, CommandSort.NEWEST, "", NOW, memo=memo)
    again = rows_of(COMMANDS, CommandSort.NEWEST, "", NOW + timedelta(seconds=5), memo=memo)
    assert all(a is b for a, b in zip(first, again, strict=True))  # nothing moved
    changed = (replace(COMMANDS[0], status=CommandStatus("Failed")), *COMMANDS[1:])
    later = rows_of(changed, CommandSort.NEWEST, "", NOW + timedelta(minutes=1), memo=memo)
    by_key = {key: row for row in later for key in [row[0]]}
    assert by_key["c-old"] is not first[2]  # its record changed
    assert by_key["c-old"][1][1] == (("✖ Failed", "status--failed"),)
    assert by_key["c-new"] is not first[0]  # "2 minutes ago" became "3 minutes ago"
    assert by_key["c-new"][1][6] == "3 minutes ago"


def test_text_from_aws_is_neutralised_in_every_cell() -> None:
    hostile = command("c-\x1b]0;pwned\x07", "Weird\u202e", 1, comment="a\x1b[2Jb\u200bc")
    ((_, cells),) = rows_of([hostile], CommandSort.NEWEST, "", NOW, memo=RowMemo())
    text = "".join(plain(cell) for cell in cells)
    assert not {"\x1b", "\x07", "\u202e", "\u200b"} & set(text)
    assert cells[1] == (("? Weird�", "status--unknown"),)
    assert plain(cells[5]) == "ab�c"


def test_instance_rows_sort_by_instance_and_say_how_long_each_took() -> None:
    running = replace(
        invocation("InProgress", ("InProgress", -1), instance="i-2"),
        plugins=(
            PluginResult("run", PluginStatus("InProgress"), started=NOW - timedelta(seconds=75)),
        ),
    )
    done = invocation("Failed", ("Failed", 2), instance="i-1")
    rows = invocation_rows([running, done], InvocationSort.INSTANCE, "", NOW)
    assert [key for key, _ in rows] == ["i-1", "i-2"]
    assert rows[0][1][3] == "2"  # the failed step's code
    assert rows[1][1][4] == "1m15s"


def test_the_name_is_the_host_name_unless_the_command_targeted_one_name_tag() -> None:
    """InstanceName is the host name (botocore's model: "the fully qualified host name"); the
    Name tag is known only when the command was sent to ``tag:Name`` with one value."""
    host = replace(invocation("Success"), instance_name="ip-10-0-1-23.eu-west-1.compute.internal")
    unnamed = replace(invocation("Success", instance="i-2"), instance_name="")
    by_name = command("c", "Success", 1, targets=(Target("tag:Name", ("web",)),))
    by_two = command("c", "Success", 1, targets=(Target("tag:Name", ("web", "db")),))
    by_role = command("c", "Success", 1, targets=(Target("tag:role", ("web",)),))
    assert [shared_name_tag(c) for c in (by_name, by_two, by_role, None)] == ["web", "", "", ""]

    def names(tag: str) -> list[str]:
        rows = invocation_rows([host, unnamed], InvocationSort.INSTANCE, "", NOW, name_tag=tag)
        return [plain(cells[2]) for _, cells in rows]

    assert names("") == ["ip-10-0-1-23", "—"]  # the host part; the steps pane has it whole
    assert names("web") == ["web", "web"]


def test_a_host_name_is_shortened_to_its_first_label_but_an_address_is_not() -> None:
    assert short_host_name("ip-10-0-1-23.ec2.internal") == "ip-10-0-1-23"
    assert short_host_name("EC2AMAZ-4F2K9QX") == "EC2AMAZ-4F2K9QX"
    assert short_host_name("EC2AMAZ-4F2K9QX.WORKGROUP") == "EC2AMAZ-4F2K9QX"
    assert short_host_name("10.0.1.23") == "10.0.1.23"
    assert short_host_name("") == ""
    assert short_host_name("[b]x.y[/b] z") == "[b]x.y[/b] z"  # not a host name: whole


def test_twenty_thousand_rows_are_not_left_for_the_garbage_collector_to_walk() -> None:
    """Rows are tuples of strings and shared status cells: the collector stops tracking a
    tuple once it sees that it holds only such things, a level of nesting per pass (a row,
    its cells), so after two collections not one of 20,000 rows is left to walk."""
    fleet = [invocation("Success", ("Success", 0), instance=f"i-{n:05d}") for n in range(20_000)]
    rows = invocation_rows(fleet, InvocationSort.INSTANCE, "", NOW)
    gc.collect()
    gc.collect()
    assert not any(gc.is_tracked(row) for row in rows)


def test_steps_are_listed_in_document_order() -> None:
    plugins = (
        PluginResult(
            "b-first",
            PluginStatus("Success"),
            response_code=0,
            started=NOW - timedelta(seconds=30),
            finished=NOW - timedelta(seconds=20),
        ),
        PluginResult("a-second", PluginStatus("InProgress"), started=NOW - timedelta(seconds=20)),
    )
    rows = step_rows(plugins, NOW)
    assert [key for key, _ in rows] == ["b-first", "a-second"]
    assert rows[0][1][:5] == ("1", "b-first", (("✔ Success", "status--success"),), "0", "10s")
    assert rows[1][1][4] == "20s"


def test_the_memo_forgets_the_rows_a_pass_did_not_ask_for() -> None:
    memo = RowMemo()
    a, b, x = object(), object(), object()
    built: list[str] = []

    def row(key: str, record: object) -> Row:
        def build() -> Row:
            built.append(key)
            return key, ()

        return memo.row(key, record, (), build)

    row("b", b)
    row("a", a)
    memo.forget_unseen()
    row("a", a)
    row("x", x)
    memo.forget("x")  # as many keys seen as kept: "b" must still go
    memo.forget_unseen()
    row("b", b)
    assert built == ["b", "a", "x", "b"]
