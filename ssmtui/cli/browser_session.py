"""Whether this dashboard runs in a browser tab of ``ssmtui serve``, and what it may do there.

The server sets ``SAVE_ALLOWED`` in each tab's environment; the dashboard reads it. Apart
from both, so that neither imports the other.
"""

from __future__ import annotations

import os

SAVE_ALLOWED = "SSMTUI_SERVE_ALLOW_SAVE"
"""Set to 1 in a served session's environment when ``--allow-save`` was given."""


def served() -> bool:
    """A browser tab: textual-serve's driver draws this dashboard."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def saving_allowed() -> bool:
    """May this dashboard write files and remember the theme? Always on a terminal; in a
    served session only when ``serve --allow-save`` said so."""
    return not served() or os.environ.get(SAVE_ALLOWED) == "1"
