"""Untrusted text made safe to show: everything from AWS passes through here first.

Plugin output, comments, instance names, ids and error messages are written by other people's
scripts or by an endpoint that may misbehave. Shown raw, an escape sequence could move the
cursor, retitle the terminal, leave the alternate screen or hide text, and a bidi override could
make a name read as something it is not. So:

- A complete escape sequence (CSI, OSC ended by BEL or ST, a DCS/SOS/PM/APC string ended by ST,
  or a short escape such as ``ESC ( B``) is removed: its colour or title is not ours to apply.
  A sequence counts as complete only if it ends on the line it starts on; an unterminated one
  (a stray byte, or AWS's cut landing inside it) removes nothing, its ESC is shown as a mark
  and the text after it stays, so nothing the user has not seen disappears.
- Every other character a terminal would act on, or that would not show, becomes a visible
  mark: C0 controls (as Control Pictures ␀..␟, ␛, ␡), C1 controls, lone surrogates, and the
  format characters (bidi controls, zero-width spaces and joiners, the BOM, line and paragraph
  separators, invisible fillers) as ``�``.

Nothing here is ever treated as markup.
"""

from __future__ import annotations

import re

MARK = "\N{REPLACEMENT CHARACTER}"
"""What a character that cannot be shown as itself becomes (other than the C0 controls)."""

_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u115f-\u1160\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
"""Every format character of Unicode 14 (Python 3.11's: bidi controls, zero-width spaces and
joiners, the BOM, invisible operators, tags), the line and paragraph separators, and the Hangul
fillers: they change how text reads or draw nothing at all. A test checks the list against
``unicodedata``."""

# C0 controls but tab and newline, DEL, the C1 controls (0x80-0x9f, which some terminals read
# as CSI and OSC introducers), lone surrogates (invalid UTF-8 escaped in JSON, which cannot
# even be written to a terminal), and the invisible characters above.
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + _INVISIBLE + "]")
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte: colours, cursor moves, screen modes
    r"|\x1b\][^\x07\x1b\n\r]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST: titles, hyperlinks
    r"|\x1b[PX^_][^\x1b\n\r]*\x1b\\"  # DCS, SOS, PM, APC ... ST
    r"|\x1b[ -/]*[0-OQ-WYZ\\`-~]"  # other escapes: ESC ( B, ESC 7, ESC c, ESC =
)


ESCAPE_SEQUENCE = _SEQUENCE
"""What ``neutralise`` removes, for ``model/sgr.py`` to read the colours among them."""


def _mark(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ ... ␟
    if code == 0x7F:
        return "␡"
    return MARK


def neutralise(text: str, *, single_line: bool = False) -> str:
    """``text`` with no character a terminal would act on, and none that hides.

    A lone carriage return becomes a line break (a progress bar's redraws, one per line);
    ``single_line`` folds line breaks into '⏎' and tabs into spaces, for table cells, titles
    and one-sentence messages.
    """
    if text.isascii() and text.isprintable():  # most of what AWS sends: nothing to do
        return text
    text = _SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNSHOWABLE.sub(_mark, text)
    if single_line:
        text = text.replace("\n", "⏎").replace("\t", " ")
    return text


def short_id(command_id: str) -> str:
    """The first 8 characters of a command id, as tables and titles show it; neutralised first,
    so that an escape sequence in an id cannot take all 8 and leave nothing to see."""
    return neutralise(command_id, single_line=True)[:8]
