"""The ``y`` screen: the selected record as AWS returned it, as JSON.

StatusDetails, targets, parameters, alarms and output settings are then one key away, in the
field names the AWS CLI and the API reference use: the fields AWS sent, in its order, no
more and no fewer (``model/aws_shape.as_sent``; a step's output from GetCommandInvocation
follows its listed record). Shown literally, control characters made visible, in the same
viewer as output (scroll, wrap, ``/`` search).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from ssmtui.model.text import neutralise
from ssmtui.ui.cells import literal
from ssmtui.ui.clipboard import copy_text
from ssmtui.ui.key_footer import KeyFooter
from ssmtui.ui.output_view import OutputView


def raw_json(record: dict[str, Any]) -> str:
    """Indented JSON, keys in AWS's order, text neutralised (JSON escapes C0 controls; this
    makes DEL and the C1 range visible too)."""
    return neutralise(json.dumps(record, indent=2, ensure_ascii=False, default=str))


class RawScreen(ModalScreen[None]):
    """Text to read and copy: a record's JSON (``y``), re-run lines (on the failures)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,y,q", "dismiss(None)", "Close"),
        Binding("c", "copy", "Copy JSON"),
    ]

    def __init__(self, title: str, text: str, what: str = "the JSON") -> None:
        super().__init__()
        self.heading = title
        self.text = text
        self.what = what

    def compose(self) -> ComposeResult:
        yield Static(literal(self.heading), id="raw-title")
        yield OutputView(id="raw")
        yield KeyFooter()

    def on_mount(self) -> None:
        view = self.query_one(OutputView)
        view.show_text(self.text)
        view.focus()

    def action_copy(self) -> None:
        cut = copy_text(self.app, self.text)
        self.notify(
            f"Copied {self.what} ({len(self.text):,} characters){cut}.", timeout=8 if cut else 3
        )


class LinesScreen(RawScreen):
    """Lines to paste into a shell, copied as they open (they are what the key was for), and
    wrapped: a line of 50 instance ids is read whole."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("c", "copy", "Copy again")]

    def on_mount(self) -> None:
        self.query_one(OutputView).soft_wrap = True
        self.action_copy()
