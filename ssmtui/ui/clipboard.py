"""What goes to the clipboard: neutralised, and capped for OSC 52.

The app copies with OSC 52, the escape sequence that carries text through ssh and tmux to the
operator's desktop. Terminals cap it (many near 100,000 bytes of base64, some far lower) and
drop what is longer without a word, so the text is cut here instead, at a character, and the
toast says so. ``SSMTUI_CLIPBOARD_MAX_BYTES`` changes the cap (k9s has the same knob).

The text is neutralised again on the way out, whatever its caller did: an escape sequence in a
clipboard reaches the next program it is pasted into (a bracketed-paste end, then a command).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from textual.app import App

from ssmtui.model.text import neutralise

LIMIT_VARIABLE = "SSMTUI_CLIPBOARD_MAX_BYTES"
DEFAULT_LIMIT = 74_994
"""Bytes of text whose base64 fits in 100,000 bytes, a common cap of terminals and tmux."""


def clipboard_limit(environ: Mapping[str, str] = os.environ) -> int:
    value = environ.get(LIMIT_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_LIMIT


def clipped(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character; and whether it was."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text, False
    return encoded[:limit].decode("utf-8", "ignore"), True


def copy_text(app: App[Any], text: str) -> str:
    """Put ``text`` on the clipboard; what the toast should add (empty unless it was cut)."""
    shown = neutralise(text)
    safe, cut = clipped(shown, clipboard_limit())
    app.copy_to_clipboard(safe)
    if not cut:
        return ""
    whole = len(shown.encode("utf-8"))
    return (
        f" (cut to its first {len(safe.encode()):,} of {whole:,} bytes, the clipboard's limit: "
        f"{LIMIT_VARIABLE} raises it, Ctrl+S saves it whole)"
    )
