"""The output viewer on its own: wrapped and scrolled rows, wide characters, search."""

from __future__ import annotations

from textual.app import App, ComposeResult

from ssmtui.ui.output_view import OutputView


class Host(App[None]):
    """Just the viewer, so each test sets its size and text."""

    def compose(self) -> ComposeResult:
        yield OutputView(id="output")


def match(view: OutputView) -> tuple[int, int, int] | None:
    """The match on screen, read afresh (each key press may move it)."""
    return view.match


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
