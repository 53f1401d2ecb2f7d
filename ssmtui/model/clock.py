"""The one place that reads the wall clock (everything else takes a clock as a parameter),
and the one that reads an ISO-8601 time."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now, timezone-aware UTC, as every datetime inside ssmtui is."""
    return datetime.now(UTC)


def parse_iso(text: str) -> datetime:
    """An ISO-8601 time as AWS and its users write it (``2026-11-27T08:00:00Z``, any case),
    in UTC; one without a zone is taken as UTC. ValueError when it is none."""
    moment = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
