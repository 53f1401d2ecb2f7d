"""The ``D`` screen: a failed step's output against the same step where it succeeded.

The success is chosen for the user (the first instance, by id, whose step ran and
succeeded); ``a`` moves to another. Lines are aligned on their masked form
(``model/output_diff.py``), marked ``-`` (only in the failure) and ``+`` (only in the
success), in the same viewer as output: scroll, wrap, ``/`` search, ``c`` copies.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Static

from ssmtui.model.output_diff import compared
from ssmtui.model.output_limits import LISTED_BUDGET
from ssmtui.model.text import neutralise
from ssmtui.model.types import PluginResult
from ssmtui.ui.cells import literal
from ssmtui.ui.output_view import OutputView
from ssmtui.ui.raw_screen import RawScreen


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


class DiffScreen(RawScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "another", "Another success"),
        Binding("c", "copy", "Copy"),
    ]

    def __init__(
        self, failed_on: str, failed: PluginResult, successes: list[tuple[str, PluginResult]]
    ) -> None:
        super().__init__("", "", what="the comparison")
        self.failed_on = failed_on
        self.failed = failed
        self.successes = successes
        self.at = 0

    def on_mount(self) -> None:
        self.query_one(OutputView).soft_wrap = True
        self._show()

    def _show(self) -> None:
        succeeded_on, succeeded = self.successes[self.at]
        result = compared(self.failed.output, succeeded.output)
        self.text = result.text
        step = neutralise(self.failed.name, single_line=True)
        self.heading = (
            f"{step}: {self.failed_on} failed (- {_lines(result.only_failed)} of its own) against"
            f" {succeeded_on} succeeded (+ {_lines(result.only_succeeded)})"
            f" · success {self.at + 1} of {len(self.successes)}, a for another"
            f" · numbers, ids and times masked · the first {LISTED_BUDGET:,} bytes of each"
        )
        self.query_one("#raw-title", Static).update(literal(self.heading))
        self.query_one(OutputView).show_text(result.text, result.paint)

    def action_another(self) -> None:
        """The next instance where the step succeeded, round to the first."""
        if len(self.successes) < 2:
            self.notify("No other instance has succeeded at this step.", timeout=3)
            return
        self.at = (self.at + 1) % len(self.successes)
        self._show()
