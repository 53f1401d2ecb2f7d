"""Taking things off the screen: files written for the operator, named after what they hold.

The write runs in a thread: the UI never waits on a disk (a full /tmp, a slow NFS home).
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Protocol, runtime_checkable

from textual.widget import Widget

from ssmtui.model.text import neutralise

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(*parts: str, suffix: str = ".txt") -> str:
    """``ssmtui-5810d60e-i-06bf46c697d2caf82-PatchLinux.txt``: only characters safe in any
    file system, so an instance name or a step name from AWS cannot steer the path."""
    safe = [_UNSAFE.sub("_", part).strip("._") for part in parts if part]
    return "-".join(["ssmtui", *(part for part in safe if part)])[:200] + suffix


def _free_path(directory: Path, name: str) -> Path:
    """``name`` in ``directory``, or ``name`` with -2, -3… when something has it already (a
    file, or a symlink even one that points nowhere): a save never overwrites an earlier one
    and never follows a link someone left there."""
    path = directory / name
    stem, suffix, n = path.stem, path.suffix, 2
    while os.path.lexists(path):
        path = directory / f"{stem}-{n}{suffix}"
        n += 1
    return path


_NEW_PRIVATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _write(directory: Path, name: str, text: str) -> Path:
    """A new file, readable by its owner only (0600: the output may hold what the fleet
    should not show), holding ``text`` neutralised as on screen."""
    while True:
        path = _free_path(directory, name)
        try:
            descriptor = os.open(path, _NEW_PRIVATE, 0o600)
        except FileExistsError:  # taken between the look and the open: the next name
            continue
        break
    with open(descriptor, "w", encoding="utf-8") as file:
        file.write(neutralise(text))
    return path.resolve()


async def save_text(text: str, name: str, directory: Path | None = None) -> Path:
    """Write ``text`` to a new file named ``name`` in ``directory`` (the working directory by
    default) and say where; OSError when it cannot be written."""
    return await asyncio.to_thread(_write, directory or Path.cwd(), name, text)


SAVING_OFF = (
    "Saving is off in a browser session: it would write on the server's disk. "
    "'ssmtui serve --allow-save' turns it on."
)


@runtime_checkable
class MaySave(Protocol):
    """An app that says whether it may write files (a served session may not, unasked)."""

    saving_allowed: bool


async def save_and_say(widget: Widget, name: str, text: str, what: str) -> None:
    """Save ``text`` as ``name`` and tell the user where it went (``what`` it held), or why
    it could not be written, in a toast."""
    if isinstance(widget.app, MaySave) and not widget.app.saving_allowed:
        widget.notify(SAVING_OFF, severity="warning", timeout=6)
        return
    try:
        path = await save_text(text, name)
    except OSError as error:
        reason = error.strerror or str(error)
        widget.notify(f"Could not save {name}: {reason}.", severity="error", timeout=8)
        return
    widget.notify(f"Saved {what} to {path}", timeout=8)
