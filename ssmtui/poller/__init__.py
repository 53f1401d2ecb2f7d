"""The poller, in two parts: the loop (``loop.py``: schedule, pause, wake, interval) and the
fetch plan (``plan.py``: what to fetch this cycle, and what is already final), which talks to a
reader (``reader.py``) and tracks the focused command's invocations by status
(``tracking.py``). Knows nothing of widgets."""

from ssmtui.poller.loop import Poller, next_start
from ssmtui.poller.results import CycleHealth, Listener, PollResult

__all__ = ["CycleHealth", "Listener", "PollResult", "Poller", "next_start"]
