"""Colour in output: the allowlist read as paint over the text ``neutralise`` gives, and
nothing that could hide text or move the cursor."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmtui.model.sgr import PLAIN, Paint, apply, coloured, visible
from ssmtui.model.text import neutralise

SEQUENCES = [
    "\x1b[0m",
    "\x1b[m",
    "\x1b[1;31m",
    "\x1b[32m",
    "\x1b[92;41m",
    "\x1b[38;5;196m",
    "\x1b[48;5;196m",
    "\x1b[38;2;1;2;3m",
    "\x1b[48;2;1;2;3m",
    "\x1b[30;40m",
    "\x1b[8m",
    "\x1b[7m",
    "\x1b[5m",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[10;20H",
    "\x1b]0;title\x07",
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b[?1049h",
    "\x1b[38;5m",
    "\x1b[38;2;300;0;0m",
    "\x1b",
    "\x1b[",
]
PIECES = st.one_of(
    st.sampled_from(SEQUENCES),
    st.sampled_from(["\r\n", "\r", "\n", "\t", "E: ", "ok", "ünïcode", "\u202e", "\x07"]),
    st.text(max_size=5),
)


@given(st.lists(PIECES, max_size=30).map("".join))
def test_the_text_is_what_neutralise_gives_and_the_paint_stays_inside_it(raw: str) -> None:
    result = coloured(raw)
    assert result.text == neutralise(raw)
    assert "\x1b" not in result.text
    lines = result.text.split("\n")
    if result.lines:
        assert len(result.lines) == len(lines)
    for line, runs in zip(lines, result.lines, strict=False):
        end = 0
        for start, stop, paint in runs:
            assert end <= start < stop <= len(line)
            end = stop
            assert not paint.plain
            assert paint == visible(paint)  # no background that hides its text


@given(st.lists(st.integers(min_value=0, max_value=300), max_size=12))
def test_no_parameters_can_hide_text(codes: list[int]) -> None:
    paint = apply(PLAIN, ";".join(map(str, codes)))
    shown = visible(paint)
    assert shown.bg is None or shown.bg != shown.fg


def test_the_allowlist_and_what_it_leaves_out() -> None:
    assert apply(PLAIN, "1;31") == Paint(fg="color(1)", bold=True)
    assert apply(PLAIN, "92;104") == Paint(fg="color(10)", bg="color(12)")
    assert apply(PLAIN, "38;5;208;48;2;0;0;64") == Paint(fg="color(208)", bg="rgb(0,0,64)")
    assert apply(apply(PLAIN, "1;3;4;2"), "22;23;24") == PLAIN
    assert apply(apply(PLAIN, "31;41"), "39;49") == PLAIN
    assert apply(Paint(fg="color(1)"), "") == PLAIN  # ESC [ m resets
    for ignored in ("5", "6", "7", "8", "9", "11", "53"):  # blink, reverse, conceal, ...
        assert apply(PLAIN, ignored) == PLAIN


def test_a_background_that_would_hide_the_text_is_dropped() -> None:
    assert visible(apply(PLAIN, "31;41")) == Paint(fg="color(1)")
    assert visible(apply(PLAIN, "38;2;200;10;10;48;2;210;20;5")).bg is None
    assert visible(apply(PLAIN, "38;2;255;255;255;48;2;0;0;0")).bg == "rgb(0,0,0)"


def test_apt_style_output_keeps_its_words_and_gets_its_colours() -> None:
    raw = "\x1b[1;31mE: \x1b[0mUnable to locate package\r\n\x1b[32mDone\x1b[0m\n\x1b[2Jplain"
    result = coloured(raw)
    assert result.text == "E: Unable to locate package\nDone\nplain"
    assert result.lines == (
        ((0, 3, Paint(fg="color(1)", bold=True)),),
        ((0, 4, Paint(fg="color(2)")),),
        (),
    )
    assert coloured("no colour at all\n").lines == ()
