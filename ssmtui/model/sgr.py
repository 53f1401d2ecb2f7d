"""Colour in output, safely: the SGR sequences scripts print, read from an allowlist.

apt, dnf, Ansible and PowerShell colour their output with SGR sequences (``ESC [ ... m``).
``neutralise`` removes every escape sequence; this reads the same text and, where a sequence
is SGR, keeps what its parameters say as spans of paint over the very text ``neutralise``
gives: the characters shown, searched, copied and saved do not change, only how they are drawn.

Only these parameters are read: 0 (reset), 1 bold, 2 dim, 3 italic, 4 underline, 22, 23, 24
(their ends), 30-37 and 90-97 (foreground), 40-47 and 100-107 (background), 39 and 49
(default), and 38/48 with ``5;N`` (256 colours) or ``2;R;G;B``. Everything else (blink,
reverse, conceal, strike, fonts) is ignored, and every sequence that is not SGR (cursor moves,
titles, screen modes) is removed as before. No paint may hide text: a background equal to the
foreground, or an RGB background within a small distance of an RGB foreground, is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from ssmtui.model.text import ESCAPE_SEQUENCE, neutralise

_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_NEWLINES = re.compile(r"\r\n?")
PAINT_LIMIT = 256_000
"""Characters of output read for colour at most: reading is a pass in Python (about 50 ms for
this much, densely coloured), and a live log of megabytes re-read each poll would hold the
screen up; longer output is shown as text, and the note says so."""
CLOSE = 48
"""RGB channels this close (the largest difference) are one colour to the eye."""


@dataclass(frozen=True, slots=True)
class Paint:
    """How a run of characters is drawn; colours as Rich names them (``color(1)``,
    ``rgb(10,20,30)``), None for the theme's own."""

    fg: str | None = None
    bg: str | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False

    @property
    def plain(self) -> bool:
        return self == PLAIN


PLAIN = Paint()


Run = tuple[int, int, Paint]
"""Characters ``[start, end)`` of a line, and how they are drawn."""
Painted = tuple[tuple[Run, ...], ...]
"""Each line's runs, in order."""


@dataclass(frozen=True, slots=True)
class Coloured:
    """The neutralised text, and its paint: for each line, (start, end, paint) runs."""

    text: str
    lines: Painted


def has_colour(raw: str) -> bool:
    return "\x1b[" in raw


@lru_cache(maxsize=8)
def coloured(raw: str) -> Coloured:
    """``raw`` as ``neutralise`` shows it, with the paint its allowed SGR sequences ask for
    (none past ``PAINT_LIMIT``). Kept for the last few texts: a poll shows the same output
    again."""
    text = neutralise(raw)
    if not has_colour(raw) or len(raw) > PAINT_LIMIT:
        return Coloured(text, ())
    joined, changes = _without_sequences(raw)
    changes = _after_newlines(joined, changes)
    return Coloured(text, _runs_by_line(text, changes))


def _without_sequences(raw: str) -> tuple[str, list[tuple[int, Paint]]]:
    """``raw`` less every complete escape sequence (as ``neutralise`` removes them), and where
    in what is left the paint changes, to what."""
    parts: list[str] = []
    changes: list[tuple[int, Paint]] = []
    paint, at, length = PLAIN, 0, 0
    for match in ESCAPE_SEQUENCE.finditer(raw):
        parts.append(raw[at : match.start()])
        length += match.start() - at
        at = match.end()
        sgr = _SGR.fullmatch(match.group())
        if sgr is not None:
            painted = _after(paint, sgr.group(1))
            if painted is not paint:
                paint = painted
                changes.append((length, paint))
    parts.append(raw[at:])
    return "".join(parts), changes


def _after_newlines(joined: str, changes: list[tuple[int, Paint]]) -> list[tuple[int, Paint]]:
    """The change points moved as ``neutralise`` turns each CR LF into one LF."""
    pairs = [match.start() for match in _NEWLINES.finditer(joined) if match.group() == "\r\n"]
    return [(at - bisect_right(pairs, at - 1), paint) for at, paint in changes]


