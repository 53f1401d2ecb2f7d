"""Times as table cells show them: ago, short durations, times of day (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import humanize


def ago(moment: datetime | None, now: datetime) -> str:
    """'4 minutes ago'; '—' when AWS did not say."""
    if moment is None:
        return "—"
    return str(humanize.naturaltime(max(timedelta(0), now - moment), when=None))


def short_duration(span: timedelta | None) -> str:
    """'41s', '2m10s', '1h02m': a table cell, where 'a minute' would hide the seconds."""
    if span is None:
        return "—"
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def day_time(moment: datetime | None, today: date) -> str:
    """UTC time of day, with the date when it was not today: a column that does not change
    as the clock moves, so 20,000 rows are not rewritten every minute."""
    if moment is None:
        return "—"
    moment = moment.astimezone(UTC)
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%b %d %H:%M")


def clock_time(moment: datetime | None) -> str:
    """Absolute UTC time of day, for detail rows where 'ago' would drift."""
    return moment.strftime("%H:%M:%S") if moment is not None else "—"


class Ages:
    """``ago`` for many rows at one moment, each distinct time worded once: humanize is slow
    at 20,000 rows a poll, and most rows share a handful of times."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._said: dict[datetime | None, str] = {}

    def __call__(self, moment: datetime | None) -> str:
        said = self._said.get(moment)
        if said is None:
            said = self._said[moment] = ago(moment, self.now)
        return said
