"""Texts for widgets other than the tables: literal by construction.

Nothing here is ever parsed as markup, and every string passes through ``neutralise`` first.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from ssmtui.model.text import neutralise


def literal(text: str, style: Style | str = "") -> Text:
    """Untrusted text on one line, shown exactly as written (controls made visible)."""
    return Text(neutralise(text, single_line=True), style=style, no_wrap=True, end="")
