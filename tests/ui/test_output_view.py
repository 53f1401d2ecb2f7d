"""The output viewer on its own: wrapped and scrolled rows, wide characters, search."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult

from ssmtui.model.sgr import coloured
from ssmtui.ui.output_view import OutputView


class Host(App[None]):
    """Just the viewer, so each test sets its size and text."""

    def compose(self) -> ComposeResult:
        yield OutputView(id="output")


def match(view: OutputView) -> tuple[int, int, int] | None:
    """The match on screen, read afresh (each key press may move it)."""
    return view.match


def colour(style: Style | None) -> object:
    """A style's foreground: the palette number, or the RGB triplet the theme gives."""
    if style is None or style.color is None:
        return None
    return style.color.number if style.color.number is not None else style.color.triplet


def rows(view: OutputView) -> list[str]:
    """What each row of the viewer shows now, trailing blanks dropped."""
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def test_wrapping_cuts_rows_at_the_width_and_unwrapping_scrolls_sideways() -> None:
    app = Host()
    async with app.run_test(size=(12, 6)) as pilot:
        view = app.query_one(OutputView)
        view.show_text("0123456789abcdefghijklmno\nshort")
        await pilot.pause()
        assert rows(view)[:2] == ["0123456789ab", "short"]
        view.scroll_to(x=10, animate=False, immediate=True)
        await pilot.pause()
        assert rows(view)[0] == "abcdefghijkl"

        await pilot.press("w")
        width = view.size.width - view.styles.scrollbar_size_vertical
        text = "0123456789abcdefghijklmno"
        assert rows(view)[:4] == [text[:width], text[width : 2 * width], text[2 * width :], "short"]
        assert view.virtual_size.height == -(-len(text) // width) + 1


async def test_wide_characters_wrap_whole_and_scroll_by_cells() -> None:
    app = Host()
    async with app.run_test(size=(8, 5)) as pilot:
        view = app.query_one(OutputView)
        view.show_text("日本語のテキスト\tend")
        await pilot.press("w")
        width = view.size.width - view.styles.scrollbar_size_vertical  # 6 cells: 3 characters
        assert width == 6
        assert rows(view)[:3] == ["日本語", "のテキ", "スト    end"[:6].rstrip()]
        await pilot.press("w")
        view.scroll_to(x=3, animate=False, immediate=True)
        await pilot.pause()
        assert rows(view)[0].startswith(" 語の")  # half of 本 is blank, not a broken glyph


async def test_a_megabyte_on_one_line_wraps_and_finds_its_end() -> None:
    app = Host()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(OutputView)
        text = "x" * 1_000_000 + "NEEDLE"
        view.show_text(text)
        await pilot.press("w")
        width = view.size.width - view.styles.scrollbar_size_vertical
        assert view.virtual_size.height == -(-len(text) // width)
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0
        assert view.search("needle")
        await pilot.pause()
        assert view.match == (0, 1_000_000, 1_000_006)
        shown = "".join(rows(view))
        assert "NEEDLE" in shown


async def test_search_is_case_insensitive_wraps_around_and_goes_back() -> None:
    app = Host()
    async with app.run_test(size=(40, 10), notifications=True) as pilot:
        view = app.query_one(OutputView)
        view.show_text("Error one\nfine\nerror two\nstraße error")
        await pilot.press("n")
        assert match(view) is None  # nothing searched yet: a hint, no move
        assert view.search("ERROR")
        assert match(view) == (0, 0, 5)
        await pilot.press("n")
        assert match(view) == (2, 0, 5)
        await pilot.press("n")
        assert match(view) == (3, 7, 12)  # after ß, where casefold would have shifted it
        await pilot.press("n")
        assert match(view) == (0, 0, 5)
        await pilot.press("N")
        assert match(view) == (3, 7, 12)
        assert not view.search("absent")


class Searching(Host):
    """The viewer, and what its search reported last."""

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[tuple[int, int]] = []

    def on_output_view_searched(self, event: OutputView.Searched) -> None:
        self.reports.append((event.at, event.count))


def lit(view: OutputView, y: int, style: str) -> str:
    """The characters of row ``y`` drawn with the background of component ``style``."""
    wanted = view.get_component_rich_style(style).bgcolor
    strip = view.render_line(y)
    return "".join(s.text for s in strip if s.style is not None and s.style.bgcolor == wanted)


async def test_search_lights_every_match_and_says_which_of_how_many_is_current() -> None:
    app = Searching()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(OutputView)
        view.show_text("error one, Error two\nfine\nerror three")
        assert view.search("error")
        await pilot.press("n")
        await pilot.pause()
        assert app.reports == [(1, 3), (2, 3)]
        assert lit(view, 0, "output-view--match") == "Error"  # the current one, the second
        assert lit(view, 0, "output-view--hit") == "error"  # the first, lit less
        assert lit(view, 2, "output-view--hit") == "error"
        assert lit(view, 1, "output-view--hit") == ""
        view.show_text("no errors here, one error")  # another step: the search carries over
        await pilot.pause()
        assert app.reports[-1] == (0, 2)


async def test_a_mouse_selection_reads_back_the_characters_under_it() -> None:
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(OutputView)
        view.show_text("first line\nsecond line of output\nthird")
        await pilot.pause()
        offsets = [s.style.meta.get("offset") for s in view.render_line(1) if s.style]
        assert offsets[0] == (0, 1)  # each row says which line and character it starts at
        await pilot.mouse_down(view, offset=(7, 1))
        await pilot.mouse_up(view, offset=(13, 1))  # the cell under the pointer is in
        await pilot.pause()
        assert app.screen.get_selected_text() == "line of"


async def test_the_outputs_colours_are_drawn_over_its_text_and_c_turns_them_off() -> None:
    shown = coloured("\x1b[1;31mE:\x1b[0m\tdisk \x1b[32mfull\x1b[0m\n\x1b[2Jplain \x1b[38;5;9mred")
    app = Host()
    async with app.run_test(size=(40, 6)) as pilot:
        view = app.query_one(OutputView)
        view.show_text(shown.text, shown.lines)
        await pilot.pause()
        first = view.render_line(0)
        assert first.text.rstrip() == "E:      disk full"  # the tab expanded, no sequence left
        by_text = {segment.text: segment.style for segment in first if segment.text.strip()}
        assert (colour(by_text["E:"]), by_text["E:"].bold) == (1, True)  # type: ignore[union-attr]
        assert colour(by_text["full"]) == 2
        assert all("\x1b" not in segment.text for y in range(2) for segment in view.render_line(y))

        await pilot.press("C")
        plain = view.render_line(0)
        assert plain.text == first.text  # the same characters, only not painted
        drawn = {colour(segment.style) for segment in plain if segment.text.strip()}
        assert drawn == {colour(view.rich_style)}


async def test_no_colour_starts_with_the_colours_off() -> None:
    class Plain(Host):
        colour_output = False

    shown = coloured("\x1b[31mred\x1b[0m")
    app = Plain()
    async with app.run_test(size=(20, 4)) as pilot:
        view = app.query_one(OutputView)
        view.show_text(shown.text, shown.lines)
        await pilot.pause()
        (segment,) = [s for s in view.render_line(0) if s.text.strip()]
        assert colour(segment.style) == colour(view.rich_style)
