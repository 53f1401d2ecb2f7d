"""Untrusted text is shown literally and cannot drive the terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmtui.model.text import neutralise


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bold]red[/bold] [/", "[bold]red[/bold] [/"),
        ("[link=https://example.com]x[/link]", "[link=https://example.com]x[/link]"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("up\x1b[2Aover\x1b[2K", "upover"),
        ("\x1b]0;pwned title\x07after", "after"),
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),
        ("bell\x07 null\x00", "bell␇ null␀"),
        ("c1 \x9b31m", "c1 �31m"),
        ("lone \udcff surrogate", "lone � surrogate"),
        ("progress 10%\rprogress 50%", "progress 10%\nprogress 50%"),
        ("tab\tkept\nand lines", "tab\tkept\nand lines"),
    ],
)
def test_control_sequences_are_neutralised(raw: str, shown: str) -> None:
    assert neutralise(raw) == shown


def test_escapes_can_be_shown_instead_of_removed() -> None:
    assert neutralise("\x1b[31mred", strip_ansi=False) == "␛[31mred"


def test_single_line_folds_breaks() -> None:
    assert neutralise("a\nb\tc\r\nd", single_line=True) == "a⏎b c⏎d"


@given(st.text())
def test_nothing_a_terminal_acts_on_survives(raw: str) -> None:
    shown = neutralise(raw)
    assert "\x1b" not in shown
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in shown)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in shown)
    shown.encode("utf-8")
