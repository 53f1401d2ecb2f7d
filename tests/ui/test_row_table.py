"""RowTable on its own, over in-memory rows: cursor by key, drawing only what is on screen."""

from __future__ import annotations

from rich.style import Style
from textual import on
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from ssmtui.model.cells import Row, status_cell
from ssmtui.model.columns import Column, Columns
from ssmtui.ui.row_table import GAP, GROW_LIMIT, RowTable, column_widths

COLUMNS = Columns(
    Column("key", "Key", 6), Column("status", "Status", 10), Column("name", "Name", 8, grow=True)
)


def rows(*keys: str, status: str = "ok") -> list[Row]:
    return [(key, (key, ((status, "status--success"),), f"name {key}")) for key in keys]


class CountingTable(RowTable):
    def __init__(self) -> None:
        super().__init__(COLUMNS, id="table")
        self.drawn: set[int] = set()

    def row_at(self, index: int) -> Row:
        self.drawn.add(index)
        return super().row_at(index)


class OneTable(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[str] = []
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield CountingTable()

    @on(RowTable.Highlighted, "#table")
    def _highlighted(self, event: RowTable.Highlighted) -> None:
        self.highlighted.append(event.key)

    @on(RowTable.Selected, "#table")
    def _selected(self, event: RowTable.Selected) -> None:
        self.opened.append(event.key)


def test_spare_width_goes_to_the_growing_columns_up_to_a_limit() -> None:
    fixed = 6 + 10 + 8 + 2 * GAP
    assert column_widths(COLUMNS, fixed) == [6, 10, 8]
    assert column_widths(COLUMNS, fixed + 20) == [6, 10, 28]
    assert column_widths(COLUMNS, fixed + 500) == [6, 10, GROW_LIMIT]
    assert column_widths(COLUMNS, 10) == [6, 10, 8]  # too narrow: scroll sideways


async def on_b(pilot: Pilot[None]) -> CountingTable:
    """The table showing a, b, c, with the cursor moved to b."""
    table = pilot.app.query_one(CountingTable)
    table.focus()
    table.show_rows(rows("a", "b", "c"))
    await pilot.press("j")
    await pilot.pause()
    assert table.selected_key == "b"
    return table


async def test_the_cursor_follows_its_row_through_a_reorder() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = await on_b(pilot)
        assert table.show_rows(rows("c", "b", "a"))
        assert (table.selected_key, table.cursor_row) == ("b", 1)
        assert table.show_rows(rows("b", "c", "a"))
        assert (table.selected_key, table.cursor_row) == ("b", 0)
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == ["b"]


async def test_rows_arriving_above_leave_the_selected_row_where_it_was_on_screen() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(CountingTable)
        table.focus()
        keys = [f"k{n:02d}" for n in range(30)]
        table.show_rows(rows(*keys))
        await pilot.press(*"jjjjj")
        assert (table.selected_key, table.cursor_row, table.scroll_y) == ("k05", 5, 0)
        table.show_rows(rows("new1", "new2", *keys))
        await pilot.pause()
        assert (table.selected_key, table.cursor_row, table.scroll_y) == ("k05", 7, 2)
        table.show_rows(rows(*keys[3:]))  # and rows going from above take it no higher than 0
        await pilot.pause()
        assert (table.selected_key, table.cursor_row, table.scroll_y) == ("k05", 2, 0)


async def test_when_the_selected_row_goes_the_row_that_takes_its_place_is_announced() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = await on_b(pilot)
        assert not table.show_rows(rows("a", "c"))
        await pilot.pause()
        assert table.selected_key == "c"
        assert app.highlighted == ["a", "b", "c"]


async def test_twenty_thousand_rows_draw_only_those_on_screen() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(CountingTable)
        table.focus()
        table.show_rows(rows(*(f"i-{n:05d}" for n in range(20_000))))
        await pilot.pause()
        visible = table.size.height  # at most: a header and a scrollbar take lines too
        assert table.drawn == set(range(len(table.drawn)))
        assert 0 < len(table.drawn) <= visible
        await pilot.press("end")
        await pilot.pause()
        assert table.selected_key == "i-19999"
        assert max(table.drawn) == 19_999
        assert len(table.drawn) <= 2 * visible


async def test_a_changed_row_lights_its_status_for_a_moment() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(CountingTable)
        table.show_rows(rows("a", "b"))
        table.show_rows(rows("a", "b", status="new"), changed=["b"])
        await pilot.pause()
        lit = table.style_for("row-table--changed")
        assert lit in {span.style for span in table.get_row("b")[1].spans}
        assert lit not in {span.style for span in table.get_row("a")[1].spans}


async def test_status_cells_take_their_colours_from_the_theme_and_follow_a_change() -> None:
    """The cell colours live on the screen's palette widget; a table drawn before it was up,
    or drawn again after the theme changed, shows the theme's colours, not stale ones."""
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(RowTable)
        table.show_rows([("a", ("a", status_cell("Failed"), "name a"))])
        await pilot.pause()
        before = table.get_row("a")[1].spans[0].style
        assert isinstance(before, Style)
        assert before.bold  # failed: $error, bold
        assert before.color == Style.parse(app.theme_variables["error"]).color
        app.theme = "nord"  # its error red is not the default theme's
        await pilot.pause()
        after = table.get_row("a")[1].spans[0].style
        assert isinstance(after, Style)
        assert after.color == Style.parse(app.theme_variables["error"]).color
        assert after.color != before.color
