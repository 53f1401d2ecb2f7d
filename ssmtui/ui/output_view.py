"""A read-only viewer for one step's output: scroll both ways, wrap, search, jump to the end.

Drawn with Textual's Line API: only the rows on screen are rendered, so the size of the text
costs nothing per frame. Wrapping is lazy too. A line of single-width characters (ASCII, the
common case) needs no work to find where its wrapped rows start: every ``width`` characters.
A line with wide or zero-width characters has its cell offsets counted once, when it is
loaded, and its row starts once per width. Turning wrap on for a megabyte on one line is then
a division, not a layout pass (Textual's TextArea took about 3 s, blocking every key).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, groupby
from typing import ClassVar, Protocol, runtime_checkable

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ssmtui.model.sgr import Paint, Painted, Run

TAB_SIZE = 8


class _Line:
    """One line of text and what drawing it needs: its width in cells and, when its characters
    are not all one cell wide, the cell where each starts."""

    __slots__ = ("_rows", "cells", "offsets", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets: list[int] | None = None
        """``offsets[i]``: the cell where character ``i`` starts, and the width at the end;
        None when every character is one cell wide (then index and cell are the same)."""
        if text.isascii():
            self.cells = len(text)
        else:
            widths = [get_character_cell_size(ch) for ch in text]
            self.cells = sum(widths)
            if any(width != 1 for width in widths):
                self.offsets = [0, *accumulate(widths)]
        self._rows: tuple[int, list[int]] | None = None

    def row_starts(self, width: int, offsets: list[int]) -> list[int]:
        """Where each wrapped row starts (a character index), for a line of mixed widths: a
        wide character that does not fit goes to the next row. Kept for the last width."""
        if self._rows is not None and self._rows[0] == width:
            return self._rows[1]
        starts = [0]
        while offsets[starts[-1]] + width < offsets[-1]:
            start = starts[-1]
            end = bisect_right(offsets, offsets[start] + width) - 1
            starts.append(max(end, start + 1))
        self._rows = (width, starts)
        return starts

    def rows(self, width: int) -> int:
        if self.offsets is None:
            return max(1, -(-self.cells // width))
        return len(self.row_starts(width, self.offsets))

    def row(self, index: int, width: int) -> tuple[int, int]:
        """The characters ``[start, end)`` of wrapped row ``index``."""
        if self.offsets is None:
            return index * width, min(len(self.text), (index + 1) * width)
        starts = self.row_starts(width, self.offsets)
        end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
        return starts[index], end

    def row_of(self, column: int, width: int) -> int:
        """The wrapped row that holds character ``column``."""
        if self.offsets is None:
            return min(column // width, self.rows(width) - 1)
        return bisect_right(self.row_starts(width, self.offsets), column) - 1

    def cell_of(self, column: int) -> int:
        return column if self.offsets is None else self.offsets[column]

    def span(self, first_cell: int, width: int) -> tuple[int, int, int]:
        """The characters that cover cells ``[first_cell, first_cell + width)``, and the cell
        where the first of them starts (a wide character may begin before ``first_cell``)."""
        if self.offsets is None:
            return first_cell, min(len(self.text), first_cell + width), first_cell
        cells = self.offsets
        start = min(len(self.text), max(0, bisect_right(cells, first_cell) - 1))
        end = min(len(self.text), bisect_left(cells, first_cell + width))
        return start, end, cells[start]


class OutputView(ScrollView, can_focus=True):
    """Literal text (never markup), scrolled both ways, or wrapped at the pane's width."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"output-view--match", "output-view--hit"}
    DEFAULT_CSS = """
    OutputView {
        background: $surface;
        overflow: auto auto;
    }
    OutputView > .output-view--match {
        background: $accent;
        color: $text;
        text-style: bold;
    }
    OutputView > .output-view--hit {
        background: $accent 40%;
    }
    """

    @dataclass
    class Searched(Message):
        """The search moved: match ``at`` (1-based; 0 for none on screen) of ``count``."""

        needle: str
        at: int
        count: int

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "toggle_wrap", "Wrap"),
        Binding("C", "toggle_colour", "Colour"),
        Binding("n", "find_next", "Next match"),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("G,end", "jump_end", "End"),
        Binding("g,home", "jump_start", "Top", show=False),
        Binding("j", "scroll_lines(1)", "Down", show=False),
        Binding("k", "scroll_lines(-1)", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        """What is shown, as given (tabs and all)."""
        self.needle = ""
        """What the user searched for last."""
        self.match: tuple[int, int, int] | None = None
        """The match on screen: line, first and end character."""
        self._hits: list[int] = []
        """Where every match of ``needle`` starts in the folded text, in order."""
        self.soft_wrap = False
        self.colour = True
        """Draw the colours the output asked for (``--no-colour`` and ``C`` turn them off)."""
        self._given: Painted = ()
        self._paint: Painted = ()
        """``_given`` where tabs were expanded, as the lines are."""
        self._lines: list[_Line] = [_Line("")]
        self._line_starts: list[int] = [0, 1]
        """Where each line starts in the text (tabs expanded), for search."""
        self._haystack = ""
        """The text folded for a case-insensitive search."""
        self._rows_before: list[int] = [0, 1]
        """Wrapped: the row where each line starts, and the total at the end."""

    # -- content ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        if isinstance(self.app, PaintsOutput):
            self.colour = self.app.colour_output

    def show_text(self, text: str, paint: Painted = ()) -> bool:
        """Replace the text only when it changed, and keep the reader's place; whether it
        changed. ``paint``: each line's colour runs (``model/sgr.py``), drawn while colour is
        on; the text itself is the same either way."""
        if text == self.text and paint == self._given:
            return False
        self._given = paint
        self.text = text
        self.match = None
        lines = text.split("\n")
        self._paint = tuple(
            _expanded_runs(line, runs) if "\t" in line else runs
            for line, runs in zip(lines, paint, strict=False)
        )
        self._lines = [_Line(line.expandtabs(TAB_SIZE)) for line in lines]
        self._line_starts = [0, *accumulate(len(line.text) + 1 for line in self._lines)]
        self._haystack = _folded("\n".join(line.text for line in self._lines))
        self._hits = self._find_all()
        if self.needle:
            self.post_message(self.Searched(self.needle, 0, len(self._hits)))
        self._lay_out()
        return True

    def reveal_line(self, wanted: str) -> bool:
        """Scroll so that the first line that reads ``wanted`` is on top; False if none does.
        After the next refresh: text shown before the pane was laid out has no room to scroll
        in yet."""
        index = next((i for i, line in enumerate(self._lines) if line.text == wanted), None)
        if index is None:
            return False
        self.call_after_refresh(self._scroll_to_line, index)
        return True

    def _lay_out(self) -> None:
        """The virtual size: longest line by line count, or the wrapped rows by the width."""
        width = self._wrap_width()
        if self.soft_wrap:
            self._rows_before = [0, *accumulate(line.rows(width) for line in self._lines)]
            self.virtual_size = Size(width, self._rows_before[-1])
        else:
            longest = max(line.cells for line in self._lines)
            self.virtual_size = Size(longest, len(self._lines))
        self.refresh()

    def _wrap_width(self) -> int:
        """The pane's width less room for the vertical scrollbar, which long text brings."""
        return max(1, self.size.width - self.styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        if self.soft_wrap:
            self._lay_out()

    @property
    def line_count(self) -> int:
        return len(self._lines)

    # -- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.soft_wrap:
            index, row = self._wrapped(scroll_y + y)
            if index is None:
                return Strip.blank(width, base)
            line = self._lines[index]
            return self._strip(index, line.row(row, self._wrap_width()), 0, width, base)
        index = scroll_y + y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        start, end, first_cell = self._lines[index].span(scroll_x, width)
        return self._strip(index, (start, end), scroll_x - first_cell, width, base)

    def _wrapped(self, row: int) -> tuple[int | None, int]:
        """The line and its wrapped row shown at virtual row ``row``."""
        if row >= self._rows_before[-1]:
            return None, 0
        index = bisect_right(self._rows_before, row) - 1
        return index, row - self._rows_before[index]

    def _strip(
        self, index: int, characters: tuple[int, int], skip: int, width: int, base: Style
    ) -> Strip:
        """``characters`` (start, end) of line ``index``, the match highlighted, cropped to the
        ``width`` cells after the first ``skip`` (half a wide character at the left edge)."""
        start, end = characters
        text = self._lines[index].text
        segments = [Segment(text[start:end], base)]
        if highlights := self._highlights(index):
            styles = [base] * (end - start)
            for low, high, style in highlights:
                for column in range(max(start, low), min(end, high)):
                    styles[column - start] += style
            segments = [
                Segment(text[start + at : start + at + length], style)
                for at, length, style in _runs(styles)
            ]
        strip = Strip(segments).crop(skip, skip + width).extend_cell_length(width, base)
        return strip.apply_offsets(start, index)  # where a mouse selection starts and ends

    def _highlights(self, index: int) -> list[tuple[int, int, Style]]:
        """The spans of line ``index`` drawn apart: the output's own colours, every match, the
        current one, and the text the mouse selected; later ones drawn over earlier ones."""
        spans: list[tuple[int, int, Style]] = self._colours(index)
        line_start, line_end = self._line_starts[index], self._line_starts[index + 1] - 1
        if self._hits:
            size = len(self.needle)
            hit = self.get_component_rich_style("output-view--hit")
            first = bisect_left(self._hits, line_start - size + 1)
            for at in self._hits[first : bisect_left(self._hits, line_end)]:
                spans.append((at - line_start, at - line_start + size, hit))
        if self.match is not None and self.match[0] == index:
            spans.append(
                (self.match[1], self.match[2], self.get_component_rich_style("output-view--match"))
            )
        selection = self.text_selection
        chosen = selection.get_span(index) if selection is not None else None
        if chosen is not None:
            low, high = chosen
            high = len(self._lines[index].text) if high == -1 else high
            spans.append((low, high, self.screen.get_component_rich_style("screen--selection")))
        return spans

    def _colours(self, index: int) -> list[tuple[int, int, Style]]:
        if not self.colour or index >= len(self._paint):
            return []
        return [(start, end, _style(paint)) for start, end, paint in self._paint[index]]

    def action_toggle_colour(self) -> None:
        """``C``: the output's colours, or its text alone (the characters do not change)."""
        self.colour = not self.colour
        self.refresh()
        state = "on" if self.colour else "off: the text as it is without them"
        self.notify(f"Colours {state}", timeout=2)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text the mouse selected (Ctrl-C copies it): by line and character, as drawn."""
        return selection.extract("\n".join(line.text for line in self._lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:  # noqa: ARG002
        self.refresh()

    # -- keys --------------------------------------------------------------------------------

    def action_toggle_wrap(self) -> None:
        top = self._top_line()
        self.soft_wrap = not self.soft_wrap
        self._lay_out()
        self._scroll_to_line(top)
        self.notify(f"Wrap {'on' if self.soft_wrap else 'off'}", timeout=2)

    def _top_line(self) -> int:
        row = self.scroll_offset.y
        if self.soft_wrap:
            index, _ = self._wrapped(row)
            return index or 0
        return row

    def _scroll_to_line(self, index: int) -> None:
        y = self._rows_before[index] if self.soft_wrap else index
        self.scroll_to(x=0, y=y, animate=False, immediate=True)

    def action_jump_end(self) -> None:
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def action_jump_start(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False, immediate=True)

    # -- search ------------------------------------------------------------------------------

    def search(self, needle: str) -> bool:
        """Show the first match of ``needle`` from the top, and light up every other; False
        when there is none."""
        self.needle = needle
        self._hits = self._find_all()
        found = self._find(forward=True, start=0)
        self.refresh()
        if not found:
            self.post_message(self.Searched(needle, 0, 0))
        return found

    def _find_all(self) -> list[int]:
        """Where each match of ``needle`` starts, overlapping ones too: a count the user can
        check with ``grep -o``, give or take overlaps."""
        if not self.needle:
            return []
        haystack, needle = self._haystack, _folded(self.needle)
        hits, at = [], haystack.find(needle)
        while at != -1:
            hits.append(at)
            at = haystack.find(needle, at + 1)
        return hits

    def action_find_next(self) -> None:
        start = self._flat(self.match[0], self.match[1]) + 1 if self.match else 0
        self._report(self._find(forward=True, start=start))

    def action_find_previous(self) -> None:
        start = self._flat(self.match[0], self.match[1]) if self.match else len(self._haystack)
        self._report(self._find(forward=False, start=start))

    @property
    def matched_text(self) -> str:
        if self.match is None:
            return ""
        index, start, end = self.match
        return self._lines[index].text[start:end]

    def _report(self, found: bool) -> None:
        if not self.needle:
            self.notify("Press / to search the output first.", timeout=3)
        elif not found:
            self.notify(f"No more matches for {self.needle!r}.", timeout=3)

    def _flat(self, index: int, column: int) -> int:
        return self._line_starts[index] + column

    def _find(self, *, forward: bool, start: int) -> bool:
        """The next match from ``start`` (or the last before it, going back), wrapping around
        the end (or the start); case-insensitive."""
        if not self.needle:
            return False
        haystack, needle = self._haystack, _folded(self.needle)
        if forward:
            found = haystack.find(needle, start)
            found = haystack.find(needle) if found == -1 else found
        else:
            found = haystack.rfind(needle, 0, max(0, start))
            found = haystack.rfind(needle) if found == -1 else found
        if found == -1:
            return False
        index = bisect_right(self._line_starts, found) - 1
        column = found - self._line_starts[index]
        self._show_match(index, column, column + len(needle))
        return True

    def _show_match(self, index: int, start: int, end: int) -> None:
        self.match = (index, start, end)
        at = bisect_left(self._hits, self._flat(index, start)) + 1
        self.post_message(self.Searched(self.needle, at, len(self._hits)))
        line = self._lines[index]
        if self.soft_wrap:
            y = self._rows_before[index] + line.row_of(start, self._wrap_width())
            x = 0
        else:
            y, x = index, line.cell_of(start)
        self.scroll_to_region(
            Region(x, y, max(1, cell_len(line.text[start:end])), 1),
            animate=False,
            center=True,
            immediate=True,
        )
        self.refresh()


@runtime_checkable
class PaintsOutput(Protocol):
    """An app that says whether output is drawn in its colours (``--no-colour``)."""

    colour_output: bool


@lru_cache(maxsize=256)
def _style(paint: Paint) -> Style:
    """The Rich style of a paint: only colours and bold, dim, italic and underline."""
    return Style(
        color=paint.fg,
        bgcolor=paint.bg,
        bold=paint.bold or None,
        dim=paint.dim or None,
        italic=paint.italic or None,
        underline=paint.underline or None,
    )


def _expanded_runs(line: str, runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """``runs`` of ``line`` moved to where their characters land once its tabs expand."""

    def at(index: int) -> int:
        return len(line[:index].expandtabs(TAB_SIZE))

    return tuple((at(start), at(end), paint) for start, end, paint in runs)


def _folded(text: str) -> str:
    """``text`` for a case-insensitive search, at the same length so that a match's place in
    it is its place in the text (casefold turns ß into ss: then lower, then as it is)."""
    for fold in (str.casefold, str.lower):
        folded = fold(text)
        if len(folded) == len(text):
            return folded
    return text


def _runs(styles: list[Style]) -> Iterator[tuple[int, int, Style]]:
    """Where each run of one style starts, how long it is, and the style."""
    at = 0
    for style, group in groupby(styles):
        length = sum(1 for _ in group)
        yield at, length, style
        at += length
