"""The colours of the tables' status, outcome and progress cells, as the stylesheet gives them.

They are read from component classes (``status--failed``: ``$error``, bold), so that themes
colour them like everything else. They live on a hidden widget of their own, one per screen,
rather than on each table: Textual works out every component class of a widget again each
time the widget is restyled (each focus move, each class change on it or above it), and
thirteen of them on each table were about a seventh of what the dashboard's key presses cost.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual.widget import Widget

from ssmtui.model.cells import PROGRESS_STYLES, STATUS_STYLES

PALETTE = frozenset({*STATUS_STYLES, *PROGRESS_STYLES})


class CellPalette(Widget):
    """Never shown: it holds the cell colours for every table on its screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(PALETTE)
    DEFAULT_CSS = """
    CellPalette {
        display: none;
        background: $surface;  /* as the tables': a colour with alpha blends the same */
        & > .status--success { color: $success; }
        & > .status--failed { color: $error; text-style: bold; }
        & > .status--running { color: $accent; }
        & > .status--waiting { color: $warning; }
        & > .status--cancelled { color: $text-muted; }
        & > .status--unknown { color: $warning; text-style: italic; }
        & > .outcome--succeeded { color: $success; }
        & > .outcome--ended { color: $text-muted; }
        & > .outcome--failed { color: $error; }
        & > .outcome--timed-out { color: $error; }
        & > .outcome--undeliverable { color: $warning; }
        & > .outcome--cancelled { color: $text-muted; }
        & > .progress--todo { color: $panel-lighten-2; }
    }
    """

    def style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)