def _runs_by_line(text: str, changes: list[tuple[int, Paint]]) -> Painted:
    """The paint as runs within each line, in one pass over lines and change points."""
    points = [*changes, (len(text) + 1, PLAIN)]
    lines: list[tuple[Run, ...]] = []
    paint, next_at, index, start = PLAIN, points[0][0], 0, 0
    for line in text.split("\n"):
        end = start + len(line)
        runs: list[Run] = []
        at = start
        while at < end:
            while next_at <= at:  # every change at or before here is in force
                paint = points[index][1]
                index += 1
                next_at = points[index][0]
            until = min(end, next_at)
            if not paint.plain:
                runs.append((at - start, until - start, paint))
            at = until
        lines.append(tuple(runs))
        start = end + 1
    return tuple(lines)


@lru_cache(maxsize=4096)
def _after(paint: Paint, parameters: str) -> Paint:
    """The paint after a sequence, as shown; the very same object when it did not change
    (output repeats the same few sequences)."""
    painted = visible(apply(paint, parameters))
    return paint if painted == paint else painted


def apply(paint: Paint, parameters: str) -> Paint:
    """``paint`` after one SGR sequence's parameters (empty means reset)."""
    codes = [int(code) if code else 0 for code in parameters.split(";")][:32]
    index = 0
    while index < len(codes):
        code = codes[index]
        index += 1
        if code in (38, 48):
            colour, used = _extended(codes[index:])
            index += used
            if colour is not None and code == 38:
                paint = replace(paint, fg=colour)
            elif colour is not None:
                paint = replace(paint, bg=colour)
            continue
        paint = _simple(paint, code)
    return paint


_SWITCHES: dict[int, dict[str, object]] = {
    1: {"bold": True},
    2: {"dim": True},
    3: {"italic": True},
    4: {"underline": True},
    22: {"bold": False, "dim": False},
    23: {"italic": False},
    24: {"underline": False},
    39: {"fg": None},
    49: {"bg": None},
}


def _simple(paint: Paint, code: int) -> Paint:
    if code == 0:
        return PLAIN
    if (switch := _SWITCHES.get(code)) is not None:
        return replace(paint, **switch)  # type: ignore[arg-type]
    if 30 <= code <= 37:
        return replace(paint, fg=f"color({code - 30})")
    if 90 <= code <= 97:
        return replace(paint, fg=f"color({code - 82})")
    if 40 <= code <= 47:
        return replace(paint, bg=f"color({code - 40})")
    if 100 <= code <= 107:
        return replace(paint, bg=f"color({code - 92})")
    return paint  # not on the list: blink, reverse, conceal, strike, fonts...


def _extended(codes: list[int]) -> tuple[str | None, int]:
    """``5;N`` or ``2;R;G;B`` after a 38 or 48: the colour and how many codes it used."""
    if len(codes) >= 2 and codes[0] == 5:
        return (f"color({codes[1]})" if codes[1] <= 255 else None), 2
    if len(codes) >= 4 and codes[0] == 2:
        red, green, blue = codes[1:4]
        if max(red, green, blue) <= 255:
            return f"rgb({red},{green},{blue})", 4
        return None, 4
    return None, len(codes)  # malformed: the rest of the sequence is not read


def visible(paint: Paint) -> Paint:
    """``paint`` without a background that would hide its text."""
    if paint.bg is None or paint.fg is None:
        return paint
    if paint.bg == paint.fg or _close(paint.fg, paint.bg):
        return replace(paint, bg=None)
    return paint


def _close(first: str, second: str) -> bool:
    one, two = _rgb(first), _rgb(second)
    if one is None or two is None:
        return False
    return max(abs(a - b) for a, b in zip(one, two, strict=True)) < CLOSE


def _rgb(colour: str) -> tuple[int, ...] | None:
    if not colour.startswith("rgb("):
        return None
    return tuple(int(part) for part in colour[4:-1].split(","))
