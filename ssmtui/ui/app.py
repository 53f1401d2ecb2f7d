"""The dashboard app: opens the poller, runs it as a worker, and hands each result to the screen.

The poller runs as a Textual worker owned by the app, so Textual cancels it with the app; each
cycle's result goes to the dashboard screen by message (``Polled``). Everything the screen
shows, and where the user is, lives on that screen (see ``dashboard_screen``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerCancelled

from ssmtui.model.filters import Filters
from ssmtui.model.text import neutralise
from ssmtui.poller import PollResult
from ssmtui.ui.clipboard import copy_text
from ssmtui.ui.dashboard_screen import DashboardScreen
from ssmtui.ui.heap import set_aside_what_is_loaded
from ssmtui.ui.help_screen import HelpScreen
from ssmtui.ui.invocations_table import InvocationsTable
from ssmtui.ui.kiosk_screen import KioskScreen
from ssmtui.ui.messages import Polled
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.palette import AppKeys, dashboard_commands, wall_commands
from ssmtui.ui.poll_control import PollControl
from ssmtui.ui.row_table import RowTable
from ssmtui.ui.status_line import Where
from ssmtui.ui.steps_pane import StepsPane

log = logging.getLogger("ssmtui.ui")

KIOSK_RETRY = 30.0
"""Seconds the wall waits before it opens a failed source again."""

OpenPoller = Callable[[], AbstractAsyncContextManager[PollControl]]
"""Opens whatever the poller reads from (AWS, or the simulator for the demo) and closes it."""


class Dashboard(App[None]):
    """Live SSM Run Command: commands > instances > steps > output."""

    TITLE = "ssmtui"
    CSS_PATH = Path(__file__).with_name("ssmtui.tcss")
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "copy_or_quit", "Copy selection or quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        open_poller: OpenPoller,
        where: Where,
        filters: Filters,
        *,
        bell: bool = False,
        colour: bool = True,
        theme: str | None = None,
        remember_theme: Callable[[str], None] | None = None,
        kiosk: bool = False,
        saving_allowed: bool = True,
    ) -> None:
        super().__init__()
        self.colour_output = colour
        """Draw the colours scripts print (``--no-colour``: their text alone)."""
        self.saving_allowed = saving_allowed
        """False in a browser session not given ``serve --allow-save``: nothing the visitor
        does writes to the server's disk."""
        self.open_poller = open_poller
        self.kiosk = kiosk
        """The wall view: no keys needed, and a source that fails is tried again, never left."""
        self.retry_after = KIOSK_RETRY
        self.view: DashboardScreen | KioskScreen = (
            KioskScreen(where, filters) if kiosk else DashboardScreen(where, filters, bell=bell)
        )
        """The one screen polls go to: the dashboard, or the wall."""
        if theme is not None:
            self.theme = theme
        self._theme_at_start = self.theme
        self._remember_theme = remember_theme
        """Called with the theme the user picks in the palette, to start with it next time."""
        self._worker: Worker[None] | None = None

    def get_default_screen(self) -> Screen[None]:
        return self.view

    @property
    def board(self) -> DashboardScreen:
        """The dashboard screen (not the wall's)."""
        assert isinstance(self.view, DashboardScreen), "the wall has no dashboard"
        return self.view

    @property
    def poller(self) -> PollControl | None:
        return self.view.poller

    @property
    def result(self) -> PollResult | None:
        """The latest poll, as the screen holds it."""
        return self.view.result

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        """The one set at start is announced too: only a change is the user's pick."""
        if self._remember_theme is not None and theme.name != self._theme_at_start:
            self._theme_at_start = theme.name
            self._remember_theme(theme.name)

    def on_ready(self) -> None:
        """Start polling once the screen is up, so results always find it there."""
        self._worker = self.run_worker(self._poll, name="poller", exit_on_error=False)
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(signum, self._quit_soon)

    async def _poll(self) -> None:
        while True:
            try:
                async with self.open_poller() as poller:
                    if not self.is_headless:  # a session that may run for days, not a test
                        set_aside_what_is_loaded()  # the source has loaded all it needs
                    poller.subscribe(self._deliver)
                    self.view.attach(poller)
                    await poller.run(asyncio.Event())  # until the worker is cancelled
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the source could not open: say why
                log.debug("poller source failed", exc_info=True)
                reason = neutralise(str(error), single_line=True)
                if not self.kiosk:  # and leave; the wall tries again
                    self.exit(return_code=1, message=Text(f"ssmtui: {reason}"))
                    return
                self.notify(
                    f"{reason}; trying again in {self.retry_after:g} s.",
                    severity="error",
                    timeout=self.retry_after,
                )
                await asyncio.sleep(self.retry_after)

    def _deliver(self, result: PollResult) -> None:
        self.view.post_message(Polled(result))

    async def _stop_polling(self) -> None:
        """Cancel the poller and wait until its source closed (connections, sessions)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()

    async def action_quit(self) -> None:
        await self._stop_polling()
        self.exit()

    async def action_copy_or_quit(self) -> None:
        """Ctrl+C copies the text the mouse selected, as in a terminal; with none, it quits."""
        selected = self.screen.get_selected_text()
        if selected:
            cut = copy_text(self, selected)
            self.screen.clear_selection()
            self.notify(
                f"Copied the selected text ({len(selected):,} characters){cut}.",
                timeout=8 if cut else 3,
            )
            return
        await self.action_quit()

    def _quit_soon(self) -> None:
        self.call_next(self.action_quit)

    async def on_unmount(self) -> None:
        await self._stop_polling()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,  # noqa: ARG002 (never: a message may quote what AWS sent)
    ) -> None:
        """Every notification, from any widget, is literal and neutralised: the one way a
        toast reaches the screen."""
        super().notify(
            neutralise(message, single_line=True),
            title=neutralise(title, single_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                {
                    "Everywhere": [*self.BINDINGS, *DashboardScreen.BINDINGS],
                    "Commands and instances": [*RowTable.BINDINGS, *InvocationsTable.BINDINGS],
                    "Output": [*StepsPane.BINDINGS, *OutputView.BINDINGS],
                }
            )
        )

    # -- the command palette: the same read-only actions as the keys -----------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:  # noqa: ARG002 (same actions on every screen)
        keys = AppKeys(self.action_change_theme, self.action_help, self.action_quit)
        if isinstance(self.view, KioskScreen):  # the wall only reads: nothing to steer
            return wall_commands(keys)
        return dashboard_commands(self.board, keys)
