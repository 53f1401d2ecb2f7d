"""The one place that reads the wall clock; everything else takes a clock as a parameter."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now, timezone-aware UTC, as every datetime inside ssmtui is."""
    return datetime.now(UTC)
