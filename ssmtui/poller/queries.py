"""The user's filters as AWS CommandFilters, and the page size every listing asks for."""

from __future__ import annotations

from datetime import UTC, datetime

from ssmtui.model.filters import Filters

PAGE_SIZE = 50
"""ListCommands and ListCommandInvocations answer at most 50 records a call."""


def command_filters(
    filters: Filters, stage: str | None, since: datetime | None = None
) -> list[dict[str, str]]:
    """ListCommands' ``Filters``: the stage asked for, and what the user named."""
    encoded = []
    if stage:
        encoded.append({"key": "ExecutionStage", "value": stage})
    if filters.document:
        encoded.append({"key": "DocumentName", "value": filters.document})
    if filters.status:
        encoded.append({"key": "Status", "value": filters.status})
    after = max((t for t in (filters.since, since) if t is not None), default=None)
    if after is not None:
        encoded.append({"key": "InvokedAfter", "value": filter_time(after)})
    if filters.until is not None:
        encoded.append({"key": "InvokedBefore", "value": filter_time(filters.until)})
    return encoded


def status_filter(status: str) -> list[dict[str, str]]:
    """ListCommandInvocations' ``Filters`` for one status value."""
    return [{"key": "Status", "value": status}]


def filter_time(moment: datetime) -> str:
    """``2026-11-27T08:00:00Z``: in UTC, and with four digits of year (strftime's ``%Y`` gives
    fewer before the year 1000)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
