"""A read-only viewer for one step's output: scroll, wrap, search, jump to the end."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import TextArea
from textual.widgets.text_area import Selection


class OutputView(TextArea):
    """A TextArea that cannot be edited: its text is literal, never markup."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "toggle_wrap", "Wrap"),
        Binding("n", "find_next", "Next match"),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("G,end", "jump_end", "End"),
        Binding("g,home", "jump_start", "Top", show=False),
        Binding("j", "scroll_lines(1)", "Down", show=False),
        Binding("k", "scroll_lines(-1)", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            id=id,
            read_only=True,
            soft_wrap=False,
            show_line_numbers=False,
            highlight_cursor_line=False,
        )
        self.needle = ""

    def show_text(self, text: str) -> None:
        """Replace the text only when it changed, and keep the reader's place."""
        if text == self.text:
            return
        scroll = self.scroll_offset
        self.load_text(text)
        self.scroll_to(scroll.x, scroll.y, animate=False)

    def action_toggle_wrap(self) -> None:
        self.soft_wrap = not self.soft_wrap
        self.notify(f"Wrap {'on' if self.soft_wrap else 'off'}", timeout=2, markup=False)

    def action_jump_end(self) -> None:
        self.move_cursor(self.document.end)
        self.scroll_end(animate=False)

    def action_jump_start(self) -> None:
        self.move_cursor((0, 0))
        self.scroll_home(animate=False)

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False)

    def search(self, needle: str) -> bool:
        """Select the first match of ``needle`` from the top; False when there is none."""
        self.needle = needle
        return self._find(forward=True, start=0)

    def action_find_next(self) -> None:
        self._report(self._find(forward=True, start=_index(self.text, self.selection.end)))

    def action_find_previous(self) -> None:
        self._report(self._find(forward=False, start=_index(self.text, self.selection.start)))

    def _report(self, found: bool) -> None:
        if not self.needle:
            self.notify("Press / to search the output first.", timeout=3, markup=False)
        elif not found:
            self.notify(f"No more matches for {self.needle!r}.", timeout=3, markup=False)

    def _find(self, *, forward: bool, start: int) -> bool:
        """Case-insensitive; wraps around the end (or the start, going back)."""
        if not self.needle:
            return False
        haystack, needle = self.text.casefold(), self.needle.casefold()
        if forward:
            found = haystack.find(needle, start)
            if found == -1:
                found = haystack.find(needle)
        else:
            found = haystack.rfind(needle, 0, max(0, start))
            if found == -1:
                found = haystack.rfind(needle)
        if found == -1:
            return False
        start_at, end_at = _location(self.text, found), _location(self.text, found + len(needle))
        self.selection = Selection(start_at, end_at)
        self.scroll_cursor_visible(center=True, animate=False)
        return True


def _index(text: str, location: tuple[int, int]) -> int:
    """Offset in ``text`` of a (row, column) location; lines end in a single newline."""
    row, column = location
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:row]) + column


def _location(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1)
