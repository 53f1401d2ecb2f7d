"""Untrusted text is shown literally and cannot drive the terminal, hide, or disappear."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmtui.model.text import MARK, neutralise


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bold]red[/bold] [/", "[bold]red[/bold] [/"),
        ("[link=https://example.com]x[/link]", "[link=https://example.com]x[/link]"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("up\x1b[2Aover\x1b[2K", "upover"),
        ("\x1b]0;pwned title\x07after", "after"),
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),
        ("\x1b(B\x1b[mtput\x1b7 reset\x1b8\x1bc", "tput reset"),
        ("\x1bPtmux;passthrough\x1b\\after", "after"),
        ("bell\x07 null\x00", "bell␇ null␀"),
        ("c1 \x9b31m", f"c1 {MARK}31m"),
        ("lone \udcff surrogate", f"lone {MARK} surrogate"),
        ("progress 10%\rprogress 50%", "progress 10%\nprogress 50%"),
        ("tab\tkept\nand lines", "tab\tkept\nand lines"),
    ],
)
def test_control_sequences_are_neutralised(raw: str, shown: str) -> None:
    assert neutralise(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        # An OSC with no BEL or ST: it ends at the line's end, and what follows is kept.
        ("ok\x1b]0;never ended\nstderr: disk full", "ok␛]0;never ended\nstderr: disk full"),
        ("cut inside \x1b]8;;https://exa", "cut inside ␛]8;;https://exa"),
        ("\x1bPdcs never ended\nnext", "␛Pdcs never ended\nnext"),
        ("csi \x1b[12\nnext", "csi ␛[12\nnext"),
        ("stray \x1b", "stray ␛"),
    ],
)
def test_an_unterminated_sequence_deletes_nothing(raw: str, shown: str) -> None:
    assert neutralise(raw) == shown


@pytest.mark.parametrize(
    "hidden",
    [
        *("\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"),
        *("\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2028"),
        *("\u2029", "\u3164"),
    ],
)
def test_bidi_and_zero_width_characters_become_visible_marks(hidden: str) -> None:
    assert neutralise(f"invoice{hidden}exe.txt") == f"invoice{MARK}exe.txt"


def test_every_format_character_of_this_python_is_marked() -> None:
    """The list in text.py is written out for a fast import; it must match Unicode's."""
    invisible = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cf", "Zl", "Zp")
    ]
    assert [ch for ch in invisible if neutralise(ch) != MARK] == []


def test_single_line_folds_breaks() -> None:
    assert neutralise("a\nb\tc\r\nd", single_line=True) == "a⏎b c⏎d"


def _forbidden(ch: str, *, single_line: bool) -> bool:
    """What must never reach a terminal: controls (tab and newline aside, in multi-line text),
    ESC and the C1 set, surrogates, and characters that draw nothing or reorder text."""
    code = ord(ch)
    if ch in "\t\n":
        return single_line
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or unicodedata.category(ch) in ("Cf", "Zl", "Zp")
    )


@given(st.text(), st.booleans())
def test_nothing_a_terminal_acts_on_or_that_hides_survives(raw: str, single_line: bool) -> None:
    shown = neutralise(raw, single_line=single_line)
    assert [ch for ch in shown if _forbidden(ch, single_line=single_line)] == []
    shown.encode("utf-8")


def _chars(low: int, high: int) -> st.SearchStrategy[str]:
    return st.sampled_from([chr(code) for code in range(low, high + 1)])


_NO_ESC = st.characters(blacklist_characters="\x1b")
_ON_ONE_LINE = st.characters(blacklist_characters="\x1b\x07\n\r")
_INTERMEDIATES = st.text(_chars(0x20, 0x2F), max_size=2)
WELL_FORMED = st.one_of(
    st.builds(  # CSI
        lambda params, middle, final: f"\x1b[{params}{middle}{final}",
        st.text(_chars(0x30, 0x3F), max_size=6),
        _INTERMEDIATES,
        _chars(0x40, 0x7E),
    ),
    st.builds(  # OSC, ended by BEL or ST
        lambda body, end: f"\x1b]{body}{end}",
        st.text(_ON_ONE_LINE, max_size=20),
        st.sampled_from(["\x07", "\x1b\\"]),
    ),
    st.builds(  # DCS, SOS, PM, APC, ended by ST
        lambda kind, body: f"\x1b{kind}{body}\x1b\\",
        st.sampled_from("PX^_"),
        st.text(st.characters(blacklist_characters="\x1b\n\r"), max_size=20),
    ),
    st.builds(  # short escapes
        lambda middle, final: f"\x1b{middle}{final}",
        _INTERMEDIATES,
        st.sampled_from([chr(c) for c in range(0x30, 0x7F) if chr(c) not in "[]PX^_"]),
    ),
)
UNTERMINATED = st.builds(  # an introducer whose sequence never ends on its line
    lambda intro, rest: f"{intro}{rest}\n",
    st.sampled_from(["\x1b]", "\x1b]0;", "\x1bP", "\x1b_"]),
    st.text(_ON_ONE_LINE, max_size=20),
)
PLAIN = st.text(_NO_ESC, max_size=20)


@given(st.lists(st.tuples(PLAIN, WELL_FORMED)), PLAIN)
def test_well_formed_sequences_vanish_and_nothing_else_changes(
    pieces: list[tuple[str, str]], tail: str
) -> None:
    with_sequences = "".join(text + sequence for text, sequence in pieces) + tail
    without = "".join(text for text, _ in pieces) + tail
    assert neutralise(with_sequences) == neutralise(without)


def _is_subsequence(wanted: str, text: str) -> bool:
    remaining = iter(text)
    return all(ch in remaining for ch in wanted)


@given(st.lists(st.one_of(PLAIN, WELL_FORMED.map(lambda s: ("seq", s)), UNTERMINATED)))
def test_every_printable_character_outside_a_sequence_appears(
    pieces: list[str | tuple[str, str]],
) -> None:
    raw = "".join(piece[1] if isinstance(piece, tuple) else piece for piece in pieces)
    outside = "".join(piece for piece in pieces if isinstance(piece, str))
    printable = "".join(ch for ch in outside if ch.isprintable())
    assert _is_subsequence(printable, neutralise(raw))
