"""The command palette: the same read-only actions as the keys, in words the palette finds.

Apart from the app (posting's habit): the app says which screen is up, this says what can be
done there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.app import SystemCommand

from ssmtui.model.filters import Stage
from ssmtui.model.status import COMMAND_STATUS_FILTER_VALUES
from ssmtui.model.steering import TIME_EXAMPLES
from ssmtui.model.text import neutralise
from ssmtui.ui.dashboard_screen import DashboardScreen


@dataclass(frozen=True, slots=True)
class AppKeys:
    """What the app itself does, on every screen."""

    change_theme: Callable[[], object]
    show_help: Callable[[], object]
    quit: Callable[[], object]


def wall_commands(keys: AppKeys) -> Iterator[SystemCommand]:
    """The wall only reads: nothing to steer."""
    yield _theme_command(keys)
    yield SystemCommand("Quit", "Leave ssmtui (q)", keys.quit)


def dashboard_commands(board: DashboardScreen, keys: AppKeys) -> Iterator[SystemCommand]:
    yield SystemCommand("Refresh now", "Poll at once (r)", board.action_refresh)
    yield SystemCommand("Pause or resume polling", "Freeze the screen (p)", board.action_pause)
    yield SystemCommand("Poll more often", "Shorter interval (-)", board.action_faster)
    yield SystemCommand("Poll less often", "Longer interval (+)", board.action_slower)
    yield SystemCommand("Sort", "Next sort order of the list in focus (s)", board.action_sort)
    yield SystemCommand(
        "Filter", "Filter the list in focus, or search output (/)", board.action_filter
    )
    yield SystemCommand(
        "Failures",
        "The selected command's failures, grouped by what failed (f)",
        board.action_failures,
    )
    yield SystemCommand(
        "Copy", "The CommandId, InstanceId, S3 URL or output, by pane (c)", board.action_copy
    )
    yield SystemCommand(
        "Console URL", "The AWS console page of the selection (u)", board.action_console_url
    )
    yield SystemCommand("Raw record", "The selection as AWS returned it (y)", board.action_raw)
    yield SystemCommand(
        "Save",
        "The output shown, or the instances listed, to a file (ctrl+s)",
        board.action_save,
    )
    yield from _steering_commands(board)
    yield _theme_command(keys)
    yield SystemCommand("Help", "Every key (?)", keys.show_help)
    yield SystemCommand("Quit", "Leave ssmtui (q)", keys.quit)


def _theme_command(keys: AppKeys) -> SystemCommand:
    return SystemCommand(
        "Theme", "Change the colours (remembered for next time)", keys.change_theme
    )


def _steering_commands(board: DashboardScreen) -> Iterator[SystemCommand]:
    """What the ``:`` line does, one entry per value, so the palette finds "stage" or
    "failed" as it finds the keys."""
    yield SystemCommand(
        "Command line",
        "Change stage, status, document or time window (:)",
        board.action_command_line,
    )
    yield SystemCommand("Mark", "Be told when the selected command ends (m)", board.action_mark)
    yield SystemCommand(
        "Clear filters",
        "Every server-side filter off, the stage kept (x)",
        board.action_clear_filters,
    )
    for stage in Stage:
        yield SystemCommand(
            f"Stage: {stage.value}",
            f"Show {stage.value} commands",
            partial(board.steer_to, f"stage {stage.value}"),
        )
    for status in COMMAND_STATUS_FILTER_VALUES:
        yield SystemCommand(
            f"Status: {status}",
            f"Only commands whose status is {status}",
            partial(board.steer_to, f"status {status}"),
        )
    for since in TIME_EXAMPLES:
        yield SystemCommand(
            f"Since: {since}",
            f"Only commands requested in the last {since}",
            partial(board.steer_to, f"since {since}"),
        )
    command = board.command()
    if command is not None and command.document_name:
        name = neutralise(command.document_name, single_line=True)
        yield SystemCommand(
            f"Document: {name}",
            "Only commands of the selected command's document",
            partial(board.steer_to, f"doc {command.document_name}"),
        )
