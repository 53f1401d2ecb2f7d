"""Texts for widgets other than the tables: literal by construction, and set only when changed.

Nothing here is ever parsed as markup, and every string passes through ``neutralise`` first.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.style import Style
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from ssmtui.model.text import neutralise


def literal(text: str, style: Style | str = "") -> Text:
    """Untrusted text on one line, shown exactly as written (controls made visible)."""
    return Text(neutralise(text, single_line=True), style=style, no_wrap=True, end="")


_titles: WeakKeyDictionary[Widget, tuple[Text, Text]] = WeakKeyDictionary()
_notes: WeakKeyDictionary[Static, Text] = WeakKeyDictionary()


def retitle(widget: Widget, title: Text, subtitle: Text | None = None) -> None:
    """Set a pane's border titles when they changed: Textual repaints the whole widget on
    every assignment, and most polls change neither."""
    titles = (title, subtitle or Text(""))
    if _titles.get(widget) != titles:
        _titles[widget] = titles
        widget.border_title, widget.border_subtitle = titles


def renote(static: Static, text: Text) -> None:
    """Update a Static of ``height: auto`` when its text changed: an update lays out the whole
    screen again (its height may have changed), which costs a poll a full repaint."""
    if _notes.get(static) != text:
        _notes[static] = text
        static.update(text)
