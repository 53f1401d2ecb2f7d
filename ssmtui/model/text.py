"""Untrusted text made safe to show: everything from AWS passes through here first.

Plugin output, comments, instance names and error messages are written by other people's
scripts. Shown raw, an escape sequence could move the cursor, retitle the terminal or hide
text; so control characters become visible symbols, and nothing is ever treated as markup.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, the C1 controls (0x80-0x9f, which some terminals read
# as CSI and OSC introducers), and lone surrogates (invalid UTF-8 escaped in JSON), which
# cannot even be written to a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte (colours, cursor moves)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (titles, hyperlinks)
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ ... ␟
    if code == 0x7F:
        return "␡"
    return "�"


def neutralise(text: str, *, strip_ansi: bool = True, single_line: bool = False) -> str:
    """``text`` with no character a terminal would act on.

    ANSI sequences are removed (their colour is not ours to apply) unless ``strip_ansi`` is
    false, in which case they are shown as visible symbols; a lone carriage return becomes a
    line break; ``single_line`` folds line breaks into '⏎' for table cells.
    """
    if strip_ansi:
        text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(_visible, text)
    if single_line:
        text = text.replace("\n", "⏎").replace("\t", " ")
    return text
