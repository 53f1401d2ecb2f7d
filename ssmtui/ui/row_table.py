"""One table for every pane: draws only the rows on screen, over a list of rows it never copies.

Textual's DataTable keeps a cell object per cell and caches renders per cell; at 20,000 rows
that was a million objects for the garbage collector to walk, and applying a poll meant
comparing every cell. Here a poll hands over a new list of ``(key, cells)`` tuples (from a
pane's renderer in ``ssmtui.model``); the table swaps it in, finds the selected key again, and
redraws the rows on screen. Drawing a row is one ``Text`` made from its cells, cut to the
column widths, and cached while the row, the cursor and the widths stay the same.

The cursor follows a key, not a position: after a poll, sort or filter it is on the same row,
wherever that went. When that row is gone, the cursor stays at the same height and the table
announces the row that took its place, as a move would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ssmtui.model.cells import Cell, Row
from ssmtui.model.columns import Column, Columns
from ssmtui.ui.cell_palette import PALETTE, CellPalette
from ssmtui.ui.flash import FLASH_SECONDS, Flashes

GAP = 2
"""Blank cells between two columns."""
GROW_LIMIT = 64
"""A column that grows into spare width stops at this many cells: the rest stays free."""


def column_widths(columns: Sequence[Column], available: int) -> list[int]:
    """Each column's width at ``available`` cells: the fixed widths, and what is left shared
    among the growing columns, each up to ``GROW_LIMIT``."""
    widths = [column.width for column in columns]
    growing = [i for i, column in enumerate(columns) if column.grow]
    spare = available - sum(widths) - GAP * (len(columns) - 1)
    while spare > 0 and growing:
        share = max(1, spare // len(growing))
        for i in list(growing):
            extra = min(share, GROW_LIMIT - widths[i], spare)
            widths[i] += extra
            spare -= extra
            if widths[i] >= GROW_LIMIT:
                growing.remove(i)
            if spare <= 0:
                break
    return widths


class _RowMessage(Message):
    """A row of a table, by key; ``control`` lets handlers pick the table by its id."""

    def __init__(self, table: RowTable, key: str) -> None:
        super().__init__()
        self.table = table
        self.key = key

    @property
    def control(self) -> RowTable:
        return self.table


def _indexed(rows: Sequence[Row]) -> Callable[[str], int | None]:
    return {key: at for at, (key, _) in enumerate(rows)}.get


class RowTable(ScrollView, can_focus=True):
    """A list of keyed rows with a row cursor; only the rows on screen are drawn."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--changed",
    }
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        overflow: auto auto;
        padding: 0 1;
    }
    RowTable > .row-table--header {
        text-style: bold;
        color: $text-accent;
    }
    RowTable > .row-table--cursor {
        background: $panel;
    }
    RowTable:focus > .row-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    RowTable > .row-table--changed {
        text-style: reverse;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open"),
        Binding("down,j", "move(1)", "Next row", key_display="↓ j", show=False),
        Binding("up,k", "move(-1)", "Previous row", key_display="↑ k", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "jump(0)", "First row", show=False),
        Binding("end", "jump(-1)", "Last row", show=False),
    ]

    class Highlighted(_RowMessage):
        """Another row is under the cursor: the user moved it, or the row it was on left."""

    class Selected(_RowMessage):
        """Enter (or a click on the cursor's row): open the row."""

    def __init__(self, columns: Columns, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = columns
        self.status_column = columns.position("status")
        """The cell that lights up when its row's status changed."""
        self.flashes = Flashes()
        self._rows: Sequence[Row] = []
        self._position: Callable[[str], int | None] = _indexed(())
        self._cursor = 0
        self._announced: str | None = None
        self._widths: tuple[int, ...] = tuple(column.width for column in self.columns)
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(256)
        self._drawn: tuple[int, int, list[Row]] = (-1, -1, [])
        """Top row, cursor and the visible rows as of the last ``show_rows``."""
        self._palette: CellPalette | None = None

    # -- what is shown ---------------------------------------------------------------------

    def set_columns(self, columns: Columns) -> None:
        """Other columns from now on (the commands gain account and region with several
        sources); the rows handed in next must match them."""
        self.columns = columns
        self.status_column = columns.position("status")
        self._widths = tuple(column.width for column in self.columns)
        self._strips.clear()
        self._drawn = (-1, -1, [])
        self._resize()
        self.refresh()

    def show_rows(
        self,
        rows: Sequence[Row],
        changed: Iterable[str] = (),
        position: Callable[[str], int | None] | None = None,
    ) -> bool:
        """Show ``rows``, in this order, and light up the ``changed`` keys for a moment.

        ``position`` finds a key's row; without it the table indexes the rows itself (a
        dictionary per call: fine for hundreds of rows; a long list brings its own).
        False when the selected row had to go (the cursor then stays at the same height, on
        the row that took its place, which it announces).
        """
        selected = self.selected_key
        self._rows = rows
        self._position = position or _indexed(rows)
        changed = list(changed)
        self.flashes.note(changed)
        if changed:
            self.set_timer(FLASH_SECONDS + 0.1, partial(self._refresh_keys, set(changed)))
        at = self._position(selected) if selected is not None else None
        kept = selected is None or at is not None
        height = self._cursor - int(self.scroll_y)
        if at is not None:
            self._cursor = at
        self._cursor = max(0, min(self._cursor, len(rows) - 1))
        self._resize()
        if at is not None:  # rows came or went above it: the row stays where the user left it
            self.scroll_to(y=max(0, self._cursor - height), animate=False, immediate=True)
        self._keep_cursor_visible()
        self._announce()
        self._refresh_changed_lines()
        return kept

    def reset(self) -> None:
        """Forget the rows and the cursor: what comes next is another list, not a refresh."""
        self._rows, self._position, self._cursor, self._announced = [], _indexed(()), 0, None
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._resize()
        self.refresh()

    def _refresh_changed_lines(self) -> None:
        """Redraw the lines whose row is another object than the one drawn there last time
        (rows are immutable, so identity says "unchanged"); everything when the view moved."""
        top, cursor = int(self.scroll_y), self._cursor
        visible = list(self._rows[top : top + self._rows_visible()])
        drawn_top, drawn_cursor, drawn = self._drawn
        self._drawn = (top, cursor, visible)
        if (top, cursor, len(visible)) != (drawn_top, drawn_cursor, len(drawn)):
            self.refresh()
            return
        width = self.size.width
        for line, (now, before) in enumerate(zip(visible, drawn, strict=True), start=1):
            if now is not before:
                self.refresh(Region(0, line, width, 1))

    def _refresh_keys(self, keys: set[str]) -> None:
        """Redraw the lines on screen whose row has one of ``keys``: their flash is over. The
        rest of the table stays as drawn (a poll lights a handful of rows in thousands)."""
        top = int(self.scroll_y)
        width = self.size.width
        for line, (key, _cells) in enumerate(self._rows[top : top + self._rows_visible()], 1):
            if key in keys:
                self.refresh(Region(0, line, width, 1))

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def selected_key(self) -> str | None:
        return self._rows[self._cursor][0] if self._rows else None

    def row_keys(self) -> list[str]:
        """Row keys in the order shown."""
        return [key for key, _ in self._rows]

    def get_row_index(self, key: str) -> int:
        at = self._position(key)
        if at is None:
            raise KeyError(key)
        return at

    def get_row(self, key: str) -> list[Text]:
        """The cells of row ``key`` as drawn (styles resolved, a flash applied)."""
        _, cells = self._rows[self.get_row_index(key)]
        lit = self.flashes.active(key)
        return [
            self._cell_text(cell, lit and i == self.status_column) for i, cell in enumerate(cells)
        ]

    def style_for(self, name: str) -> Style:
        """The style of a component class (``status--failed``) as this table draws it."""
        if name in PALETTE:
            return self._palette.style(name) if self._palette else Style()
        return self.get_component_rich_style(name, partial=True)

    async def on_mount(self) -> None:
        """The screen's cell colours, mounted with its first table when it has none."""
        found = self.screen.query(CellPalette)
        if found:
            self._palette = found.first()
            return
        palette = CellPalette()
        await self.screen.mount(palette)
        self._palette = palette
        self._strips.clear()  # anything drawn before it was up went without its colours
        self.refresh()

    # -- the cursor ------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Move the cursor; when nothing scrolled, only its old and new lines are redrawn."""
        if not self._rows:
            return
        before, top = self._cursor, int(self.scroll_y)
        self._cursor = max(0, min(row, len(self._rows) - 1))
        self._keep_cursor_visible()
        self._announce()
        if int(self.scroll_y) != top:
            self.refresh()
            return
        for index in (before, self._cursor):
            self.refresh(Region(0, index - top + 1, self.size.width, 1))

    def move_to_next(self, matches: Callable[[str], bool]) -> bool:
        """The cursor to the next row below it whose key ``matches``, round to the top; False
        when no row does (the cursor stays)."""
        for step in range(1, len(self._rows) + 1):
            index = (self._cursor + step) % len(self._rows)
            if matches(self._rows[index][0]):
                self.move_cursor(index)
                return True
        return False

    def action_move(self, step: int) -> None:
        self.move_cursor(self._cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self._cursor + direction * max(1, self._rows_visible() - 1))

    def action_jump(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self._rows) - 1)

    def action_select(self) -> None:
        key = self.selected_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row; a click on the cursor's row opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = int(self.scroll_y) + offset.y - 1
        if row >= len(self._rows):
            return
        if row == self._cursor:
            self.action_select()
        else:
            self.move_cursor(row)

    def _announce(self) -> None:
        """Say which row is under the cursor whenever that changed, whatever moved it."""
        key = self.selected_key
        if key is not None and key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(self, key))

    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _keep_cursor_visible(self) -> None:
        top = int(self.scroll_y)
        visible = self._rows_visible()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False, immediate=True)

    # -- drawing ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._resize()
        self._keep_cursor_visible()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _resize(self) -> None:
        available = self.scrollable_content_region.width
        self._widths = tuple(column_widths(self.columns, available))
        total = sum(self._widths) + GAP * (len(self._widths) - 1)
        self.virtual_size = Size(total, len(self._rows) + 1)

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header, which stays put; the rest are rows from ``scroll_y`` on."""
        width = self.scrollable_content_region.width
        view = (int(self.scroll_x), width)
        if y == 0:
            return self._header(view)
        index = int(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._row_strip(index, view)

    def _header(self, view: tuple[int, int]) -> Strip:
        key = ("header", self._widths, view)
        strip = self._strips.get(key)
        if strip is None:
            text = self._line([column.label for column in self.columns])
            text.stylize(self.style_for("row-table--header"))
            strip = self._strips[key] = self._strip(text, view)
        return strip

    def row_at(self, index: int) -> Row:
        """The row to draw at ``index``; a pane whose cells move with the clock may bring
        them up to date here, so that only rows on screen pay for it."""
        return self._rows[index]

    def _row_strip(self, index: int, view: tuple[int, int]) -> Strip:
        row = self.row_at(index)
        key, cells = row
        cursor = index == self._cursor
        lit = self.flashes.active(key)
        cache_key = (row, cursor, lit, self._widths, view)
        strip = self._strips.get(cache_key)
        if strip is None:
            parts = [
                self._cell_text(cell, lit and i == self.status_column)
                for i, cell in enumerate(cells)
            ]
            text = self._line(parts)
            if cursor:
                text.stylize_before(self.style_for("row-table--cursor"))
            strip = self._strips[cache_key] = self._strip(text, view)
        return strip

    def _line(self, cells: Sequence[Text | str]) -> Text:
        line = Text(no_wrap=True, end="")
        for i, (cell, width) in enumerate(zip(cells, self._widths, strict=False)):
            if i:
                line.append(" " * GAP)
            part = cell.copy() if isinstance(cell, Text) else Text(cell)
            part.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(part)
        return line

    def _cell_text(self, cell: Cell, lit: bool) -> Text:
        if isinstance(cell, str):
            text = Text(cell, no_wrap=True, end="")
        else:
            text = Text(no_wrap=True, end="")
            for part, style in cell:
                text.append(part, self.style_for(style) if style else "")
        if lit:
            text.stylize(self.style_for("row-table--changed"))
        return text

    def _strip(self, text: Text, view: tuple[int, int]) -> Strip:
        """The line as it goes on screen: scrolled to ``view``'s x and cut to its width, so a
        redraw of an unchanged line (the pane's title changed, say) is a cache hit."""
        segments = [segment for segment in text.render(self.app.console) if segment.text != "\n"]
        x, width = view
        strip = Strip(segments or [Segment("")])
        return strip.crop(x, x + width).extend_cell_length(width, self.rich_style).simplify()
