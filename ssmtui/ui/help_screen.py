"""The ``?`` screen: every key, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "ssmtui shows SSM Run Command live and never changes anything: no key sends, cancels or "
    "edits a command. Enter goes one level deeper (command › instance › step › output), "
    "Escape one level back. The mouse works too: click a row, scroll a pane. Ctrl-P opens "
    "the command palette, with the same actions as the keys."
)


def key_label(binding: Binding) -> str:
    return binding.key_display or " ".join(
        {"slash": "/", "question_mark": "?", "plus": "+", "minus": "-", "escape": "Esc"}.get(
            key, key
        )
        for key in binding.key.split(",")
    )


def _bindings(sources: Iterable[BindingType]) -> list[Binding]:
    return [b for b in sources if isinstance(b, Binding) and b.description]


class HelpScreen(ModalScreen[None]):
    """A list of keys grouped by where they work; any of Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help")
    ]

    def __init__(self, groups: dict[str, Iterable[BindingType]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text(INTRO), id="help-intro")
            yield Static(self._table(), id="help-keys")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for title, bindings in self.groups.items():
            table.add_row(Text(title, style="underline"), Text(""))
            for binding in _bindings(bindings):
                table.add_row(Text(key_label(binding)), Text(binding.description))
            table.add_row(Text(""), Text(""))
        return table

    def on_mount(self) -> None:
        self.query_one("#help").border_title = Text("Keys · Escape closes")
