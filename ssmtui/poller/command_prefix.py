"""``--command`` given as the short id a table shows, made whole before anything polls.

ListCommands has no prefix filter, so the prefix is looked for in every command AWS keeps (30
days), every page; this happens once, at start, and only when the id is not whole.
"""

from __future__ import annotations

from dataclasses import replace

from ssmtui.model.command_id import is_whole, matching
from ssmtui.model.filters import Filters
from ssmtui.poller.reader import Reader

SHOWN_CANDIDATES = 3


class UnknownCommand(Exception):
    """The prefix names no command, or several: one sentence that says which."""


async def whole_command_id(reader: Reader, text: str) -> str:
    if is_whole(text):
        return text
    items, _ = await reader.pages("ListCommands", "Commands")
    ids = [item["CommandId"] for item in items if isinstance(item.get("CommandId"), str)]
    found = matching(text, ids)
    if not found:
        raise UnknownCommand(
            f"no command of the last 30 days in {reader.region} has an id starting with {text!r}"
        )
    if len(found) > 1:
        shown = ", ".join(found[:SHOWN_CANDIDATES])
        more = f" and {len(found) - SHOWN_CANDIDATES} more" if len(found) > SHOWN_CANDIDATES else ""
        raise UnknownCommand(
            f"{len(found)} commands have an id starting with {text!r} ({shown}{more}); "
            "type more of it"
        )
    return found[0]


async def with_whole_command(reader: Reader, filters: Filters) -> Filters:
    """The filters with ``command`` whole: the plan asks AWS for that id alone."""
    if filters.command is None or is_whole(filters.command):
        return filters
    return replace(filters, command=await whole_command_id(reader, filters.command))
