"""The copy, console, whole-output, raw and save keys: what each does with what it takes.

What each key takes is worked out purely in ``take_away.py``; this says it in a toast, puts it
on the clipboard, opens the raw view, asks the poller, or writes the file in a thread.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.worker import Worker

from ssmtui.model.console import is_aws_endpoint
from ssmtui.ui.clipboard import copy_text
from ssmtui.ui.exports import save_and_say
from ssmtui.ui.poll_control import PollControl
from ssmtui.ui.raw_screen import RawScreen, raw_json
from ssmtui.ui.selection import Depth
from ssmtui.ui.take_away import Chosen, Taken, to_open, to_save, to_show_raw


def copy(widget: Widget, taken: Taken | str, *, show: bool = False) -> None:
    """``taken`` to the clipboard (OSC 52: through ssh and tmux to the desktop), or the
    sentence that says why nothing was taken."""
    if isinstance(taken, str):
        widget.notify(taken, timeout=3)
        return
    cut = copy_text(widget.app, taken.text)
    shown = f":\n{taken.text}" if show else ""
    widget.notify(f"Copied {taken.what}{cut}{shown}", timeout=8 if show or cut else 3)


def console_url(widget: Widget, chosen: Chosen, endpoint: str) -> None:
    """``u``: the console page of the selection, copied and shown."""
    taken = to_open(chosen)
    if isinstance(taken, Taken) and endpoint and not is_aws_endpoint(endpoint):
        taken = Taken(f"{taken.what} (this endpoint is not AWS's)", taken.text)
    copy(widget, taken, show=True)


def full_output(widget: Widget, chosen: Chosen, poller: PollControl | None) -> None:
    """``F``: ask the poller for the focused step's whole output from S3, where it is."""
    plugin = chosen.plugin
    if plugin is None or chosen.depth < Depth.STEPS:
        widget.notify("Open a step first: F fetches its whole output from S3.", timeout=3)
    elif not (plugin.stdout_url or plugin.s3_bucket):
        widget.notify(
            "This step's output is not in S3: send the command with an output S3 bucket "
            "(--output-s3-bucket-name) to keep more than 24,000 bytes.",
            timeout=6,
        )
    elif not plugin.terminal:
        widget.notify("The agent uploads a step's output to S3 once it finishes.", timeout=4)
    elif poller is not None and poller.request_full_output():
        widget.notify("Fetching the whole output from S3…", timeout=2)


def raw(widget: Widget, chosen: Chosen) -> None:
    """``y``: the selected record as AWS sent it."""
    found = to_show_raw(chosen)
    if isinstance(found, str):
        widget.notify(found, timeout=3)
        return
    title, record = found
    widget.app.push_screen(RawScreen(title, raw_json(record)))


def save(widget: Widget, chosen: Chosen, instances: list[str]) -> Worker[None] | None:
    """Ctrl+S: the output shown, or the instances listed, to a new file; the worker that
    writes it (None when there is nothing to save)."""
    found = to_save(chosen, instances)
    if isinstance(found, str):
        widget.notify(found, timeout=3)
        return None
    name, text = found
    saving = save_and_say(widget, name, text, f"{len(text):,} characters")
    return widget.run_worker(saving, group="save")
